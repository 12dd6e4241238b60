"""Legacy Vietnamese encodings found in provincial spreadsheets: TCVN3 (ABC) and VNI.

Before Unicode, Vietnamese was typed with 8-bit fonts: TCVN3 (.VnTime, .VnArial; one byte per
letter) and VNI (VNI-Times; a base letter followed by a mark byte). Excel stored those bytes as
Windows-1252 characters, so a cell written "Lục Ngạn" in .VnTime reads "Lôc Ng¹n" today and in
VNI-Times "Luïc Ngaïn". The tables below are written out by hand from the two standards;
:func:`detect_legacy_encoding` tells which one a text is in (or none) and
:func:`to_unicode` converts it to Unicode NFC. See docs/decisions/0013-spreadsheet-import.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

TCVN3 = "tcvn3"
VNI = "vni"

# Unicode letter → TCVN3 byte (as the Windows-1252 character Excel shows). TCVN3 has no
# upper-case toned vowels: the .VnTimeH font draws the lower-case codes in capitals.
_TCVN3_OF_UNICODE = {
    "à": "\xb5", "ả": "\xb6", "ã": "\xb7", "á": "\xb8", "ạ": "\xb9",
    "ă": "\xa8", "ằ": "\xbb", "ẳ": "\xbc", "ẵ": "\xbd", "ắ": "\xbe", "ặ": "\xc6",
    "â": "\xa9", "ầ": "\xc7", "ẩ": "\xc8", "ẫ": "\xc9", "ấ": "\xca", "ậ": "\xcb",
    "è": "\xcc", "ẻ": "\xce", "ẽ": "\xcf", "é": "\xd0", "ẹ": "\xd1",
    "ê": "\xaa", "ề": "\xd2", "ể": "\xd3", "ễ": "\xd4", "ế": "\xd5", "ệ": "\xd6",
    "ì": "\xd7", "ỉ": "\xd8", "ĩ": "\xdc", "í": "\xdd", "ị": "\xde",
    "ò": "\xdf", "ỏ": "\xe1", "õ": "\xe2", "ó": "\xe3", "ọ": "\xe4",
    "ô": "\xab", "ồ": "\xe5", "ổ": "\xe6", "ỗ": "\xe7", "ố": "\xe8", "ộ": "\xe9",
    "ơ": "\xac", "ờ": "\xea", "ở": "\xeb", "ỡ": "\xec", "ớ": "\xed", "ợ": "\xee",
    "ù": "\xef", "ủ": "\xf1", "ũ": "\xf2", "ú": "\xf3", "ụ": "\xf4",
    "ư": "\xad", "ừ": "\xf5", "ử": "\xf6", "ữ": "\xf7", "ứ": "\xf8", "ự": "\xf9",
    "ỳ": "\xfa", "ỷ": "\xfb", "ỹ": "\xfc", "ý": "\xfd", "ỵ": "\xfe",
    "đ": "\xae",
    "Ă": "\xa1", "Â": "\xa2", "Ê": "\xa3", "Ô": "\xa4", "Ơ": "\xa5", "Ư": "\xa6", "Đ": "\xa7",
}  # fmt: skip

# VNI: a base letter followed by a mark. Tones: acute ù, grave ø, hook û, tilde õ, dot ï;
# â ê ô take â with their own tone marks (á à å ã ä), ă takes ê (é è ú ü ë); ơ is ô and ư
# is ö followed by the tone marks; i, ỵ and đ are single bytes. Capitals use the capital marks.
_VNI_TONES = {"": ("", ""), "acute": ("ù", "Ù"), "grave": ("ø", "Ø"), "hook": ("û", "Û"),
              "tilde": ("õ", "Õ"), "dot": ("ï", "Ï")}  # fmt: skip
_VNI_HAT_TONES = {"": ("â", "Â"), "acute": ("á", "Á"), "grave": ("à", "À"),
                  "hook": ("å", "Å"), "tilde": ("ã", "Ã"), "dot": ("ä", "Ä")}  # fmt: skip
_VNI_BREVE_TONES = {"": ("ê", "Ê"), "acute": ("é", "É"), "grave": ("è", "È"),
                    "hook": ("ú", "Ú"), "tilde": ("ü", "Ü"), "dot": ("ë", "Ë")}  # fmt: skip
_TONE_MARKS = {"acute": "\u0301", "grave": "\u0300", "hook": "\u0309", "tilde": "\u0303",
               "dot": "\u0323", "": ""}  # fmt: skip
_VNI_SINGLE = {
    "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î", "đ": "ñ",
    "Í": "Í", "Ì": "Ì", "Ỉ": "Æ", "Ĩ": "Ó", "Ị": "Ò", "Ỵ": "Î", "Đ": "Ñ",
}  # fmt: skip


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for tone, mark in _TONE_MARKS.items():
        for lower in (True, False):
            pick = 0 if lower else 1
            for base in "aeouy":
                letter = base if lower else base.upper()
                if tone:
                    table[unicodedata.normalize("NFC", letter + mark)] = (
                        letter + _VNI_TONES[tone][pick]
                    )
            for base, hat in (("a", "\u0302"), ("e", "\u0302"), ("o", "\u0302")):
                letter = base if lower else base.upper()
                unicode_letter = unicodedata.normalize("NFC", letter + hat + mark)
                table[unicode_letter] = letter + _VNI_HAT_TONES[tone][pick]
            letter = "a" if lower else "A"
            table[unicodedata.normalize("NFC", letter + "\u0306" + mark)] = (
                letter + _VNI_BREVE_TONES[tone][pick]
            )
            for unicode_base, vni_base in (("ơ", "ô"), ("ư", "ö")):
                base_letter = unicode_base if lower else unicode_base.upper()
                written = vni_base if lower else vni_base.upper()
                table[unicodedata.normalize("NFC", base_letter + mark)] = (
                    written + _VNI_TONES[tone][pick]
                )
    table.update(_VNI_SINGLE)
    return table


_VNI_OF_UNICODE = _vni_table()
_CAPITALS = set("\xa1\xa2\xa3\xa4\xa5\xa6\xa7")  # Ă Â Ê Ô Ơ Ư Đ in TCVN3
_UNICODE_OF_TCVN3 = {code: letter for letter, code in _TCVN3_OF_UNICODE.items()}
_UNICODE_OF_VNI = {code: letter for letter, code in _VNI_OF_UNICODE.items()}
_VNI_PATTERN = re.compile(
    "|".join(re.escape(code) for code in sorted(_UNICODE_OF_VNI, key=len, reverse=True))
)

# Letters of Unicode Vietnamese that are also Windows-1252 characters: never evidence.
_VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_TCVN3_EVIDENCE = set(_UNICODE_OF_TCVN3) - _VIETNAMESE_LATIN1
# TCVN3 bytes no VNI text ever holds (VNI uses only letters with accents for its marks).
_TCVN3_ONLY = {code for code in _TCVN3_EVIDENCE if not code.isalpha()} | set("ÇÐÞßçþ")
_VOWEL = "aeiouyAEIOUY"
_VNI_EVIDENCE = re.compile(
    rf"[{_VOWEL}ôöÔÖ][ùøûõïÙØÛÕÏ]"  # a tone mark after a vowel: Unicode never tones that vowel
    r"|[aeoAEO][âåäÂÅÄ]"  # a hat on a, e, o written after it
    r"|[aA][êéèúüëÊÉÈÚÜË]"  # a breve on a written after it
    r"|(?<![^\W\d_])[ñÑ]"  # đ begins a syllable
    r"|[öÖæÆîÎ]"
)
# Windows-1252 punctuation a legacy cell may also hold; anything else beyond Latin-1 means
# the text is already Unicode.
_WINDOWS_1252_EXTRAS = set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ")


@dataclass(frozen=True)
class Conversion:
    """What a legacy cell was and what it became."""

    encoding: str
    original: str
    converted: str


def _could_be_legacy(text: str) -> bool:
    return any(ord(char) > 0x7F for char in text) and all(
        ord(char) <= 0xFF or char in _WINDOWS_1252_EXTRAS for char in text
    )


def _leftovers(text: str) -> int:
    """Characters a correct conversion would not leave: Latin-1 letters foreign to Vietnamese."""
    return sum(1 for char in text if 0x80 <= ord(char) <= 0xFF and char not in _VIETNAMESE_LATIN1)


def detect_legacy_encoding(text: str) -> str | None:
    """``"tcvn3"``, ``"vni"`` or None: which legacy encoding ``text`` reads as.

    Unicode Vietnamese (any letter beyond Latin-1, or only Latin-1 letters Vietnamese uses) and
    plain ASCII give None; a text is legacy only when it holds bytes Unicode Vietnamese never
    has, and the conversion explains them all.
    """
    if not text or not _could_be_legacy(text):
        return None
    if any(char in _TCVN3_ONLY for char in text):
        return TCVN3
    vni_evidence = len(_VNI_EVIDENCE.findall(text))
    if vni_evidence and _leftovers(vni_to_unicode(text)) == 0:
        return VNI
    tcvn3_evidence = sum(1 for char in text if char in _TCVN3_EVIDENCE)
    if tcvn3_evidence and _leftovers(tcvn3_to_unicode(text)) == 0:
        return TCVN3
    return None


def _capitalise_shouted_words(original: str, converted: str) -> str:
    """A TCVN3 word typed in capitals (.VnTimeH) keeps its toned vowels in capitals too."""
    words = re.split(r"(\s+)", converted)
    originals = re.split(r"(\s+)", original)
    if len(words) != len(originals):
        return converted
    result = []
    for word, source in zip(words, originals, strict=True):
        letters = [
            char for char in source if (char.isascii() and char.isalpha()) or char in _CAPITALS
        ]
        shouted = len(letters) >= 2 and all(char.isupper() or char in _CAPITALS for char in letters)
        result.append(word.upper() if shouted else word)
    return "".join(result)


def tcvn3_to_unicode(text: str) -> str:
    converted = "".join(_UNICODE_OF_TCVN3.get(char, char) for char in text)
    return unicodedata.normalize("NFC", _capitalise_shouted_words(text, converted))


def vni_to_unicode(text: str) -> str:
    converted = _VNI_PATTERN.sub(lambda match: _UNICODE_OF_VNI[match.group()], text)
    return unicodedata.normalize("NFC", converted)


def unicode_to_tcvn3(text: str) -> str:
    """Unicode to TCVN3 (upper-case toned vowels become the lower-case codes, as in TCVN3)."""
    text = unicodedata.normalize("NFC", text)
    return "".join(
        _TCVN3_OF_UNICODE.get(char) or _TCVN3_OF_UNICODE.get(char.lower(), char) for char in text
    )


def unicode_to_vni(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return "".join(_VNI_OF_UNICODE.get(char, char) for char in text)


def to_unicode(text: str) -> Conversion | None:
    """The Unicode NFC form of a legacy-encoded text, or None when ``text`` is not legacy."""
    encoding = detect_legacy_encoding(text)
    if encoding is None:
        return None
    converted = tcvn3_to_unicode(text) if encoding == TCVN3 else vni_to_unicode(text)
    return Conversion(encoding=encoding, original=text, converted=converted)
