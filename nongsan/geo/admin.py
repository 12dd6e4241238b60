"""Django admin for the administrative geography.

The map's history is never edited here: units, names and crosswalk lines are shown read-only
(only a unit's English name, a translation rather than history, may be corrected). A later
rename or type change is recorded through the "record a rename" page, which calls
:func:`nongsan.geo.services.unit_rename` to add a dated change; merges and splits go through a
data migration. Foreign keys are therefore never edited here, so no select box over 13,000
units is ever rendered.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from nongsan.common.database import vi_ordered
from nongsan.common.text import fold
from nongsan.geo import services
from nongsan.geo.models import (
    LEGACY_LAST_DAY,
    AdministrativeChange,
    AdministrativeUnit,
    UnitLevel,
    UnitName,
    UnitSuccession,
    UnitType,
)


class FoldedSearchMixin:
    """Admin search that ignores diacritics and case: "luc ngan" finds "Lục Ngạn".

    ``folded_search_fields`` are matched by ``contains`` against the folded term,
    ``code_search_fields`` by ``startswith`` against the raw term.
    """

    folded_search_fields: tuple[str, ...] = ()
    code_search_fields: tuple[str, ...] = ()

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        search_term = "".join(char for char in search_term if char.isprintable())
        folded = fold(search_term)
        if not folded:
            return queryset, False
        condition = Q()
        for field in self.folded_search_fields:
            condition |= Q(**{f"{field}__contains": folded})
        for field in self.code_search_fields:
            condition |= Q(**{f"{field}__startswith": search_term.strip()})
        return queryset.filter(condition), False


class GeographyFilter(admin.SimpleListFilter):
    """Current units, units of the pre-2025 map, or units closed by a later change."""

    title = _("bản đồ")
    parameter_name = "geography"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("current", _("Hiện nay")),
            ("legacy", _("Trước 01/07/2025")),
            ("ended", _("Hết hiệu lực sau 01/07/2025")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "current":
            return queryset.filter(valid_until__isnull=True)
        if self.value() == "legacy":
            return queryset.filter(valid_until__lte=LEGACY_LAST_DAY)
        if self.value() == "ended":
            return queryset.filter(valid_until__gt=LEGACY_LAST_DAY)
        return queryset


class ProvinceFilter(admin.SimpleListFilter):
    """The province a unit lies in, each labelled with its validity (codes are reused)."""

    title = _("tỉnh / thành phố")
    parameter_name = "province"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        provinces = AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE).order_by(
            vi_ordered("short_name"), "valid_from"
        )
        choices: list[tuple[str, Any]] = []
        for province in provinces:
            if province.valid_until is None:
                label = gettext("%(name)s (%(code)s, hiện nay)")
            else:
                label = gettext("%(name)s (%(code)s, đến %(day)s)")
            day = province.valid_until.strftime("%d/%m/%Y") if province.valid_until else ""
            choices.append(
                (
                    str(province.pk),
                    label % {"name": province.name, "code": province.code, "day": day},
                )
            )
        return choices

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if not value or not value.isdigit():
            return queryset
        return queryset.filter(Q(province_id=value) | Q(pk=value))


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows history and never changes it."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class UnitNameInline(ReadOnlyInline):
    model = UnitName
    fields = readonly_fields = ("name", "unit_type", "valid_from", "valid_until", "change")
    verbose_name_plural = _("tên theo thời kỳ")

    def get_queryset(self, request: HttpRequest) -> QuerySet[UnitName]:
        return super().get_queryset(request).select_related("change")


class PredecessorInline(ReadOnlyInline):
    model = UnitSuccession
    fk_name = "successor"
    fields = readonly_fields = ("predecessor", "kind", "is_partial", "note", "change")
    verbose_name = _("hình thành từ")
    verbose_name_plural = _("hình thành từ")

    def get_queryset(self, request: HttpRequest) -> QuerySet[UnitSuccession]:
        return super().get_queryset(request).select_related("predecessor", "change")


class SuccessorInline(ReadOnlyInline):
    model = UnitSuccession
    fk_name = "predecessor"
    fields = readonly_fields = ("successor", "kind", "is_partial", "note", "change")
    verbose_name = _("đã chuyển thành")
    verbose_name_plural = _("đã chuyển thành")

    def get_queryset(self, request: HttpRequest) -> QuerySet[UnitSuccession]:
        return super().get_queryset(request).select_related("successor", "change")


class UnitRenameForm(forms.Form):
    """What a rename or type change needs: the new name and type, when, and on what basis."""

    new_name = forms.CharField(
        label=_("tên mới"),
        max_length=120,
        help_text=_("Tên đầy đủ có loại hình, ví dụ “Thành phố Đồng Nai”."),
    )
    new_unit_type = forms.ChoiceField(label=_("loại hình mới"), choices=UnitType.choices)
    effective_date = forms.DateField(
        label=_("ngày hiệu lực"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("Dạng dd/mm/yyyy, ví dụ 30/04/2026."),
    )
    legal_basis = forms.CharField(
        label=_("căn cứ pháp lý"),
        max_length=300,
        help_text=_("Số hiệu văn bản, ví dụ Nghị quyết số …/NQ-UBTVQH15."),
    )


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "unit_type", "province", "valid_from", "valid_until"]
    list_select_related = ["province"]
    list_filter = ["level", "unit_type", GeographyFilter, ProvinceFilter]
    search_fields = ["code", "name_folded", "short_name_folded"]
    search_help_text = _("Tìm theo mã hoặc tên, có dấu hoặc không dấu.")
    folded_search_fields = ("name_folded", "short_name_folded")
    code_search_fields = ("code",)
    ordering = ["level", "code", "valid_from"]
    show_full_result_count = False
    inlines = [UnitNameInline, PredecessorInline, SuccessorInline]
    actions = ["record_rename"]
    change_form_template = "geo/admin/unit_change_form.html"
    fields = (
        "level",
        "code",
        "unit_type",
        "name",
        "short_name",
        "name_folded",
        "short_name_folded",
        "english_name",
        "parent",
        "province",
        "district",
        "valid_from",
        "valid_until",
    )
    # A translation of the name is not history; everything else changes only by a dated change.
    readonly_fields = tuple(field for field in fields if field != "english_name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        rename = path(
            "<path:object_id>/record-rename/",
            self.admin_site.admin_view(self.rename_view),
            name="geo_administrativeunit_rename",
        )
        return [rename, *super().get_urls()]

    @admin.action(description=_("Ghi nhận đổi tên / đổi loại hình"), permissions=["change"])
    def record_rename(
        self, request: HttpRequest, queryset: QuerySet[AdministrativeUnit]
    ) -> HttpResponse | None:
        """Open the rename page for the one unit selected."""
        units = list(queryset[:2])
        if len(units) != 1:
            self.message_user(
                request,
                gettext("Hãy chọn đúng một đơn vị để ghi nhận đổi tên."),
                messages.ERROR,
            )
            return None
        return HttpResponseRedirect(
            reverse("admin:geo_administrativeunit_rename", args=[units[0].pk])
        )

    def rename_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Record a dated rename or type change of a current unit through the service."""
        unit = get_object_or_404(AdministrativeUnit, pk=object_id)
        if not self.has_change_permission(request, unit):
            raise PermissionDenied
        if request.method == "POST":
            form = UnitRenameForm(request.POST)
            if form.is_valid():
                try:
                    change = services.unit_rename(
                        unit=unit,
                        new_name=form.cleaned_data["new_name"],
                        new_unit_type=form.cleaned_data["new_unit_type"],
                        effective_date=form.cleaned_data["effective_date"],
                        legal_basis=form.cleaned_data["legal_basis"],
                        recorded_by=request.user,  # type: ignore[arg-type]
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    self.message_user(
                        request,
                        gettext("Đã ghi nhận: %(change)s.") % {"change": change},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse("admin:geo_administrativeunit_change", args=[unit.pk])
                    )
        else:
            form = UnitRenameForm(initial={"new_name": unit.name, "new_unit_type": unit.unit_type})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": unit,
            "form": form,
            "title": gettext("Ghi nhận đổi tên / đổi loại hình: %(name)s") % {"name": unit.name},
        }
        return TemplateResponse(request, "geo/admin/unit_rename.html", context)


