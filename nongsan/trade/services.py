"""Writes of trade: buy requests, supply offers, offers with counters and expiry, deals,
the contact reveal both sides agree to, and a deal becoming a marketplace order.

See docs/decisions/0021-trade-matching.md.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from nongsan.accounts.models import User
from nongsan.audit.services import audit_record, audit_reveal
from nongsan.catalog.models import ProduceType
from nongsan.common.formatting import format_vnd
from nongsan.common.text import fold
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests.models import OPEN_STATUSES, HarvestAnnouncement
from nongsan.messaging.services import message_send
from nongsan.producers.models import Cooperative, Household
from nongsan.trade import candidates
from nongsan.trade.models import (
    CERTIFICATION_BITS,
    BuyRequest,
    BuyRequestProduce,
    CandidateKind,
    Deal,
    DeliveryMode,
    Grade,
    Offer,
    OfferStatus,
    PaymentTerms,
    RequestStatus,
    Side,
    SupplyCandidate,
    SupplyOffer,
    SupplyOfferStatus,
)
from nongsan.trade.permissions import can_answer_for_seller, is_trader

logger = logging.getLogger(__name__)

MAX_PRODUCE_TYPES = 5
MAX_TARGET_PROVINCES = 34
MAX_TONNES = Decimal(100_000)
MAX_WINDOW_DAYS = 366
MAX_PRICE_VND_PER_KG = 10_000_000
# How many sellers a new request is told to (the best matches), so growers are not spammed.
NOTIFY_SELLERS = 20
NOTIFY_TRADERS = 20


def _offer_hours() -> int:
    return int(getattr(settings, "TRADE_OFFER_HOURS", 48))


class _Errors:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def parse_tonnes(value: Any) -> Decimal:
    """Tonnes as typed: ``20``, ``2,5``; positive, at most three decimals and 100,000 t."""
    text = str(value if value is not None else "").strip().replace(",", ".")
    try:
        tonnes = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Số tấn phải là một số, ví dụ 20 hoặc 2,5.")) from None
    if not tonnes.is_finite() or tonnes <= 0:
        raise ValidationError(_("Số tấn phải lớn hơn 0."))
    if tonnes != tonnes.quantize(Decimal("0.001")) or tonnes > MAX_TONNES:
        raise ValidationError(_("Số tấn có tối đa 3 chữ số thập phân và không quá 100.000 tấn."))
    return tonnes.quantize(Decimal("0.001"))


def parse_price(value: Any, *, required: bool = False) -> int | None:
    """Đồng per kg as typed (``45000``, ``45.000``); empty means 'make me an offer'."""
    text = str(value if value is not None else "").strip().replace(".", "").replace(" ", "")
    if not text:
        if required:
            raise ValidationError(_("Vui lòng nhập giá (đồng/kg)."))
        return None
    if not text.isdigit() or len(text) > 9:
        raise ValidationError(_("Giá là số đồng mỗi kg, ví dụ 45000."))
    price = int(text)
    if price <= 0 or price > MAX_PRICE_VND_PER_KG:
        raise ValidationError(_("Giá phải lớn hơn 0 và không quá 10.000.000 đồng/kg."))
    return price


def parse_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationError(_("Ngày không hợp lệ (dạng 2026-06-15).")) from None


def _window(errors: _Errors, start: Any, end: Any, *, today: datetime.date) -> tuple[Any, Any]:
    try:
        first = parse_date(start)
    except ValidationError as error:
        errors.add("delivery_from", error.messages[0])
        return None, None
    try:
        last = parse_date(end)
    except ValidationError as error:
        errors.add("delivery_until", error.messages[0])
        return None, None
    if last < first:
        errors.add("delivery_until", _("Ngày kết thúc phải sau ngày bắt đầu."))
    elif (last - first).days + 1 > MAX_WINDOW_DAYS:
        errors.add("delivery_until", _("Khoảng thời gian dài tối đa một năm."))
    elif last < today:
        errors.add("delivery_until", _("Khoảng thời gian đã qua."))
    return first, last


def produce_types_resolve(values: Sequence[Any]) -> list[ProduceType]:
    """Produce types from ids, types or names as people write them (any name or synonym,
    with or without diacritics: ``thơm``, ``khom`` → Dứa). A name that fits several types is
    refused, never guessed."""
    if not values:
        raise ValidationError(_("Vui lòng chọn ít nhất một loại sản phẩm."))
    if len(values) > MAX_PRODUCE_TYPES:
        raise ValidationError(_("Một yêu cầu thu mua tối đa 5 loại sản phẩm."))
    active = ProduceType.objects.filter(is_active=True)
    found: list[ProduceType] = []
    for value in values:
        if isinstance(value, ProduceType):
            match = active.filter(pk=value.pk).first()
        elif isinstance(value, int) or str(value).strip().isdigit():
            match = active.filter(pk=int(value)).first()
        else:
            folded = fold(str(value)).strip()
            matches = [
                row
                for row in active.only("pk", "name_vi", "synonyms_vi", "slug")
                if folded
                and (
                    fold(row.name_vi) == folded
                    or row.slug == folded
                    or folded in {fold(name) for name in row.synonyms}
                )
            ]
            if len(matches) > 1:
                raise ValidationError(
                    _("“%(name)s” là tên của nhiều loại sản phẩm: hãy chọn một loại.")
                    % {"name": str(value)[:60]}
                )
            match = ProduceType.objects.get(pk=matches[0].pk) if matches else None
        if match is None:
            raise ValidationError(
                _("Không có loại sản phẩm “%(name)s” trong danh mục.") % {"name": str(value)[:60]}
            )
        if match not in found:
            found.append(match)
    return found


def _certification_mask(errors: _Errors, kinds: Sequence[str]) -> int:
    mask = 0
    for kind in kinds or []:
        bit = CERTIFICATION_BITS.get(str(kind))
        if bit is None:
            errors.add("certifications", _("Loại chứng nhận không hợp lệ."))
            continue
        mask |= bit
    return mask


def _choice(errors: _Errors, name: str, value: Any, choices: Any, message: str) -> str:
    if value not in choices.values:
        errors.add(name, message)
        return ""
    return str(value)


def _text(errors: _Errors, name: str, value: Any, limit: int) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > limit:
        errors.add(name, _("Dài tối đa %(limit)s ký tự.") % {"limit": limit})
    return text


def buy_request_create(
    *,
    buyer: User,
    produce_types: Sequence[Any],
    quantity_min_tonnes: Any,
    quantity_max_tonnes: Any,
    delivery_from: Any,
    delivery_until: Any,
    delivery_mode: str,
    commune: AdministrativeUnit | None,
    payment_terms: str,
    buyer_name: str = "",
    title: str = "",
    alternative_produce_types: Sequence[Any] = (),
    grade: str = Grade.ANY,
    certifications: Sequence[str] = (),
    delivery_address: str = "",
    target_provinces: Sequence[AdministrativeUnit] = (),
    is_nationwide: bool = False,
    price_min_vnd_per_kg: Any = None,
    price_max_vnd_per_kg: Any = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> BuyRequest:
    """Post a buy request; sellers whose supply matches best are told on commit."""
    now = now or timezone.now()
    if not is_trader(buyer):
        raise PermissionDenied(_("Chỉ thương lái, doanh nghiệp thu mua mới đăng yêu cầu thu mua."))
    errors = _Errors()
    primary: list[ProduceType] = []
    alternatives: list[ProduceType] = []
    try:
        primary = produce_types_resolve(list(produce_types))
    except ValidationError as error:
        errors.add("produce_types", error.messages[0])
    if alternative_produce_types:
        try:
            alternatives = [
                row
                for row in produce_types_resolve(list(alternative_produce_types))
                if row not in primary
            ]
        except ValidationError as error:
            errors.add("alternative_produce_types", error.messages[0])
    quantities: dict[str, Decimal] = {}
    for name, value in (
        ("quantity_min_tonnes", quantity_min_tonnes),
        ("quantity_max_tonnes", quantity_max_tonnes),
    ):
        try:
            quantities[name] = parse_tonnes(value)
        except ValidationError as error:
            errors.add(name, error.messages[0])
    if (
        len(quantities) == 2
        and quantities["quantity_min_tonnes"] > quantities["quantity_max_tonnes"]
    ):
        errors.add(
            "quantity_max_tonnes", _("Số lượng nhiều nhất phải từ số lượng ít nhất trở lên.")
        )
    first, last = _window(errors, delivery_from, delivery_until, today=timezone.localdate(now))
    mode = _choice(
        errors, "delivery_mode", delivery_mode, DeliveryMode, _("Cách nhận hàng không hợp lệ.")
    )
    terms = _choice(
        errors,
        "payment_terms",
        payment_terms,
        PaymentTerms,
        _("Điều kiện thanh toán không hợp lệ."),
    )
    grade_value = _choice(errors, "grade", grade, Grade, _("Phân loại không hợp lệ."))
    mask = _certification_mask(errors, certifications)
    if not (
        isinstance(commune, AdministrativeUnit)
        and commune.level == "commune"
        and commune.valid_until is None
    ):
        errors.add(
            "commune", _("Vui lòng chọn xã, phường hiện hành (nơi nhận hàng hoặc nơi đặt kho).")
        )
    address = _text(errors, "delivery_address", delivery_address, 300)
    if mode == DeliveryMode.DELIVER and not address:
        errors.add("delivery_address", _("Vui lòng nhập địa chỉ nhận hàng."))
    targets = list(dict.fromkeys(target_provinces))
    if not is_nationwide and not targets:
        errors.add("target_provinces", _("Hãy chọn tỉnh thu mua, hoặc chọn thu mua cả nước."))
    if len(targets) > MAX_TARGET_PROVINCES or any(
        unit.level != "province" or unit.valid_until is not None for unit in targets
    ):
        errors.add("target_provinces", _("Tỉnh thu mua phải là tỉnh, thành phố hiện hành."))
    prices: dict[str, int | None] = {}
    for name, value in (
        ("price_min_vnd_per_kg", price_min_vnd_per_kg),
        ("price_max_vnd_per_kg", price_max_vnd_per_kg),
    ):
        try:
            prices[name] = parse_price(value)
        except ValidationError as error:
            errors.add(name, error.messages[0])
    low, high = prices.get("price_min_vnd_per_kg"), prices.get("price_max_vnd_per_kg")
    if low is not None and high is not None and low > high:
        errors.add("price_max_vnd_per_kg", _("Giá cao nhất phải từ giá thấp nhất trở lên."))
    name = _text(errors, "buyer_name", buyer_name or buyer.full_name or buyer.phone, 150)
    note_text = _text(errors, "note", note, 500)
    title_text = _text(errors, "title", title, 150)
    errors.raise_if_any()
    assert commune is not None  # noqa: S101 - checked above
    province = commune.province
    assert province is not None  # noqa: S101 - a current commune has a province
    assert first is not None  # noqa: S101 - checked above
    assert last is not None  # noqa: S101 - checked above
    title_text = title_text or _("Thu mua %(names)s") % {
        "names": ", ".join(row.name_vi for row in primary)
    }
    with transaction.atomic():
        buy_request = BuyRequest.objects.create(
            buyer=buyer,
            buyer_name=name,
            title=title_text[:150],
            quantity_min_tonnes=quantities["quantity_min_tonnes"],
            quantity_max_tonnes=quantities["quantity_max_tonnes"],
            grade=grade_value,
            certification_mask=mask,
            delivery_from=first,
            delivery_until=last,
            delivery_from_ordinal=first.toordinal(),
            delivery_until_ordinal=last.toordinal(),
            delivery_mode=mode,
            delivery_address=address,
            province=province,
            commune=commune,
            is_nationwide=is_nationwide,
            price_min_vnd_per_kg=low,
            price_max_vnd_per_kg=high,
            payment_terms=terms,
            note=note_text,
            created_at=now,
        )
        BuyRequestProduce.objects.bulk_create(
            [BuyRequestProduce(buy_request=buy_request, produce_type=row) for row in primary]
            + [
                BuyRequestProduce(buy_request=buy_request, produce_type=row, is_primary=False)
                for row in alternatives
            ]
        )
        if not is_nationwide:
            buy_request.target_provinces.set(targets)
        candidates.demand_slots_sync(buy_request)
        audit_record(
            action="trade.buy_request_create",
            target=buy_request,
            actor=buyer,
            changes={"quantity_max_tonnes": [None, str(buy_request.quantity_max_tonnes)]},
        )
        request_id = buy_request.pk
        transaction.on_commit(lambda: sellers_notify(request_id), robust=True)
    return buy_request


def buy_request_close(
    *, buyer: User, buy_request: BuyRequest, fulfilled: bool = False
) -> BuyRequest:
    if buy_request.buyer_id != buyer.pk:
        raise PermissionDenied(_("Bạn không phải người đăng yêu cầu này."))
    with transaction.atomic():
        buy_request.status = RequestStatus.FULFILLED if fulfilled else RequestStatus.CLOSED
        buy_request.save(update_fields=["status"])
        candidates.demand_slots_sync(buy_request)
        audit_record(
            action="trade.buy_request_close",
            target=buy_request,
            actor=buyer,
            changes={"status": [RequestStatus.OPEN, buy_request.status]},
        )
    return buy_request


def _seller_phone(household: Household | None, cooperative: Cooperative | None) -> str:
    if household is not None:
        return household.phone or (household.user.phone if household.user else "")
    if cooperative is not None:
        return cooperative.phone or (cooperative.manager.phone if cooperative.manager else "")
    return ""


def _notify(phone: str, purpose: str, body: str) -> None:
    if not phone:
        return
    try:
        message_send(channel="sms", recipient=phone, body=body, purpose=purpose)
    except ValidationError:
        logger.warning("trade notice %s not sent: unusable phone number", purpose)


def sellers_notify(buy_request_id: int) -> int:
    """Tell the sellers of the best matches that a request suiting their produce appeared."""
    from nongsan.trade.matching import request_matches

    buy_request = BuyRequest.objects.select_related("province").get(pk=buy_request_id)
    found = request_matches(buy_request, limit=NOTIFY_SELLERS, today=timezone.localdate())
    told: set[tuple[str, int]] = set()
    households = Household.objects.select_related("user").in_bulk(
        [item.row[2] for item in found.matches if item.row[2]]
    )
    cooperatives = Cooperative.objects.select_related("manager").in_bulk(
        [item.row[3] for item in found.matches if item.row[3]]
    )
    with transaction.atomic():
        for item in found.matches:
            if item.seller_key in told:
                continue
            told.add(item.seller_key)
            household = households.get(item.row[2]) if item.row[2] else None
            cooperative = cooperatives.get(item.row[3]) if item.row[3] else None
            with override("vi"):
                body = _(
                    "Nông Sàn: có thương lái cần mua %(title)s, %(minimum)s–%(maximum)s tấn, "
                    "phù hợp hàng của bạn (%(reasons)s). Xem tại mục Thu mua."
                ) % {
                    "title": buy_request.title,
                    "minimum": buy_request.quantity_min_tonnes.normalize(),
                    "maximum": buy_request.quantity_max_tonnes.normalize(),
                    "reasons": ", ".join(item.reasons_vi[1:3]),
                }
            _notify(_seller_phone(household, cooperative), "trade_request_match", body[:480])
    return len(told)


def traders_notify_of_harvest(announcement_id: int) -> int:
    """Tell the buyers of the best-matching open requests about a newly announced harvest."""
    from nongsan.trade.matching import supply_request_matches

    candidate = SupplyCandidate.objects.filter(
        kind=CandidateKind.HARVEST, source_id=announcement_id
    ).first()
    if candidate is None:
        return 0
    matches = supply_request_matches(candidate, limit=NOTIFY_TRADERS)
    requests = BuyRequest.objects.select_related("buyer").in_bulk(
        [match.buy_request_id for match in matches]
    )
    announcement = HarvestAnnouncement.objects.select_related("produce_type", "province").get(
        pk=announcement_id
    )
    told = 0
    with transaction.atomic():
        for match in matches:
            buy_request = requests[match.buy_request_id]
            with override("vi"):
                body = _(
                    "Nông Sàn: vừa có báo thu hoạch %(produce)s ở %(province)s, %(tonnes)s tấn, "
                    "phù hợp yêu cầu “%(title)s” (%(reasons)s)."
                ) % {
                    "produce": announcement.produce_type.name_vi,
                    "province": announcement.province.name,
                    "tonnes": announcement.tonnes.normalize(),
                    "title": buy_request.title,
                    "reasons": ", ".join(match.scored.reasons_vi[1:4]),
                }
            _notify(buy_request.buyer.phone, "trade_harvest_match", body[:480])
            told += 1
    return told


def supply_offer_create(
    *,
    created_by: User,
    quantity_tonnes: Any,
    available_from: Any,
    available_until: Any,
    household: Household | None = None,
    cooperative: Cooperative | None = None,
    produce_type: ProduceType | None = None,
    listing: Any = None,
    announcement: HarvestAnnouncement | None = None,
    price_vnd_per_kg: Any = None,
    grade: str = Grade.ANY,
    note: str = "",
    now: datetime.datetime | None = None,
) -> SupplyOffer:
    """Offer tonnes to traders, from a listing, from an announced harvest, or on its own."""
    now = now or timezone.now()
    if listing is not None:
        household, cooperative, produce_type = (
            listing.household,
            listing.cooperative,
            listing.produce_type,
        )
    if announcement is not None:
        household, cooperative = announcement.household, None
        produce_type = announcement.produce_type
    if (household is None) == (cooperative is None):
        raise ValidationError(
            {"household": [_("Chọn một hộ hoặc một hợp tác xã chào bán, không chọn cả hai.")]}
        )
    if not can_answer_for_seller(created_by, _SellerRef(household, cooperative)):
        raise PermissionDenied(_("Bạn không được chào bán thay người bán này."))
    errors = _Errors()
    if produce_type is None:
        errors.add("produce_type", _("Vui lòng chọn loại sản phẩm."))
    if announcement is not None and announcement.status not in OPEN_STATUSES:
        errors.add("announcement", _("Đợt thu hoạch này đã kết thúc."))
    try:
        tonnes = parse_tonnes(quantity_tonnes)
    except ValidationError as error:
        errors.add("quantity_tonnes", error.messages[0])
        tonnes = Decimal(0)
    if announcement is not None and tonnes > announcement.tonnes:
        errors.add("quantity_tonnes", _("Không chào bán nhiều hơn sản lượng đã báo."))
    first, last = _window(errors, available_from, available_until, today=timezone.localdate(now))
    try:
        price = parse_price(price_vnd_per_kg)
    except ValidationError as error:
        errors.add("price_vnd_per_kg", error.messages[0])
        price = None
    grade_value = _choice(errors, "grade", grade, Grade, _("Phân loại không hợp lệ."))
    note_text = _text(errors, "note", note, 500)
    errors.raise_if_any()
    seller = household or cooperative
    assert seller is not None  # noqa: S101 - checked above
    assert produce_type is not None  # noqa: S101 - checked above
    with transaction.atomic():
        offer = SupplyOffer.objects.create(
            household=household,
            cooperative=cooperative,
            province_id=seller.province_id,
            commune_id=seller.commune_id,
            produce_type=produce_type,
            listing=listing,
            announcement=announcement,
            quantity_tonnes=tonnes,
            available_from=first,
            available_until=last,
            price_vnd_per_kg=price,
            grade=grade_value,
            note=note_text,
            created_by=created_by,
            created_at=now,
        )
        candidates.candidate_sync(
            CandidateKind.SUPPLY_OFFER, offer.pk, today=timezone.localdate(now)
        )
        audit_record(
            action="trade.supply_offer_create",
            target=offer,
            actor=created_by,
            changes={"quantity_tonnes": [None, str(tonnes)]},
        )
    return offer


class _SellerRef:
    """A household or cooperative pair, for the permission check before a row exists."""

    def __init__(self, household: Household | None, cooperative: Cooperative | None) -> None:
        self.household = household
        self.cooperative = cooperative


def supply_offer_withdraw(*, user: User, supply_offer: SupplyOffer) -> SupplyOffer:
    if not can_answer_for_seller(user, supply_offer):
        raise PermissionDenied(_("Bạn không được rút chào bán này."))
    with transaction.atomic():
        supply_offer.status = SupplyOfferStatus.WITHDRAWN
        supply_offer.save(update_fields=["status"])
        candidates.candidate_sync(CandidateKind.SUPPLY_OFFER, supply_offer.pk)
        audit_record(
            action="trade.supply_offer_withdraw",
            target=supply_offer,
            actor=user,
            changes={"status": [SupplyOfferStatus.OPEN, SupplyOfferStatus.WITHDRAWN]},
        )
    return supply_offer


def _offer_terms(
    errors: _Errors,
    *,
    quantity_tonnes: Any,
    price_vnd_per_kg: Any,
    delivery_from: Any,
    delivery_until: Any,
    today: datetime.date,
) -> dict[str, Any]:
    terms: dict[str, Any] = {}
    try:
        terms["quantity_tonnes"] = parse_tonnes(quantity_tonnes)
    except ValidationError as error:
        errors.add("quantity_tonnes", error.messages[0])
    try:
        terms["price_vnd_per_kg"] = parse_price(price_vnd_per_kg, required=True)
    except ValidationError as error:
        errors.add("price_vnd_per_kg", error.messages[0])
    terms["delivery_from"], terms["delivery_until"] = _window(
        errors, delivery_from, delivery_until, today=today
    )
    return terms


def offer_make(
    *,
    buyer: User,
    buy_request: BuyRequest,
    candidate_kind: str,
    candidate_source_id: int,
    quantity_tonnes: Any,
    price_vnd_per_kg: Any,
    delivery_from: Any = None,
    delivery_until: Any = None,
    message: str = "",
    now: datetime.datetime | None = None,
) -> Offer:
    """The buyer of an open request offers to buy from one candidate's seller."""
    now = now or timezone.now()
    if buy_request.buyer_id != buyer.pk:
        raise PermissionDenied(_("Bạn không phải người đăng yêu cầu này."))
    if buy_request.status != RequestStatus.OPEN:
        raise ValidationError(_("Yêu cầu thu mua này đã đóng."))
    if candidate_kind not in CandidateKind.values:
        raise ValidationError({"candidate_kind": [_("Nguồn hàng không hợp lệ.")]})
    source = candidates.SOURCES[candidate_kind].objects.filter(pk=candidate_source_id).first()
    if source is None:
        raise ValidationError({"candidate_source_id": [_("Không tìm thấy nguồn hàng này.")]})
    household = source.household
    cooperative = getattr(source, "cooperative", None)
    errors = _Errors()
    terms = _offer_terms(
        errors,
        quantity_tonnes=quantity_tonnes,
        price_vnd_per_kg=price_vnd_per_kg,
        delivery_from=delivery_from or buy_request.delivery_from,
        delivery_until=delivery_until or buy_request.delivery_until,
        today=timezone.localdate(now),
    )
    text = _text(errors, "message", message, 300)
    errors.raise_if_any()
    seller = household or cooperative
    assert seller is not None  # noqa: S101 - every source has a seller
    with transaction.atomic():
        offer = Offer.objects.create(
            buy_request=buy_request,
            household=household,
            cooperative=cooperative,
            province_id=seller.province_id,
            commune_id=seller.commune_id,
            candidate_kind=candidate_kind,
            candidate_source_id=candidate_source_id,
            from_side=Side.BUYER,
            made_by=buyer,
            grade=buy_request.grade,
            delivery_mode=buy_request.delivery_mode,
            message=text,
            expires_at=now + datetime.timedelta(hours=_offer_hours()),
            created_at=now,
            **terms,
        )
        audit_record(
            action="trade.offer_make",
            target=offer,
            actor=buyer,
            changes={"price_vnd_per_kg": [None, offer.price_vnd_per_kg]},
        )
        with override("vi"):
            body = _(
                "Nông Sàn: %(buyer)s đề nghị mua %(tonnes)s tấn %(produce)s giá %(price)s/kg. "
                "Trả lời trước %(deadline)s tại mục Thu mua."
            ) % {
                "buyer": buy_request.buyer_name,
                "tonnes": offer.quantity_tonnes.normalize(),
                "produce": buy_request.title,
                "price": format_vnd(offer.price_vnd_per_kg),
                "deadline": timezone.localtime(offer.expires_at).strftime("%H:%M %d/%m/%Y"),
            }
        _notify(_seller_phone(household, cooperative), "trade_offer", body[:480])
    return offer


