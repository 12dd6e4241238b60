"""Writes to the catalog: listings, their price tiers, publishing, pausing, expiry, lots.

Every service is keyword-only, validates everything before writing (all problems at once, in
the active language, Vietnamese first), runs in one transaction and records an audit entry.
Selling for a household starts from its ``marketplace`` consent: without it nothing is listed
or published. An assistant or an officer acting for a household is recorded as acting on its
behalf. See docs/decisions/0014-catalog-and-search.md.
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.accounts.models import User
from nongsan.audit.services import audit_record, changes_between, snapshot
from nongsan.catalog.folding import search_text
from nongsan.catalog.models import (
    Listing,
    ListingPhoto,
    ListingPriceTier,
    ListingStatus,
    Lot,
    ProduceType,
    SellingUnit,
)
from nongsan.catalog.permissions import can_sell_for, editable_listings
from nongsan.catalog.photos import photo_variants
from nongsan.catalog.search_rows import search_rows_refresh
from nongsan.common.text import normalize_spaces
from nongsan.onboarding.services import platform_stage_derive
from nongsan.producers.models import (
    ConsentPurpose,
    Cooperative,
    CooperativeMembership,
    GrowingAreaCode,
    Household,
    HouseholdStatus,
    Purpose,
)

__all__ = [
    "listing_create",
    "listing_pause",
    "listing_photo_add",
    "listing_photo_move",
    "listing_photo_remove",
    "listing_publish",
    "listing_update",
    "listings_expire",
    "listings_transfer_household",
    "lot_create",
]

MAX_PRICE_VND = 1_000_000_000
MAX_QUANTITY = Decimal("10000000")
MAX_WINDOW_DAYS = 366
MAX_TIERS = 5
MAX_TITLE = 120
MAX_DESCRIPTION = 2000
LOT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud over a phone
_LOT_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{3,31}")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MONEY = re.compile(r"\d{1,3}(?:[.,\s]\d{3})+|\d+")
_THOUSANDS_ONLY = re.compile(r"\d{1,3}(?:\.\d{3})+")
UPDATABLE_FIELDS = frozenset(
    {
        "produce_type",
        "title",
        "description",
        "price_vnd",
        "unit",
        "stock_quantity",
        "minimum_order_quantity",
        "available_from",
        "available_until",
        "growing_area_code",
        "price_tiers",
    }
)
AUDITED_FIELDS = (
    "produce_type",
    "title",
    "price_vnd",
    "unit",
    "stock_quantity",
    "minimum_order_quantity",
    "available_from",
    "available_until",
    "growing_area_code",
    "status",
)


@dataclass
class _Errors:
    by_field: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


# -- parsing what a phone sends --------------------------------------------------------------
def parse_price_vnd(value: Any) -> int:
    """Whole đồng: ``45000``, ``"45.000"``, ``"45 000"``; never a fraction of a đồng."""
    if isinstance(value, bool):
        raise ValidationError(_("Giá phải là số đồng, ví dụ 45.000."))
    if isinstance(value, int):
        amount = value
    elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        amount = int(value)
    else:
        text = str(value if value is not None else "").strip().removesuffix("đ").strip()
        if not _MONEY.fullmatch(text):
            raise ValidationError(_("Giá phải là số đồng nguyên, ví dụ 45.000."))
        amount = int(re.sub(r"\D", "", text))
    if amount <= 0:
        raise ValidationError(_("Giá phải lớn hơn 0 đồng."))
    if amount > MAX_PRICE_VND:
        raise ValidationError(_("Giá quá lớn: tối đa 1.000.000.000 đồng mỗi đơn vị."))
    return amount


def parse_quantity(value: Any) -> Decimal:
    """A quantity with at most 3 decimals. Text uses the Vietnamese comma for decimals
    (``1,5``); ``1.000`` could be a thousand or one, so it is refused rather than guessed."""
    if isinstance(value, bool):
        raise ValidationError(_("Số lượng phải là một số, ví dụ 50 hoặc 1,5."))
    if isinstance(value, int | Decimal):
        quantity = Decimal(value)
    else:
        text = str(value if value is not None else "").strip().replace(" ", "")
        if _THOUSANDS_ONLY.fullmatch(text):
            raise ValidationError(
                _(
                    "Không rõ %(text)s là bao nhiêu: viết số không có dấu chấm ngăn cách "
                    "(ví dụ 1000), và dùng dấu phẩy cho phần lẻ (ví dụ 1,5)."
                )
                % {"text": text}
            )
        if "," in text and "." in text:
            text = text.replace(".", "")
        try:
            quantity = Decimal(text.replace(",", "."))
        except InvalidOperation as error:
            raise ValidationError(_("Số lượng phải là một số, ví dụ 50 hoặc 1,5.")) from error
    if not quantity.is_finite():
        raise ValidationError(_("Số lượng phải là một số, ví dụ 50 hoặc 1,5."))
    if quantity < 0:
        raise ValidationError(_("Số lượng không được âm."))
    if quantity > MAX_QUANTITY:
        raise ValidationError(_("Số lượng quá lớn: tối đa 10.000.000."))
    if quantity != quantity.quantize(Decimal("0.001")):
        raise ValidationError(_("Số lượng ghi tối đa 3 chữ số thập phân."))
    return quantity


def _text(errors: _Errors, name: str, value: Any, *, limit: int, multiline: bool = False) -> str:
    text = "" if value is None else str(value)
    if _CONTROL_CHARACTERS.search(text):
        errors.add(name, _("Có ký tự điều khiển không hợp lệ."))
        return ""
    text = text.strip().replace("\r\n", "\n") if multiline else normalize_spaces(text)
    if len(text) > limit:
        errors.add(name, _("Quá dài: tối đa %(limit)d ký tự.") % {"limit": limit})
    return text


def _field(errors: _Errors, name: str, parse: Any, value: Any) -> Any:
    try:
        return parse(value)
    except ValidationError as error:
        for message in error.messages:
            errors.add(name, message)
        return None


def _produce_type(errors: _Errors, value: Any) -> ProduceType | None:
    if isinstance(value, ProduceType):
        produce_type: ProduceType | None = value
    elif isinstance(value, int) and not isinstance(value, bool):
        produce_type = ProduceType.objects.filter(pk=value).first()
    elif isinstance(value, str) and value:
        produce_type = ProduceType.objects.filter(slug=value).first()
    else:
        produce_type = None
    if produce_type is None or not produce_type.is_active:
        errors.add("produce_type", _("Hãy chọn một loại sản phẩm có trong danh mục."))
        return None
    return produce_type


def _tiers(
    errors: _Errors, raw: Any, *, base_price: int | None, minimum: Decimal | None
) -> list[tuple[Decimal, int]]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, Sequence) or isinstance(raw, str | bytes):
        errors.add("price_tiers", _("Giá theo số lượng phải là một danh sách."))
        return []
    if len(raw) > MAX_TIERS:
        errors.add(
            "price_tiers", _("Tối đa %(count)d mức giá theo số lượng.") % {"count": MAX_TIERS}
        )
        return []
    tiers: list[tuple[Decimal, int]] = []
    for item in raw:
        if not isinstance(item, Mapping):
            errors.add("price_tiers", _("Mỗi mức giá cần số lượng mua từ và giá."))
            return []
        quantity = _field(errors, "price_tiers", parse_quantity, item.get("min_quantity"))
        price = _field(errors, "price_tiers", parse_price_vnd, item.get("price_vnd"))
        if quantity is None or price is None:
            return []
        tiers.append((quantity, price))
    tiers.sort()
    quantities = [quantity for quantity, _price in tiers]
    if len(set(quantities)) != len(quantities):
        errors.add("price_tiers", _("Hai mức giá có cùng số lượng mua từ."))
    if minimum is not None and any(quantity <= minimum for quantity in quantities):
        errors.add("price_tiers", _("Mức giá theo số lượng phải mua nhiều hơn mức mua tối thiểu."))
    prices = [price for _quantity, price in tiers]
    if base_price is not None and any(price >= base_price for price in prices):
        errors.add("price_tiers", _("Mua nhiều thì giá mỗi đơn vị phải thấp hơn giá thường."))
    if any(later > earlier for earlier, later in zip(prices, prices[1:], strict=False)):
        errors.add("price_tiers", _("Mua càng nhiều, giá mỗi đơn vị càng không được cao hơn."))
    return tiers


def seller_area_codes(
    household: Household | None, cooperative: Cooperative | None, grower: Household | None
) -> set[str]:
    owners = [owner for owner in (household, grower) if owner is not None]
    codes = set(GrowingAreaCode.objects.filter(household__in=owners).values_list("code", flat=True))
    if cooperative is not None:
        codes |= set(
            GrowingAreaCode.objects.filter(cooperative=cooperative).values_list("code", flat=True)
        )
    return codes


def _clean(
    values: Mapping[str, Any],
    *,
    today: datetime.date,
    household: Household | None,
    cooperative: Cooperative | None,
    grower: Household | None,
    window_may_be_past: bool = False,
) -> dict[str, Any]:
    """Every field of a listing checked together; all problems raised at once."""
    errors = _Errors()
    cleaned: dict[str, Any] = {}
    produce_type = _produce_type(errors, values.get("produce_type"))
    cleaned["produce_type"] = produce_type
    title = _text(errors, "title", values.get("title"), limit=MAX_TITLE)
    if not title and produce_type is not None:
        title = produce_type.name_vi
    if not title and "produce_type" not in errors.by_field:
        errors.add("title", _("Vui lòng nhập tên tin đăng."))
    cleaned["title"] = title
    cleaned["description"] = _text(
        errors, "description", values.get("description"), limit=MAX_DESCRIPTION, multiline=True
    )
    cleaned["price_vnd"] = _field(errors, "price_vnd", parse_price_vnd, values.get("price_vnd"))
    unit = values.get("unit") or (produce_type.unit if produce_type else "")
    if unit not in SellingUnit.values:
        errors.add("unit", _("Hãy chọn đơn vị bán (kg, quả, bó…)."))
    cleaned["unit"] = unit
    stock = _field(errors, "stock_quantity", parse_quantity, values.get("stock_quantity"))
    minimum_raw = values.get("minimum_order_quantity")
    minimum = _field(
        errors,
        "minimum_order_quantity",
        parse_quantity,
        Decimal(1) if minimum_raw in (None, "") else minimum_raw,
    )
    if minimum is not None and minimum <= 0:
        errors.add("minimum_order_quantity", _("Mua tối thiểu phải lớn hơn 0."))
        minimum = None
    if stock is not None and minimum is not None and 0 < stock < minimum:
        errors.add(
            "minimum_order_quantity", _("Mua tối thiểu không được nhiều hơn số lượng có bán.")
        )
    cleaned["stock_quantity"], cleaned["minimum_order_quantity"] = stock, minimum
    start, end = values.get("available_from"), values.get("available_until")
    for name, day in (("available_from", start), ("available_until", end)):
        if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
            errors.add(name, _("Hãy chọn một ngày (dd/mm/yyyy)."))
    if isinstance(start, datetime.date) and isinstance(end, datetime.date):
        if end < start:
            errors.add("available_until", _("Ngày bán đến phải sau ngày bắt đầu bán."))
        elif (end - start).days > MAX_WINDOW_DAYS:
            errors.add("available_until", _("Mỗi tin đăng bán trong tối đa một năm."))
        elif end < today and not window_may_be_past:
            errors.add("available_until", _("Ngày bán đến đã qua."))
    cleaned["available_from"], cleaned["available_until"] = start, end
    code = re.sub(r"\s+", "", str(values.get("growing_area_code") or "")).upper()
    if code and code not in seller_area_codes(household, cooperative, grower):
        errors.add(
            "growing_area_code", _("Mã số vùng trồng này không có trong hồ sơ của người bán.")
        )
    cleaned["growing_area_code"] = code
    cleaned["price_tiers"] = _tiers(
        errors, values.get("price_tiers"), base_price=cleaned["price_vnd"], minimum=minimum
    )
    errors.raise_if_any()
    return cleaned


def _consent_stands(household: Household) -> bool:
    return ConsentPurpose.objects.filter(
        household=household, purpose=Purpose.MARKETPLACE, withdrawn_at__isnull=True
    ).exists()


def _require_seller_may_sell(
    household: Household | None, cooperative: Cooperative | None, grower: Household | None
) -> None:
    """Processing a household's data for selling starts from its marketplace consent."""
    if household is not None:
        if household.status != HouseholdStatus.ACTIVE:
            raise ValidationError(_("Hồ sơ hộ này đã được gộp hoặc đã xoá: không đăng bán được."))
        if not _consent_stands(household):
            raise ValidationError(
                _(
                    "Hộ chưa đồng ý (hoặc đã rút lại sự đồng ý) đăng bán sản phẩm trên sàn: "
                    "hãy ghi nhận sự đồng ý của hộ trước."
                )
            )
    if cooperative is not None and not cooperative.is_active:
        raise ValidationError(_("Hợp tác xã này không còn hoạt động."))
    if grower is not None:
        assert cooperative is not None  # noqa: S101 - checked by the caller
        member = CooperativeMembership.objects.filter(
            cooperative=cooperative, household=grower, left_on__isnull=True
        ).first()
        if member is None or not member.sells_on_behalf:
            raise ValidationError(
                {"grower": [_("Hộ này không phải thành viên mà hợp tác xã được bán thay.")]}
            )
        if grower.status != HouseholdStatus.ACTIVE or not _consent_stands(grower):
            raise ValidationError(
                {"grower": [_("Hộ trồng chưa đồng ý đăng bán sản phẩm trên sàn.")]}
            )


