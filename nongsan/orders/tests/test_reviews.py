"""Reviews: only the buyer of a delivered order rates it, once; only its seller replies, once;
ratings add up per seller and show on the shop and the listing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from nongsan.catalog.tests.test_photos import image_bytes, upload
from nongsan.orders.models import OrderStatus, Review
from nongsan.orders.reviews import review_reply, review_write
from nongsan.orders.selectors import Rating, seller_key, seller_ratings
from nongsan.orders.services import order_transition
from nongsan.orders.tests.factories import buyer, on_sale, placed_order, postal_staff
from nongsan.producers.tests.factories import make_user, staff_user

pytestmark = pytest.mark.django_db

S = OrderStatus


def _seller(order):
    household = order.household
    if household.user is None:
        household.user = make_user()
        household.save(update_fields=["user"])
    return household.user


def delivered(row=None, who=None):
    """An order walked to delivered by its seller and the platform's staff."""
    order = placed_order(row, who=who)
    seller, staff = _seller(order), staff_user()
    for status in (S.CONFIRMED, S.PACKED, S.HANDED_TO_CARRIER, S.IN_TRANSIT, S.DELIVERED):
        order_transition(
            order=order, to_status=status, by=seller if status in (S.CONFIRMED, S.PACKED) else staff
        )
    order.refresh_from_db()
    return order


def test_the_buyer_of_a_delivered_order_rates_it_with_a_cleaned_photo(admin_units):
    order = delivered()
    review = review_write(
        order=order,
        by=order.buyer,
        stars="5",
        text="  Vải   ngọt, giao nhanh ",
        photo=upload(image_bytes()),
    )
    assert (review.stars, review.text) == (5, "Vải ngọt, giao nhanh")
    assert review.household_id == order.household_id
    assert review.photo_small.name.endswith(".webp")
    assert default_storage.exists(review.photo_large.name)


@pytest.mark.parametrize("who", ["stranger", "seller", "staff", "carrier", "anonymous"])
def test_nobody_but_the_buyer_may_review(admin_units, who):
    order = delivered()
    person = {
        "stranger": lambda: buyer(),
        "seller": lambda: _seller(order),
        "staff": staff_user,
        "carrier": lambda: _carrier(),
        "anonymous": lambda: None,
    }[who]()
    with pytest.raises(PermissionDenied):
        review_write(order=order, by=person, stars=4)
    assert not Review.objects.exists()


def _carrier():
    return postal_staff()


@pytest.mark.parametrize("status", [S.PLACED, S.CONFIRMED, S.CANCELLED])
def test_an_order_not_delivered_cannot_be_reviewed(admin_units, status):
    order = placed_order()
    if status != S.PLACED:
        order_transition(order=order, to_status=status, by=_seller(order))
    with pytest.raises(ValidationError, match="đã giao"):
        review_write(order=order, by=order.buyer, stars=4)


def test_an_order_is_reviewed_once(admin_units):
    order = delivered()
    review_write(order=order, by=order.buyer, stars=4)
    with pytest.raises(ValidationError, match="đã đánh giá"):
        review_write(order=order, by=order.buyer, stars=1)
    assert Review.objects.get().stars == 4


@pytest.mark.parametrize("stars", [0, 6, "", "4.5", "năm", True, None, -1])
def test_stars_outside_one_to_five_are_refused(admin_units, stars):
    order = delivered()
    with pytest.raises(ValidationError, match="1 đến 5 sao"):
        review_write(order=order, by=order.buyer, stars=stars)
    assert not Review.objects.exists()


def test_an_overlong_text_or_a_bad_photo_writes_nothing(admin_units):
    order = delivered()
    with pytest.raises(ValidationError, match="1000"):
        review_write(order=order, by=order.buyer, stars=3, text="a" * 1001)
    with pytest.raises(ValidationError, match="không phải ảnh"):
        review_write(order=order, by=order.buyer, stars=3, photo=upload(b"%PDF-1.4 not a photo"))
    assert not Review.objects.exists()


def test_the_seller_replies_once_and_nobody_else_may(admin_units):
    order = delivered()
    review = review_write(order=order, by=order.buyer, stars=2, text="Hơi dập")
    for person in (order.buyer, buyer(), None):
        with pytest.raises(PermissionDenied):
            review_reply(review=review, by=person, text="Cảm ơn")
    with pytest.raises(ValidationError, match="nội dung"):
        review_reply(review=review, by=_seller(order), text="   ")
    answered = review_reply(review=review, by=_seller(order), text="Xin lỗi, lần sau đóng kỹ hơn")
    assert answered.replied_at is not None
    with pytest.raises(ValidationError, match="đã được trả lời"):
        review_reply(review=review, by=_seller(order), text="Lần nữa")
    assert Review.objects.get().reply == "Xin lỗi, lần sau đóng kỹ hơn"


def test_seller_ratings_average_per_seller_in_one_query_per_kind(
    admin_units, django_assert_num_queries
):
    row = on_sale()
    for stars in (5, 4, 4):
        order = delivered(row)
        review_write(order=order, by=order.buyer, stars=stars)
    other = delivered()
    review_write(order=other, by=other.buyer, stars=3)
    household_key = seller_key(row.household)
    other_key = seller_key(other.household)
    unreviewed = seller_key(on_sale().household)
    with django_assert_num_queries(1):
        ratings = seller_ratings([household_key, other_key, unreviewed])
    assert ratings[household_key] == Rating(Decimal("4.3"), 3)
    assert ratings[other_key] == (Decimal("3.0"), 1)
    assert ratings[unreviewed] == Rating(None, 0)
    with django_assert_num_queries(2):
        both = seller_ratings([household_key, ("cooperative", 999999)])
    assert both[("cooperative", 999999)] == Rating(None, 0)
    with pytest.raises(ValueError, match="unknown seller kind"):
        seller_ratings([("trader", 1)])


def test_ratings_show_on_the_shop_and_the_listing(admin_units, client):
    row = on_sale()
    assert (
        "Chưa có đánh giá"
        in client.get(reverse("catalog:listing-page", args=[row.pk])).content.decode()
    )
    for stars in (5, 4):
        order = delivered(row)
        review_write(order=order, by=order.buyer, stars=stars)
    for url in (
        reverse("catalog:listing-page", args=[row.pk]),
        reverse("catalog:household-shop", args=[row.household_id]),
    ):
        assert "4,5/5 · 2 đánh giá" in client.get(url).content.decode()


def test_the_buyer_reviews_and_the_seller_replies_from_the_order_page(admin_units, client):
    order = delivered()
    client.force_login(order.buyer)
    page = client.get(reverse("orders:order", args=[order.pk])).content.decode()
    assert "Gửi đánh giá" in page
    client.post(
        reverse("orders:review-write", args=[order.pk]),
        {"stars": "4", "text": "Ngon", "photo": upload(image_bytes())},
    )
    assert Review.objects.get().stars == 4
    assert (
        "Gửi đánh giá" not in client.get(reverse("orders:order", args=[order.pk])).content.decode()
    )
    client.force_login(_seller(order))
    client.post(reverse("orders:review-reply", args=[order.pk]), {"reply": "Cảm ơn bạn"})
    assert "Cảm ơn bạn" in client.get(reverse("orders:order", args=[order.pk])).content.decode()


def test_a_stranger_posting_a_review_gets_404(admin_units, client):
    order = delivered()
    client.force_login(buyer())
    response = client.post(reverse("orders:review-write", args=[order.pk]), {"stars": "5"})
    assert response.status_code == 404
    assert not Review.objects.exists()
