"""The catalog: produce types, listings a household or cooperative sells, their photos and
harvest lots (for the traceability page). See docs/decisions/0014-catalog-and-search.md."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ProduceCategory(models.TextChoices):
    FRUIT = "fruit", _("Trái cây")
    VEGETABLE = "vegetable", _("Rau, củ")
    RICE_GRAIN = "rice_grain", _("Lúa gạo, ngũ cốc")
    INDUSTRIAL = "industrial", _("Cây công nghiệp (cà phê, tiêu, điều, chè)")
    HERB_SPICE = "herb_spice", _("Rau thơm, gia vị")
    MUSHROOM = "mushroom", _("Nấm")
    EGG = "egg", _("Trứng")
    MEAT_POULTRY = "meat_poultry", _("Thịt, gia cầm")
    FISH_SHRIMP = "fish_shrimp", _("Cá, tôm")
    PROCESSED = "processed", _("Sản phẩm chế biến")


class SellingUnit(models.TextChoices):
    """The units produce is sold by; the stored value is ASCII, the label what people read."""

    KG = "kg", _("kg")
    QUA = "qua", _("quả")
    BO = "bo", _("bó")
    CHUC = "chuc", _("chục")
    THUNG = "thung", _("thùng")
    LIT = "lit", _("lít")
    CON = "con", _("con")
    TRAI = "trai", _("trái")
    HOP = "hop", _("hộp")
    GOI = "goi", _("gói")


class ProduceType(models.Model):
    """A kind of produce buyers look for (vải thiều, dứa, gạo ST25): the catalog's vocabulary.

    ``search_folded`` holds the folded names and synonyms (``thơm``, ``khóm`` for dứa) so that a
    search finds listings of the type by any of its names.
    """

    slug = models.SlugField(_("mã"), max_length=60, unique=True)
    category = models.CharField(_("nhóm"), max_length=20, choices=ProduceCategory.choices)
    name_vi = models.CharField(_("tên tiếng Việt"), max_length=100)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=100, blank=True)
    synonyms_vi = models.CharField(_("tên gọi khác (tiếng Việt)"), max_length=300, blank=True)
    synonyms_en = models.CharField(_("tên gọi khác (tiếng Anh)"), max_length=300, blank=True)
    search_folded = models.CharField(
        _("tên và tên gọi khác không dấu"), max_length=800, blank=True, editable=False
    )
    unit = models.CharField(
        _("đơn vị bán thường dùng"), max_length=10, choices=SellingUnit.choices, default="kg"
    )
    shelf_life_days = models.PositiveSmallIntegerField(
        _("số ngày giữ được khi không bảo quản lạnh"), null=True, blank=True
    )
    icon = models.CharField(_("biểu tượng"), max_length=16, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("loại sản phẩm")
        verbose_name_plural = _("loại sản phẩm")
        indexes = [models.Index(fields=["category", "is_active"], name="catalog_type_category")]

    def __str__(self) -> str:
        return self.name_vi

    @property
    def name(self) -> str:
        """The name in the active language (Vietnamese when there is no English one)."""
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_vi

    @property
    def synonyms(self) -> list[str]:
        return [name for name in self.synonyms_vi.split("|") if name]


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    ACTIVE = "active", _("Đang bán")
    PAUSED = "paused", _("Tạm ngừng")
    SOLD_OUT = "sold_out", _("Hết hàng")
    EXPIRED = "expired", _("Hết mùa (quá hạn)")


class Listing(models.Model):
    """Produce a household or a cooperative offers: price per unit, stock, harvest window.

    A cooperative may sell for one of its members (``grower``) when the membership allows it.
    ``*_folded`` columns hold the searchable text (see ``nongsan.catalog.search``); on SQLite
    triggers copy them into the FTS5 table ``catalog_listing_fts``.
    """

    household = models.ForeignKey(
        "producers.Household",
        verbose_name=_("hộ bán"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="listings",
    )
    cooperative = models.ForeignKey(
        "producers.Cooperative",
        verbose_name=_("hợp tác xã bán"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="listings",
    )
    grower = models.ForeignKey(
        "producers.Household",
        verbose_name=_("hộ trồng (thành viên hợp tác xã)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="listings_sold_by_cooperative",
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
    produce_type = models.ForeignKey(
        ProduceType,
        verbose_name=_("loại sản phẩm"),
        on_delete=models.PROTECT,
        related_name="listings",
    )
    title = models.CharField(_("tên tin đăng"), max_length=120)
    description = models.TextField(_("mô tả"), max_length=2000, blank=True)
    title_folded = models.CharField(max_length=200, blank=True, editable=False)
    produce_folded = models.CharField(max_length=800, blank=True, editable=False)
    description_folded = models.TextField(blank=True, editable=False)
    search_document = models.TextField(
        _("văn bản tìm kiếm"),
        blank=True,
        editable=False,
        help_text=_("Tên, loại sản phẩm và mô tả không dấu, các từ cách nhau một dấu cách."),
    )
    price_vnd = models.PositiveBigIntegerField(_("giá mỗi đơn vị (đồng)"))
    unit = models.CharField(_("đơn vị"), max_length=10, choices=SellingUnit.choices)
    stock_quantity = models.DecimalField(_("số lượng có bán"), max_digits=12, decimal_places=3)
    minimum_order_quantity = models.DecimalField(
        _("mua tối thiểu"), max_digits=12, decimal_places=3, default=1
    )
    available_from = models.DateField(_("bán từ ngày"))
    available_until = models.DateField(_("bán đến ngày"))
    growing_area_code = models.CharField(_("mã số vùng trồng"), max_length=40, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ListingStatus.choices,
        default=ListingStatus.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đăng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)
    published_at = models.DateTimeField(_("đăng bán lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tin đăng bán")
        verbose_name_plural = _("tin đăng bán")
        constraints = [
            models.CheckConstraint(
                condition=Q(household__isnull=False, cooperative__isnull=True)
                | Q(household__isnull=True, cooperative__isnull=False),
                name="catalog_listing_one_seller",
            ),
            models.CheckConstraint(
                condition=Q(grower__isnull=True) | Q(cooperative__isnull=False),
                name="catalog_listing_grower_only_for_cooperative",
            ),
            models.CheckConstraint(
                condition=Q(price_vnd__gt=0), name="catalog_listing_price_positive"
            ),
            models.CheckConstraint(
                condition=Q(stock_quantity__gte=0), name="catalog_listing_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(minimum_order_quantity__gt=0),
                name="catalog_listing_minimum_positive",
            ),
            models.CheckConstraint(
                condition=Q(available_from__lte=models.F("available_until")),
                name="catalog_listing_window_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "available_until"], name="catalog_listing_status"),
            models.Index(fields=["province", "status"], name="catalog_listing_province"),
            models.Index(fields=["commune", "status"], name="catalog_listing_commune"),
            models.Index(fields=["produce_type", "status"], name="catalog_listing_type"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def seller(self) -> models.Model:
        seller = self.household or self.cooperative
        assert seller is not None  # noqa: S101 - a check constraint guarantees one
        return seller

    def is_in_season_on(self, day: datetime.date) -> bool:
        return self.available_from <= day <= self.available_until


class ListingSearchRow(models.Model):
    """What the marketplace search reads for a published listing, in one narrow row.

    Exists for listings that are on sale or sold out (the states ``orders`` moves between by
    itself); drafts, paused and expired listings have none. Kept by the catalog services
    (``nongsan.catalog.search_rows``) and rebuilt by ``manage.py rebuild_search_rows``. It is
    a superset of what may be shown: the search checks status, window and the seller's
    consent on ``Listing`` for what it returns, so a stale row can never show too much.
    See docs/decisions/0024-search-at-scale.md.
    """

    listing = models.OneToOneField(
        Listing,
        verbose_name=_("tin đăng"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_row",
    )
    produce_type = models.ForeignKey(
        ProduceType,
        verbose_name=_("loại sản phẩm"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    category = models.CharField(_("nhóm"), max_length=20, choices=ProduceCategory.choices)
    province = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("tỉnh / thành phố"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    commune = models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("xã / phường"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    household = models.ForeignKey(
        "producers.Household",
        verbose_name=_("hộ bán"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    cooperative = models.ForeignKey(
        "producers.Cooperative",
        verbose_name=_("hợp tác xã bán"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    price_vnd = models.PositiveBigIntegerField(_("giá mỗi đơn vị (đồng)"))
    available_from = models.DateField(_("bán từ ngày"))
    available_until = models.DateField(_("bán đến ngày"))
    published_at = models.DateTimeField(_("đăng bán lúc"), null=True)
    title_folded = models.CharField(max_length=200, blank=True)
    produce_folded = models.CharField(max_length=800, blank=True)
    document = models.TextField(_("văn bản tìm kiếm"), blank=True)

    class Meta:
        verbose_name = _("dòng tìm kiếm của tin đăng")
        verbose_name_plural = _("dòng tìm kiếm của tin đăng")
        indexes = [
            models.Index(fields=["published_at"], name="catalog_row_newest"),
            models.Index(fields=["price_vnd"], name="catalog_row_price"),
            models.Index(fields=["available_from"], name="catalog_row_harvest"),
            models.Index(fields=["category", "published_at"], name="catalog_row_category"),
            models.Index(fields=["province", "published_at"], name="catalog_row_province"),
            models.Index(fields=["commune"], name="catalog_row_commune"),
            models.Index(fields=["produce_type", "published_at"], name="catalog_row_type"),
            models.Index(fields=["household"], name="catalog_row_household"),
            models.Index(fields=["cooperative"], name="catalog_row_cooperative"),
        ]

    def __str__(self) -> str:
        return str(self.listing_id)


class ListingPriceTier(models.Model):
    """A lower unit price from a quantity on (``from 50 kg: 38.000 ₫/kg``)."""

    listing = models.ForeignKey(
        Listing, verbose_name=_("tin đăng"), on_delete=models.CASCADE, related_name="price_tiers"
    )
    min_quantity = models.DecimalField(_("mua từ"), max_digits=12, decimal_places=3)
    price_vnd = models.PositiveBigIntegerField(_("giá mỗi đơn vị (đồng)"))
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
        verbose_name = _("giá theo số lượng")
        verbose_name_plural = _("giá theo số lượng")
        ordering = ["min_quantity"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "min_quantity"], name="catalog_tier_quantity_once"
            ),
            models.CheckConstraint(condition=Q(price_vnd__gt=0), name="catalog_tier_price"),
            models.CheckConstraint(condition=Q(min_quantity__gt=0), name="catalog_tier_quantity"),
        ]

    def __str__(self) -> str:
        return f"≥ {self.min_quantity}: {self.price_vnd}"


def photo_path(instance: ListingPhoto, filename: str) -> str:
    """Random names: a path says nothing about the seller or the original file."""
    extension = ".webp" if filename.endswith(".webp") else ".jpg"
    return f"listings/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class ListingPhoto(models.Model):
    """A photo of a listing, stored only as cleaned phone-sized variants (no EXIF, no GPS)."""

    listing = models.ForeignKey(
        Listing, verbose_name=_("tin đăng"), on_delete=models.CASCADE, related_name="photos"
    )
    small = models.FileField(_("ảnh nhỏ (320 px)"), upload_to=photo_path, max_length=200)
    large = models.FileField(_("ảnh lớn (800 px)"), upload_to=photo_path, max_length=200)
    small_width = models.PositiveIntegerField(_("rộng ảnh nhỏ"))
    small_height = models.PositiveIntegerField(_("cao ảnh nhỏ"))
    large_width = models.PositiveIntegerField(_("rộng ảnh lớn"))
    large_height = models.PositiveIntegerField(_("cao ảnh lớn"))
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
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
    created_at = models.DateTimeField(_("thêm lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("ảnh sản phẩm")
        verbose_name_plural = _("ảnh sản phẩm")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.large.name


class Lot(models.Model):
    """A harvest batch of a listing, with the code printed on its label and QR page."""

    code = models.CharField(_("mã lô"), max_length=32, unique=True)
    listing = models.ForeignKey(
        Listing, verbose_name=_("tin đăng"), on_delete=models.PROTECT, related_name="lots"
    )
    harvested_on = models.DateField(_("ngày thu hoạch"))
    quantity = models.DecimalField(_("số lượng"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("đơn vị"), max_length=10, choices=SellingUnit.choices)
    growing_area_code = models.CharField(_("mã số vùng trồng"), max_length=40, blank=True)
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("lô thu hoạch")
        verbose_name_plural = _("lô thu hoạch")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="catalog_lot_quantity"),
        ]

    def __str__(self) -> str:
        return self.code


class ListingCreateRequest(models.Model):
    """An ``Idempotency-Key`` sent with a listing created through the API: a retried request
    answers the listing created the first time instead of listing the produce twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("khoá chống trùng"), max_length=100)
    request_digest = models.CharField(_("dấu vết nội dung"), max_length=64)
    listing = models.ForeignKey(
        Listing, verbose_name=_("tin đăng"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("yêu cầu tạo tin đăng qua API")
        verbose_name_plural = _("yêu cầu tạo tin đăng qua API")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="catalog_create_key_once")
        ]

    def __str__(self) -> str:
        return self.key
