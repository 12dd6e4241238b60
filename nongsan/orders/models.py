"""Orders: a buyer's checkout split into one order per seller, the stock each order holds,
and the timeline of what happened to it. See docs/decisions/0018-orders-and-stock.md."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nongsan.catalog.models import SellingUnit


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Chờ người bán xác nhận")
    CONFIRMED = "confirmed", _("Người bán đã xác nhận")
    PACKED = "packed", _("Đã đóng gói")
    HANDED_TO_CARRIER = "handed_to_carrier", _("Đã giao cho đơn vị vận chuyển")
    IN_TRANSIT = "in_transit", _("Đang vận chuyển")
    DELIVERED = "delivered", _("Đã giao hàng")
    COMPLETED = "completed", _("Hoàn tất")
    CANCELLED = "cancelled", _("Đã huỷ")
    REJECTED = "rejected", _("Người bán từ chối")
    RETURNED = "returned", _("Đã hoàn trả")
    REFUNDED = "refunded", _("Đã hoàn tiền")


class PaymentMethod(models.TextChoices):
    COD = "cod", _("Trả tiền khi nhận hàng (COD)")
    VIETQR = "vietqr", _("Chuyển khoản VietQR")


class PaymentStatus(models.TextChoices):
    UNPAID = "unpaid", _("Chưa thanh toán")
    PAID = "paid", _("Đã thanh toán")
    REFUNDED = "refunded", _("Đã hoàn tiền")


def _area(verbose: Any, related_name: str = "+") -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=verbose,
        on_delete=models.PROTECT,
        related_name=related_name,
    )


class Checkout(models.Model):
    """One purchase by a buyer: the delivery address and payment choice shared by the orders
    it made, one per seller."""

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mua"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checkouts",
    )
    buyer_name = models.CharField(_("tên người nhận"), max_length=150)
    buyer_phone = models.CharField(_("số điện thoại người nhận"), max_length=16)
    delivery_address = models.CharField(_("địa chỉ nhận hàng"), max_length=300)
    delivery_province = _area(_("tỉnh / thành phố nhận hàng"))
    delivery_commune = _area(_("xã / phường nhận hàng"))
    payment_method = models.CharField(
        _("cách thanh toán"), max_length=10, choices=PaymentMethod.choices
    )
    created_at = models.DateTimeField(_("đặt lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("lần đặt hàng")
        verbose_name_plural = _("lần đặt hàng")

    def __str__(self) -> str:
        return f"#{self.pk}"


class Order(models.Model):
    """What one seller must deliver to a buyer, with its own status, shipping and payment.

    ``province`` and ``commune`` are the seller's (officers of the seller's area follow its
    orders); ``delivery_*`` repeat the checkout's address for the carrier.
    """

    reference = models.CharField(_("mã đơn"), max_length=16, unique=True)
    checkout = models.ForeignKey(
        Checkout, verbose_name=_("lần đặt hàng"), on_delete=models.PROTECT, related_name="orders"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mua"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    buyer_phone = models.CharField(_("số điện thoại người mua"), max_length=16, db_index=True)
    household = models.ForeignKey(
        "producers.Household",
        verbose_name=_("hộ bán"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    cooperative = models.ForeignKey(
        "producers.Cooperative",
        verbose_name=_("hợp tác xã bán"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    province = _area(_("tỉnh / thành phố người bán"))
    commune = _area(_("xã / phường người bán"))
    delivery_province = _area(_("tỉnh / thành phố nhận hàng"))
    delivery_commune = _area(_("xã / phường nhận hàng"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.PLACED
    )
    payment_method = models.CharField(
        _("cách thanh toán"), max_length=10, choices=PaymentMethod.choices
    )
    payment_status = models.CharField(
        _("thanh toán"),
        max_length=10,
        choices=PaymentStatus.choices,
        default=PaymentStatus.UNPAID,
    )
    shipping_service = models.CharField(
        _("dịch vụ vận chuyển"),
        max_length=12,
        blank=True,
        help_text=_("Trống khi người mua và người bán tự thoả thuận việc giao."),
    )
    carrier = models.ForeignKey(
        "shipping.Carrier",
        verbose_name=_("đơn vị vận chuyển"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    goods_vnd = models.PositiveBigIntegerField(_("tiền hàng (đồng)"))
    shipping_vnd = models.PositiveBigIntegerField(_("phí vận chuyển (đồng)"), default=0)
    total_vnd = models.PositiveBigIntegerField(_("tổng tiền (đồng)"))
    placed_at = models.DateTimeField(_("đặt lúc"), default=timezone.now, db_index=True)
    status_changed_at = models.DateTimeField(_("đổi trạng thái lúc"), default=timezone.now)
    # How far an unconfirmed order has been escalated: 0 none, 1 seller reminded,
    # 2 assistant told, 3 commune officer told.
    escalation_level = models.PositiveSmallIntegerField(_("mức nhắc xác nhận"), default=0)

    class Meta:
        verbose_name = _("đơn hàng")
        verbose_name_plural = _("đơn hàng")
        ordering = ["-placed_at", "-pk"]
        # Carrier staff (postal workers) move an order through delivery.
        permissions = [("handle_delivery", _("Cập nhật giao hàng của đơn"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=False, cooperative__isnull=True)
                | Q(household__isnull=True, cooperative__isnull=False),
                name="orders_order_one_seller",
            ),
            models.CheckConstraint(
                condition=Q(total_vnd=models.F("goods_vnd") + models.F("shipping_vnd")),
                name="orders_order_total_adds_up",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "placed_at"], name="orders_status_placed"),
            models.Index(fields=["province", "status"], name="orders_province_status"),
            models.Index(fields=["commune", "status"], name="orders_commune_status"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def shipping_share_percent(self) -> Decimal:
        """What part of the order's value (goods + shipping) pays for delivery, in percent
        with one decimal: the brief's "shipping that costs twice the goods" made visible."""
        if not self.total_vnd:
            return Decimal(0)
        return (Decimal(self.shipping_vnd * 100) / self.total_vnd).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def seller(self) -> models.Model:
        seller = self.household or self.cooperative
        assert seller is not None  # noqa: S101 - a check constraint guarantees one
        return seller


