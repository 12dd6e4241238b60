from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from nongsan.accounts.forms import UserChangeForm, UserCreationForm
from nongsan.accounts.models import ApiToken, Assistance, OneTimeCode, RoleGrant, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ("phone",)
    list_display = ("phone", "full_name", "email", "preferred_language", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "preferred_language")
    search_fields = ("phone", "full_name", "email")
    fieldsets = (
        (None, {"fields": ("phone", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "email", "preferred_language")}),
        (
            _("Quyền"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("phone", "password1", "password2")}),)


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    """Read-mostly: grants are made through the service (authority checks, audit entries)."""

    list_display = (
        "user",
        "role",
        "assistant_kind",
        "unit",
        "granted_by",
        "granted_at",
        "revoked_at",
    )
    list_filter = ("role", "assistant_kind", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("user__phone", "user__full_name", "unit__name", "unit__code")
    list_select_related = ("user", "unit", "granted_by")
    readonly_fields = [field.name for field in RoleGrant._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Assistance)
class AssistanceAdmin(admin.ModelAdmin):
    list_display = (
        "assistant",
        "seller",
        "commune",
        "consent_recorded_at",
        "assigned_at",
        "ended_at",
    )
    list_filter = (
        ("consent_recorded_at", admin.EmptyFieldListFilter),
        ("ended_at", admin.EmptyFieldListFilter),
    )
    search_fields = (
        "assistant__phone",
        "assistant__full_name",
        "seller__phone",
        "seller__full_name",
    )
    list_select_related = ("assistant", "seller", "commune")
    readonly_fields = [field.name for field in Assistance._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OneTimeCode)
class OneTimeCodeAdmin(admin.ModelAdmin):
    """For support: when codes were asked for and used; the code itself is never stored."""

    list_display = ("phone", "purpose", "created_at", "expires_at", "used_at", "failed_attempts")
    list_filter = ("purpose",)
    search_fields = ("phone", "requested_ip")
    date_hierarchy = "created_at"
    exclude = ("code_hash",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "prefix", "user__phone")
    list_select_related = ("user",)
    exclude = ("digest",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
