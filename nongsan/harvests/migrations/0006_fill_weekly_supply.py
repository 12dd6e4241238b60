"""Fill the weekly supply roll-up from the announcements already recorded."""

from typing import Any

from django.db import migrations


def fill(apps: Any, schema_editor: Any) -> None:
    from nongsan.harvests.rollup import weekly_supply_rebuild

    weekly_supply_rebuild(
        announcement_model=apps.get_model("harvests", "HarvestAnnouncement"),
        supply_model=apps.get_model("harvests", "WeeklySupply"),
    )


def empty(apps: Any, schema_editor: Any) -> None:
    apps.get_model("harvests", "WeeklySupply").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("harvests", "0005_weekly_supply_rollup")]

    operations = [migrations.RunPython(fill, empty)]
