"""Telling officers about glut alerts: the officers of the alert's province and the ministry
hear about an alert when it is raised and again only when it becomes more severe; each person
gets one message per run, whatever the number of alerts, so a bad week is not a flood of SMS.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from nongsan.accounts.models import User
from nongsan.accounts.selectors import ministry_people, province_officers
from nongsan.catalog.models import ProduceType
from nongsan.common.formatting import format_date
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests.models import GlutAlert, GlutSeverity
from nongsan.messaging.services import message_send_to_user

logger = logging.getLogger(__name__)

SEVERITY_RANK = {GlutSeverity.WATCH: 0, GlutSeverity.WARNING: 1, GlutSeverity.SEVERE: 2}
ITEMS_PER_MESSAGE = 3  # an SMS holds 480 characters; the page holds the rest
NAMES_PER_MESSAGE = 5


def is_worse(severity: str, before: str | None) -> bool:
    """True for a new alert (``before`` None) or one more severe than it was."""
    return (
        before is None
        or SEVERITY_RANK[GlutSeverity(severity)] > SEVERITY_RANK[GlutSeverity(before)]
    )


def _send(person: User, body: str) -> int:
    try:
        return len(message_send_to_user(user=person, body=body, purpose="glut_alert"))
    except ValidationError:
        # A number SMS cannot reach must not stop the others from hearing.
        logger.warning("glut alert notice not sent to user %s", person.pk)
        return 0


def _item(alert: GlutAlert, produce: dict[int, str]) -> str:
    return _("%(produce)s tuần %(week)s (%(severity)s)") % {
        "produce": produce[alert.produce_type_id],
        "week": format_date(alert.week_start),
        "severity": GlutSeverity(alert.severity).label,
    }


def _province_body(alerts: list[GlutAlert], province: str, produce: dict[int, str]) -> str:
    items = "; ".join(_item(alert, produce) for alert in alerts[:ITEMS_PER_MESSAGE])
    if len(alerts) > ITEMS_PER_MESSAGE:
        items += _(" và %(count)d cảnh báo khác") % {"count": len(alerts) - ITEMS_PER_MESSAGE}
    return _(
        "Nông Sàn: cảnh báo ùn ứ ở %(province)s: %(items)s. Xem số liệu và mở chiến dịch "
        "giải cứu trên Nông Sàn."
    ) % {"province": province, "items": items}


def _ministry_body(by_province: dict[int, list[GlutAlert]], names: dict[int, str]) -> str:
    count = sum(len(alerts) for alerts in by_province.values())
    ordered = sorted(by_province, key=lambda pk: (-len(by_province[pk]), names[pk]))
    listed = ", ".join(names[pk] for pk in ordered[:NAMES_PER_MESSAGE])
    if len(ordered) > NAMES_PER_MESSAGE:
        listed += _(" và %(count)d tỉnh khác") % {"count": len(ordered) - NAMES_PER_MESSAGE}
    return _(
        "Nông Sàn: %(count)d cảnh báo ùn ứ mới hoặc nặng hơn ở %(provinces)d tỉnh: "
        "%(names)s. Xem trên Nông Sàn."
    ) % {"count": count, "provinces": len(ordered), "names": listed}


def glut_alerts_notify(alerts: Sequence[GlutAlert]) -> int:
    """Tell the province officers and the ministry about ``alerts`` (new or more severe);
    returns the number of messages stored. The messages leave when the caller commits."""
    if not alerts:
        return 0
    by_province: dict[int, list[GlutAlert]] = defaultdict(list)
    for alert in sorted(
        alerts,
        key=lambda row: (-SEVERITY_RANK[GlutSeverity(row.severity)], row.week_start, row.pk),
    ):
        by_province[alert.province_id].append(alert)
    names = dict(AdministrativeUnit.objects.filter(pk__in=by_province).values_list("pk", "name"))
    produce = {
        row.pk: row
        for row in ProduceType.objects.filter(pk__in={a.produce_type_id for a in alerts})
    }
    sent = 0
    for province_id, people in province_officers(by_province).items():
        for person in people:
            with translation.override(person.preferred_language):
                names_now = {pk: row.name for pk, row in produce.items()}
                sent += _send(
                    person, _province_body(by_province[province_id], names[province_id], names_now)
                )
    for person in ministry_people():
        with translation.override(person.preferred_language):
            sent += _send(person, _ministry_body(by_province, names))
    return sent
