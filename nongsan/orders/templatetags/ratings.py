"""``{% seller_rating seller %}``: a shop's stars and review count on the catalog's pages."""

from __future__ import annotations

from typing import Any

from django import template

from nongsan.orders.selectors import seller_key, seller_ratings

register = template.Library()


@register.inclusion_tag("orders/_rating.html")
def seller_rating(seller: Any) -> dict[str, Any]:
    """One grouped query for the household or cooperative given."""
    if seller is None:
        return {"rating": None}
    return {"rating": seller_ratings([seller_key(seller)])[seller_key(seller)]}