def _acting_for(user: User, listing: Listing) -> dict[str, Any]:
    """Audit arguments saying for whom ``user`` acted, when not for themselves."""
    household = listing.household or listing.grower
    if household is not None and household.user_id != user.pk:
        return {"on_behalf_of": household.user, "on_behalf_of_label": str(household)}
    return {}


def _apply_search_fields(listing: Listing) -> None:
    listing.title_folded = search_text(listing.title)
    listing.produce_folded = listing.produce_type.search_folded
    listing.description_folded = search_text(listing.description)
    listing.search_document = search_text(
        listing.title, listing.produce_folded, listing.description
    )


def _save_tiers(listing: Listing, tiers: list[tuple[Decimal, int]]) -> None:
    listing.price_tiers.all().delete()
    ListingPriceTier.objects.bulk_create(
        ListingPriceTier(
            listing=listing,
            min_quantity=quantity,
            price_vnd=price,
            province_id=listing.province_id,
            commune_id=listing.commune_id,
        )
        for quantity, price in tiers
    )


def listing_create(
    *,
    created_by: User,
    produce_type: ProduceType | int | str | None,
    price_vnd: Any,
    stock_quantity: Any,
    available_from: Any,
    available_until: Any,
    household: Household | None = None,
    cooperative: Cooperative | None = None,
    grower: Household | None = None,
    title: str = "",
    description: str = "",
    unit: str = "",
    minimum_order_quantity: Any = None,
    growing_area_code: str = "",
    price_tiers: Sequence[Mapping[str, Any]] | None = None,
    now: datetime.datetime | None = None,
) -> Listing:
    """A draft listing of a household, or of a cooperative (optionally for a member)."""
    if (household is None) == (cooperative is None):
        raise ValueError("a listing is sold by a household or by a cooperative")
    if grower is not None and cooperative is None:
        raise ValueError("only a cooperative sells for a grower")
    now = now or timezone.now()
    if not can_sell_for(created_by, household=household, cooperative=cooperative):
        raise PermissionDenied(_("Bạn không được đăng bán thay người bán này."))
    _require_seller_may_sell(household, cooperative, grower)
    cleaned = _clean(
        {
            "produce_type": produce_type,
            "title": title,
            "description": description,
            "price_vnd": price_vnd,
            "unit": unit,
            "stock_quantity": stock_quantity,
            "minimum_order_quantity": minimum_order_quantity,
            "available_from": available_from,
            "available_until": available_until,
            "growing_area_code": growing_area_code,
            "price_tiers": price_tiers,
        },
        today=timezone.localdate(now),
        household=household,
        cooperative=cooperative,
        grower=grower,
    )
    seller = household or cooperative
    assert seller is not None  # noqa: S101 - checked above
    tiers = cleaned.pop("price_tiers")
    with transaction.atomic():
        listing = Listing(
            household=household,
            cooperative=cooperative,
            grower=grower,
            province_id=seller.province_id,
            commune_id=seller.commune_id,
            created_by=created_by,
            created_at=now,
            updated_at=now,
            **cleaned,
        )
        _apply_search_fields(listing)
        listing.save()
        _save_tiers(listing, tiers)
        audit_record(
            action="catalog.listing_create",
            target=listing,
            changes=changes_between({}, listing, AUDITED_FIELDS),
            actor=created_by,
            **_acting_for(created_by, listing),
        )
    return listing