def _locked_pending(offer: Offer, now: datetime.datetime) -> Offer:
    locked = Offer.objects.select_for_update().select_related("buy_request").get(pk=offer.pk)
    if locked.status_at(now) == OfferStatus.EXPIRED:
        # Refused in the same transaction: ``offers_expire`` writes the status.
        raise ValidationError(_("Đề nghị này đã hết hạn."))
    if locked.status != OfferStatus.PENDING:
        raise ValidationError(_("Đề nghị này đã được trả lời."))
    if locked.buy_request.status != RequestStatus.OPEN:
        raise ValidationError(_("Yêu cầu thu mua này đã đóng."))
    return locked


def _may_answer(user: User, offer: Offer) -> None:
    """The side that did not make the offer answers it."""
    if offer.from_side == Side.BUYER:
        allowed = can_answer_for_seller(user, offer)
    else:
        allowed = offer.buy_request.buyer_id == user.pk
    if not allowed:
        raise PermissionDenied(_("Bạn không được trả lời đề nghị này."))


def offer_reject(*, user: User, offer: Offer, now: datetime.datetime | None = None) -> Offer:
    now = now or timezone.now()
    _may_answer(user, offer)
    with transaction.atomic():
        locked = _locked_pending(offer, now)
        locked.status = OfferStatus.REJECTED
        locked.responded_at = now
        locked.responded_by = user
        locked.save(update_fields=["status", "responded_at", "responded_by"])
        audit_record(
            action="trade.offer_reject",
            target=locked,
            actor=user,
            changes={"status": [OfferStatus.PENDING, OfferStatus.REJECTED]},
        )
    return locked


