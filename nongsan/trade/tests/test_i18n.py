"""The trade app's own English catalogue (nongsan/trade/locale): complete and compiled."""

from __future__ import annotations

import gettext
from pathlib import Path

from django.utils import translation

from nongsan.portal.tests.test_i18n import read_po, translations_of
from nongsan.trade.models import OfferStatus

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES"


def test_every_message_has_an_english_translation():
    entries = read_po(CATALOGUE / "django.po")
    assert len(entries) > 100
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
    assert stale == [], "compile nongsan/trade/locale and commit the .mo"


def test_django_finds_the_apps_catalogue():
    with translation.override("en"):
        assert str(OfferStatus.COUNTERED.label) == "Countered"
