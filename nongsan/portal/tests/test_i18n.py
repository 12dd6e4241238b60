"""Vietnamese first, English on request; the choice persists in Django's language cookie."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


def test_set_language_switches_to_english_and_the_cookie_keeps_it(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["max-age"] == settings.LANGUAGE_COOKIE_AGE

    for _ in range(2):
        html = client.get("/").content.decode()
        assert '<html lang="en">' in html
        assert "Bringing farm households' produce online" in html
        assert "Đưa nông sản của hộ sản xuất lên mạng" not in html


def test_set_language_back_to_vietnamese(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})

    assert '<html lang="vi">' in client.get("/").content.decode()


def test_english_page_offers_the_switch_back_to_vietnamese(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    html = client.get("/").content.decode()

    assert 'name="language" value="vi" lang="vi">Tiếng Việt</button>' in html
    assert '<span class="language-option" lang="en" aria-current="true">English</span>' in html


def test_accept_language_english_is_honoured(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert '<html lang="en">' in html
    assert "Who are you, and where do you start?" in html


def test_cookie_beats_accept_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="vi">' in html


@pytest.mark.parametrize("header", ["fr-FR,fr;q=0.9", "xx", ";;;q=abc", "*", "a" * 600])
def test_unsupported_or_garbled_accept_language_falls_back_to_vietnamese(client, header):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)

    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()


@pytest.mark.parametrize("language", ["", "en<script>", "../vi", "e" * 300])
def test_set_language_refuses_malformed_language_codes(client, language):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert '<html lang="vi">' in client.get("/").content.decode()


def test_a_language_django_knows_but_the_platform_does_not_offer_is_ignored(client):
    # Django stores any language it has a catalogue for (French here); LocaleMiddleware then
    # ignores it because it is not in settings.LANGUAGES.
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})

    html = client.get("/").content.decode()

    assert '<html lang="vi">' in html
    assert "Đưa nông sản của hộ sản xuất lên mạng" in html


@pytest.mark.parametrize("next_url", ["https://ke-gia-mao.example/", "//ke-gia-mao.example/"])
def test_set_language_never_redirects_to_another_site(client, next_url):
    response = client.post("/i18n/setlang/", {"language": "en", "next": next_url})

    assert response.status_code == 302
    assert "ke-gia-mao" not in response["Location"]


def test_set_language_refuses_get_without_changing_anything(client):
    response = client.get("/i18n/setlang/", {"language": "en", "next": "/"})

    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda match: ESCAPES[match.group(1)], text)


def read_po(path: Path) -> list[dict[str, str]]:
    """The live entries of a .po file: msgctxt, msgid, msgid_plural, msgstr[n], fuzzy."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        current = ""
        for line in block.splitlines():
            if line.startswith("#~"):
                fields.clear()
                break
            if line.startswith("#,") and "fuzzy" in line:
                fields["fuzzy"] = "yes"
            elif line.startswith('"') and current:
                fields[current] += unquote(line[1:-1])
            elif match := re.match(r'(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line):
                current = match.group(1)
                fields[current] = unquote(match.group(2))
        if fields.get("msgid"):
            entries.append(fields)
    return entries


def translations_of(entry: dict[str, str]) -> list[str]:
    return [value for name, value in entry.items() if name.startswith("msgstr")]


def test_english_catalogue_translates_every_message():
    entries = read_po(LOCALE / "en" / "LC_MESSAGES" / "django.po")

    assert len(entries) > 50
    untranslated = [
        entry["msgid"] for entry in entries if "fuzzy" in entry or "" in translations_of(entry)
    ]
    assert untranslated == []


def test_committed_english_mo_matches_its_po():
    entries = read_po(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    with (LOCALE / "en" / "LC_MESSAGES" / "django.mo").open("rb") as compiled_file:
        catalogue = gettext.GNUTranslations(compiled_file)

    stale = []
    for entry in entries:
        msgid, context = entry["msgid"], entry.get("msgctxt")
        if "msgid_plural" in entry:
            plural = entry["msgid_plural"]
            found = [catalogue.ngettext(msgid, plural, 1), catalogue.ngettext(msgid, plural, 2)]
            expected = [entry["msgstr[0]"], entry["msgstr[1]"]]
        elif context is not None:
            found, expected = [catalogue.pgettext(context, msgid)], [entry["msgstr"]]
        else:
            found, expected = [catalogue.gettext(msgid)], [entry["msgstr"]]
        if found != expected:
            stale.append(msgid)
    assert stale == [], "run manage.py compilemessages and commit the .mo files"


def test_catalogues_exist_for_both_languages_and_compile():
    for language in ("vi", "en"):
        assert (LOCALE / language / "LC_MESSAGES" / "django.po").is_file()
        assert (LOCALE / language / "LC_MESSAGES" / "django.mo").is_file()


def test_pages_vary_on_language_inputs_so_caches_keep_languages_apart(client):
    response = client.get("/")

    vary = {part.strip().lower() for part in response["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= vary