def _editable(user: User, listing: Listing) -> Listing:
    found = (
        editable_listings(user)
        .select_related("household", "cooperative", "grower", "produce_type")
        .filter(pk=listing.pk)
        .first()
    )
    if found is None:
        raise PermissionDenied(_("Bạn không được sửa tin đăng này."))
    return found


def listing_update(
    *,
    updated_by: User,
    listing: Listing,
    changes: Mapping[str, Any],
    now: datetime.datetime | None = None,
) -> Listing:
    """Change some fields; the whole listing is checked again. A listing whose stock reaches
    zero is sold out, and one restocked is on sale again."""
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise ValueError(f"fields that cannot be updated: {sorted(unknown)}")
    now = now or timezone.now()
    listing = _editable(updated_by, listing)
    _require_seller_may_sell(listing.household, listing.cooperative, listing.grower)
    current: dict[str, Any] = {
        name: getattr(listing, name) for name in UPDATABLE_FIELDS - {"price_tiers"}
    }
    current["price_tiers"] = [
        {"min_quantity": tier.min_quantity, "price_vnd": tier.price_vnd}
        for tier in listing.price_tiers.all()
    ]
    merged = {**current, **changes}
    window_changed = {"available_from", "available_until"} & set(changes)
    cleaned = _clean(
        merged,
        today=timezone.localdate(now),
        household=listing.household,
        cooperative=listing.cooperative,
        grower=listing.grower,
        window_may_be_past=not window_changed,
    )
    tiers = cleaned.pop("price_tiers")
    with transaction.atomic():
        listing = (
            Listing.objects.select_for_update().select_related("produce_type").get(pk=listing.pk)
        )
        before = snapshot(listing, AUDITED_FIELDS)
        for name, value in cleaned.items():
            setattr(listing, name, value)
        if listing.stock_quantity == 0 and listing.status == ListingStatus.ACTIVE:
            listing.status = ListingStatus.SOLD_OUT
        elif listing.stock_quantity > 0 and listing.status == ListingStatus.SOLD_OUT:
            listing.status = ListingStatus.ACTIVE
        listing.updated_at = now
        _apply_search_fields(listing)
        listing.save()
        if "price_tiers" in changes:
            _save_tiers(listing, tiers)
        search_rows_refresh([listing.pk])
        audit_changes = changes_between(before, listing, AUDITED_FIELDS)
        if "price_tiers" in changes:
            audit_changes["price_tiers"] = [
                current["price_tiers"],
                [{"min_quantity": str(q), "price_vnd": p} for q, p in tiers],
            ]
        audit_record(
            action="catalog.listing_update",
            target=listing,
            changes=audit_changes,
            actor=updated_by,
            **_acting_for(updated_by, listing),
        )
    return listing


