"""Admin for the registry: read-only. The citizen ID shows only masked; its ciphertext and
index are never displayed. Every change of a household, its consent, its duplicates or a
cooperative goes through the services, which check the rules and write the audit trail
(law 91/2025/QH15); an admin form would do neither."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from nongsan.common.admin import ReadOnlyAdmin, ReadOnlyInline
from nongsan.producers.models import (
    Certification,
    ConsentPurpose,
    ConsentRecord,
    Cooperative,
    CooperativeMembership,
    DuplicateFlag,
    GrowingAreaCode,
    Household,
    HouseholdCreateRequest,
    HouseholdPhone,
    MergeRecord,
)


class HouseholdPhoneInline(ReadOnlyInline):
    model = HouseholdPhone


class CertificationInline(ReadOnlyInline):
    model = Certification
    fk_name = "household"
    exclude = ["cooperative"]
    raw_id_fields = ["province", "commune"]


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = [
        "head_name",
        "phone",
        "citizen_id_masked",
        "commune",
        "province",
        "status",
        "created_at",
    ]
    list_filter = ["status", "registered_via", "created_at"]
    search_fields = ["head_name_folded", "phone", "village_folded", "external_reference"]
    list_select_related = ["commune", "province"]
    raw_id_fields = ["province", "commune", "user", "merged_into", "registered_by"]
    readonly_fields = [
        "citizen_id_masked",
        "head_name_folded",
        "village_folded",
        "created_at",
        "updated_at",
        "erased_at",
    ]
    exclude = ["citizen_id_encrypted", "citizen_id_index"]
    inlines = [HouseholdPhoneInline, CertificationInline]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        from nongsan.common.text import fold

        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(HouseholdPhone)
class HouseholdPhoneAdmin(ReadOnlyAdmin):
    list_filter = ["household__province"]
    list_display = ["phone", "household", "label"]
    search_fields = ["phone"]
    raw_id_fields = ["household"]


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    list_display = [
        "kind",
        "ocop_stars",
        "number",
        "issuer",
        "expires_on",
        "household",
        "cooperative",
    ]
    list_filter = ["kind", "ocop_stars", "expires_on"]
    search_fields = ["number", "issuer", "product"]
    raw_id_fields = ["household", "cooperative", "province", "commune"]


@admin.register(GrowingAreaCode)
class GrowingAreaCodeAdmin(ReadOnlyAdmin):
    list_filter = ["province"]
    list_display = ["code", "crop", "household", "cooperative", "commune"]
    search_fields = ["code", "crop"]
    raw_id_fields = ["household", "cooperative", "province", "commune"]


class ConsentPurposeInline(ReadOnlyInline):
    model = ConsentPurpose
    raw_id_fields = ["household", "withdrawn_by"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ["household", "method", "given_at", "collected_by", "controller"]
    list_filter = ["method", "given_at"]
    search_fields = ["household__head_name_folded", "controller", "witness_name"]
    raw_id_fields = ["household", "collected_by", "province", "commune"]
    inlines = [ConsentPurposeInline]


@admin.register(ConsentPurpose)
class ConsentPurposeAdmin(ReadOnlyAdmin):
    list_display = ["household", "purpose", "withdrawn_at"]
    list_filter = ["purpose", ("withdrawn_at", admin.EmptyFieldListFilter)]
    search_fields = ["household__head_name_folded"]
    raw_id_fields = ["record", "household", "withdrawn_by"]


class MembershipInline(ReadOnlyInline):
    model = CooperativeMembership
    raw_id_fields = ["household", "province", "commune"]


@admin.register(Cooperative)
class CooperativeAdmin(ReadOnlyAdmin):
    list_display = ["name", "registration_number", "commune", "province", "manager", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name_folded", "registration_number"]
    raw_id_fields = ["province", "commune", "manager", "created_by"]
    readonly_fields = ["name_folded"]
    inlines = [MembershipInline]


@admin.register(CooperativeMembership)
class CooperativeMembershipAdmin(ReadOnlyAdmin):
    list_display = ["household", "cooperative", "joined_on", "left_on", "sells_on_behalf"]
    list_filter = ["sells_on_behalf", ("left_on", admin.EmptyFieldListFilter)]
    search_fields = ["cooperative__name_folded", "household__head_name_folded"]
    raw_id_fields = ["cooperative", "household", "province", "commune"]


@admin.register(DuplicateFlag)
class DuplicateFlagAdmin(ReadOnlyAdmin):
    list_display = ["household", "other", "reason", "status", "created_at"]
    list_filter = ["reason", "status"]
    search_fields = ["household__head_name_folded", "other__head_name_folded"]
    raw_id_fields = ["household", "other", "province", "commune", "resolved_by"]


@admin.register(MergeRecord)
class MergeRecordAdmin(ReadOnlyAdmin):
    list_display = ["absorbed", "survivor", "merged_by", "merged_at"]
    list_filter = ["merged_at"]
    search_fields = ["survivor__head_name_folded", "absorbed__head_name_folded"]
    raw_id_fields = ["survivor", "absorbed", "merged_by", "province", "commune"]
    readonly_fields = ["snapshot", "moved"]


@admin.register(HouseholdCreateRequest)
class HouseholdCreateRequestAdmin(ReadOnlyAdmin):
    list_filter = ["created_at"]
    list_display = ["key", "user", "household", "created_at"]
    search_fields = ["key"]
    raw_id_fields = ["user", "household"]
    verbose_name = _("yêu cầu tạo hộ qua API")
