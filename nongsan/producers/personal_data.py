"""Citizen ID numbers at rest: encrypted with keys from the settings, found by a keyed index.

The number is encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from the ``cryptography``
package); ``PERSONAL_DATA_KEYS`` lists the keys, newest first, so keys rotate: new values are
encrypted with the first, old ones still decrypt with the others (``MultiFernet``). Equality
lookups (duplicates, "is this CCCD registered?") use a blind index, an HMAC-SHA256 of the
normalised number under ``PERSONAL_DATA_INDEX_KEY``, never the number itself. The database
therefore holds neither the number nor an unkeyed hash that could be brute-forced (a CCCD
has only about 10^9 plausible values). See docs/decisions/0010-producer-registry.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "InvalidToken",
    "citizen_id_decrypt",
    "citizen_id_encrypt",
    "citizen_id_index",
    "development_keys",
]

_SETTING_HELP = (
    "Generate a key with `python -c 'from cryptography.fernet import Fernet; "
    "print(Fernet.generate_key().decode())'` and set PERSONAL_DATA_KEYS (a list, newest first) "
    "and PERSONAL_DATA_INDEX_KEY (any long random text) from the environment."
)


def development_keys(seed: str = "nongsan-development") -> tuple[list[str], str]:
    """Fixed keys for local development and tests only: derived from a public seed."""
    key = base64.urlsafe_b64encode(hashlib.sha256(f"{seed}:fernet".encode()).digest()).decode()
    return [key], hashlib.sha256(f"{seed}:index".encode()).hexdigest()


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            f"PERSONAL_DATA_KEYS holds a key that is not a Fernet key. {_SETTING_HELP}"
        ) from error


def _keys() -> tuple[str, ...]:
    keys = getattr(settings, "PERSONAL_DATA_KEYS", None)
    if isinstance(keys, str):
        keys = [keys]
    if not keys:
        raise ImproperlyConfigured(
            "PERSONAL_DATA_KEYS is not set: citizen ID numbers cannot be encrypted. "
            + _SETTING_HELP
        )
    return tuple(keys)


def _index_key() -> bytes:
    key = getattr(settings, "PERSONAL_DATA_INDEX_KEY", None)
    if not key:
        raise ImproperlyConfigured(
            f"PERSONAL_DATA_INDEX_KEY is not set: citizen IDs cannot be looked up. {_SETTING_HELP}"
        )
    return str(key).encode()


def citizen_id_encrypt(number: str) -> str:
    """The normalised 12-digit number as a Fernet token (text, about 140 characters)."""
    return _fernet(_keys()).encrypt(number.encode()).decode()


def citizen_id_decrypt(token: str) -> str:
    """The number back; raises InvalidToken when no configured key opens it."""
    return _fernet(_keys()).decrypt(token.encode()).decode()


def citizen_id_index(number: str) -> str:
    """The blind index of a normalised number: equal numbers give equal indexes."""
    return hmac.new(_index_key(), number.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ProtectedCitizenId:
    """A citizen ID already checked and protected (token, blind index, masked copy): what a
    household row stores, carried between steps so the number is never decrypted only to be
    encrypted again (the spreadsheet import validates a row, then registers it)."""

    encrypted: str
    index: str
    masked: str

    @classmethod
    def from_number(cls, number: str) -> ProtectedCitizenId:
        """From a normalised 12-digit number (see ``parse_citizen_id``)."""
        from nongsan.common.identity import mask_citizen_id

        return cls(citizen_id_encrypt(number), citizen_id_index(number), mask_citizen_id(number))
