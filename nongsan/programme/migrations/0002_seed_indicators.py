"""The programme's indicators (issue 9), each over the platform's own measures."""

from django.db import migrations

# code, name, description, measure, denominator, display, scale, per channel,
# higher is better, funnel step
INDICATORS = [
    ("households_registered", "Hộ đã đăng ký", "Hộ trong sổ đăng ký đến cuối kỳ (không tính hồ sơ đã gộp).", "households_registered", "", "count", 1, False, True, True),
    ("households_with_consent", "Hộ đồng ý bán trên sàn", "Hộ có đồng ý mục đích bán trên sàn còn hiệu lực cuối kỳ.", "households_with_consent", "", "count", 1, False, True, False),
    ("households_trained", "Hộ đã tập huấn", "Hộ có mặt ở ít nhất một buổi tập huấn đến cuối kỳ.", "households_trained", "", "count", 1, False, True, True),
    ("households_with_account", "Hộ có tài khoản trên kênh", "Hộ đạt giai đoạn có tài khoản (hoặc xa hơn) trên từng kênh.", "households_with_account", "", "count", 1, True, True, False),
    ("households_listed", "Hộ có tin đăng bán", "Hộ có ít nhất một tin đã đăng bán trên nền tảng đến cuối kỳ.", "households_listed", "", "count", 1, False, True, True),
    ("households_first_sale", "Hộ đã có đơn bán đầu tiên", "Hộ có ít nhất một đơn đã giao hoặc hoàn tất đến cuối kỳ.", "households_first_sale", "", "count", 1, False, True, True),
    ("active_sellers", "Hộ đang bán", "Hộ có đơn đã giao hoặc hoàn tất trong 90 ngày tính đến cuối kỳ.", "active_sellers", "", "count", 1, False, True, True),
    ("products_listed", "Sản phẩm đã đăng bán", "Tin đăng đã từng được đăng bán đến cuối kỳ.", "products_listed", "", "count", 1, False, True, False),
    ("ocop_listed_share", "Sản phẩm OCOP đã lên sàn", "Sản phẩm OCOP có tin đăng bán, trên số sản phẩm OCOP đã biết trên địa bàn.", "ocop_listed", "ocop_known", "percent", 100, False, True, False),
    ("orders", "Đơn hàng", "Đơn đặt trong kỳ.", "orders", "", "count", 1, False, True, False),
    ("delivered_orders", "Đơn đã giao", "Đơn đặt trong kỳ đã giao hoặc hoàn tất.", "delivered_orders", "", "count", 1, False, True, False),
    ("gross_sales_vnd", "Giá trị hàng đã bán", "Tiền hàng (không tính phí vận chuyển) của đơn đặt trong kỳ đã giao hoặc hoàn tất.", "gross_sales_vnd", "", "money", 1, False, True, False),
    ("shipping_share", "Phí vận chuyển trên tiền hàng (trung bình)", "Trung bình, trên các đơn đã giao, của phí vận chuyển chia tiền hàng.", "shipping_share_sum", "delivered_orders", "percent", 100, False, False, False),
    ("unconfirmed_order_rate", "Tỉ lệ đơn người bán không xác nhận", "Đơn đặt trong kỳ mà người bán chưa từng xác nhận (còn chờ, hoặc bị huỷ khi chưa xác nhận), trên số đơn.", "unconfirmed_orders", "orders", "percent", 100, False, False, False),
    ("training_sessions", "Buổi tập huấn", "Buổi tập huấn tổ chức trong kỳ.", "training_sessions", "", "count", 1, False, True, False),
    ("trainees", "Lượt hộ dự tập huấn", "Lượt hộ có mặt ở các buổi tập huấn trong kỳ.", "trainees", "", "count", 1, False, True, False),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("programme", "Indicator")
    for position, row in enumerate(INDICATORS, start=1):
        code, name, description, measure, denominator, display, scale, per_channel, higher, funnel = row
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "measure": measure,
                "denominator": denominator,
                "display": display,
                "scale": scale,
                "is_per_channel": per_channel,
                "higher_is_better": higher,
                "is_funnel_step": funnel,
                "position": position * 10,
            },
        )


def unseed(apps, schema_editor):
    Indicator = apps.get_model("programme", "Indicator")
    Indicator.objects.filter(code__in=[row[0] for row in INDICATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
