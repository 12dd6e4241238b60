"""The reports and exports apps' own English catalogues: complete and compiled."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from django.utils import translation

from nongsan.exports.models import ExportStatus
from nongsan.portal.tests.test_i18n import read_po, translations_of
from nongsan.reports.models import ReportStatus

APPS = Path(__file__).resolve().parents[2]
CATALOGUES = [APPS / app / "locale" / "en" / "LC_MESSAGES" for app in ("reports", "exports")]


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=["reports", "exports"])
def test_every_message_has_an_english_translation(catalogue):
    entries = read_po(catalogue / "django.po")
    assert len(entries) > 40
    untranslated = [
        entry["msgid"] for entry in entries if "fuzzy" in entry or "" in translations_of(entry)
    ]
    assert untranslated == []


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=["reports", "exports"])
def test_the_committed_mo_matches_the_po(catalogue):
    entries = read_po(catalogue / "django.po")
    with (catalogue / "django.mo").open("rb") as compiled:
        compiled_catalogue = gettext.GNUTranslations(compiled)
    stale = [
        entry["msgid"]
        for entry in entries
        if "msgid_plural" not in entry
        and compiled_catalogue.gettext(entry["msgid"]) != entry["msgstr"]
    ]
    assert stale == [], "compile the app's locale and commit the .mo"


def test_django_finds_the_apps_catalogues():
    with translation.override("en"):
        assert str(ReportStatus.RETURNED.label) == "Returned, needs changes"
        assert str(ExportStatus.DONE.label) == "Done"
