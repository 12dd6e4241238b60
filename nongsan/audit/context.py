"""Who is acting right now, and from where: the context every audit entry is written in.

The middleware opens a context for each request (its user, IP, user agent and a request id);
:func:`acting` lets a service or a management command say who acts, and for whom, without
passing it through every call. Both live in a ``ContextVar``, so concurrent requests (threads
or asyncio tasks) never see each other's context.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

REQUEST_ID_LENGTH = 16


def new_request_id() -> str:
    """A short random id shared by every entry of one request (64 bits: no collisions)."""
    return uuid.uuid4().hex[:REQUEST_ID_LENGTH]


@dataclass(frozen=True)
class AuditContext:
    """The circumstances of the current writes. Empty outside a request: the system acts.

    ``request`` is kept rather than its user, because the user can change during a request
    (logging in or out); the actor is read when an entry is written.
    """

    request: Any = None
    actor: Any = None
    on_behalf_of: Any = None
    on_behalf_of_label: str = ""
    ip: str | None = None
    user_agent: str = ""
    request_id: str = ""

    def current_actor(self) -> Any:
        """The explicit actor, else the request's signed-in user, else None (the system)."""
        if self.actor is not None:
            return self.actor
        user = getattr(self.request, "user", None)
        return user if getattr(user, "is_authenticated", False) else None


_current: ContextVar[AuditContext] = ContextVar("nongsan_audit_context", default=AuditContext())  # noqa: B039 - frozen, never mutated


def current_context() -> AuditContext:
    return _current.get()


@contextmanager
def audit_context(context: AuditContext) -> Iterator[AuditContext]:
    """Use ``context`` inside the block and restore the previous one afterwards."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


@contextmanager
def acting(
    actor: Any = None, on_behalf_of: Any = None, on_behalf_of_label: str = ""
) -> Iterator[AuditContext]:
    """Record the writes inside the block as done by ``actor`` on behalf of someone.

    An argument left out keeps the enclosing value: ``acting(on_behalf_of=seller)`` inside a
    request keeps the signed-in assistant as the actor. ``on_behalf_of`` (an account) and
    ``on_behalf_of_label`` (a household's name, for households without an account) name one
    principal together: giving either replaces both. Request details (IP, user agent,
    request id) always carry over. Nested blocks restore the outer values when they end.
    """
    outer = _current.get()
    changes: dict[str, Any] = {}
    if actor is not None:
        changes["actor"] = actor
    if on_behalf_of is not None or on_behalf_of_label:
        # "For whom" is one thing: a new principal replaces both the account and the name.
        changes["on_behalf_of"] = on_behalf_of
        changes["on_behalf_of_label"] = on_behalf_of_label
    with audit_context(dataclasses.replace(outer, **changes)) as context:
        yield context
