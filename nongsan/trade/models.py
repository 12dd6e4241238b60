"""Trade between traders and growing areas: buy requests, supply offers, the candidate table
matching reads, offers (with counters) and deals. See docs/decisions/0021-trade-matching.md."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _area(verbose: Any, *, null: bool = False) -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=verbose,
        on_delete=models.PROTECT,
        related_name="+",
        null=null,
        blank=null,
    )


def _tonnes(verbose: Any, **extra: Any) -> models.DecimalField[Any, Any]:
    return models.DecimalField(verbose, max_digits=10, decimal_places=3, **extra)


class Grade(models.TextChoices):
    ANY = "any", _("Không yêu cầu")
    GRADE_1 = "grade_1", _("Loại 1")
    GRADE_2 = "grade_2", _("Loại 2")
    EXPORT = "export", _("Hàng xuất khẩu")


class DeliveryMode(models.TextChoices):
    PICKUP = "pickup", _("Thu mua tại vùng trồng")
    DELIVER = "deliver", _("Giao đến nơi người mua")


class PaymentTerms(models.TextChoices):
    CASH_ON_PICKUP = "cash_on_pickup", _("Trả tiền mặt khi nhận hàng")
    TRANSFER_ON_DELIVERY = "transfer_on_delivery", _("Chuyển khoản khi nhận hàng")
    DEPOSIT = "deposit", _("Đặt cọc trước, trả phần còn lại khi nhận")
    NET_7 = "net_7", _("Chuyển khoản trong 7 ngày")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Đang thu mua")
    FULFILLED = "fulfilled", _("Đã đủ hàng")
    CLOSED = "closed", _("Đã đóng")


# Certification kinds as bits, so a candidate's certificates are one integer column.
CERTIFICATION_BITS = {"vietgap": 1, "globalgap": 2, "organic": 4, "ocop": 8}


class BuyRequest(models.Model):
    """A trader's or business's wish to buy produce by the tonne, seen by sellers of the
    provinces it targets (every province when ``is_nationwide``).

    ``province``/``commune`` are the delivery place, or the buyer's base for a pickup: the
    point distances are measured from and the area whose officers follow the request.
    """

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mua"),
        on_delete=models.PROTECT,
        related_name="buy_requests",
    )
    buyer_name = models.CharField(_("tên thương lái / doanh nghiệp"), max_length=150)
    title = models.CharField(_("tiêu đề"), max_length=150)
    produce_types: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "catalog.ProduceType",
        verbose_name=_("loại sản phẩm"),
        through="BuyRequestProduce",
        related_name="+",
    )
    quantity_min_tonnes = _tonnes(_("số lượng ít nhất (tấn)"))
    quantity_max_tonnes = _tonnes(_("số lượng nhiều nhất (tấn)"))
    grade = models.CharField(_("phân loại"), max_length=10, choices=Grade.choices, default="any")
    certification_mask = models.PositiveSmallIntegerField(_("chứng nhận yêu cầu"), default=0)
    delivery_from = models.DateField(_("nhận hàng từ ngày"))
    delivery_until = models.DateField(_("nhận hàng đến ngày"))
    delivery_from_ordinal = models.IntegerField(editable=False)
    delivery_until_ordinal = models.IntegerField(editable=False)
    delivery_mode = models.CharField(
        _("cách nhận hàng"), max_length=10, choices=DeliveryMode.choices
    )
    delivery_address = models.CharField(_("địa chỉ nhận hàng"), max_length=300, blank=True)
    province = _area(_("tỉnh / thành phố"))
    commune = _area(_("xã / phường"))
    is_nationwide = models.BooleanField(_("thu mua cả nước"), default=False)
    target_provinces: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "geo.AdministrativeUnit",
        verbose_name=_("tỉnh thu mua"),
        related_name="+",
        blank=True,
    )
    price_min_vnd_per_kg = models.PositiveBigIntegerField(
        _("giá thấp nhất (đồng/kg)"), null=True, blank=True
    )
    price_max_vnd_per_kg = models.PositiveBigIntegerField(
        _("giá cao nhất (đồng/kg)"),
        null=True,
        blank=True,
        help_text=_("Để trống: người bán tự chào giá."),
    )
    payment_terms = models.CharField(
        _("điều kiện thanh toán"), max_length=25, choices=PaymentTerms.choices
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=RequestStatus.choices, default="open"
    )
    created_at = models.DateTimeField(_("đăng lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("yêu cầu thu mua")
        verbose_name_plural = _("yêu cầu thu mua")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_min_tonnes__gt=0)
                & Q(quantity_min_tonnes__lte=models.F("quantity_max_tonnes")),
                name="trade_request_quantity_range",
            ),
            models.CheckConstraint(
                condition=Q(delivery_from__lte=models.F("delivery_until")),
                name="trade_request_window_in_order",
            ),
            models.CheckConstraint(
                condition=Q(price_min_vnd_per_kg__isnull=True)
                | Q(price_max_vnd_per_kg__isnull=True)
                | Q(price_min_vnd_per_kg__lte=models.F("price_max_vnd_per_kg")),
                name="trade_request_price_range",
            ),
        ]
        indexes = [
            models.Index(fields=["province", "status"], name="trade_request_province"),
            models.Index(fields=["buyer", "status"], name="trade_request_buyer"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def days(self) -> int:
        return (self.delivery_until - self.delivery_from).days + 1

    @property
    def certification_kinds(self) -> list[str]:
        return [kind for kind, bit in CERTIFICATION_BITS.items() if self.certification_mask & bit]


class BuyRequestProduce(models.Model):
    """A produce type a request buys: the first asked for (``is_primary``) or an alternative."""

    buy_request = models.ForeignKey(
        BuyRequest, verbose_name=_("yêu cầu thu mua"), on_delete=models.CASCADE
    )
    produce_type = models.ForeignKey(
        "catalog.ProduceType", verbose_name=_("loại sản phẩm"), on_delete=models.PROTECT
    )
    is_primary = models.BooleanField(_("loại chính"), default=True)

    class Meta:
        verbose_name = _("loại sản phẩm thu mua")
        verbose_name_plural = _("loại sản phẩm thu mua")
        constraints = [
            models.UniqueConstraint(
                fields=["buy_request", "produce_type"], name="trade_request_produce_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.buy_request_id} · {self.produce_type_id}"


class DemandSlot(models.Model):
    """One open buy request × produce type × targeted province (province empty: the whole
    country): what a new harvest is matched against with one indexed lookup. Rows exist only
    while the request is open; they repeat what ranking needs so it reads no other table."""

    buy_request = models.ForeignKey(BuyRequest, on_delete=models.CASCADE, related_name="slots")
    produce_type_id: int
    produce_type = models.ForeignKey(
        "catalog.ProduceType", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        db_index=False,
    )
    is_primary = models.BooleanField(default=True)
    from_ordinal = models.IntegerField()
    until_ordinal = models.IntegerField()
    quantity_max_kg = models.PositiveBigIntegerField()
    price_max_vnd_per_kg = models.PositiveBigIntegerField(null=True)
    certification_mask = models.PositiveSmallIntegerField(default=0)
    delivery_province_code = models.CharField(max_length=5)
    # Where the demand counts for the glut alerts (the delivery province of a nationwide
    # request) and how many tonnes a day of the window it wants there (0 for alternatives).
    demand_province = models.ForeignKey(
        "geo.AdministrativeUnit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    tonnes_per_day = models.DecimalField(max_digits=16, decimal_places=6, default=0)

    class Meta:
        verbose_name = _("nhu cầu theo tỉnh")
        verbose_name_plural = _("nhu cầu theo tỉnh")
        indexes = [
            models.Index(
                fields=["produce_type", "province", "until_ordinal"], name="trade_slot_lookup"
            )
        ]

    def __str__(self) -> str:
        return f"{self.buy_request_id} · {self.produce_type_id} · {self.province_id}"


class SupplyOfferStatus(models.TextChoices):
    OPEN = "open", _("Đang chào bán")
    WITHDRAWN = "withdrawn", _("Đã rút")
    SOLD = "sold", _("Đã bán")


class SupplyOffer(models.Model):
    """A household or cooperative offering tonnes, from a listing or an announced harvest or
    on its own, over a window at a price (or 'make me an offer')."""

    household = models.ForeignKey(
        "producers.Household",
        verbose_name=_("hộ bán"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supply_offers",
    )
    cooperative = models.ForeignKey(
        "producers.Cooperative",
        verbose_name=_("hợp tác xã bán"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supply_offers",
    )
    province = _area(_("tỉnh / thành phố"))
    commune = _area(_("xã / phường"))
    produce_type = models.ForeignKey(
        "catalog.ProduceType", verbose_name=_("loại sản phẩm"), on_delete=models.PROTECT
    )
    listing = models.ForeignKey(
        "catalog.Listing",
        verbose_name=_("tin đăng bán"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    announcement = models.ForeignKey(
        "harvests.HarvestAnnouncement",
        verbose_name=_("báo thu hoạch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    quantity_tonnes = _tonnes(_("số lượng (tấn)"))
    available_from = models.DateField(_("bán từ ngày"))
    available_until = models.DateField(_("bán đến ngày"))
    price_vnd_per_kg = models.PositiveBigIntegerField(
        _("giá (đồng/kg)"), null=True, blank=True, help_text=_("Để trống: thương lượng.")
    )
    grade = models.CharField(_("phân loại"), max_length=10, choices=Grade.choices, default="any")
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=SupplyOfferStatus.choices, default="open"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đăng"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("đăng lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("chào bán")
        verbose_name_plural = _("chào bán")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=False, cooperative__isnull=True)
                | Q(household__isnull=True, cooperative__isnull=False),
                name="trade_supply_one_seller",
            ),
            models.CheckConstraint(
                condition=Q(quantity_tonnes__gt=0), name="trade_supply_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(available_from__lte=models.F("available_until")),
                name="trade_supply_window_in_order",
            ),
        ]
        indexes = [models.Index(fields=["province", "status"], name="trade_supply_province")]

    def __str__(self) -> str:
        return f"{self.produce_type} · {self.quantity_tonnes} t"

    @property
    def seller(self) -> models.Model:
        seller = self.household or self.cooperative
        assert seller is not None  # noqa: S101 - a check constraint guarantees one
        return seller


class CandidateKind(models.TextChoices):
    SUPPLY_OFFER = "offer", _("Chào bán")
    HARVEST = "harvest", _("Báo thu hoạch")
    LISTING = "listing", _("Tin đăng bán")


class SupplyCandidate(models.Model):
    """One open source of supply a buy request can be matched with (a supply offer, an open
    harvest announcement, an active listing sold by the kg), flattened into the columns the
    prefilter and the scoring read. Kept in step by ``trade.candidates``; a closed source
    loses its row."""

    kind = models.CharField(max_length=8, choices=CandidateKind.choices)
    source_id = models.BigIntegerField()
    household_id: int | None
    household = models.ForeignKey(
        "producers.Household",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_index=False,
    )
    cooperative_id: int | None
    cooperative = models.ForeignKey(
        "producers.Cooperative",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_index=False,
    )
    produce_type_id: int
    produce_type = models.ForeignKey(
        "catalog.ProduceType", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    province_id: int
    province = models.ForeignKey(
        "geo.AdministrativeUnit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    commune_id: int
    commune = models.ForeignKey(
        "geo.AdministrativeUnit", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    province_code = models.CharField(max_length=5)
    from_ordinal = models.IntegerField()
    until_ordinal = models.IntegerField()
    quantity_kg = models.PositiveBigIntegerField()
    price_vnd_per_kg = models.PositiveBigIntegerField(null=True)
    certification_mask = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("nguồn hàng")
        verbose_name_plural = _("nguồn hàng")
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_id"], name="trade_candidate_once")
        ]
        indexes = [
            # Covering: the prefilter reads and scores every column it needs from the index
            # (decision 0021), without a lookup in the table per candidate.
            models.Index(
                fields=[
                    "produce_type",
                    "province",
                    "until_ordinal",
                    "from_ordinal",
                    "quantity_kg",
                    "price_vnd_per_kg",
                    "certification_mask",
                    "province_code",
                    "kind",
                    "source_id",
                    "household",
                    "cooperative",
                ],
                name="trade_candidate_covering",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.source_id}"


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Chờ trả lời")
    COUNTERED = "countered", _("Đã trả giá lại")
    ACCEPTED = "accepted", _("Đã đồng ý")
    REJECTED = "rejected", _("Đã từ chối")
    EXPIRED = "expired", _("Đã hết hạn")


class Side(models.TextChoices):
    BUYER = "buyer", _("Người mua")
    SELLER = "seller", _("Người bán")


class Offer(models.Model):
    """A proposal in a negotiation between a buy request's buyer and one seller: the buyer
    opens, the other side accepts, counters (a new offer whose ``previous`` is this one) or
    rejects, before ``expires_at``."""

    buy_request = models.ForeignKey(
        BuyRequest,
        verbose_name=_("yêu cầu thu mua"),
        on_delete=models.PROTECT,
        related_name="offers",
    )
    household = models.ForeignKey(
        "producers.Household",
        verbose_name=_("hộ bán"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cooperative = models.ForeignKey(
        "producers.Cooperative",
        verbose_name=_("hợp tác xã bán"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    province = _area(_("tỉnh / thành phố người bán"))
    commune = _area(_("xã / phường người bán"))
    candidate_kind = models.CharField(_("nguồn hàng"), max_length=8, choices=CandidateKind.choices)
    candidate_source_id = models.BigIntegerField(_("mã nguồn hàng"))
    previous = models.OneToOneField(
        "self",
        verbose_name=_("trả giá cho"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="counter",
    )
    from_side = models.CharField(_("bên đưa ra"), max_length=6, choices=Side.choices)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đưa ra"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity_tonnes = _tonnes(_("số lượng (tấn)"))
    price_vnd_per_kg = models.PositiveBigIntegerField(_("giá (đồng/kg)"))
    grade = models.CharField(_("phân loại"), max_length=10, choices=Grade.choices, default="any")
    delivery_from = models.DateField(_("nhận hàng từ ngày"))
    delivery_until = models.DateField(_("nhận hàng đến ngày"))
    delivery_mode = models.CharField(
        _("cách nhận hàng"), max_length=10, choices=DeliveryMode.choices
    )
    message = models.CharField(_("lời nhắn"), max_length=300, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=OfferStatus.choices, default="pending"
    )
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    responded_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("đề nghị mua")
        verbose_name_plural = _("đề nghị mua")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=False, cooperative__isnull=True)
                | Q(household__isnull=True, cooperative__isnull=False),
                name="trade_offer_one_seller",
            ),
            models.CheckConstraint(
                condition=Q(quantity_tonnes__gt=0), name="trade_offer_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(price_vnd_per_kg__gt=0), name="trade_offer_price_positive"
            ),
            models.CheckConstraint(
                condition=Q(delivery_from__lte=models.F("delivery_until")),
                name="trade_offer_window_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="trade_offer_due"),
            models.Index(fields=["province", "status"], name="trade_offer_province"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} · {self.quantity_tonnes} t × {self.price_vnd_per_kg}"

    def status_at(self, now: Any) -> str:
        """The status as it reads at ``now``: a pending offer past its time has expired even
        before the expiry task has written so."""
        if self.status == OfferStatus.PENDING and self.expires_at <= now:
            return OfferStatus.EXPIRED
        return self.status

    @property
    def seller(self) -> models.Model:
        seller = self.household or self.cooperative
        assert seller is not None  # noqa: S101 - a check constraint guarantees one
        return seller


class Deal(models.Model):
    """An accepted offer: what was agreed, who agreed to show their contact details to the
    other side, and the marketplace order it became (when it did)."""

    offer = models.OneToOneField(
        Offer, verbose_name=_("đề nghị được đồng ý"), on_delete=models.PROTECT, related_name="deal"
    )
    buy_request = models.ForeignKey(
        BuyRequest,
        verbose_name=_("yêu cầu thu mua"),
        on_delete=models.PROTECT,
        related_name="deals",
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mua"),
        on_delete=models.PROTECT,
        related_name="trade_deals",
    )
    household = models.ForeignKey(
        "producers.Household",
        verbose_name=_("hộ bán"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cooperative = models.ForeignKey(
        "producers.Cooperative",
        verbose_name=_("hợp tác xã bán"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    seller_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chốt bên bán"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    province = _area(_("tỉnh / thành phố người bán"))
    commune = _area(_("xã / phường người bán"))
    produce_type = models.ForeignKey(
        "catalog.ProduceType", verbose_name=_("loại sản phẩm"), on_delete=models.PROTECT
    )
    quantity_tonnes = _tonnes(_("số lượng (tấn)"))
    price_vnd_per_kg = models.PositiveBigIntegerField(_("giá (đồng/kg)"))
    total_vnd = models.PositiveBigIntegerField(_("thành tiền (đồng)"))
    grade = models.CharField(_("phân loại"), max_length=10, choices=Grade.choices)
    delivery_from = models.DateField(_("nhận hàng từ ngày"))
    delivery_until = models.DateField(_("nhận hàng đến ngày"))
    delivery_mode = models.CharField(
        _("cách nhận hàng"), max_length=10, choices=DeliveryMode.choices
    )
    payment_terms = models.CharField(
        _("điều kiện thanh toán"), max_length=25, choices=PaymentTerms.choices
    )
    buyer_shares_contact_at = models.DateTimeField(
        _("người mua đồng ý cho xem liên hệ lúc"), null=True, blank=True
    )
    seller_shares_contact_at = models.DateTimeField(
        _("người bán đồng ý cho xem liên hệ lúc"), null=True, blank=True
    )
    order = models.OneToOneField(
        "orders.Order",
        verbose_name=_("đơn hàng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trade_deal",
    )
    created_at = models.DateTimeField(_("chốt lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("thoả thuận mua bán")
        verbose_name_plural = _("thoả thuận mua bán")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=False, cooperative__isnull=True)
                | Q(household__isnull=True, cooperative__isnull=False),
                name="trade_deal_one_seller",
            ),
        ]
        indexes = [models.Index(fields=["province", "created_at"], name="trade_deal_province")]

    def __str__(self) -> str:
        return f"#{self.pk} · {self.produce_type} · {self.quantity_tonnes} t"

    @property
    def seller(self) -> models.Model:
        seller = self.household or self.cooperative
        assert seller is not None  # noqa: S101 - a check constraint guarantees one
        return seller

    @property
    def contacts_shared(self) -> bool:
        return (
            self.buyer_shares_contact_at is not None and self.seller_shares_contact_at is not None
        )
