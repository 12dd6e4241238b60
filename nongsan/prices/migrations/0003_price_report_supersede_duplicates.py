"""Reports entered before the one-voice rule: of several by the same person for the same
produce, province, commune, kind and day, all but the newest are marked superseded (kept
for the history). Reverse: mark none superseded, as before."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q


def supersede_duplicates(apps, schema_editor):
    PriceReport = apps.get_model("prices", "PriceReport")
    same_key = {
        "reported_by": OuterRef("reported_by"),
        "produce_type": OuterRef("produce_type"),
        "province": OuterRef("province"),
        "kind": OuterRef("kind"),
        "reported_on": OuterRef("reported_on"),
        "pk__gt": OuterRef("pk"),
    }
    pairs = (
        (Q(commune__isnull=True), Q(commune__isnull=True)),
        (Q(commune__isnull=False), Q(commune=OuterRef("commune"))),
    )
    for outer, inner in pairs:
        newer = PriceReport.objects.filter(inner, **same_key)
        PriceReport.objects.filter(outer, reported_by__isnull=False).filter(
            Exists(newer)
        ).update(is_superseded=True)


def unmark(apps, schema_editor):
    apps.get_model("prices", "PriceReport").objects.update(is_superseded=False)


class Migration(migrations.Migration):
    dependencies = [("prices", "0002_price_report_is_superseded")]

    operations = [migrations.RunPython(supersede_duplicates, unmark)]