def _set_status(
    user: User, listing: Listing, status: str, action: str, now: datetime.datetime
) -> Listing:
    with transaction.atomic():
        locked = Listing.objects.select_for_update().get(pk=listing.pk)
        before = locked.status
        locked.status = status
        locked.updated_at = now
        if status == ListingStatus.ACTIVE:
            locked.published_at = locked.published_at or now
        locked.save(update_fields=["status", "updated_at", "published_at"])
        search_rows_refresh([locked.pk])
        audit_record(
            action=action,
            target=locked,
            changes={"status": [before, status]},
            actor=user,
            **_acting_for(user, listing),
        )
        if status == ListingStatus.ACTIVE:
            _derive_listing_stage(locked, now)
    return locked


def _derive_listing_stage(listing: Listing, now: datetime.datetime) -> None:
    """A listing on sale moves its household to "first listing" on this platform's onboarding
    funnel (never backwards): the funnel counts real listings, not what someone typed in."""
    household = listing.household or listing.grower
    if household is not None:
        platform_stage_derive(household=household, has_listing=True, today=timezone.localdate(now))


def listing_publish(
    *, published_by: User, listing: Listing, now: datetime.datetime | None = None
) -> Listing:
    """Put a draft, paused or expired listing on sale, if its season has not ended."""
    now = now or timezone.now()
    listing = _editable(published_by, listing)
    _require_seller_may_sell(listing.household, listing.cooperative, listing.grower)
    if listing.status == ListingStatus.ACTIVE:
        return listing
    errors = _Errors()
    if listing.available_until < timezone.localdate(now):
        errors.add(
            "available_until",
            _("Mùa bán đã qua: hãy đổi ngày bán đến trước khi đăng bán lại."),
        )
    if listing.stock_quantity <= 0:
        errors.add("stock_quantity", _("Hết hàng: hãy nhập số lượng còn bán trước khi đăng."))
    if not listing.produce_type.is_active:
        errors.add("produce_type", _("Loại sản phẩm này không còn trong danh mục."))
    errors.raise_if_any()
    return _set_status(published_by, listing, ListingStatus.ACTIVE, "catalog.listing_publish", now)


