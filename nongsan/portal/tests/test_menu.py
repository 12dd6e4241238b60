"""The site menu offers each person the parts they can use: the portal's calendar and prices
to everyone, trading to people signed in (asking nothing more of the database)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nongsan.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _menu(client) -> str:
    html = client.get(reverse("portal:home")).content.decode()
    return html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]


def test_everyone_sees_the_calendar_and_the_prices_not_the_officers_pages(admin_units, client):
    menu = _menu(client)
    assert reverse("harvests:calendar") in menu
    assert reverse("prices:board") in menu
    assert reverse("trade:home") not in menu
    assert reverse("programme:dashboard") not in menu


def test_a_signed_in_grower_trades_but_sees_no_dashboards(admin_units, client):
    client.force_login(UserFactory.create())
    menu = _menu(client)
    assert reverse("trade:home") in menu
    assert reverse("programme:dashboard") not in menu
    assert reverse("reports:list") not in menu
