"""Marketplace pages: search, a listing, a seller's shop, a produce type, a lot's
traceability page with its QR code, and listing from a phone in three steps.

Thin: each view parses the request, calls one selector or service and renders.
"""

from __future__ import annotations

import datetime
import io
from typing import Any
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from nongsan.accounts.models import User
from nongsan.catalog import selectors, services
from nongsan.catalog.forms import (
    ListingEditForm,
    LotForm,
    QuickEditForm,
    SearchForm,
    SellHowMuchForm,
    SellWhatForm,
    SellWhenForm,
)
from nongsan.catalog.labels import lot_labels_pdf
from nongsan.catalog.models import ListingPhoto, ProduceCategory, ProduceType
from nongsan.catalog.permissions import editable_listings, editable_lots
from nongsan.catalog.search import listing_search, search_arguments
from nongsan.catalog.serializers import certifications_of
from nongsan.producers.models import Cooperative, Household, Purpose

SESSION_KEY = "catalog_sell"
PAGE_SIZE = 20


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    return user


def _page_url(request: HttpRequest, number: int) -> str:
    query = {key: value for key, value in request.GET.items() if key != "page" and value}
    query["page"] = str(number)
    return "?" + urlencode(query)


def _search_page(
    request: HttpRequest, template: str, extra: dict[str, Any], filters: dict[str, Any]
) -> HttpResponse:
    """Search results with the request's own filters, refused ones explained, not ignored."""
    form = SearchForm(request.GET or None)
    result = None
    errors: list[str] = []
    try:
        arguments = search_arguments(request.GET)
        arguments["filters"].update(filters)
        arguments["page_size"] = PAGE_SIZE
        result = listing_search(**arguments)
    except ValidationError as error:
        errors = error.messages
    labels = dict(ProduceCategory.choices)
    context = {
        "form": form,
        "result": result,
        "errors": errors,
        "category_facets": [
            (category, labels.get(category, category), count)
            for category, count in (result.facets.get("category", {}) if result else {}).items()
        ],
        "previous_url": _page_url(request, result.page - 1)
        if result and result.has_previous
        else "",
        "next_url": _page_url(request, result.page + 1) if result and result.has_next else "",
        **extra,
    }
    return render(request, template, context, status=400 if errors else 200)


@require_safe
def market(request: HttpRequest) -> HttpResponse:
    """/cho/: the marketplace search, with or without diacritics."""
    return _search_page(request, "catalog/search.html", {}, {})


@require_safe
def in_season(request: HttpRequest) -> HttpResponse:
    """The home page's "in season" block (fetched by htmx after the home page loads)."""
    listings = selectors.listings_in_season(limit=6)
    return render(request, "catalog/_in_season.html", {"listings": listings})