class OrderItem(models.Model):
    """A listing bought in an order, with the price and title as they were when ordered."""

    order = models.ForeignKey(
        Order, verbose_name=_("đơn hàng"), on_delete=models.CASCADE, related_name="items"
    )
    listing = models.ForeignKey(
        "catalog.Listing", verbose_name=_("tin đăng"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("tên sản phẩm"), max_length=120)
    quantity = models.DecimalField(_("số lượng"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("đơn vị"), max_length=10, choices=SellingUnit.choices)
    unit_price_vnd = models.PositiveBigIntegerField(_("đơn giá (đồng)"))
    line_total_vnd = models.PositiveBigIntegerField(_("thành tiền (đồng)"))
    province = _area(_("tỉnh / thành phố"))
    commune = _area(_("xã / phường"))

    class Meta:
        verbose_name = _("dòng đơn hàng")
        verbose_name_plural = _("dòng đơn hàng")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_item_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.title} × {self.quantity}"


class ReservationStatus(models.TextChoices):
    HELD = "held", _("Đang giữ")
    COMMITTED = "committed", _("Đã trừ kho")
    RELEASED = "released", _("Đã trả lại kho")


class StockReservation(models.Model):
    """Stock taken off a listing for an order until the seller confirms (committed) or the
    order is cancelled or left too long (released back to the listing)."""

    order = models.ForeignKey(
        Order, verbose_name=_("đơn hàng"), on_delete=models.CASCADE, related_name="reservations"
    )
    listing = models.ForeignKey(
        "catalog.Listing",
        verbose_name=_("tin đăng"),
        on_delete=models.PROTECT,
        related_name="reservations",
    )
    quantity = models.DecimalField(_("số lượng"), max_digits=12, decimal_places=3)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ReservationStatus.choices,
        default=ReservationStatus.HELD,
    )
    expires_at = models.DateTimeField(_("hết hạn giữ lúc"))
    province = _area(_("tỉnh / thành phố"))
    commune = _area(_("xã / phường"))

    class Meta:
        verbose_name = _("hàng giữ cho đơn")
        verbose_name_plural = _("hàng giữ cho đơn")
        indexes = [models.Index(fields=["status", "expires_at"], name="orders_reservation_due")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_reserved_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.listing_id} × {self.quantity}"