def offer_counter(
    *,
    user: User,
    offer: Offer,
    quantity_tonnes: Any,
    price_vnd_per_kg: Any,
    delivery_from: Any = None,
    delivery_until: Any = None,
    message: str = "",
    now: datetime.datetime | None = None,
) -> Offer:
    """Answer with other terms: this offer is countered and a new one waits for the other side."""
    now = now or timezone.now()
    _may_answer(user, offer)
    errors = _Errors()
    terms = _offer_terms(
        errors,
        quantity_tonnes=quantity_tonnes,
        price_vnd_per_kg=price_vnd_per_kg,
        delivery_from=delivery_from or offer.delivery_from,
        delivery_until=delivery_until or offer.delivery_until,
        today=timezone.localdate(now),
    )
    text = _text(errors, "message", message, 300)
    errors.raise_if_any()
    with transaction.atomic():
        locked = _locked_pending(offer, now)
        locked.status = OfferStatus.COUNTERED
        locked.responded_at = now
        locked.responded_by = user
        locked.save(update_fields=["status", "responded_at", "responded_by"])
        counter = Offer.objects.create(
            buy_request=locked.buy_request,
            household=locked.household,
            cooperative=locked.cooperative,
            province_id=locked.province_id,
            commune_id=locked.commune_id,
            candidate_kind=locked.candidate_kind,
            candidate_source_id=locked.candidate_source_id,
            previous=locked,
            from_side=Side.SELLER if locked.from_side == Side.BUYER else Side.BUYER,
            made_by=user,
            grade=locked.grade,
            delivery_mode=locked.delivery_mode,
            message=text,
            expires_at=now + datetime.timedelta(hours=_offer_hours()),
            created_at=now,
            **terms,
        )
        audit_record(
            action="trade.offer_counter",
            target=counter,
            actor=user,
            changes={"price_vnd_per_kg": [locked.price_vnd_per_kg, counter.price_vnd_per_kg]},
        )
        with override("vi"):
            body = _("Nông Sàn: đề nghị mua được trả giá lại: %(tonnes)s tấn, %(price)s/kg.") % {
                "tonnes": counter.quantity_tonnes.normalize(),
                "price": format_vnd(counter.price_vnd_per_kg),
            }
        if counter.from_side == Side.SELLER:
            _notify(locked.buy_request.buyer.phone, "trade_counter", body)
        else:
            _notify(_seller_phone(locked.household, locked.cooperative), "trade_counter", body)
    return counter


