"""The channels the programme starts with: this platform, Postmart (Vietnam Post) and Voso
(Viettel Post). An administrator adds others in the admin."""

from django.db import migrations

CHANNELS = [
    {"code": "nong-san", "name": "Nông Sàn", "is_this_platform": True, "position": 1},
    {"code": "postmart", "name": "Postmart", "is_this_platform": False, "position": 2},
    {"code": "voso", "name": "Voso", "is_this_platform": False, "position": 3},
]


def create_channels(apps, schema_editor):
    Channel = apps.get_model("onboarding", "Channel")
    for fields in CHANNELS:
        Channel.objects.update_or_create(
            code=fields["code"],
            defaults={**fields, "kind": "marketplace", "is_active": True},
        )


def delete_channels(apps, schema_editor):
    Channel = apps.get_model("onboarding", "Channel")
    Channel.objects.filter(code__in=[fields["code"] for fields in CHANNELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0001_initial")]

    operations = [migrations.RunPython(create_channels, delete_channels)]
