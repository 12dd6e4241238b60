"""Onboarding: how far each household has come on each sales channel, and who trained it.

Channels are rows (this platform, Postmart, Voso, others an administrator adds). A household's
place on a channel is one ``ChannelStage`` row (the current stage) and a ``StageEvent`` per
move (the history). Training is courses, sessions in a commune, attendance of households and
the community digital technology teams. Every scoped row carries explicit ``province`` and
``commune`` foreign keys copied from the household or the session.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

THIS_PLATFORM_CODE = "nong-san"
# Days after the last sale during which a seller still counts as active.
ACTIVE_SELLER_DAYS = 90


class ChannelKind(models.TextChoices):
    MARKETPLACE = "marketplace", _("Sàn thương mại điện tử")
    OTHER = "other", _("Kênh khác")


class Channel(models.Model):
    """A place where households sell online; data, so an administrator can add one."""

    code = models.SlugField(_("mã kênh"), max_length=40, unique=True)
    name = models.CharField(_("tên kênh"), max_length=120)
    kind = models.CharField(
        _("loại kênh"), max_length=12, choices=ChannelKind.choices, default=ChannelKind.MARKETPLACE
    )
    is_this_platform = models.BooleanField(
        _("là nền tảng này"),
        default=False,
        help_text=_("Giai đoạn đăng bán và bán hàng được suy ra từ tin đăng và đơn hàng thật."),
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)
    position = models.PositiveSmallIntegerField(_("thứ tự hiển thị"), default=100)
    # The partner platform's account that may record stages on this channel through the API;
    # a partner caller may write only on its own channel, never on this platform's.
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản nền tảng đối tác"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_channels",
        help_text=_("Tài khoản nền tảng đối tác được ghi nhận giai đoạn trên kênh này qua API."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("kênh bán hàng")
        verbose_name_plural = _("kênh bán hàng")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_this_platform"],
                condition=Q(is_this_platform=True),
                name="onboarding_channel_one_this_platform",
            ),
            models.CheckConstraint(
                condition=Q(is_this_platform=False) | Q(partner__isnull=True),
                name="onboarding_channel_this_platform_has_no_partner",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    """The onboarding stages, in the order a household goes through them."""

    REGISTERED = "registered", _("Đã đăng ký")
    TRAINED = "trained", _("Đã tập huấn")
    ACCOUNT_CREATED = "account_created", _("Đã có tài khoản")
    FIRST_LISTING = "first_listing", _("Đã đăng bán")
    FIRST_SALE = "first_sale", _("Đã có đơn đầu tiên")
    ACTIVE_SELLER = "active_seller", _("Đang bán (có đơn trong 90 ngày)")


# The ordering as data: a stage's rank is its place here (1-based); the funnel and the
# backward-move rule compare ranks, and ChannelStage stores the rank beside the stage.
STAGE_ORDER: tuple[str, ...] = tuple(Stage.values)
STAGE_RANK: dict[str, int] = {stage: index for index, stage in enumerate(STAGE_ORDER, start=1)}
# Stages that on this platform come from real listings and orders, never from a person.
DERIVED_ON_THIS_PLATFORM = frozenset({Stage.FIRST_LISTING, Stage.FIRST_SALE, Stage.ACTIVE_SELLER})


class StageSource(models.TextChoices):
    OFFICER = "officer", _("Cán bộ / người hỗ trợ ghi nhận")
    PARTNER = "partner", _("Đối tác gửi sang")
    DERIVED = "derived", _("Hệ thống suy ra")


def province_field() -> models.ForeignKey:
    """The explicit province of a scoped row (copied from its household or session)."""
    return models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("tỉnh / thành phố"),
        on_delete=models.PROTECT,
        related_name="+",
    )


def commune_field() -> models.ForeignKey:
    """The explicit current commune of a scoped row."""
    return models.ForeignKey(
        "geo.AdministrativeUnit",
        verbose_name=_("xã / phường"),
        on_delete=models.PROTECT,
        related_name="+",
    )


class ChannelStage(models.Model):
    """Where one household stands on one channel now; its moves are in ``StageEvent``."""

    household = models.ForeignKey(
        "producers.Household",
        verbose_name=_("hộ"),
        on_delete=models.CASCADE,
        related_name="channel_stages",
    )
    channel = models.ForeignKey(
        Channel, verbose_name=_("kênh"), on_delete=models.PROTECT, related_name="stages"
    )
    stage = models.CharField(_("giai đoạn"), max_length=20, choices=Stage.choices)
    rank = models.PositiveSmallIntegerField(_("thứ bậc giai đoạn"), editable=False)
    reached_on = models.DateField(_("ngày đạt"))
    source = models.CharField(_("nguồn"), max_length=10, choices=StageSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    province = province_field()
    commune = commune_field()
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("giai đoạn trên kênh")
        verbose_name_plural = _("giai đoạn trên kênh")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "channel"], name="onboarding_stage_once_per_channel"
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1, rank__lte=len(STAGE_ORDER)),
                name="onboarding_stage_rank_known",
            ),
        ]
        indexes = [
            models.Index(fields=["province", "channel", "rank"], name="onboarding_stage_province"),
            models.Index(fields=["commune", "channel", "rank"], name="onboarding_stage_commune"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} · {self.channel_id} · {self.get_stage_display()}"


class StageEvent(models.Model):
    """One move of a household on a channel: the history the funnel's numbers rest on."""

    household = models.ForeignKey(
        "producers.Household",
        verbose_name=_("hộ"),
        on_delete=models.CASCADE,
        related_name="stage_events",
    )
    channel = models.ForeignKey(
        Channel, verbose_name=_("kênh"), on_delete=models.PROTECT, related_name="events"
    )
    from_stage = models.CharField(
        _("từ giai đoạn"), max_length=20, choices=Stage.choices, blank=True
    )
    to_stage = models.CharField(_("đến giai đoạn"), max_length=20, choices=Stage.choices)
    skipped_stages = models.JSONField(
        _("giai đoạn bỏ qua"),
        default=list,
        blank=True,
        help_text=_("Các giai đoạn nhảy qua khi tiến nhiều bậc một lúc."),
    )
    is_backward = models.BooleanField(_("là lùi giai đoạn"), default=False)
    occurred_on = models.DateField(_("ngày xảy ra"))
    source = models.CharField(_("nguồn"), max_length=10, choices=StageSource.choices)
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    province = province_field()
    commune = commune_field()
    created_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("lịch sử giai đoạn")
        verbose_name_plural = _("lịch sử giai đoạn")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_backward=False) | ~Q(reason=""),
                name="onboarding_event_backward_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["household", "channel", "to_stage", "occurred_on"],
                name="onboarding_event_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} · {self.channel_id} · {self.from_stage} → {self.to_stage}"