@require_safe
def listing_page(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.listing_get(user=request.user, pk=pk)
    context = {
        "listing": listing,
        "certifications": certifications_of(listing),
        "lots": list(listing.lots.order_by("-harvested_on")[:10]),
        "can_edit": editable_listings(request.user).filter(pk=pk).exists(),
        "lot_form": LotForm(initial={"harvested_on": timezone.localdate()}),
        "edit_form": QuickEditForm(
            initial={
                "price_vnd": listing.price_vnd,
                "stock_quantity": listing.stock_quantity.normalize(),
                "available_until": listing.available_until,
            }
        ),
        "in_season": listing.is_in_season_on(timezone.localdate()),
    }
    return render(request, "catalog/listing.html", context)


@require_safe
def household_shop(request: HttpRequest, pk: int) -> HttpResponse:
    """A household's shop: its listings on sale (only while it agrees to selling)."""
    # Only a household that agreed to selling has a public shop: its name is personal data.
    sellers = Household.objects.active().with_consent(Purpose.MARKETPLACE)
    seller = get_object_or_404(sellers.select_related("commune", "province"), pk=pk)
    return _search_page(request, "catalog/shop.html", {"seller": seller}, {"household": seller.pk})


@require_safe
def cooperative_shop(request: HttpRequest, pk: int) -> HttpResponse:
    seller = get_object_or_404(
        Cooperative.objects.select_related("commune", "province"), pk=pk, is_active=True
    )
    return _search_page(
        request, "catalog/shop.html", {"seller": seller}, {"cooperative": seller.pk}
    )


@require_safe
def produce_type_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Who sells this produce, where, and in which months of the coming year."""
    produce_type = get_object_or_404(ProduceType, slug=slug, is_active=True)
    months = selectors.produce_type_months(produce_type=produce_type)
    return _search_page(
        request,
        "catalog/produce_type.html",
        {"produce_type": produce_type, "months": months},
        {"produce_type": produce_type.pk},
    )


@require_safe
def lot_page(request: HttpRequest, code: str) -> HttpResponse:
    lot = selectors.lot_get(user=request.user, code=code)
    context = {
        "lot": lot,
        "listing": lot.listing,
        "grower": lot.listing.grower or lot.listing.household or lot.listing.cooperative,
        "certifications": certifications_of(lot.listing),
        "today": timezone.localdate(),
    }
    return render(request, "catalog/lot.html", context)


def _lot_qr(request: HttpRequest, code: str) -> segno.QRCode:
    lot = selectors.lot_get(user=request.user, code=code)
    url = request.build_absolute_uri(reverse("catalog:lot-page", args=[lot.code]))
    return segno.make(url, error="m")


@require_safe
def lot_qr_svg(request: HttpRequest, code: str) -> HttpResponse:
    buffer = io.BytesIO()
    _lot_qr(request, code).save(buffer, kind="svg", scale=6, border=2, xmldecl=False)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@require_safe
def lot_qr_png(request: HttpRequest, code: str) -> HttpResponse:
    buffer = io.BytesIO()
    _lot_qr(request, code).save(buffer, kind="png", scale=8, border=2)
    return HttpResponse(buffer.getvalue(), content_type="image/png")


@login_required
@require_safe
def lot_labels(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable sheet of labels with QR codes for a household's lots the person may edit."""
    lots = (
        editable_lots(request.user)
        .filter(listing__household_id=pk)
        .select_related(
            "listing__produce_type",
            "listing__household",
            "listing__cooperative",
            "listing__grower",
            "commune",
            "province",
        )  # fmt: skip
        .order_by("-harvested_on", "code")
    )
    if not lots.exists():
        raise Http404
    pdf = lot_labels_pdf(
        lots=lots,
        url_of=lambda lot: request.build_absolute_uri(reverse("catalog:lot-page", args=[lot.code])),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="nhan-lo-{pk}.pdf"'
    return response


def _editable_or_404(request: HttpRequest, pk: int) -> Any:
    return get_object_or_404(editable_listings(request.user), pk=pk)


def _refused(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    for message in error.messages if isinstance(error, ValidationError) else [str(error)]:
        messages.error(request, message)


@login_required
@require_POST
def listing_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish or pause, from the listing's page."""
    listing = _editable_or_404(request, pk)
    try:
        if request.POST.get("status") == "active":
            services.listing_publish(published_by=_user(request), listing=listing)
            messages.success(request, _("Đã đăng bán."))
        elif request.POST.get("status") == "paused":
            services.listing_pause(paused_by=_user(request), listing=listing)
            messages.success(request, _("Đã tạm ngừng bán."))
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    return _back(request, pk)


@login_required
@require_POST
def listing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the price, the quantity left or the last day from the listing's page."""
    listing = _editable_or_404(request, pk)
    form = QuickEditForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for ms in form.errors.values() for m in ms])
        services.listing_update(
            updated_by=_user(request), listing=listing, changes=form.cleaned_data
        )
        messages.success(request, _("Đã lưu thay đổi."))
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    return redirect("catalog:listing-page", pk=pk)


@login_required
@require_POST
def listing_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _editable_or_404(request, pk)
    upload = request.FILES.get("photo")
    try:
        if upload is None:
            raise ValidationError(_("Hãy chọn một ảnh."))
        services.listing_photo_add(added_by=_user(request), listing=listing, upload=upload)
        messages.success(request, _("Đã thêm ảnh."))
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    return _back(request, pk)


@login_required
@require_POST
def listing_lot_add(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _editable_or_404(request, pk)
    form = LotForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for ms in form.errors.values() for m in ms])
        lot = services.lot_create(created_by=_user(request), listing=listing, **form.cleaned_data)
        messages.success(request, _("Đã tạo lô %(code)s.") % {"code": lot.code})
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    return redirect("catalog:listing-page", pk=pk)


def _back(request: HttpRequest, pk: int) -> HttpResponse:
    """To the edit page when the form came from there, else to the listing's page."""
    if request.POST.get("return_to") == "edit":
        return redirect("catalog:listing-edit-page", pk=pk)
    return redirect("catalog:listing-page", pk=pk)


