"""Signal receivers of trade, connected in ``TradeConfig.ready``.

They hold no rule: they schedule, on commit, the candidate table's update for a listing or
harvest announcement that was saved, and for a new announcement the notice to traders whose
open requests it suits (so the harvests and catalog services need no change).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from nongsan.trade.models import CandidateKind

logger = logging.getLogger(__name__)


def _listing_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from nongsan.trade.candidates import candidate_sync

    listing_id = instance.pk
    transaction.on_commit(lambda: candidate_sync(CandidateKind.LISTING, listing_id), robust=True)


def announcement_published(announcement_id: int, *, created: bool) -> None:
    """Bring the candidate up to date; a new harvest is told to matching traders."""
    from nongsan.trade.candidates import candidate_sync
    from nongsan.trade.services import traders_notify_of_harvest

    candidate_sync(CandidateKind.HARVEST, announcement_id)
    if created:
        traders_notify_of_harvest(announcement_id)


def _announcement_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    announcement_id = instance.pk
    transaction.on_commit(
        lambda: announcement_published(announcement_id, created=created), robust=True
    )


def connect() -> None:
    from nongsan.catalog.models import Listing
    from nongsan.harvests.models import HarvestAnnouncement

    post_save.connect(_listing_saved, sender=Listing, dispatch_uid="trade_listing_saved")
    post_save.connect(
        _announcement_saved, sender=HarvestAnnouncement, dispatch_uid="trade_announcement_saved"
    )