# -- training ---------------------------------------------------------------------------------
class Course(models.Model):
    """A training course (how to open a shop, photograph produce, confirm orders…)."""

    topic = models.CharField(_("chủ đề"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("khoá tập huấn")
        verbose_name_plural = _("khoá tập huấn")

    def __str__(self) -> str:
        return self.topic


class CourseMaterial(models.Model):
    """A handout or a link a course uses (a file, or a video on the web)."""

    course = models.ForeignKey(
        Course, verbose_name=_("khoá tập huấn"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("tên tài liệu"), max_length=200)
    file = models.FileField(_("tệp"), upload_to="training/%Y/%m/", blank=True)
    url = models.URLField(_("đường dẫn"), blank=True)

    class Meta:
        verbose_name = _("tài liệu tập huấn")
        verbose_name_plural = _("tài liệu tập huấn")
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="onboarding_material_file_or_url"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Trainer(models.Model):
    """A person who trains households (farmers' association staff, postal staff…)."""

    name = models.CharField(_("họ tên"), max_length=150)
    organisation = models.CharField(_("đơn vị"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainer_profiles",
    )

    class Meta:
        verbose_name = _("tập huấn viên")
        verbose_name_plural = _("tập huấn viên")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class Organiser(models.TextChoices):
    FARMERS_ASSOCIATION = "farmers_association", _("Hội Nông dân")
    COOPERATIVE_ALLIANCE = "cooperative_alliance", _("Liên minh Hợp tác xã")
    POSTAL_COMPANY = "postal_company", _("Bưu điện / doanh nghiệp bưu chính")
    COMMUNITY_TECH_TEAM = "community_tech_team", _("Tổ công nghệ số cộng đồng")
    OTHER = "other", _("Đơn vị khác")


class TrainingSession(models.Model):
    """One sitting of a course in a commune, with the households that came."""

    course = models.ForeignKey(
        Course, verbose_name=_("khoá tập huấn"), on_delete=models.PROTECT, related_name="sessions"
    )
    held_on = models.DateField(_("ngày tập huấn"))
    place = models.CharField(_("địa điểm"), max_length=200)
    province = province_field()
    commune = commune_field()
    trainer = models.ForeignKey(
        Trainer,
        verbose_name=_("tập huấn viên"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
    )
    organiser = models.CharField(_("đơn vị tổ chức"), max_length=24, choices=Organiser.choices)
    organiser_name = models.CharField(
        _("tên đơn vị tổ chức"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: Hội Nông dân xã, Bưu điện tỉnh."),
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lên lịch"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("buổi tập huấn")
        verbose_name_plural = _("buổi tập huấn")
        indexes = [
            models.Index(fields=["province", "held_on"], name="onboarding_session_province"),
            models.Index(fields=["commune", "held_on"], name="onboarding_session_commune"),
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.held_on:%d/%m/%Y}"


class Attendance(models.Model):
    """Whether a household came to a session; attending makes it "trained"."""

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("buổi tập huấn"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    household = models.ForeignKey(
        "producers.Household",
        verbose_name=_("hộ"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    attended = models.BooleanField(_("có mặt"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người điểm danh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("điểm danh lúc"), default=timezone.now)
    province = province_field()
    commune = commune_field()

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "household"], name="onboarding_attendance_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.household_id}"


class CommunityTechTeam(models.Model):
    """A community digital technology team (Tổ công nghệ số cộng đồng) of a commune."""

    name = models.CharField(_("tên tổ"), max_length=200)
    province = province_field()
    commune = commune_field()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lập lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("tổ công nghệ số cộng đồng")
        verbose_name_plural = _("tổ công nghệ số cộng đồng")
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="onboarding_team_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class TeamRole(models.TextChoices):
    LEADER = "leader", _("Tổ trưởng")
    DEPUTY = "deputy", _("Tổ phó")
    MEMBER = "member", _("Thành viên")


class TechTeamMember(models.Model):
    """A member of a team: an account, or just a name for people without one."""

    team = models.ForeignKey(
        CommunityTechTeam, verbose_name=_("tổ"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tech_team_memberships",
    )
    name = models.CharField(_("họ tên"), max_length=150, blank=True)
    role = models.CharField(
        _("vai trò"), max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER
    )
    province = province_field()
    commune = commune_field()
    joined_at = models.DateTimeField(_("tham gia lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("thành viên tổ công nghệ số")
        verbose_name_plural = _("thành viên tổ công nghệ số")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""), name="onboarding_member_named"
            ),
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=Q(user__isnull=False),
                name="onboarding_member_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.user)
