"""Events recorded without a description had their kind's label copied into it, frozen in
the language of the moment; the kind now speaks for itself, so those copies are emptied.
The reverse writes the Vietnamese labels back."""

from django.db import migrations

# The labels as they were copied (Vietnamese, or English when the recorder read English).
LABELS = {
    "created": ("Đã tạo vận đơn", "Shipment created"),
    "picked_up": ("Đã lấy hàng", "Picked up"),
    "at_hub": ("Đến bưu cục, kho trung chuyển", "At a post office or hub"),
    "out_for_delivery": ("Đang giao", "Out for delivery"),
    "delivered": ("Đã giao", "Delivered"),
    "failed": ("Giao không thành công", "Delivery failed"),
}


def unfreeze(apps, schema_editor):
    TrackingEvent = apps.get_model("shipping", "TrackingEvent")
    for kind, labels in LABELS.items():
        TrackingEvent.objects.filter(kind=kind, description__in=labels).update(description="")


def freeze(apps, schema_editor):
    TrackingEvent = apps.get_model("shipping", "TrackingEvent")
    for kind, (vietnamese, _english) in LABELS.items():
        TrackingEvent.objects.filter(kind=kind, description="").update(description=vietnamese)


class Migration(migrations.Migration):
    dependencies = [("shipping", "0004_tracking_description_optional")]

    operations = [migrations.RunPython(unfreeze, freeze)]
