"""Message backends, one per channel, chosen by ``settings.MESSAGING_BACKENDS``.

Switching SMS from the local outbox to a real gateway is a setting, not a code change::

    MESSAGING_BACKENDS = {"sms": "nongsan.messaging.backends.sms.HttpSmsBackend"}

Channels left out keep the local backend (a deploy check warns about that in production).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from nongsan.messaging.backends.base import MessageBackend, SendResult
from nongsan.messaging.models import LOCAL_BACKEND, Channel

__all__ = [
    "DEFAULT_BACKENDS",
    "MessageBackend",
    "SendResult",
    "backend_class",
    "backend_path_for",
    "configured_backends",
    "load_backend",
]

DEFAULT_BACKENDS: dict[str, str] = {channel: LOCAL_BACKEND for channel in Channel.values}


def configured_backends() -> dict[str, str]:
    """Every channel's backend path: the setting over the local default."""
    return {**DEFAULT_BACKENDS, **(getattr(settings, "MESSAGING_BACKENDS", None) or {})}


def backend_path_for(channel: str) -> str:
    """The dotted path of the backend that carries ``channel``."""
    if channel not in Channel.values:
        raise ValueError(f"unknown message channel {channel!r}")
    return configured_backends()[channel]


def backend_class(path: str) -> type[MessageBackend]:
    """The backend class at ``path``, or ImproperlyConfigured saying what is wrong with it."""
    try:
        found = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"message backend {path!r} cannot be imported: {error}"
        ) from error
    if not (isinstance(found, type) and issubclass(found, MessageBackend)):
        raise ImproperlyConfigured(f"{path!r} is not a MessageBackend subclass")
    return found


def load_backend(path: str) -> MessageBackend:
    """A ready backend; its settings are read now, so a change applies to the next message."""
    return backend_class(path)()
