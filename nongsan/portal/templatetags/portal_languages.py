"""The language switch's choices, each named in its own language."""

import unicodedata
from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils.translation import get_language_info

register = template.Library()


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    autonym: str


@register.simple_tag
def language_choices() -> list[LanguageChoice]:
    """settings.LANGUAGES with their own names in NFC: Django ships "Tiếng Việt" decomposed
    (NFD), which some phone fonts draw with loose accents and which matches no typed text."""
    return [
        LanguageChoice(
            code=code,
            autonym=unicodedata.normalize("NFC", get_language_info(code)["name_local"]),
        )
        for code, _name in settings.LANGUAGES
    ]