@admin.register(UnitName)
class UnitNameAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "unit", "unit_type", "valid_from", "valid_until", "change"]
    list_select_related = ["unit", "change"]
    list_filter = ["unit_type", "unit__level", ("change", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "unit__code", "unit__name_folded"]
    search_help_text = _("Tìm theo mã hoặc tên đơn vị, có dấu hoặc không dấu.")
    folded_search_fields = ("unit__name_folded", "unit__short_name_folded")
    code_search_fields = ("unit__code",)
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["predecessor", "successor", "kind", "is_partial", "note", "change"]
    list_select_related = ["predecessor", "successor", "change"]
    list_filter = [
        "kind",
        "is_partial",
        "predecessor__level",
        ("change", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["predecessor__code", "predecessor__name_folded", "successor__name_folded"]
    search_help_text = _("Tìm theo mã hoặc tên đơn vị trước hay sau, có dấu hoặc không dấu.")
    folded_search_fields = (
        "predecessor__name_folded",
        "predecessor__short_name_folded",
        "successor__name_folded",
        "successor__short_name_folded",
    )
    code_search_fields = ("predecessor__code", "successor__code")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AdministrativeChange)
class AdministrativeChangeAdmin(admin.ModelAdmin):
    list_display = ["effective_date", "kind", "reference", "legal_basis", "recorded_by"]
    list_select_related = ["recorded_by"]
    list_filter = ["kind", "effective_date"]
    search_fields = ["reference", "legal_basis", "description"]
    date_hierarchy = "effective_date"
    fields = [
        "reference",
        "kind",
        "effective_date",
        "legal_basis",
        "description",
        "recorded_at",
        "recorded_by",
    ]
    # The wording of the decision may be corrected; what changed and when may not.
    readonly_fields = ["reference", "kind", "effective_date", "recorded_at", "recorded_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
