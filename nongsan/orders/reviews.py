"""Writes of reviews: the buyer of a delivered order rates it once (stars, text, an optional
photo cleaned like a listing's), and the seller answers once. Nobody else may do either."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.accounts.models import User
from nongsan.audit.services import audit_record
from nongsan.catalog.photos import photo_variants
from nongsan.orders.models import ActorRole, Order, OrderStatus, Review

MAX_TEXT = 1000
# Only goods that reached the buyer can be judged.
REVIEWABLE_STATUSES = frozenset({OrderStatus.DELIVERED, OrderStatus.COMPLETED})


def _clean_text(value: Any, field: str) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > MAX_TEXT:
        raise ValidationError({field: [_("Nội dung dài tối đa 1000 ký tự.")]})
    return text


def _parse_stars(value: Any) -> int:
    if isinstance(value, bool):
        value = ""
    try:
        stars = int(str(value).strip())
    except ValueError:
        stars = 0
    if not 1 <= stars <= 5 or str(value).strip() not in {"1", "2", "3", "4", "5"}:
        raise ValidationError({"stars": [_("Vui lòng chọn từ 1 đến 5 sao.")]})
    return stars


def review_write(
    *,
    order: Order,
    by: User | None,
    stars: Any,
    text: str = "",
    photo: Any = None,
    now: datetime.datetime | None = None,
) -> Review:
    """The buyer rates their delivered order, once; everyone else is refused."""
    now = now or timezone.now()
    if by is None or not by.is_authenticated or order.buyer_id is None or order.buyer_id != by.pk:
        raise PermissionDenied(_("Chỉ người mua của đơn này được đánh giá đơn."))
    if order.status not in REVIEWABLE_STATUSES:
        raise ValidationError(_("Chỉ đánh giá được đơn đã giao tới bạn."), code="not_delivered")
    if Review.objects.filter(order=order).exists():
        raise ValidationError(_("Bạn đã đánh giá đơn này rồi."), code="reviewed")
    checked_stars = _parse_stars(stars)
    checked_text = _clean_text(text, "text")
    variants = photo_variants(photo) if photo else []
    saved: list[str] = []
    try:
        with transaction.atomic():
            review = Review(
                order=order,
                buyer=by,
                household_id=order.household_id,
                cooperative_id=order.cooperative_id,
                stars=checked_stars,
                text=checked_text,
                created_at=now,
                province_id=order.province_id,
                commune_id=order.commune_id,
            )
            if variants:
                small, large = variants
                review.photo_small.save("small.webp", ContentFile(small.content), save=False)
                saved.append(review.photo_small.name)
                review.photo_large.save("large.webp", ContentFile(large.content), save=False)
                saved.append(review.photo_large.name)
            review.save()
            audit_record(
                action="orders.review_write",
                target=order,
                actor=by,
                changes={"stars": [None, checked_stars]},
            )
    except IntegrityError:
        for name in saved:
            default_storage.delete(name)
        raise ValidationError(_("Bạn đã đánh giá đơn này rồi."), code="reviewed") from None
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise
    return review


def review_reply(
    *, review: Review, by: User | None, text: str, now: datetime.datetime | None = None
) -> Review:
    """The seller (or whoever sells for them) answers a review, once."""
    from nongsan.orders.services import actor_roles

    now = now or timezone.now()
    if ActorRole.SELLER not in actor_roles(by, review.order):
        raise PermissionDenied(_("Chỉ người bán của đơn này được trả lời đánh giá."))
    reply = _clean_text(text, "reply")
    if not reply:
        raise ValidationError({"reply": [_("Vui lòng viết nội dung trả lời.")]})
    with transaction.atomic():
        locked = Review.objects.select_for_update().get(pk=review.pk)
        if locked.replied_at is not None:
            raise ValidationError(_("Đánh giá này đã được trả lời."), code="replied")
        locked.reply = reply
        locked.replied_at = now
        locked.replied_by = by
        locked.save(update_fields=["reply", "replied_at", "replied_by"])
        audit_record(
            action="orders.review_reply",
            target=locked.order,
            actor=by,
            changes={"reply": [None, reply]},
        )
    return locked
