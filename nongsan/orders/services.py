"""Writes of the orders app: checkout (reserving stock without overselling), the order
lifecycle, reservation expiry and the escalation of orders a seller leaves unconfirmed.

Stock is taken off the listing when the order is placed (a ``StockReservation`` records it)
so that two buyers can never be sold the same last kilo; confirming commits it, cancelling or
letting it expire gives it back. See docs/decisions/0018-orders-and-stock.md.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from nongsan.accounts.models import Assistance, Role, RoleGrant, User
from nongsan.audit.services import audit_record
from nongsan.catalog.models import Listing, ListingStatus
from nongsan.catalog.permissions import can_sell_for, public_listings
from nongsan.common.formatting import format_vnd
from nongsan.common.phone import normalize_phone
from nongsan.geo.models import AdministrativeUnit
from nongsan.messaging.services import message_send
from nongsan.orders.conf import limit
from nongsan.orders.funnel import order_sellers, sale_stages_derive
from nongsan.orders.models import (
    ActorRole,
    Checkout,
    Order,
    OrderEvent,
    OrderItem,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    ReservationStatus,
    StockReservation,
)
from nongsan.orders.permissions import postal_covers
from nongsan.producers.permissions import is_staff_administrator

logger = logging.getLogger(__name__)

MAX_LINES = 50
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_QUANTUM = Decimal("0.001")

S = OrderStatus
R = ActorRole
# from status → to status → who may make that step.
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    S.PLACED: {
        S.CONFIRMED: frozenset({R.SELLER, R.STAFF}),
        S.REJECTED: frozenset({R.SELLER, R.STAFF}),
        S.CANCELLED: frozenset({R.BUYER, R.SELLER, R.STAFF, R.SYSTEM}),
    },
    S.CONFIRMED: {
        S.PACKED: frozenset({R.SELLER, R.STAFF}),
        S.CANCELLED: frozenset({R.SELLER, R.STAFF}),
    },
    S.PACKED: {
        S.HANDED_TO_CARRIER: frozenset({R.SELLER, R.CARRIER, R.STAFF}),
        S.CANCELLED: frozenset({R.SELLER, R.STAFF}),
    },
    S.HANDED_TO_CARRIER: {S.IN_TRANSIT: frozenset({R.CARRIER, R.STAFF})},
    S.IN_TRANSIT: {
        S.DELIVERED: frozenset({R.CARRIER, R.STAFF}),
        S.RETURNED: frozenset({R.CARRIER, R.STAFF}),
    },
    S.DELIVERED: {
        S.COMPLETED: frozenset({R.BUYER, R.STAFF, R.SYSTEM}),
        S.RETURNED: frozenset({R.BUYER, R.CARRIER, R.STAFF}),
    },
    S.CANCELLED: {S.REFUNDED: frozenset({R.STAFF})},
    S.REJECTED: {S.REFUNDED: frozenset({R.STAFF})},
    S.RETURNED: {S.REFUNDED: frozenset({R.STAFF})},
}
# Statuses in which the goods have not left the seller: cancelling gives the stock back.
_RESTOCKABLE = frozenset({S.PLACED, S.CONFIRMED, S.PACKED})


@dataclass(frozen=True)
class CheckoutLine:
    """One listing and how much of it the buyer wants (in the listing's unit)."""

    listing_id: int
    quantity: Decimal


def parse_quantity(value: Any) -> Decimal:
    """A quantity as a phone sends it: ``2``, ``1,5`` or ``1.5``; positive, three decimals."""
    text = str(value if value is not None else "").strip().replace(",", ".")
    try:
        quantity = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("Số lượng phải là một số, ví dụ 2 hoặc 1,5."), code="quantity"
        ) from None
    if not quantity.is_finite() or quantity <= 0:
        raise ValidationError(_("Số lượng phải lớn hơn 0."), code="quantity")
    if quantity != quantity.quantize(_QUANTUM) or quantity >= Decimal(10**9):
        raise ValidationError(
            _("Số lượng có tối đa 3 chữ số thập phân và nhỏ hơn 1 tỷ."), code="quantity"
        )
    return quantity.quantize(_QUANTUM)


def _new_reference() -> str:
    while True:
        reference = "DH" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
        if not Order.objects.filter(reference=reference).exists():
            return reference


