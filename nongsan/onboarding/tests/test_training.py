"""Courses, sessions and community tech teams: the services and their refusals."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import UserFactory, ministry_user, officer
from nongsan.audit.models import AuditEntry
from nongsan.onboarding import services
from nongsan.onboarding.models import Organiser, TeamRole
from nongsan.onboarding.tests.factories import course, current_commune

pytestmark = pytest.mark.django_db


def test_a_course_is_created_with_its_materials_and_audited(admin_units):
    user = officer(Role.COMMUNE_OFFICER, current_commune())
    created = services.course_create(
        created_by=user,
        topic="  Chụp ảnh   nông sản ",
        materials=[services.MaterialInput(title="Video", url="https://example.org/video")],
    )
    assert created.topic == "Chụp ảnh nông sản"
    assert [material.url for material in created.materials.all()] == ["https://example.org/video"]
    assert AuditEntry.objects.filter(action="onboarding.course_create").count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"topic": "   "}, "Hãy nhập chủ đề khoá tập huấn."),
        ({"materials": [services.MaterialInput(title="Sổ tay")]}, "cần một tệp hoặc một đường dẫn"),
        ({"materials": [services.MaterialInput(title="", url="https://a.vn")]}, "cần có tên"),
        (
            {"materials": [services.MaterialInput(title="Xấu", url="javascript:alert(1)")]},
            "không hợp lệ (cần http:// hoặc https://)",
        ),
    ],
)
def test_bad_courses_are_refused(admin_units, fields, message):
    user = officer(Role.COMMUNE_OFFICER, current_commune())
    arguments = {"created_by": user, "topic": "Bán hàng", **fields}
    with pytest.raises(ValidationError) as refused:
        services.course_create(**arguments)
    assert message in str(refused.value)


def test_people_without_a_training_role_cannot_create_courses(admin_units):
    for user in (UserFactory.create(), ministry_user(), None):
        with pytest.raises(PermissionDenied):
            services.course_create(created_by=user, topic="Bán hàng")


def test_a_session_is_scheduled_in_the_area_with_its_province(admin_units):
    commune = current_commune()
    user = officer(Role.PROVINCE_OFFICER, commune.province)
    session = services.session_schedule(
        scheduled_by=user,
        course=course(),
        held_on=datetime.date(2026, 4, 2),
        place="Hội trường xã",
        commune=commune,
        organiser=Organiser.POSTAL_COMPANY,
        organiser_name="Bưu điện Hà Nội",
    )
    assert (session.province_id, session.commune_id) == (commune.province_id, commune.pk)
    assert AuditEntry.objects.get(action="onboarding.session_schedule").commune_id == commune.pk


def test_sessions_are_refused_elsewhere_and_with_bad_input(admin_units):
    commune = current_commune()
    user = officer(Role.COMMUNE_OFFICER, commune)
    base: dict[str, Any] = {
        "scheduled_by": user,
        "course": course(),
        "held_on": datetime.date(2026, 4, 2),
        "place": "Hội trường",
        "commune": commune,
        "organiser": Organiser.OTHER,
    }
    with pytest.raises(PermissionDenied):
        services.session_schedule(**{**base, "commune": current_commune("79")})
    with pytest.raises(ValidationError, match="xã, phường hiện hành"):
        services.session_schedule(**{**base, "commune": commune.province})
    with pytest.raises(ValidationError, match="Hãy nhập địa điểm"):
        services.session_schedule(**{**base, "place": " "})
    with pytest.raises(ValidationError, match="Đơn vị tổ chức không hợp lệ"):
        services.session_schedule(**{**base, "organiser": "circus"})


def test_a_tech_team_gets_members_with_accounts_or_names(admin_units):
    commune = current_commune()
    user = officer(Role.COMMUNE_OFFICER, commune)
    team = services.tech_team_create(created_by=user, name="Tổ CNS thôn Đông", commune=commune)
    member = UserFactory.create()
    services.tech_team_member_add(added_by=user, team=team, user=member, role=TeamRole.LEADER)
    services.tech_team_member_add(added_by=user, team=team, name="Bà Sáu")
    assert team.members.count() == 2
    assert team.members.get(user=member).commune_id == commune.pk
    with pytest.raises(ValidationError, match="đã là thành viên"):
        services.tech_team_member_add(added_by=user, team=team, user=member)
    with pytest.raises(ValidationError, match="Hãy chọn một tài khoản hoặc nhập họ tên"):
        services.tech_team_member_add(added_by=user, team=team)
    with pytest.raises(ValidationError, match="Vai trò trong tổ không hợp lệ"):
        services.tech_team_member_add(added_by=user, team=team, name="Ông Bảy", role="boss")
    with pytest.raises(ValidationError, match="đã có tổ mang tên này"):
        services.tech_team_create(created_by=user, name="Tổ CNS thôn Đông", commune=commune)
    stranger = officer(Role.COMMUNE_OFFICER, current_commune("79"))
    with pytest.raises(PermissionDenied):
        services.tech_team_member_add(added_by=stranger, team=team, name="Ai đó")
    with pytest.raises(PermissionDenied):
        services.tech_team_create(created_by=stranger, name="Tổ khác", commune=commune)
    assert AuditEntry.objects.filter(action="onboarding.tech_team_member_add").count() == 2