class ActorRole(models.TextChoices):
    BUYER = "buyer", _("Người mua")
    SELLER = "seller", _("Người bán")
    CARRIER = "carrier", _("Đơn vị vận chuyển")
    STAFF = "staff", _("Quản trị")
    SYSTEM = "system", _("Hệ thống")


class OrderEvent(models.Model):
    """One step of an order's timeline: who moved it from which status to which, and when."""

    order = models.ForeignKey(
        Order, verbose_name=_("đơn hàng"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("từ trạng thái"), max_length=20, choices=OrderStatus.choices, blank=True
    )
    to_status = models.CharField(_("sang trạng thái"), max_length=20, choices=OrderStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_role = models.CharField(_("với vai trò"), max_length=10, choices=ActorRole.choices)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    occurred_at = models.DateTimeField(_("lúc"), default=timezone.now)
    province = _area(_("tỉnh / thành phố"))
    commune = _area(_("xã / phường"))

    class Meta:
        verbose_name = _("diễn biến đơn hàng")
        verbose_name_plural = _("diễn biến đơn hàng")
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} → {self.to_status}"


class CheckoutRequest(models.Model):
    """An ``Idempotency-Key`` sent with a checkout: a retry answers the orders made the first
    time. ``owner`` is the account (``user:<id>``) or the confirmed guest phone."""

    owner = models.CharField(_("người gửi"), max_length=40)
    key = models.CharField(_("khoá chống trùng"), max_length=100)
    request_digest = models.CharField(_("dấu vết nội dung"), max_length=64)
    checkout = models.ForeignKey(
        Checkout, verbose_name=_("lần đặt hàng"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("yêu cầu đặt hàng")
        verbose_name_plural = _("yêu cầu đặt hàng")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="orders_checkout_key_once")
        ]

    def __str__(self) -> str:
        return self.key


class CartItem(models.Model):
    """A signed-in buyer's cart line (guests keep theirs in the session)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mua"),
        on_delete=models.CASCADE,
        related_name="cart_items",
    )
    listing = models.ForeignKey(
        "catalog.Listing", verbose_name=_("tin đăng"), on_delete=models.CASCADE, related_name="+"
    )
    quantity = models.DecimalField(_("số lượng"), max_digits=12, decimal_places=3)
    added_at = models.DateTimeField(_("thêm lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("hàng trong giỏ")
        verbose_name_plural = _("hàng trong giỏ")
        constraints = [
            models.UniqueConstraint(fields=["user", "listing"], name="orders_cart_listing_once"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="orders_cart_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.listing_id} × {self.quantity}"


def review_photo_path(instance: Review, filename: str) -> str:
    """Random names: a path says nothing about the buyer or the original file."""
    import uuid

    return f"reviews/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.webp"


class Review(models.Model):
    """A buyer's rating of a delivered order (stars, text, an optional photo) and the seller's
    one reply. The seller is repeated on the row so a shop's rating is one grouped query."""

    order = models.OneToOneField(
        Order, verbose_name=_("đơn hàng"), on_delete=models.CASCADE, related_name="review"
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mua"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    household = models.ForeignKey(
        "producers.Household",
        verbose_name=_("hộ bán"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
    )
    cooperative = models.ForeignKey(
        "producers.Cooperative",
        verbose_name=_("hợp tác xã bán"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
    )
    stars = models.PositiveSmallIntegerField(_("số sao"))
    text = models.CharField(_("nhận xét"), max_length=1000, blank=True)
    photo_small = models.FileField(
        _("ảnh nhỏ (320 px)"), upload_to=review_photo_path, max_length=200, blank=True
    )
    photo_large = models.FileField(
        _("ảnh lớn (800 px)"), upload_to=review_photo_path, max_length=200, blank=True
    )
    reply = models.CharField(_("người bán trả lời"), max_length=1000, blank=True)
    replied_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("viết lúc"), default=timezone.now)
    province = _area(_("tỉnh / thành phố người bán"))
    commune = _area(_("xã / phường người bán"))

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="orders_review_stars_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(household__isnull=False, cooperative__isnull=True)
                | Q(household__isnull=True, cooperative__isnull=False),
                name="orders_review_one_seller",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.stars}★"