def offer_accept(*, user: User, offer: Offer, now: datetime.datetime | None = None) -> Deal:
    """Accept the other side's terms: the offer becomes a deal."""
    now = now or timezone.now()
    _may_answer(user, offer)
    with transaction.atomic():
        locked = _locked_pending(offer, now)
        locked.status = OfferStatus.ACCEPTED
        locked.responded_at = now
        locked.responded_by = user
        locked.save(update_fields=["status", "responded_at", "responded_by"])
        buy_request = locked.buy_request
        seller_user = user if locked.from_side == Side.BUYER else locked.made_by
        source = (
            candidates.SOURCES[locked.candidate_kind]
            .objects.filter(pk=locked.candidate_source_id)
            .first()
        )
        produce_type_id = source.produce_type_id if source is not None else None
        if produce_type_id is None:
            produce_type_id = buy_request.buyrequestproduce_set.values_list(
                "produce_type_id", flat=True
            )[0]
        total = int(
            (locked.quantity_tonnes * 1000 * locked.price_vnd_per_kg).quantize(
                Decimal(1), rounding=ROUND_HALF_UP
            )
        )
        deal = Deal.objects.create(
            offer=locked,
            buy_request=buy_request,
            buyer=buy_request.buyer,
            household=locked.household,
            cooperative=locked.cooperative,
            seller_user=seller_user,
            province_id=locked.province_id,
            commune_id=locked.commune_id,
            produce_type_id=produce_type_id,
            quantity_tonnes=locked.quantity_tonnes,
            price_vnd_per_kg=locked.price_vnd_per_kg,
            total_vnd=total,
            grade=locked.grade,
            delivery_from=locked.delivery_from,
            delivery_until=locked.delivery_until,
            delivery_mode=locked.delivery_mode,
            payment_terms=buy_request.payment_terms,
            created_at=now,
        )
        if locked.candidate_kind == CandidateKind.SUPPLY_OFFER:
            SupplyOffer.objects.filter(pk=locked.candidate_source_id).update(
                status=SupplyOfferStatus.SOLD
            )
            candidates.candidate_sync(CandidateKind.SUPPLY_OFFER, locked.candidate_source_id)
        audit_record(
            action="trade.offer_accept",
            target=deal,
            actor=user,
            changes={"total_vnd": [None, total]},
        )
        with override("vi"):
            body = _("Nông Sàn: đã chốt %(tonnes)s tấn giá %(price)s/kg, thành tiền %(total)s.") % {
                "tonnes": deal.quantity_tonnes.normalize(),
                "price": format_vnd(deal.price_vnd_per_kg),
                "total": format_vnd(total),
            }
        _notify(buy_request.buyer.phone, "trade_deal", body)
        _notify(_seller_phone(deal.household, deal.cooperative), "trade_deal", body)
    return deal