def _quantity_text(value: Any) -> str:
    """``Decimal("100.000")`` as ``100``, ``1.5`` as ``1,5`` (never ``1E+2``)."""
    return format(value.normalize(), "f").replace(".", ",")


def _edit_initial(listing: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "produce_type": listing.produce_type.slug,
        "title": listing.title,
        "description": listing.description,
        "price_vnd": listing.price_vnd,
        "unit": listing.unit,
        "stock_quantity": _quantity_text(listing.stock_quantity),
        "minimum_order_quantity": _quantity_text(listing.minimum_order_quantity),
        "available_from": listing.available_from,
        "available_until": listing.available_until,
        "growing_area_code": listing.growing_area_code,
    }
    for number, tier in enumerate(listing.price_tiers.order_by("min_quantity"), start=1):
        initial[f"tier_quantity_{number}"] = _quantity_text(tier.min_quantity)
        initial[f"tier_price_{number}"] = tier.price_vnd
    return initial


def _only_changed(changes: dict[str, Any], initial: dict[str, Any]) -> dict[str, Any]:
    """What the person changed: an old listing keeps its past window unless it is edited."""
    current_tiers = [
        {
            "min_quantity": str(initial[f"tier_quantity_{n}"]),
            "price_vnd": str(initial[f"tier_price_{n}"]),
        }
        for n in range(1, 6)
        if f"tier_quantity_{n}" in initial
    ]
    changed = {
        name: value
        for name, value in changes.items()
        if name != "price_tiers" and str(value) != str(initial.get(name, ""))
    }
    if changes["price_tiers"] != current_tiers:
        changed["price_tiers"] = changes["price_tiers"]
    return changed


