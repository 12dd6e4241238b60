"""System checks: a gateway named in the settings must be complete before the server starts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from nongsan.messaging.backends import backend_class, configured_backends
from nongsan.messaging.models import LOCAL_BACKEND, Channel


@checks.register()
def check_message_backends(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every channel maps to an importable backend that carries it and is fully configured."""
    errors: list[checks.CheckMessage] = []
    hint = "See docs/decisions/0007-messaging.md."
    for channel in getattr(settings, "MESSAGING_BACKENDS", None) or {}:
        if channel not in Channel.values:
            errors.append(
                checks.Error(
                    f"MESSAGING_BACKENDS names an unknown channel {channel!r}",
                    hint=f"Channels are {', '.join(Channel.values)}.",
                    id="messaging.E001",
                )
            )
    for channel, path in configured_backends().items():
        if channel not in Channel.values:
            continue
        try:
            backend = backend_class(path)
        except ImproperlyConfigured as error:
            errors.append(checks.Error(str(error), hint=hint, id="messaging.E002"))
            continue
        if channel not in backend.channels:
            errors.append(
                checks.Error(
                    f"{path} cannot carry the {channel!r} channel",
                    hint=hint,
                    id="messaging.E003",
                )
            )
        errors.extend(
            checks.Error(problem, hint=hint, id="messaging.E004")
            for problem in backend.configuration_errors()
        )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def check_local_backend_in_production(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """A deployment whose codes stay on the server cannot sign anybody up.

    Warns about each channel that falls back to the local backend because the settings do not
    name it; naming the local backend for a channel explicitly says it is meant.
    """
    named = getattr(settings, "MESSAGING_BACKENDS", None) or {}
    implicit = [channel for channel in Channel.values if channel not in named]
    if not implicit:
        return []
    return [
        checks.Warning(
            f"MESSAGING_BACKENDS does not name the {', '.join(implicit)} channel(s): "
            "their messages use the local backend and never leave this server",
            hint=f"Name a gateway for each channel, or {LOCAL_BACKEND} where none is wanted "
            "(see docs/decisions/0007-messaging.md).",
            id="messaging.W001",
        )
    ]
