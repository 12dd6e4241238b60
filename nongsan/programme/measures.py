"""The platform's own facts the roll-up counts, each computed by one grouped query.

A measure is a *flow* (summed over the months of a period: orders placed, sessions held) or a
*level* (its value at the period's last month: households registered so far, active sellers).
Indicators (data, ``programme.Indicator``) are defined over measures: one measure, or one
over another (a rate). Changing what a measure counts means changing ``rollup.py``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    HOUSEHOLDS_REGISTERED = "households_registered", _("Hộ đã đăng ký")
    HOUSEHOLDS_WITH_CONSENT = "households_with_consent", _("Hộ đồng ý bán trên sàn")
    HOUSEHOLDS_TRAINED = "households_trained", _("Hộ đã tập huấn")
    HOUSEHOLDS_WITH_ACCOUNT = "households_with_account", _("Hộ có tài khoản trên kênh")
    HOUSEHOLDS_LISTED = "households_listed", _("Hộ có ít nhất một tin đăng")
    HOUSEHOLDS_FIRST_SALE = "households_first_sale", _("Hộ đã có đơn bán đầu tiên")
    ACTIVE_SELLERS = "active_sellers", _("Hộ đang bán (có đơn hoàn tất trong 90 ngày)")
    PRODUCTS_LISTED = "products_listed", _("Sản phẩm đã đăng bán")
    OCOP_KNOWN = "ocop_known", _("Sản phẩm OCOP trên địa bàn")
    OCOP_LISTED = "ocop_listed", _("Sản phẩm OCOP đã đăng bán")
    ORDERS = "orders", _("Đơn hàng")
    DELIVERED_ORDERS = "delivered_orders", _("Đơn đã giao")
    GROSS_SALES_VND = "gross_sales_vnd", _("Giá trị hàng đã bán (đồng)")
    SHIPPING_SHARE_SUM = "shipping_share_sum", _("Tổng tỉ lệ phí vận chuyển trên tiền hàng")
    UNCONFIRMED_ORDERS = "unconfirmed_orders", _("Đơn người bán không xác nhận")
    TRAINING_SESSIONS = "training_sessions", _("Buổi tập huấn")
    TRAINEES = "trainees", _("Lượt hộ dự tập huấn")


class MeasureKind(models.TextChoices):
    FLOW = "flow", _("Cộng dồn trong kỳ")
    LEVEL = "level", _("Giá trị cuối kỳ")


LEVEL_MEASURES = frozenset(
    {
        Measure.HOUSEHOLDS_REGISTERED,
        Measure.HOUSEHOLDS_WITH_CONSENT,
        Measure.HOUSEHOLDS_TRAINED,
        Measure.HOUSEHOLDS_WITH_ACCOUNT,
        Measure.HOUSEHOLDS_LISTED,
        Measure.HOUSEHOLDS_FIRST_SALE,
        Measure.ACTIVE_SELLERS,
        Measure.PRODUCTS_LISTED,
        Measure.OCOP_KNOWN,
        Measure.OCOP_LISTED,
    }
)
# Measures counted per onboarding channel (a row per channel); the others have no channel.
CHANNEL_MEASURES = frozenset({Measure.HOUSEHOLDS_WITH_ACCOUNT})


def measure_kind(measure: str) -> str:
    return MeasureKind.LEVEL if measure in LEVEL_MEASURES else MeasureKind.FLOW