def offers_expire(*, now: datetime.datetime | None = None) -> int:
    """Write 'expired' on pending offers past their time (reads already treat them so)."""
    now = now or timezone.now()
    return Offer.objects.filter(status=OfferStatus.PENDING, expires_at__lte=now).update(
        status=OfferStatus.EXPIRED
    )


def _side_of(user: User, deal: Deal) -> str:
    if deal.buyer_id == user.pk:
        return Side.BUYER
    if can_answer_for_seller(user, deal):
        return Side.SELLER
    raise PermissionDenied(_("Bạn không phải một bên của thoả thuận này."))


def deal_contact_share(*, user: User, deal: Deal, now: datetime.datetime | None = None) -> Deal:
    """One side agrees that the other may see its phone number; both must agree."""
    now = now or timezone.now()
    side = _side_of(user, deal)
    field = "buyer_shares_contact_at" if side == Side.BUYER else "seller_shares_contact_at"
    with transaction.atomic():
        locked = Deal.objects.select_for_update().get(pk=deal.pk)
        if getattr(locked, field) is None:
            setattr(locked, field, now)
            locked.save(update_fields=[field])
            audit_record(
                action="trade.deal_contact_share", target=locked, actor=user, changes={"side": side}
            )
    return locked


def deal_contact_reveal(*, user: User, deal: Deal) -> dict[str, str]:
    """The other side's name and phone, once both sides agreed; every reveal is audited."""
    side = _side_of(user, deal)
    deal = Deal.objects.select_related("buyer", "household__user", "cooperative__manager").get(
        pk=deal.pk
    )
    if not deal.contacts_shared:
        raise PermissionDenied(
            _("Số điện thoại chỉ hiện khi cả hai bên đã đồng ý cho xem liên hệ.")
        )
    if side == Side.BUYER:
        contact = {
            "name": str(deal.seller),
            "phone": _seller_phone(deal.household, deal.cooperative),
        }
        field_name = "seller_phone"
    else:
        contact = {"name": deal.buy_request.buyer_name, "phone": deal.buyer.phone}
        field_name = "buyer_phone"
    audit_reveal(actor=user, target=deal, field_name=field_name)
    return contact


