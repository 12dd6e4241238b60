"""Carriers, their rate tables and the tracking of a parcel. See
docs/decisions/0018-orders-and-stock.md (shipping) and data/SOURCE.md."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Service(models.TextChoices):
    STANDARD = "standard", _("Tiêu chuẩn")
    EXPRESS = "express", _("Nhanh")
    COLD_CHAIN = "cold_chain", _("Giữ lạnh")


class Zone(models.TextChoices):
    SAME_COMMUNE = "same_commune", _("Cùng xã, phường")
    SAME_PROVINCE = "same_province", _("Cùng tỉnh, thành phố")
    NEAR_REGION = "near_region", _("Cùng vùng hoặc vùng giáp ranh")
    FAR_REGION = "far_region", _("Vùng xa")


class Carrier(models.Model):
    """A delivery company (a post office, a courier) whose rates the platform quotes."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=150)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("đơn vị vận chuyển")
        verbose_name_plural = _("đơn vị vận chuyển")

    def __str__(self) -> str:
        return self.name


class ShippingRate(models.Model):
    """One line of a carrier's table: a service to a zone up to a weight, its price and days."""

    carrier = models.ForeignKey(
        Carrier, verbose_name=_("đơn vị vận chuyển"), on_delete=models.CASCADE, related_name="rates"
    )
    service = models.CharField(_("dịch vụ"), max_length=12, choices=Service.choices)
    zone = models.CharField(_("vùng giao"), max_length=15, choices=Zone.choices)
    max_weight_grams = models.PositiveIntegerField(_("khối lượng tối đa (gam)"))
    price_vnd = models.PositiveBigIntegerField(_("giá (đồng)"))
    transit_days = models.PositiveSmallIntegerField(_("số ngày giao"))

    class Meta:
        verbose_name = _("giá cước")
        verbose_name_plural = _("giá cước")
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "service", "zone", "max_weight_grams"],
                name="shipping_rate_band_once",
            ),
            models.CheckConstraint(
                condition=Q(max_weight_grams__gt=0), name="shipping_rate_weight"
            ),
            models.CheckConstraint(condition=Q(transit_days__gt=0), name="shipping_rate_days"),
        ]

    def __str__(self) -> str:
        return f"{self.carrier_id} {self.service} {self.zone} ≤{self.max_weight_grams} g"


class TrackingKind(models.TextChoices):
    NOTE = "note", _("Ghi chú")
    CREATED = "created", _("Đã tạo vận đơn")
    PICKED_UP = "picked_up", _("Đã lấy hàng")
    AT_HUB = "at_hub", _("Đến bưu cục, kho trung chuyển")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Đang giao")
    DELIVERED = "delivered", _("Đã giao")
    FAILED = "failed", _("Giao không thành công")


class TrackingEvent(models.Model):
    """Where a parcel is, as carrier staff report it on their phone or a carrier's system
    pushes it (then ``external_id`` is the carrier's id, so a repeated push is recorded once)."""

    kind = models.CharField(
        _("loại"), max_length=20, choices=TrackingKind.choices, default=TrackingKind.NOTE
    )
    reason = models.CharField(_("lý do"), max_length=200, blank=True)
    external_id = models.CharField(_("mã của đơn vị vận chuyển"), max_length=100, blank=True)
    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("đơn hàng"),
        on_delete=models.CASCADE,
        related_name="tracking_events",
    )
    # What the person wrote, if anything: the kind itself is shown from ``kind`` in the
    # reader's language, never frozen here as a label.
    description = models.CharField(_("diễn biến"), max_length=200, blank=True)
    location = models.CharField(_("nơi"), max_length=150, blank=True)
    occurred_at = models.DateTimeField(_("lúc"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("tỉnh / thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    commune = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("xã / phường"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("hành trình đơn")
        verbose_name_plural = _("hành trình đơn")
        ordering = ["occurred_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "recorded_by", "external_id"],
                condition=~Q(external_id=""),
                name="shipping_tracking_pushed_once",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The event in the active language: its kind's name, then what was written."""
        if self.kind == TrackingKind.NOTE:
            return self.description
        kind = str(self.get_kind_display())
        return f"{kind}: {self.description}" if self.description else kind


class CollectionPoint(models.Model):
    """Where a commune's households bring parcels so one carrier pickup serves them all (a
    post office, the cooperative's shed, the commune hall). One per commune."""

    commune = models.OneToOneField(
        "geo.AdministrativeUnit",
        verbose_name=_("xã / phường"),
        on_delete=models.PROTECT,
        related_name="collection_point",
    )
    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("tỉnh / thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("tên"), max_length=150)
    address = models.CharField(_("địa chỉ"), max_length=300)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("điểm gom hàng")
        verbose_name_plural = _("điểm gom hàng")

    def __str__(self) -> str:
        return self.name


class ConsolidatedPickup(models.Model):
    """One carrier pickup at a collection point for orders going to one province: priced as a
    single parcel of their total weight, the cost then split between the orders by weight."""

    collection_point = models.ForeignKey(
        CollectionPoint,
        verbose_name=_("điểm gom hàng"),
        on_delete=models.PROTECT,
        related_name="pickups",
    )
    destination_province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("tỉnh / thành phố nhận"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    carrier = models.ForeignKey(
        Carrier, verbose_name=_("đơn vị vận chuyển"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.CharField(_("dịch vụ"), max_length=12, choices=Service.choices)
    zone = models.CharField(_("vùng giao"), max_length=15, choices=Zone.choices)
    weight_grams = models.PositiveIntegerField(_("tổng khối lượng (gam)"))
    cost_vnd = models.PositiveBigIntegerField(_("cước chuyến gom (đồng)"))
    separate_cost_vnd = models.PositiveBigIntegerField(_("cước nếu gửi riêng (đồng)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("tỉnh / thành phố gom"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    commune = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("xã / phường gom"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("chuyến gom hàng")
        verbose_name_plural = _("chuyến gom hàng")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.collection_point} → {self.destination_province_id}"


class PickupShare(models.Model):
    """An order's part of a consolidated pickup: its weight and its share of the cost."""

    pickup = models.ForeignKey(
        ConsolidatedPickup,
        verbose_name=_("chuyến gom hàng"),
        on_delete=models.CASCADE,
        related_name="shares",
    )
    order = models.OneToOneField(
        "orders.Order",
        verbose_name=_("đơn hàng"),
        on_delete=models.PROTECT,
        related_name="pickup_share",
    )
    weight_grams = models.PositiveIntegerField(_("khối lượng (gam)"))
    share_vnd = models.PositiveBigIntegerField(_("phần cước (đồng)"))
    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("tỉnh / thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    commune = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("xã / phường"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("phần cước của đơn")
        verbose_name_plural = _("phần cước của đơn")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight_grams__gt=0), name="shipping_share_weight")
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.share_vnd}"
