"""The cart: in the session for guests, in ``CartItem`` rows for signed-in buyers (so it
follows them from phone to computer). A guest's cart joins the account's when they sign in
and next open the cart."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from nongsan.catalog.models import Listing
from nongsan.catalog.permissions import public_listings
from nongsan.orders.models import CartItem

SESSION_KEY = "orders_cart"
MAX_LINES = 50


@dataclass(frozen=True)
class CartLine:
    listing: Listing
    quantity: Decimal

    @property
    def estimated_vnd(self) -> int:
        return int(self.quantity * self.listing.price_vnd)


def _signed_in(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated)


def _session_lines(request: HttpRequest) -> dict[str, str]:
    lines = request.session.get(SESSION_KEY, {})
    return lines if isinstance(lines, dict) else {}


def cart_quantities(request: HttpRequest) -> dict[int, Decimal]:
    """Listing id → quantity; a guest's session cart is moved into the account on sign-in."""
    if not _signed_in(request):
        return {int(pk): Decimal(quantity) for pk, quantity in _session_lines(request).items()}
    guest = _session_lines(request)
    if guest:
        with transaction.atomic():
            for pk, quantity in guest.items():
                if Listing.objects.filter(pk=int(pk)).exists():
                    CartItem.objects.update_or_create(
                        user=request.user,
                        listing_id=int(pk),
                        defaults={"quantity": Decimal(quantity)},
                    )
        request.session.pop(SESSION_KEY, None)
    return dict(
        CartItem.objects.filter(user=request.user).values_list("listing_id", "quantity")  # type: ignore[misc]
    )


def cart_set(request: HttpRequest, *, listing: Listing, quantity: Decimal | None) -> None:
    """Put ``quantity`` of ``listing`` in the cart (None or 0 takes it out)."""
    if _signed_in(request):
        user: Any = request.user
        if not quantity:
            CartItem.objects.filter(user=user, listing=listing).delete()
        elif CartItem.objects.filter(user=user).exclude(listing=listing).count() < MAX_LINES:
            CartItem.objects.update_or_create(
                user=user, listing=listing, defaults={"quantity": quantity}
            )
        return
    lines = dict(_session_lines(request))
    if not quantity:
        lines.pop(str(listing.pk), None)
    elif len(lines) < MAX_LINES or str(listing.pk) in lines:
        lines[str(listing.pk)] = str(quantity)
    request.session[SESSION_KEY] = lines


def cart_clear(request: HttpRequest) -> None:
    if _signed_in(request):
        CartItem.objects.filter(user=request.user).delete()  # type: ignore[misc]
    request.session.pop(SESSION_KEY, None)


def cart_lines(request: HttpRequest) -> list[CartLine]:
    """What is in the cart and still on sale, grouped by seller (one order each)."""
    quantities = cart_quantities(request)
    listings = (
        public_listings()
        .filter(pk__in=sorted(quantities))
        .select_related("household", "cooperative", "produce_type")
        .order_by("household_id", "cooperative_id", "pk")
    )
    return [CartLine(listing=row, quantity=quantities[row.pk]) for row in listings]


def cart_unavailable(request: HttpRequest) -> list[tuple[CartLine, str]]:
    """Lines of the cart that cannot be bought now (paused, sold out, gone) and why: shown
    on the cart so the buyer can take them out, and refused by checkout, never dropped."""
    from nongsan.orders.services import unavailable_reason

    quantities = cart_quantities(request)
    on_sale = set(public_listings().filter(pk__in=sorted(quantities)).values_list("pk", flat=True))
    rows = Listing.objects.filter(pk__in=sorted(set(quantities) - on_sale)).order_by("pk")
    return [
        (CartLine(listing=row, quantity=quantities[row.pk]), unavailable_reason(row))
        for row in rows
    ]
