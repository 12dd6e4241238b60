"""Admin for onboarding. Channels are added here; stages and their history are read-only,
because every move goes through ``stage_record`` (the rules and the audit trail)."""

from __future__ import annotations

from django.contrib import admin

from nongsan.common.admin import ReadOnlyAdmin
from nongsan.onboarding.models import (
    Attendance,
    Channel,
    ChannelStage,
    CommunityTechTeam,
    Course,
    CourseMaterial,
    StageEvent,
    TechTeamMember,
    Trainer,
    TrainingSession,
)


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "is_this_platform", "partner", "is_active", "position"]
    list_filter = ["kind", "is_active", "is_this_platform"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    raw_id_fields = ["partner"]


@admin.register(ChannelStage)
class ChannelStageAdmin(ReadOnlyAdmin):
    list_display = ["household", "channel", "stage", "reached_on", "source", "commune"]
    list_filter = ["channel", "stage", "source"]
    search_fields = ["household__head_name_folded", "household__phone"]
    list_select_related = ["household", "channel", "commune"]
    raw_id_fields = ["household", "recorded_by", "province", "commune"]


@admin.register(StageEvent)
class StageEventAdmin(ReadOnlyAdmin):
    list_display = [
        "household",
        "channel",
        "from_stage",
        "to_stage",
        "is_backward",
        "occurred_on",
        "source",
    ]
    list_filter = ["channel", "to_stage", "source", "is_backward"]
    search_fields = ["household__head_name_folded", "reason"]
    list_select_related = ["household", "channel"]
    raw_id_fields = ["household", "recorded_by", "province", "commune"]
    date_hierarchy = "occurred_on"


class CourseMaterialInline(admin.TabularInline):
    model = CourseMaterial
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_filter = ["created_at"]
    list_display = ["topic", "created_at"]
    search_fields = ["topic", "description"]
    raw_id_fields = ["created_by"]
    inlines = [CourseMaterialInline]


@admin.register(CourseMaterial)
class CourseMaterialAdmin(admin.ModelAdmin):
    list_filter = ["course"]
    list_display = ["title", "course", "url"]
    search_fields = ["title", "course__topic"]
    list_select_related = ["course"]


@admin.register(Trainer)
class TrainerAdmin(admin.ModelAdmin):
    list_filter = ["organisation"]
    list_display = ["name", "organisation", "user"]
    search_fields = ["name", "organisation"]
    raw_id_fields = ["user"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["course", "held_on", "place", "commune", "organiser", "trainer"]
    list_filter = ["organiser", "held_on"]
    search_fields = ["course__topic", "place", "organiser_name"]
    list_select_related = ["course", "commune", "trainer"]
    raw_id_fields = ["province", "commune", "scheduled_by", "trainer"]
    date_hierarchy = "held_on"


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["session", "household", "attended", "recorded_at"]
    list_filter = ["attended"]
    search_fields = ["household__head_name_folded"]
    list_select_related = ["session__course", "household"]
    raw_id_fields = ["session", "household", "recorded_by", "province", "commune"]


class TechTeamMemberInline(admin.TabularInline):
    model = TechTeamMember
    extra = 0
    raw_id_fields = ["user", "province", "commune"]


@admin.register(CommunityTechTeam)
class CommunityTechTeamAdmin(admin.ModelAdmin):
    list_filter = ["province"]
    list_display = ["name", "commune", "province", "created_at"]
    search_fields = ["name"]
    list_select_related = ["commune", "province"]
    raw_id_fields = ["province", "commune", "created_by"]
    inlines = [TechTeamMemberInline]


@admin.register(TechTeamMember)
class TechTeamMemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "team", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["name", "team__name"]
    list_select_related = ["team", "user"]
    raw_id_fields = ["team", "user", "province", "commune"]