def listing_pause(
    *, paused_by: User, listing: Listing, now: datetime.datetime | None = None
) -> Listing:
    """Stop selling for a while (gone to market, no one to pack); publish again to resume."""
    now = now or timezone.now()
    listing = _editable(paused_by, listing)
    if listing.status not in (ListingStatus.ACTIVE, ListingStatus.SOLD_OUT):
        raise ValidationError(_("Chỉ tạm ngừng được tin đang bán."))
    return _set_status(paused_by, listing, ListingStatus.PAUSED, "catalog.listing_pause", now)


def listings_expire(*, now: datetime.datetime | None = None) -> int:
    """Listings on sale (or paused, or sold out) whose window ended yesterday or before become
    expired; drafts stay drafts. Returns how many expired. Run daily by a task."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    expiring = Listing.objects.filter(
        status__in=[ListingStatus.ACTIVE, ListingStatus.PAUSED, ListingStatus.SOLD_OUT],
        available_until__lt=today,
    )
    count = 0
    for pk in expiring.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            listing = Listing.objects.select_for_update().filter(pk=pk).first()
            if listing is None or listing.available_until >= today:
                continue
            before = listing.status
            if before not in (ListingStatus.ACTIVE, ListingStatus.PAUSED, ListingStatus.SOLD_OUT):
                continue
            listing.status = ListingStatus.EXPIRED
            listing.updated_at = now
            listing.save(update_fields=["status", "updated_at"])
            search_rows_refresh([listing.pk])
            audit_record(
                action="catalog.listing_expire",
                target=listing,
                changes={"status": [before, ListingStatus.EXPIRED]},
            )
            count += 1
    return count


def listings_transfer_household(
    *,
    moved_by: User,
    absorbed: Household,
    survivor: Household,
    now: datetime.datetime | None = None,
) -> int:
    """When ``absorbed`` is merged into ``survivor`` (``producers.households_merge`` calls
    this inside its transaction), the listings it sells, or grows for a cooperative, move
    to ``survivor`` with their lots, photos and price tiers; a listing sold by the household
    takes the survivor's commune. One audit entry per listing; returns how many moved."""
    now = now or timezone.now()
    scope = {"province_id": survivor.province_id, "commune_id": survivor.commune_id}
    listings = list(
        Listing.objects.select_for_update()
        .filter(Q(household=absorbed) | Q(grower=absorbed))
        .order_by("pk")
    )
    sold = [row.pk for row in listings if row.household_id == absorbed.pk]
    Listing.objects.filter(pk__in=sold).update(household=survivor, updated_at=now, **scope)
    Listing.objects.filter(grower=absorbed).update(grower=survivor, updated_at=now)
    for model in (Lot, ListingPhoto, ListingPriceTier):
        model.objects.filter(listing__in=sold).update(**scope)
    search_rows_refresh(row.pk for row in listings)
    for row in listings:
        role = "household" if row.household_id == absorbed.pk else "grower"
        row.refresh_from_db(fields=["household", "grower", "province", "commune"])
        audit_record(
            action="catalog.listing_transfer",
            target=row,
            changes={role: [absorbed.pk, survivor.pk]},
            actor=moved_by,
        )
    return len(listings)