def _unit_price(listing: Listing, quantity: Decimal) -> int:
    """The listing's price for this quantity: the tier of the largest minimum reached."""
    price = listing.price_vnd
    for tier in listing.price_tiers.all():  # ordered by min_quantity (prefetched)
        if quantity >= tier.min_quantity:
            price = tier.price_vnd
    return price


def _line_total(quantity: Decimal, unit_price: int) -> int:
    return int((quantity * unit_price).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _merged(lines: Sequence[CheckoutLine]) -> dict[int, Decimal]:
    merged: dict[int, Decimal] = {}
    for line in lines:
        merged[line.listing_id] = merged.get(line.listing_id, Decimal(0)) + line.quantity
    return merged


def _checked_contact(
    *, buyer_name: str, buyer_phone: str, delivery_address: str, delivery_commune: Any
) -> tuple[str, str, str]:
    errors: dict[str, list[str]] = {}
    name = " ".join(str(buyer_name or "").split())
    if not name:
        errors["buyer_name"] = [_("Vui lòng nhập tên người nhận.")]
    elif len(name) > 150:
        errors["buyer_name"] = [_("Tên người nhận dài tối đa 150 ký tự.")]
    phone = ""
    try:
        phone = normalize_phone(buyer_phone)
    except ValidationError as error:
        errors["buyer_phone"] = list(error.messages)
    address = " ".join(str(delivery_address or "").split())
    if not address:
        errors["delivery_address"] = [_("Vui lòng nhập địa chỉ nhận hàng (số nhà, thôn, ấp).")]
    elif len(address) > 300:
        errors["delivery_address"] = [_("Địa chỉ nhận hàng dài tối đa 300 ký tự.")]
    if not (
        isinstance(delivery_commune, AdministrativeUnit)
        and delivery_commune.level == "commune"
        and delivery_commune.valid_until is None
    ):
        errors["delivery_commune"] = [_("Vui lòng chọn xã, phường hiện hành nơi nhận hàng.")]
    if errors:
        raise ValidationError(errors)
    return name, phone, address


def _seller_phone(order: Order) -> str:
    if order.household is not None:
        household = order.household
        return household.phone or (household.user.phone if household.user else "")
    cooperative = order.cooperative
    assert cooperative is not None  # noqa: S101 - one seller
    return cooperative.phone or (cooperative.manager.phone if cooperative.manager else "")


def _notify(phone: str, purpose: str, body: str) -> None:
    """An SMS through the message sender; it is queued in this transaction and leaves only
    when it commits (``message_send`` dispatches on commit)."""
    if not phone:
        return
    try:
        message_send(channel="sms", recipient=phone, body=body, purpose=purpose)
    except ValidationError:
        # A number SMS cannot reach (mistyped in the registry) must not stop the order.
        logger.warning("order notice %s not sent: unusable phone number", purpose)


def _shipping_quote(
    listings: list[Listing],
    wanted: dict[int, Decimal],
    delivery_commune: AdministrativeUnit,
    service: str,
) -> Any:
    from nongsan.shipping.services import parcel_weight_grams, shipping_quote

    shelf_lives = [
        row.produce_type.shelf_life_days
        for row in listings
        if row.produce_type.shelf_life_days is not None
    ]
    try:
        return shipping_quote(
            from_commune=listings[0].commune,
            to_commune=delivery_commune,
            weight_grams=parcel_weight_grams((wanted[row.pk], row.unit) for row in listings),
            service=service,
            shelf_life_days=min(shelf_lives) if shelf_lives else None,
        )
    except ValidationError as error:
        raise ValidationError({"shipping_service": error.messages}) from None


def checkout_place(
    *,
    buyer: User | None,
    lines: Sequence[CheckoutLine],
    buyer_name: str,
    buyer_phone: str,
    delivery_address: str,
    delivery_commune: AdministrativeUnit,
    payment_method: str,
    shipping_service: str | None = None,
    shipping_by_seller: Mapping[tuple[str, int], str] | None = None,
    now: datetime.datetime | None = None,
) -> Checkout:
    """Place one order per seller for ``lines``, reserving their stock, or refuse them all.

    The stock is taken last by conditional updates in listing-id order (``_stock_take``;
    SQLite transactions take the write lock at ``BEGIN IMMEDIATE``), so concurrent checkouts
    of the last units sell exactly the stock, never deadlock, and hold the hot row only from
    that update to the commit. A guest (``buyer`` None) must have had the phone
    confirmed by the caller. With ``shipping_service`` each order is quoted by the cheapest
    carrier (a perishable refusing a service slower than it keeps); without, delivery is
    arranged with the seller and costs nothing here. ``shipping_by_seller`` chooses the
    service per seller (``("household", pk)`` → service, ``""`` to arrange with the seller),
    overriding ``shipping_service`` for the sellers it names.
    """
    now = now or timezone.now()
    if payment_method not in PaymentMethod.values:
        raise ValidationError(
            {"payment_method": [_("Vui lòng chọn cách thanh toán: COD hoặc VietQR.")]}
        )
    name, phone, address = _checked_contact(
        buyer_name=buyer_name,
        buyer_phone=buyer_phone,
        delivery_address=delivery_address,
        delivery_commune=delivery_commune,
    )
    if not lines:
        raise ValidationError({"lines": [_("Giỏ hàng đang trống.")]})
    wanted = _merged(lines)
    if len(wanted) > MAX_LINES:
        raise ValidationError({"lines": [_("Một lần đặt tối đa 50 sản phẩm.")]})
    today = timezone.localdate(now)
    delivery_province_id = delivery_commune.province_id
    assert delivery_province_id is not None  # noqa: S101 - a current commune has a province
    with transaction.atomic():
        # Read without locking: the stock is taken at the very end by conditional updates,
        # so the hot row is locked only from that update to the commit (0025).
        # Only what is on sale is read: a listing missing here is "no longer on sale".
        listings = list(
            public_listings(today=today)
            .filter(pk__in=sorted(wanted), available_from__lte=today)
            .order_by("pk")
            .select_related(
                "produce_type", "commune__province", "household__user", "cooperative__manager"
            )
            .prefetch_related("price_tiers")
        )
        on_sale = {row.pk for row in listings}
        by_id = {row.pk: row for row in listings}
        problems: list[str] = []
        missing = sorted(set(wanted) - on_sale)
        if missing:
            # Say why (paused, sold out, gone), read only when something is refused.
            gone = list(
                Listing.objects.filter(pk__in=missing)
                .only("pk", "title", "status", "stock_quantity")
                .order_by("pk")
            )
            problems.extend(unavailable_reason(row) for row in gone)
            known = {row.pk for row in gone}
            for listing_id in missing:
                if listing_id not in known:
                    problems.append(_("Sản phẩm số %(id)s không còn bán.") % {"id": listing_id})
        for listing_id, quantity in sorted(wanted.items()):
            listing = by_id.get(listing_id)
            if listing is None:
                continue
            if quantity < listing.minimum_order_quantity:
                problems.append(
                    _("“%(title)s”: mua tối thiểu %(minimum)s %(unit)s.")
                    % {
                        "title": listing.title,
                        "minimum": listing.minimum_order_quantity.normalize(),
                        "unit": listing.get_unit_display(),
                    }
                )
            if quantity > listing.stock_quantity and listing.stock_quantity <= 0:
                problems.append(unavailable_reason(listing))
            elif quantity > listing.stock_quantity:
                problems.append(
                    _("“%(title)s” chỉ còn %(stock)s %(unit)s.")
                    % {
                        "title": listing.title,
                        "stock": listing.stock_quantity.normalize(),
                        "unit": listing.get_unit_display(),
                    }
                )
        if problems:
            raise ValidationError({"lines": problems})
        if payment_method == PaymentMethod.VIETQR:
            from nongsan.payments.selectors import transfer_account_for

            for listing in listings:
                if transfer_account_for(listing) is None:
                    raise ValidationError(
                        {
                            "payment_method": [
                                _(
                                    "“%(title)s”: người bán chưa có tài khoản ngân hàng, "
                                    "vui lòng chọn trả tiền khi nhận hàng."
                                )
                                % {"title": listing.title}
                            ]
                        }
                    )

        checkout = Checkout.objects.create(
            buyer=buyer,
            buyer_name=name,
            buyer_phone=phone,
            delivery_address=address,
            delivery_province_id=delivery_province_id,
            delivery_commune=delivery_commune,
            payment_method=payment_method,
            created_at=now,
        )
        hold = (
            limit("ORDERS_PAYMENT_WINDOW")
            if payment_method == PaymentMethod.VIETQR
            else limit("ORDERS_CONFIRMATION_DEADLINE")
        )
        placed: list[Order] = []
        by_seller: dict[tuple[int | None, int | None], list[Listing]] = {}
        for listing in listings:
            by_seller.setdefault((listing.household_id, listing.cooperative_id), []).append(listing)
        for (household_id, cooperative_id), seller_listings in by_seller.items():
            first = seller_listings[0]
            priced = [
                (row, wanted[row.pk], _unit_price(row, wanted[row.pk])) for row in seller_listings
            ]
            goods = sum(_line_total(quantity, price) for _row, quantity, price in priced)
            key = ("household", household_id) if household_id else ("cooperative", cooperative_id)
            service = (shipping_by_seller or {}).get(key, shipping_service)  # type: ignore[arg-type]
            quote = (
                _shipping_quote(seller_listings, wanted, delivery_commune, service)
                if service
                else None
            )
            shipping = quote.price_vnd if quote else 0
            order = Order.objects.create(
                reference=_new_reference(),
                checkout=checkout,
                buyer=buyer,
                buyer_phone=phone,
                household_id=household_id,
                cooperative_id=cooperative_id,
                province_id=first.province_id,
                commune_id=first.commune_id,
                delivery_province_id=delivery_province_id,
                delivery_commune=delivery_commune,
                payment_method=payment_method,
                shipping_service=service or "",
                carrier=quote.carrier if quote else None,
                goods_vnd=goods,
                shipping_vnd=shipping,
                total_vnd=goods + shipping,
                placed_at=now,
                status_changed_at=now,
            )
            order.household = first.household  # already read: no query for the notice
            order.cooperative = first.cooperative
            items = []
            for row, quantity, price in priced:
                item = OrderItem.objects.create(
                    order=order,
                    listing=row,
                    title=row.title,
                    quantity=quantity,
                    unit=row.unit,
                    unit_price_vnd=price,
                    line_total_vnd=_line_total(quantity, price),
                    province_id=row.province_id,
                    commune_id=row.commune_id,
                )
                items.append(item)
                StockReservation.objects.create(
                    order=order,
                    listing=row,
                    quantity=quantity,
                    expires_at=now + hold,
                    province_id=row.province_id,
                    commune_id=row.commune_id,
                )
            # The answer shows the orders with their items without reading them back.
            _remember(order, "items", items)
            placed.append(order)
            OrderEvent.objects.create(
                order=order,
                from_status="",
                to_status=S.PLACED,
                actor=buyer,
                actor_role=R.BUYER,
                occurred_at=now,
                province_id=order.province_id,
                commune_id=order.commune_id,
            )
            audit_record(
                action="orders.order_place",
                target=order,
                actor=buyer,
                changes={"status": [None, S.PLACED], "total_vnd": [None, order.total_vnd]},
            )
            with override("vi"):
                _notify(
                    _seller_phone(order),
                    "order_placed",
                    _("Nông Sàn: đơn mới %(reference)s, %(total)s. Vui lòng xác nhận sớm.")
                    % {"reference": order.reference, "total": format_vnd(order.total_vnd)},
                )
        _stock_take(listings, wanted, now)
    _remember(checkout, "orders", placed)
    return checkout


def _remember(instance: Any, relation: str, rows: list[Any]) -> None:
    """Fill ``instance.<relation>.all()`` with the rows just written, as prefetch_related
    would, so the answer to a checkout reads nothing back (a filter still queries)."""
    queryset = getattr(instance, relation).get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    instance._prefetched_objects_cache = {
        **getattr(instance, "_prefetched_objects_cache", {}),
        relation: queryset,
    }


def unavailable_reason(listing: Listing) -> str:
    """Why a listing cannot be bought now, in the buyer's words: paused by its seller (it may
    come back), sold out, or no longer on sale (a draft, past its season)."""
    if listing.status == ListingStatus.PAUSED:
        return _("“%(title)s” đang tạm ngừng bán.") % {"title": listing.title}
    if listing.status == ListingStatus.SOLD_OUT or (
        listing.status == ListingStatus.ACTIVE and listing.stock_quantity <= 0
    ):
        return _("“%(title)s” đã hết hàng.") % {"title": listing.title}
    return _("“%(title)s” không còn bán.") % {"title": listing.title}


def _stock_take(
    listings: list[Listing], wanted: dict[int, Decimal], now: datetime.datetime
) -> None:
    """Take the stock last, one conditional update per listing in id order (so crossed carts
    cannot deadlock): ``stock = stock - q WHERE stock >= q AND status = active``. Under
    PostgreSQL's READ COMMITTED the condition is re-checked on the latest committed row once
    the row lock is granted, so concurrent checkouts sell exactly the stock; a refused update
    raises, and the whole checkout written before it rolls back. The hot row stays locked
    only from its update to the commit."""
    for row in listings:  # already in id order
        quantity = wanted[row.pk]
        taken = Listing.objects.filter(
            pk=row.pk, status=ListingStatus.ACTIVE, stock_quantity__gte=quantity
        ).update(
            stock_quantity=F("stock_quantity") - quantity,
            status=Case(
                When(stock_quantity=quantity, then=Value(ListingStatus.SOLD_OUT)),
                default=F("status"),
            ),
            updated_at=now,
        )
        if not taken:
            latest = (
                Listing.objects.filter(pk=row.pk).only("pk", "title", "status", "stock_quantity")
            ).first()
            if (
                latest is None
                or latest.status != ListingStatus.ACTIVE
                or latest.stock_quantity <= 0
            ):
                # Paused, sold out or withdrawn since it was read: say which.
                reason = (
                    unavailable_reason(latest)
                    if latest is not None
                    else _("Sản phẩm số %(id)s không còn bán.") % {"id": row.pk}
                )
                raise ValidationError({"lines": [reason]})
            raise ValidationError(
                {
                    "lines": [
                        _("“%(title)s” chỉ còn %(stock)s %(unit)s.")
                        % {
                            "title": row.title,
                            "stock": latest.stock_quantity.normalize(),
                            "unit": row.get_unit_display(),
                        }
                    ]
                }
            )


def actor_roles(user: Any, order: Order) -> set[str]:
    """The roles ``user`` holds towards ``order`` (buyer, seller or assistant, carrier, staff)."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return set()
    roles: set[str] = set()
    if order.buyer_id is not None and order.buyer_id == user.pk:
        roles.add(R.BUYER)
    if can_sell_for(user, household=order.household, cooperative=order.cooperative):
        roles.add(R.SELLER)
    if postal_covers(user, order):  # postal staff, inside their postal area only
        roles.add(R.CARRIER)
    if is_staff_administrator(user):
        roles.add(R.STAFF)
    return roles


def _restock(order: Order, now: datetime.datetime) -> None:
    """Give the order's stock back to its listings (locked in id order) and end its holds."""
    reservations = list(
        order.reservations.exclude(status=ReservationStatus.RELEASED).order_by("listing_id")
    )
    if not reservations:
        return
    ids = sorted({reservation.listing_id for reservation in reservations})
    list(Listing.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk"))
    for reservation in reservations:
        Listing.objects.filter(pk=reservation.listing_id).update(
            stock_quantity=F("stock_quantity") + reservation.quantity, updated_at=now
        )
    Listing.objects.filter(pk__in=ids, status=ListingStatus.SOLD_OUT, stock_quantity__gt=0).update(
        status=ListingStatus.ACTIVE
    )
    order.reservations.filter(pk__in=[r.pk for r in reservations]).update(
        status=ReservationStatus.RELEASED
    )


_BUYER_NOTICES: dict[str, Any] = {
    S.CONFIRMED: gettext_lazy("Nông Sàn: đơn %(reference)s đã được người bán xác nhận."),
    S.HANDED_TO_CARRIER: gettext_lazy("Nông Sàn: đơn %(reference)s đã giao cho đơn vị vận chuyển."),
    S.DELIVERED: gettext_lazy("Nông Sàn: đơn %(reference)s đã giao tới bạn."),
    S.CANCELLED: gettext_lazy("Nông Sàn: đơn %(reference)s đã bị huỷ."),
    S.REJECTED: gettext_lazy("Nông Sàn: người bán không nhận đơn %(reference)s."),
    S.REFUNDED: gettext_lazy("Nông Sàn: đơn %(reference)s đã được hoàn tiền."),
}
_SELLER_NOTICES: dict[str, Any] = {
    S.CANCELLED: gettext_lazy("Nông Sàn: đơn %(reference)s đã bị huỷ, hàng đã trả lại kho."),
    S.COMPLETED: gettext_lazy("Nông Sàn: đơn %(reference)s đã hoàn tất."),
    S.RETURNED: gettext_lazy("Nông Sàn: đơn %(reference)s bị hoàn trả."),
}


def order_transition(
    *,
    order: Order,
    to_status: str,
    by: User | None,
    note: str = "",
    now: datetime.datetime | None = None,
    as_system: bool = False,
) -> Order:
    """Move ``order`` one allowed step; refuse a skipped step or a person without the right.

    ``by`` None with ``as_system`` is the platform itself (expiry, escalation). Each step is
    timestamped, attributed in the order's timeline, audited and told to the buyer or the
    seller by SMS once it commits.
    """
    now = now or timezone.now()
    note = " ".join(str(note or "").split())
    if len(note) > 300:
        raise ValidationError({"note": [_("Ghi chú dài tối đa 300 ký tự.")]})
    if to_status not in S.values:
        raise ValidationError(_("Không có trạng thái đơn “%(status)s”.") % {"status": to_status})
    with transaction.atomic():
        locked = (
            Order.objects.select_for_update(of=("self",))
            .select_related("household__user", "cooperative__manager")
            .get(pk=order.pk)
        )
        allowed = TRANSITIONS.get(locked.status, {})
        if to_status not in allowed:
            raise ValidationError(
                _("Không thể chuyển đơn từ “%(current)s” sang “%(target)s”.")
                % {"current": S(locked.status).label, "target": S(to_status).label},
                code="transition",
            )
        roles = {R.SYSTEM} if as_system and by is None else actor_roles(by, locked)
        acting_as = [
            role
            for role in (R.STAFF, R.SELLER, R.CARRIER, R.BUYER, R.SYSTEM)
            if role in roles and role in allowed[to_status]
        ]
        if not acting_as:
            raise PermissionDenied(_("Bạn không có quyền chuyển đơn này sang trạng thái đó."))
        if to_status == S.REFUNDED and locked.payment_status != PaymentStatus.PAID:
            raise ValidationError(
                _("Đơn chưa được thanh toán nên không có gì để hoàn tiền."), code="not_paid"
            )
        before = locked.status
        if to_status == S.CONFIRMED:
            locked.reservations.filter(status=ReservationStatus.HELD).update(
                status=ReservationStatus.COMMITTED
            )
        if to_status in (S.CANCELLED, S.REJECTED) and before in _RESTOCKABLE:
            _restock(locked, now)
        if to_status == S.DELIVERED and locked.payment_method == PaymentMethod.COD:
            locked.payment_status = PaymentStatus.PAID
        if to_status == S.REFUNDED:
            locked.payment_status = PaymentStatus.REFUNDED
        locked.status = to_status
        locked.status_changed_at = now
        locked.save(update_fields=["status", "status_changed_at", "payment_status"])
        OrderEvent.objects.create(
            order=locked,
            from_status=before,
            to_status=to_status,
            actor=by,
            actor_role=acting_as[0],
            note=note,
            occurred_at=now,
            province_id=locked.province_id,
            commune_id=locked.commune_id,
        )
        audit_record(
            action="orders.order_transition",
            target=locked,
            actor=by,
            changes={"status": [before, to_status]},
        )
        if to_status == S.DELIVERED and locked.payment_method == PaymentMethod.COD:
            from nongsan.payments.services import payout_schedule

            payout_schedule(order=locked, now=now)
        if to_status == S.DELIVERED:
            # A delivery is a sale: the seller's funnel stage on this platform follows it.
            sale_stages_derive(households=order_sellers(locked), today=timezone.localdate(now))
        values = {"reference": locked.reference}
        with override("vi"):
            if to_status in _BUYER_NOTICES:
                _notify(
                    locked.buyer_phone,
                    f"order_{to_status}",
                    str(_BUYER_NOTICES[to_status]) % values,
                )
            if to_status in _SELLER_NOTICES:
                _notify(
                    _seller_phone(locked),
                    f"order_{to_status}",
                    str(_SELLER_NOTICES[to_status]) % values,
                )
    return locked


def reservations_expire(*, now: datetime.datetime | None = None) -> int:
    """Cancel the orders whose stock hold ran out (unpaid VietQR orders, forgotten orders),
    giving their stock back; answers how many were cancelled."""
    now = now or timezone.now()
    due = (
        Order.objects.filter(
            status=S.PLACED,
            reservations__status=ReservationStatus.HELD,
            reservations__expires_at__lte=now,
        )
        .distinct()
        .values_list("pk", flat=True)
    )
    cancelled = 0
    for order_id in list(due):
        with transaction.atomic():
            order = Order.objects.select_for_update(of=("self",)).get(pk=order_id)
            if order.status != S.PLACED:
                continue
            order_transition(
                order=order,
                to_status=S.CANCELLED,
                by=None,
                as_system=True,
                note=_("Hết thời gian giữ hàng."),
                now=now,
            )
            cancelled += 1
    return cancelled


def _assistants(order: Order) -> list[User]:
    condition = Q(household_id=order.household_id) if order.household_id else Q(pk__in=[])
    if order.household_id and order.household and order.household.user_id:
        condition |= Q(seller_id=order.household.user_id)
    if order.cooperative_id and order.cooperative and order.cooperative.manager_id:
        condition |= Q(seller_id=order.cooperative.manager_id)
    return [
        assistance.assistant
        for assistance in Assistance.objects.filter(condition, ended_at__isnull=True)
        .select_related("assistant")
        .order_by("pk")
    ]


def _commune_officers(order: Order) -> list[User]:
    return [
        grant.user
        for grant in RoleGrant.objects.active()
        .filter(role=Role.COMMUNE_OFFICER, unit_id=order.commune_id)
        .select_related("user")
        .order_by("pk")
    ]


def orders_escalate(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Chase orders nobody confirmed: remind the seller, then tell the assistant assigned to
    the household, then the commune officer; at the deadline cancel the order, release its
    stock and tell the buyer. Each order climbs every step whose time has come, once."""
    now = now or timezone.now()
    counts = {"reminded": 0, "assistant": 0, "officer": 0, "cancelled": 0}
    steps = (
        (1, limit("ORDERS_REMIND_SELLER_AFTER"), "reminded"),
        (2, limit("ORDERS_NOTIFY_ASSISTANT_AFTER"), "assistant"),
        (3, limit("ORDERS_NOTIFY_OFFICER_AFTER"), "officer"),
    )
    deadline = limit("ORDERS_CONFIRMATION_DEADLINE")
    first_step = min(step[1] for step in steps)
    due = Order.objects.filter(status=S.PLACED, placed_at__lte=now - first_step).values_list(
        "pk", flat=True
    )
    for order_id in list(due):
        with transaction.atomic():
            order = (
                Order.objects.select_for_update(of=("self",))
                .select_related("household__user", "cooperative__manager")
                .get(pk=order_id)
            )
            if order.status != S.PLACED:
                continue
            age = now - order.placed_at
            if age >= deadline:
                order_transition(
                    order=order,
                    to_status=S.CANCELLED,
                    by=None,
                    as_system=True,
                    note=_("Người bán không xác nhận đúng hạn."),
                    now=now,
                )
                counts["cancelled"] += 1
                continue
            values = {"reference": order.reference}
            for level, after, name in steps:
                if order.escalation_level >= level or age < after:
                    continue
                with override("vi"):
                    if level == 1:
                        _notify(
                            _seller_phone(order),
                            "order_reminder",
                            _("Nông Sàn: đơn %(reference)s đang chờ bạn xác nhận.") % values,
                        )
                    else:
                        people = _assistants(order) if level == 2 else _commune_officers(order)
                        text = _(
                            "Nông Sàn: đơn %(reference)s của hộ bạn phụ trách chưa được xác "
                            "nhận. Vui lòng liên hệ người bán."
                        )
                        for person in people:
                            _notify(person.phone, "order_escalation", text % values)
                order.escalation_level = level
                counts[name] += 1
                audit_record(
                    action="orders.order_escalate",
                    target=order,
                    changes={"escalation_level": [level - 1, level]},
                )
            order.save(update_fields=["escalation_level"])
    return counts
