"""The seeded indicators' names and descriptions, marked for translation.

Indicators are rows (their Vietnamese text is data), so the catalogue would not know them;
listing them here puts them in the app's .po file, and ``Figure.name`` translates through it.
An indicator an administrator adds later shows in Vietnamese until its name is added here.
"""

from django.utils.translation import gettext_noop

NAMES = (
    gettext_noop("Hộ đã đăng ký"),
    gettext_noop("Hộ đồng ý bán trên sàn"),
    gettext_noop("Hộ đã tập huấn"),
    gettext_noop("Hộ có tài khoản trên kênh"),
    gettext_noop("Hộ có tin đăng bán"),
    gettext_noop("Hộ đã có đơn bán đầu tiên"),
    gettext_noop("Hộ đang bán"),
    gettext_noop("Sản phẩm đã đăng bán"),
    gettext_noop("Sản phẩm OCOP đã lên sàn"),
    gettext_noop("Đơn hàng"),
    gettext_noop("Đơn đã giao"),
    gettext_noop("Giá trị hàng đã bán"),
    gettext_noop("Phí vận chuyển trên tiền hàng (trung bình)"),
    gettext_noop("Tỉ lệ đơn người bán không xác nhận"),
    gettext_noop("Buổi tập huấn"),
    gettext_noop("Lượt hộ dự tập huấn"),
)
