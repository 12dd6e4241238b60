"""Registry pages: the list, a household's page, the assisted registration, the data export.

Thin: each view parses the request, calls one selector or service and renders.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from nongsan.accounts.models import User
from nongsan.geo.address import resolve_address
from nongsan.producers import selectors, services
from nongsan.producers.forms import HouseholdFilterForm, HouseholdRegistrationForm
from nongsan.producers.models import ConsentMethod, DuplicateFlag, Household, Purpose
from nongsan.producers.permissions import editable_households, visible_households

HOUSEHOLDS_PER_PAGE = 50
MAX_PAGE = 10_000
# Service field names that the registration form shows under another field.
_FORM_FIELD_OF = {"address_as_written": "address", "external_reference": None}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    return user


def _page_number(text: str | None) -> int:
    try:
        number = int(text or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def _page_url(request: HttpRequest, number: int) -> str:
    query = {key: value for key, value in request.GET.items() if key != "page" and value}
    query["page"] = str(number)
    return "?" + urlencode(query)


@login_required
@require_safe
def household_list(request: HttpRequest) -> HttpResponse:
    """The registry of the person's area, newest first, 50 a page (no total count: the
    national registry has millions of rows; filters narrow it)."""
    form = HouseholdFilterForm(request.GET or None)
    rows: list[Any] = []
    number = _page_number(request.GET.get("page"))
    has_next = False
    if not form.is_bound or form.is_valid():
        filters = form.cleaned_data if form.is_bound else {}
        households = selectors.household_list(
            user=request.user,
            query=filters.get("q") or "",
            commune=filters.get("commune"),
            certification=filters.get("certification") or "",
            channel=filters.get("channel"),
            stage=filters.get("stage") or "",
            stage_at_least=bool(filters.get("stage_at_least")),
            trained=filters.get("trained_flag"),
        )
        start = (number - 1) * HOUSEHOLDS_PER_PAGE
        rows = list(households[start : start + HOUSEHOLDS_PER_PAGE + 1])
        has_next = len(rows) > HOUSEHOLDS_PER_PAGE
        rows = rows[:HOUSEHOLDS_PER_PAGE]
    context = {
        "form": form,
        "households": rows,
        "page_number": number,
        "previous_url": _page_url(request, number - 1) if number > 1 else "",
        "next_url": _page_url(request, number + 1) if has_next else "",
    }
    return render(request, "producers/household_list.html", context)


def _detail_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    household = selectors.household_get(user=request.user, pk=pk)
    consent_records = list(household.consent_records.all())
    return {
        "household": household,
        "consent_records": consent_records,
        "active_purposes": sorted(
            {
                purpose.purpose
                for record in consent_records
                for purpose in record.purposes.all()
                if purpose.withdrawn_at is None
            }
        ),
        "purpose_labels": dict(Purpose.choices),
        "has_registry_consent": any(
            purpose.purpose == Purpose.REGISTRY and purpose.withdrawn_at is None
            for record in consent_records
            for purpose in record.purposes.all()
        ),
        "can_edit": editable_households(request.user).filter(pk=household.pk).exists(),
        "duplicate_flags": _duplicate_flags(request, household),
        "revealed_citizen_id": "",
    }


def _duplicate_flags(request: HttpRequest, household: Household) -> list[DuplicateFlag]:
    """The household's duplicate flags, each with the other household's number and name as
    ``counterpart_id`` / ``counterpart_name``: the name only when the person may see that
    household (a phone or citizen ID matches across the whole country), else empty."""
    flags = [*household.duplicate_flags.all(), *household.duplicate_flags_as_other.all()]
    pairs = [
        (flag, flag.other if flag.household_id == household.pk else flag.household)
        for flag in flags
    ]
    visible = set(
        visible_households(request.user)
        .filter(pk__in=[other.pk for _flag, other in pairs])
        .values_list("pk", flat=True)
    )
    for flag, other in pairs:
        flag.counterpart_id = other.pk  # type: ignore[attr-defined]
        flag.counterpart_name = (  # type: ignore[attr-defined]
            other.head_name if other.pk in visible else ""
        )
    return flags


@login_required
@require_safe
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "producers/household_detail.html", _detail_context(request, pk))


@login_required
@require_POST
def household_reveal_citizen_id(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full citizen ID once, on this response only; the reveal is audited."""
    household = get_object_or_404(visible_households(request.user), pk=pk)
    context = _detail_context(request, pk)
    try:
        context["revealed_citizen_id"] = services.household_reveal_citizen_id(
            user=_user(request), household=household
        )
    except PermissionDenied:
        return HttpResponse(status=403)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("producers:household-detail", pk=pk)
    response = render(request, "producers/household_detail.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def household_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about the household, as a JSON file (audited)."""
    household = get_object_or_404(visible_households(request.user), pk=pk)
    try:
        data = services.household_data_export(requested_by=_user(request), household=household)
    except PermissionDenied as error:
        raise Http404 from error
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="ho-san-xuat-{household.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(visible_households(request.user), pk=pk)
    try:
        services.consent_withdraw(
            withdrawn_by=_user(request),
            household=household,
            purpose=request.POST.get("purpose", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã ghi nhận việc hộ rút lại sự đồng ý."))
    return redirect("producers:household-detail", pk=pk)


def _attach_errors(form: HouseholdRegistrationForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.message_dict.items():
        field = _FORM_FIELD_OF.get(name, name)
        form.add_error(field if field in form.fields else None, errors)


@login_required
def household_register(request: HttpRequest) -> HttpResponse:
    """The assisted registration: a household and its consent in one form."""
    form = HouseholdRegistrationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        consent = services.ConsentInput(
            purposes=data["consent_purposes"],
            method=data["consent_method"],
            witness_name=data["witness_name"],
            paper_photo=data.get("paper_photo"),
        )
        try:
            household = services.household_register(
                registered_by=_user(request),
                head_name=data["head_name"],
                phone=data["phone"],
                commune=data["commune_unit"],
                consent=consent,
                citizen_id=data["citizen_id"],
                address_as_written=request.POST.get("address", ""),
                village=data["village"],
                main_produce=data["main_produce"],
                farm_area_hectares=data["farm_area_hectares"] or None,
            )
        except ValidationError as error:
            _attach_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã đăng ký hộ %(name)s.") % {"name": household.head_name})
            return redirect("producers:household-detail", pk=household.pk)
    context = {"form": form, "methods": ConsentMethod}
    return render(request, "producers/household_register.html", context)


@login_required
@require_safe
def address_suggestions(request: HttpRequest) -> HttpResponse:
    """The communes an address may mean, as radio buttons (htmx fills the form with them)."""
    address = (request.GET.get("address") or "").strip()
    resolution = resolve_address(address) if address else None
    return render(
        request,
        "producers/_address_candidates.html",
        {"resolution": resolution, "status_resolved": "resolved"},
    )