@login_required
@require_http_methods(["GET", "POST"])
def listing_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole listing on one phone page: every field the API can change, the status,
    the photos (remove, reorder, add). Refusals come back on the fields they name."""
    listing = _editable_or_404(request, pk)
    initial = _edit_initial(listing)
    area_codes = sorted(
        services.seller_area_codes(listing.household, listing.cooperative, listing.grower)
    )
    form = ListingEditForm(
        request.POST if request.method == "POST" else None, initial=initial, area_codes=area_codes
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            changes = _only_changed(form.changes(), initial)
            try:
                if changes:
                    services.listing_update(
                        updated_by=_user(request), listing=listing, changes=changes
                    )
            except ValidationError as error:
                # A refusal of the whole listing (the seller may no longer sell) has no field.
                by_field = error.message_dict if hasattr(error, "error_dict") else {}
                if not by_field:
                    form.add_error(None, error.messages)
                for name, problems in by_field.items():
                    if name == "price_tiers":
                        form.add_error(
                            None,
                            [
                                _("Giá theo số lượng: %(message)s") % {"message": m}
                                for m in problems
                            ],
                        )
                    else:
                        form.add_error(name if name in form.fields else None, problems)
            else:
                messages.success(request, _("Đã lưu thay đổi."))
                return redirect("catalog:listing-edit-page", pk=pk)
    context = {
        "listing": listing,
        "form": form,
        "photos": list(listing.photos.order_by("position", "pk")),
        "certifications": certifications_of(listing),
        "max_photos": services.MAX_PHOTOS,
    }
    return render(request, "catalog/listing_edit.html", context, status=status)


def _photo_or_404(request: HttpRequest, pk: int, photo_pk: int) -> ListingPhoto:
    listing = _editable_or_404(request, pk)
    return get_object_or_404(
        ListingPhoto.objects.select_related("listing"), pk=photo_pk, listing=listing
    )


@login_required
@require_POST
def listing_photo_remove(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    photo = _photo_or_404(request, pk, photo_pk)
    try:
        services.listing_photo_remove(removed_by=_user(request), photo=photo)
        messages.success(request, _("Đã xoá ảnh."))
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    return redirect("catalog:listing-edit-page", pk=pk)


@login_required
@require_POST
def listing_photo_move(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """One place earlier or later; with htmx the page swaps only the photo list."""
    photo = _photo_or_404(request, pk, photo_pk)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""), 0)
    try:
        services.listing_photo_move(moved_by=_user(request), photo=photo, step=step)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    return redirect("catalog:listing-edit-page", pk=pk)


# -- listing from a phone, in three steps --------------------------------------------------
STEPS = ("what", "how_much", "when")


def _sellers(user: User) -> list[tuple[str, str]]:
    """Households (``h<id>``) and managed cooperatives (``c<id>``) the person lists for."""
    households = [
        (f"h{household.pk}", f"{household.head_name} · {household.commune.name}")
        for household in selectors.households_user_sells_for(user=user)
    ]
    cooperatives = [
        (f"c{cooperative.pk}", f"{cooperative.name} · {cooperative.commune.name}")
        for cooperative in selectors.cooperatives_user_sells_for(user=user)
    ]
    return households + cooperatives


def _step_url(step: int) -> str:
    return reverse("catalog:sell", args=[step]) if step > 1 else reverse("catalog:sell-start")


@login_required
@require_http_methods(["GET", "POST"])
def sell(request: HttpRequest, step: int = 1) -> HttpResponse:
    """List produce in three short steps (what → how much and price → when); the answers
    wait in the session until the last step creates and publishes the listing."""
    user = _user(request)
    saved: dict[str, Any] = request.session.get(SESSION_KEY, {})
    if step not in (1, 2, 3) or any(STEPS[number] not in saved for number in range(step - 1)):
        return redirect(_step_url(1))
    sellers = _sellers(user)
    if not sellers:
        return render(request, "catalog/sell_none.html", status=403)
    form_class: Any = (SellWhatForm, SellHowMuchForm, SellWhenForm)[step - 1]
    options: dict[str, Any] = {"sellers": sellers} if step == 1 else {}
    data = request.POST if request.method == "POST" else None
    form = form_class(data, initial=saved.get(STEPS[step - 1], {}), **options)
    service_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        values = {
            name: value.slug if isinstance(value, ProduceType) else value
            for name, value in form.cleaned_data.items()
        }
        if step == 2:
            for name, parse in (
                ("price_vnd", services.parse_price_vnd),
                ("stock_quantity", services.parse_quantity),
            ):
                try:
                    parse(values[name])
                except ValidationError as error:
                    form.add_error(name, error.messages)
        if form.is_valid() and step < 3:
            saved[STEPS[step - 1]] = {
                key: value.isoformat() if isinstance(value, datetime.date) else value
                for key, value in values.items()
            }
            request.session[SESSION_KEY] = saved
            return redirect(_step_url(step + 1))
        if form.is_valid():
            try:
                listing = _create_from_steps(user, saved, values)
            except ValidationError as error:
                service_errors = error.messages
            except PermissionDenied as error:
                service_errors = [str(error)]
            else:
                request.session.pop(SESSION_KEY, None)
                messages.success(
                    request, _("Đã đăng bán: người mua tìm được tin của bạn từ bây giờ.")
                )
                return redirect("catalog:listing-page", pk=listing.pk)
    context = {
        "form": form,
        "step": step,
        "steps": [_("Bán gì"), _("Bao nhiêu, giá nào"), _("Khi nào")],
        "previous_url": _step_url(step - 1) if step > 1 else "",
        "service_errors": service_errors,
    }
    return render(request, "catalog/sell.html", context, status=400 if service_errors else 200)


def _create_from_steps(user: User, saved: dict[str, Any], last: dict[str, Any]) -> Any:
    what, how_much = saved["what"], saved["how_much"]
    kind, number = str(what["seller"])[:1], str(what["seller"])[1:]
    seller: dict[str, Any] = {}
    if kind == "h" and number.isdigit():
        seller["household"] = (
            selectors.households_user_sells_for(user=user).filter(pk=int(number)).first()
        )
    elif kind == "c" and number.isdigit():
        seller["cooperative"] = (
            selectors.cooperatives_user_sells_for(user=user).filter(pk=int(number)).first()
        )
    if not seller or None in seller.values():
        raise PermissionDenied(_("Bạn không được đăng bán thay người bán này."))
    with transaction.atomic():
        listing = services.listing_create(
            created_by=user,
            **seller,
            produce_type=what["produce_type"],
            title=what.get("title", ""),
            price_vnd=how_much["price_vnd"],
            unit=how_much["unit"],
            stock_quantity=how_much["stock_quantity"],
            minimum_order_quantity=how_much.get("minimum_order_quantity") or None,
            available_from=last["available_from"],
            available_until=last["available_until"],
            description=last.get("description", ""),
        )
        return services.listing_publish(published_by=user, listing=listing)
