"""The targets page and the partner figures page: who may set what where, refusals in
Vietnamese with status 400 and nothing saved, lists scoped to the person's area."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import UserFactory, grant, officer
from nongsan.onboarding.tests.factories import staff_user
from nongsan.programme import services
from nongsan.programme.models import Indicator, PartnerFigure, Target
from nongsan.programme.periods import period_parse
from nongsan.programme.tests import factories as make

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 15)
TARGETS = "/chuong-trinh/chi-tieu/"
PARTNER = "/chuong-trinh/so-lieu-doi-tac/"


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> make.World:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return make.world()


def ministry():
    user = UserFactory.create()
    grant(user, Role.MINISTRY)
    return user


def _target(place, /, **changes) -> dict[str, str]:
    data = {
        "indicator": "households_first_sale",
        "channel": "",
        "unit": place.code,
        "period": "2026-Q3",
        "value": "120",
        "note": "",
    }
    data.update(changes)
    return data


def _partner(place, /, **changes) -> dict[str, str]:
    data = {
        "channel": "postmart",
        "indicator": "orders",
        "unit": place.code,
        "month": "2026-04",
        "value": "35",
        "note": "",
    }
    data.update(changes)
    return data


def test_the_urls_are_the_pages():
    assert reverse("programme:targets") == TARGETS
    assert reverse("programme:partner-figures") == PARTNER


def test_the_ministry_sets_a_province_target_on_the_page(client, world):
    client.force_login(ministry())
    dashboard = client.get(reverse("programme:dashboard")).content.decode()
    assert f'href="{TARGETS}"' in dashboard
    assert f'href="{PARTNER}"' in dashboard
    page = client.get(TARGETS)
    assert page.status_code == 200
    assert f'value="{world.province.code}"' in page.content.decode()
    response = client.post(TARGETS, _target(world.province))
    assert response.status_code == 302
    target = Target.objects.get()
    assert (target.unit, target.value, target.period_kind) == (world.province, 120, "quarter")
    listed = client.get(TARGETS).content.decode()
    assert f'data-target="{target.pk}"' in listed
    assert "Quý 3/2026" in listed


def test_the_ministry_does_not_set_commune_targets(client, world):
    client.force_login(ministry())
    response = client.post(TARGETS, _target(world.commune_a))
    assert response.status_code == 400
    assert "tỉnh giao chỉ tiêu cho xã của tỉnh mình" in response.content.decode()
    assert not Target.objects.exists()


def test_a_province_officer_sets_targets_for_its_own_communes_only(client, world):
    client.force_login(officer(Role.PROVINCE_OFFICER, world.province))
    page = client.get(TARGETS).content.decode()
    assert f'value="{world.commune_a.code}"' in page
    assert f'value="{world.other_commune.code}"' not in page
    assert client.post(TARGETS, _target(world.commune_a, value="7")).status_code == 302
    for unit in (world.other_commune, world.province):
        response = client.post(TARGETS, _target(unit))
        assert response.status_code == 400
        assert "Bộ giao chỉ tiêu cho tỉnh" in response.content.decode()
    assert list(Target.objects.values_list("unit", "value")) == [(world.commune_a.pk, 7)]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"value": "-5"}, "Giá trị không được âm."),
        ({"value": "một trăm"}, "Giá trị phải là một số."),
        ({"value": "nan"}, "Giá trị phải là một số."),
        ({"period": "quý 3"}, "Kỳ không hợp lệ"),
        ({"period": "2026-13"}, "Tháng phải từ 01 đến 12."),
        ({"unit": "9x"}, "Mã đơn vị gồm 2 chữ số"),
        ({"indicator": "khong-co"}, "Hãy chọn một giá trị trong danh sách."),
        ({"indicator": "households_with_account"}, "Chỉ tiêu này tính theo kênh"),
    ],
)
def test_bad_target_input_is_refused_in_vietnamese_and_nothing_is_saved(
    client, world, changes, message
):
    client.force_login(officer(Role.PROVINCE_OFFICER, world.province))
    response = client.post(TARGETS, _target(world.commune_a, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Target.objects.exists()


def test_the_targets_list_shows_only_the_persons_area(client, world):
    first_sale = Indicator.objects.get(code="households_first_sale")
    for unit in (world.commune_a, world.other_commune):
        services.target_set(
            user=staff_user(),
            indicator=first_sale,
            unit=unit,
            period=period_parse("2026-Q3"),
            value=5,
        )
    mine, theirs = Target.objects.order_by("pk")
    client.force_login(officer(Role.COMMUNE_OFFICER, world.commune_a))
    page = client.get(TARGETS)
    text = page.content.decode()
    assert page.status_code == 200
    assert f'data-target="{mine.pk}"' in text
    assert f'data-target="{theirs.pk}"' not in text
    assert '<form method="post"' not in text  # a commune officer sets no targets
    assert client.post(TARGETS, _target(world.commune_a)).status_code == 403
    assert Target.objects.count() == 2


def test_the_target_list_pages(client, world, monkeypatch):
    from nongsan.programme import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first_sale = Indicator.objects.get(code="households_first_sale")
    for month in range(7, 12):
        services.target_set(
            user=staff_user(),
            indicator=first_sale,
            unit=world.province,
            period=period_parse(f"2026-{month:02d}"),
            value=month,
        )
    client.force_login(ministry())
    first = client.get(TARGETS)
    assert len(first.context["rows"]) == 2
    assert first.context["next_url"]
    third = client.get(TARGETS, {"page": 3})
    assert len(third.context["rows"]) == 1
    assert not third.context["next_url"]


def test_people_without_an_officer_role_get_no_form(client, world):
    client.force_login(UserFactory.create())
    assert client.get(TARGETS).status_code == 403
    assert client.get(PARTNER).status_code == 403
    assert client.post(PARTNER, _partner(world.province)).status_code == 403
    assert not PartnerFigure.objects.exists()


def test_the_ministry_enters_a_partner_figure_shown_as_such(client, world):
    client.force_login(ministry())
    response = client.post(PARTNER, _partner(world.commune_b))
    assert response.status_code == 302
    figure = PartnerFigure.objects.get()
    assert (figure.unit, figure.value, figure.month) == (
        world.commune_b,
        35,
        datetime.date(2026, 4, 1),
    )
    text = client.get(PARTNER).content.decode()
    assert f'data-partner-figure="{figure.pk}"' in text
    assert "đối tác báo cáo" in text


def test_a_province_officer_enters_partner_figures_in_its_province_only(client, world):
    client.force_login(officer(Role.PROVINCE_OFFICER, world.province))
    assert client.post(PARTNER, _partner(world.commune_a)).status_code == 302
    response = client.post(PARTNER, _partner(world.other_commune))
    assert response.status_code == 400
    assert "Bạn không được ghi số liệu đối tác cho đơn vị này." in response.content.decode()
    assert list(PartnerFigure.objects.values_list("unit", flat=True)) == [world.commune_a.pk]


def test_a_commune_officer_sees_the_partner_figures_of_its_commune_but_enters_none(client, world):
    for unit in (world.commune_a, world.other_commune):
        services.partner_figure_record(
            user=staff_user(),
            indicator=Indicator.objects.get(code="orders"),
            channel=make_channel("voso"),
            unit=unit,
            month=datetime.date(2026, 3, 1),
            value=3,
        )
    mine, theirs = PartnerFigure.objects.order_by("pk")
    client.force_login(officer(Role.COMMUNE_OFFICER, world.commune_a))
    text = client.get(PARTNER).content.decode()
    assert f'data-partner-figure="{mine.pk}"' in text
    assert f'data-partner-figure="{theirs.pk}"' not in text
    assert client.post(PARTNER, _partner(world.commune_a)).status_code == 403
    assert PartnerFigure.objects.count() == 2


def make_channel(code: str):
    from nongsan.onboarding.tests.factories import channel

    return channel(code)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"value": "-1"}, "Giá trị không được âm."),
        ({"value": "ba mươi"}, "Giá trị phải là một số."),
        ({"month": "2026"}, "Ghi một tháng, ví dụ 2026-09."),
        ({"month": "04/2026"}, "Kỳ không hợp lệ"),
        ({"month": "2026-09"}, "Không nhập số liệu cho tháng chưa tới."),
        ({"channel": "nong-san"}, "Hãy chọn một giá trị trong danh sách."),
        ({"indicator": "unconfirmed_order_rate"}, "Hãy chọn một giá trị trong danh sách."),
        ({"unit": "99999"}, "Không có đơn vị với mã này"),
    ],
)
def test_bad_partner_input_is_refused_in_vietnamese_and_nothing_is_saved(
    client, world, changes, message
):
    client.force_login(ministry())
    response = client.post(PARTNER, _partner(world.commune_a, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PartnerFigure.objects.exists()


def test_the_pages_speak_english(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(ministry())
    targets = client.get(TARGETS).content.decode()
    assert "Set a target" in targets
    assert "Indicator" in targets
    partner = client.get(PARTNER).content.decode()
    assert "Partner-reported figures" in partner
    response = client.post(PARTNER, _partner(world.commune_a, value="-1"))
    assert "The value cannot be negative." in response.content.decode()
