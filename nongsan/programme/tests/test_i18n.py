"""The programme app's own English catalogue (nongsan/programme/locale): complete, compiled,
and used for the seeded indicators' names."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from django.utils import translation

from nongsan.portal.tests.test_i18n import read_po, translations_of
from nongsan.programme.models import Indicator
from nongsan.programme.selectors import Figure

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES"


def test_every_message_has_an_english_translation():
    entries = read_po(CATALOGUE / "django.po")
    assert len(entries) > 150
    untranslated = [
        entry["msgid"] for entry in entries if "fuzzy" in entry or "" in translations_of(entry)
    ]
    assert untranslated == []


def test_the_committed_mo_matches_the_po():
    entries = read_po(CATALOGUE / "django.po")
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = [
        entry["msgid"]
        for entry in entries
        if "msgid_plural" not in entry and catalogue.gettext(entry["msgid"]) != entry["msgstr"]
    ]
    assert stale == [], "compile nongsan/programme/locale and commit the .mo"


@pytest.mark.django_db
def test_seeded_indicator_names_are_translated():
    figure = Figure(indicator=Indicator.objects.get(code="active_sellers"), value=1)
    with translation.override("en"):
        assert figure.name == "Active sellers"
    with translation.override("vi"):
        assert figure.name == "Hộ đang bán"