def deal_order_place(
    *,
    buyer: User,
    deal: Deal,
    delivery_address: str,
    payment_method: str,
    now: datetime.datetime | None = None,
) -> Any:
    """Turn a deal into a marketplace order (delivery and payment through the platform).

    The orders app sells listings at their own price, so the deal gets a listing of its own
    at the agreed price holding exactly the agreed kilograms (made by the seller-side person
    who agreed), and ``checkout_place`` buys all of it: the listing is sold out the moment it
    exists outside this transaction.
    """
    from nongsan.catalog.services import listing_create, listing_publish
    from nongsan.orders.services import CheckoutLine, checkout_place

    now = now or timezone.now()
    if deal.buyer_id != buyer.pk:
        raise PermissionDenied(_("Chỉ người mua của thoả thuận mới đặt hàng."))
    if deal.order_id is not None:
        raise ValidationError(_("Thoả thuận này đã thành đơn hàng."))
    today = timezone.localdate(now)
    kilograms = (deal.quantity_tonnes * 1000).quantize(Decimal("0.001"))
    with transaction.atomic():
        locked = Deal.objects.select_for_update().get(pk=deal.pk)
        if locked.order_id is not None:
            raise ValidationError(_("Thoả thuận này đã thành đơn hàng."))
        with override("vi"):
            title = _("Thoả thuận thu mua số %(number)s") % {"number": locked.pk}
        listing = listing_create(
            created_by=locked.seller_user,
            household=locked.household,
            cooperative=locked.cooperative,
            produce_type=locked.produce_type,
            title=title,
            price_vnd=locked.price_vnd_per_kg,
            unit="kg",
            stock_quantity=kilograms,
            minimum_order_quantity=kilograms,
            available_from=today,
            available_until=max(today, locked.delivery_until),
            now=now,
        )
        listing_publish(published_by=locked.seller_user, listing=listing, now=now)
        checkout = checkout_place(
            buyer=buyer,
            lines=[CheckoutLine(listing_id=listing.pk, quantity=kilograms)],
            buyer_name=locked.buy_request.buyer_name,
            buyer_phone=buyer.phone,
            delivery_address=delivery_address or locked.buy_request.delivery_address,
            delivery_commune=locked.buy_request.commune,
            payment_method=payment_method,
            now=now,
        )
        order = checkout.orders.get()
        locked.order = order
        locked.save(update_fields=["order"])
        audit_record(
            action="trade.deal_order_place",
            target=locked,
            actor=buyer,
            changes={"order": [None, order.reference]},
        )
    return order