def _new_lot_code() -> str:
    return "L" + "".join(secrets.choice(LOT_CODE_ALPHABET) for _index in range(9))


def lot_create(
    *,
    created_by: User,
    listing: Listing,
    harvested_on: Any,
    quantity: Any,
    code: str = "",
    now: datetime.datetime | None = None,
) -> Lot:
    """A harvest batch of the listing, with a code for its label and traceability page."""
    now = now or timezone.now()
    listing = _editable(created_by, listing)
    today = timezone.localdate(now)
    errors = _Errors()
    if not isinstance(harvested_on, datetime.date) or isinstance(harvested_on, datetime.datetime):
        errors.add("harvested_on", _("Hãy chọn ngày thu hoạch (dd/mm/yyyy)."))
    elif harvested_on > today:
        errors.add("harvested_on", _("Ngày thu hoạch chưa đến."))
    elif (today - harvested_on).days > 2 * 366:
        errors.add("harvested_on", _("Ngày thu hoạch đã quá hai năm."))
    amount = _field(errors, "quantity", parse_quantity, quantity)
    if amount is not None and amount <= 0:
        errors.add("quantity", _("Số lượng phải lớn hơn 0."))
    wanted = re.sub(r"\s+", "", str(code or "")).upper()
    if wanted and not _LOT_CODE.fullmatch(wanted):
        errors.add("code", _("Mã lô gồm 4 đến 32 chữ cái không dấu, chữ số hoặc dấu gạch ngang."))
    elif wanted and Lot.objects.filter(code=wanted).exists():
        errors.add("code", _("Mã lô này đã được dùng."))
    errors.raise_if_any()
    if not wanted:
        wanted = _new_lot_code()
        while Lot.objects.filter(code=wanted).exists():
            wanted = _new_lot_code()
    with transaction.atomic():
        lot = Lot.objects.create(
            code=wanted,
            listing=listing,
            harvested_on=harvested_on,
            quantity=amount,
            unit=listing.unit,
            growing_area_code=listing.growing_area_code,
            province_id=listing.province_id,
            commune_id=listing.commune_id,
            created_by=created_by,
            created_at=now,
        )
        audit_record(
            action="catalog.lot_create",
            target=lot,
            changes={"code": [None, lot.code], "quantity": [None, str(amount)]},
            actor=created_by,
            **_acting_for(created_by, listing),
        )
    return lot


