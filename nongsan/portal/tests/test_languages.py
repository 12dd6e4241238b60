"""The language switch names each language in its own words, in NFC."""

import unicodedata

from django.test import override_settings

from nongsan.portal.templatetags.portal_languages import LanguageChoice, language_choices


def test_language_choices_are_autonyms_in_nfc():
    choices = language_choices()

    assert choices == [LanguageChoice("vi", "Tiếng Việt"), LanguageChoice("en", "English")]
    assert all(unicodedata.is_normalized("NFC", choice.autonym) for choice in choices)


@override_settings(LANGUAGES=[("en", "English")])
def test_language_choices_follow_the_settings():
    assert [choice.code for choice in language_choices()] == ["en"]