MAX_PHOTOS = 6


def listing_photo_add(*, added_by: User, listing: Listing, upload: Any) -> ListingPhoto:
    """Add a photo: checked, cleaned (no EXIF, no GPS), stored as 320 and 800 px WebP."""
    listing = _editable(added_by, listing)
    if listing.photos.count() >= MAX_PHOTOS:
        raise ValidationError(
            {"photo": [_("Mỗi tin đăng có tối đa %(count)d ảnh.") % {"count": MAX_PHOTOS}]}
        )
    small, large = photo_variants(upload)
    saved: list[str] = []
    try:
        with transaction.atomic():
            photo = ListingPhoto(
                listing=listing,
                small_width=small.width,
                small_height=small.height,
                large_width=large.width,
                large_height=large.height,
                position=listing.photos.count(),
                province_id=listing.province_id,
                commune_id=listing.commune_id,
            )
            photo.small.save("small.webp", ContentFile(small.content), save=False)
            saved.append(photo.small.name)
            photo.large.save("large.webp", ContentFile(large.content), save=False)
            saved.append(photo.large.name)
            photo.save()
            audit_record(
                action="catalog.listing_photo_add",
                target=photo,
                changes={"listing": [None, listing.pk]},
                actor=added_by,
                **_acting_for(added_by, listing),
            )
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise
    return photo


def listing_photo_remove(*, removed_by: User, photo: ListingPhoto) -> None:
    """Remove a photo of a listing ``removed_by`` may change; the files go once committed,
    the photos after it move up so positions stay 0, 1, 2…"""
    listing = _editable(removed_by, photo.listing)
    with transaction.atomic():
        locked = ListingPhoto.objects.select_for_update().filter(pk=photo.pk).first()
        if locked is None or locked.listing_id != listing.pk:
            raise ValidationError({"photo": [_("Ảnh này không còn trong tin đăng.")]})
        names = [locked.small.name, locked.large.name]
        audit_record(
            action="catalog.listing_photo_remove",
            target=locked,
            changes={"listing": [listing.pk, None]},
            actor=removed_by,
            **_acting_for(removed_by, listing),
        )
        locked.delete()
        _renumber_photos(listing)
        transaction.on_commit(lambda: _delete_files(names))


def listing_photo_move(*, moved_by: User, photo: ListingPhoto, step: int) -> None:
    """Move a photo one place earlier (``step=-1``) or later (``step=1``); the first photo
    is the one buyers see on the listing's card."""
    if step not in (-1, 1):
        raise ValidationError({"photo": [_("Chỉ chuyển ảnh lên hoặc xuống một bậc.")]})
    listing = _editable(moved_by, photo.listing)
    with transaction.atomic():
        photos = list(
            ListingPhoto.objects.select_for_update()
            .filter(listing=listing)
            .order_by("position", "pk")
        )
        index = next((i for i, row in enumerate(photos) if row.pk == photo.pk), None)
        if index is None:
            raise ValidationError({"photo": [_("Ảnh này không còn trong tin đăng.")]})
        target = index + step
        if not 0 <= target < len(photos):
            return
        photos[index], photos[target] = photos[target], photos[index]
        for position, row in enumerate(photos):
            if row.position != position:
                ListingPhoto.objects.filter(pk=row.pk).update(position=position)
        audit_record(
            action="catalog.listing_photo_move",
            target=photo,
            changes={"position": [index, target]},
            actor=moved_by,
            **_acting_for(moved_by, listing),
        )


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _renumber_photos(listing: Listing) -> None:
    for position, pk in enumerate(
        ListingPhoto.objects.filter(listing=listing)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    ):
        ListingPhoto.objects.filter(pk=pk).exclude(position=position).update(position=position)
