"""Ranking supply for a buy request, and buy requests for a harvest, with reasons in words.

Two steps (decision 0021): the database reads the candidates of the request's produce types
and provinces whose window overlaps (a covering index, nearest provinces first) and scores
them on every factor but the seller's reliability — produce, quantity coverage, window
overlap, distance, certifications, the price penalty — with CASE arithmetic that SQLite and
PostgreSQL both run (:func:`sql_score`, the same sums as :func:`_parts`); it hands Python
only the best ``SQL_TOP``. Python adds reliability to that bounded set and re-orders it. Only
the rows shown get their explanation written, in Vietnamese and English.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db.models import Case, F, FloatField, IntegerField, Q, Value, When
from django.db.models.functions import Cast, Floor
from django.db.models.lookups import GreaterThan
from django.utils import translation
from django.utils.translation import gettext as _

from nongsan.catalog.models import ProduceType
from nongsan.catalog.permissions import public_listings
from nongsan.common.formatting import format_vnd
from nongsan.geo.models import AdministrativeUnit
from nongsan.producers.models import Household, Purpose
from nongsan.trade.distances import great_circle_km, province_centroids, provinces_by_distance
from nongsan.trade.models import (
    CERTIFICATION_BITS,
    BuyRequest,
    CandidateKind,
    DemandSlot,
    SupplyCandidate,
)
from nongsan.trade.reliability import NEUTRAL_SCORE, Reliability, SellerKey, seller_reliability

# Rows the database scores and hands to Python (the reverse direction reads at most
# MAX_CANDIDATES demand slots per lookup).
SQL_TOP = 200
MAX_CANDIDATES = 2000
BUNDLE_DEPTH = 500
PROVINCES_PER_QUERY = 6
WEIGHTS = {
    "produce": 0.15,
    "quantity": 0.20,
    "window": 0.20,
    "distance": 0.15,
    "certification": 0.15,
    "reliability": 0.15,
}
ALTERNATIVE_PRODUCE = 0.6
W_PRODUCE, W_QUANTITY, W_WINDOW = WEIGHTS["produce"], WEIGHTS["quantity"], WEIGHTS["window"]
W_DISTANCE, W_CERTIFICATION = WEIGHTS["distance"], WEIGHTS["certification"]
W_RELIABILITY = WEIGHTS["reliability"]
# How far a seller's real reliability can move a score from the neutral one.
MAX_GAIN = WEIGHTS["reliability"] * (1 - NEUTRAL_SCORE)
MAX_LOSS = WEIGHTS["reliability"] * NEUTRAL_SCORE
# Scores are kept to 6 decimals (ties then break on quantity, kind, source).
SCORE_SCALE = 1_000_000
# Kilometres at which the distance factor halves.
DISTANCE_HALF_KM = 150.0
CERTIFICATION_NAMES = {
    "vietgap": "VietGAP",
    "globalgap": "GlobalG.A.P.",
    "organic": "",
    "ocop": "OCOP",
}

CANDIDATE_COLUMNS = (
    "kind",
    "source_id",
    "household_id",
    "cooperative_id",
    "produce_type_id",
    "province_code",
    "from_ordinal",
    "until_ordinal",
    "quantity_kg",
    "price_vnd_per_kg",
    "certification_mask",
)
Row = tuple[Any, ...]


@dataclass(frozen=True)
class Demand:
    """What a buy request asks, in the columns scoring reads."""

    primary_types: frozenset[int]
    alternative_types: frozenset[int]
    from_ordinal: int
    until_ordinal: int
    quantity_max_kg: int
    price_max_vnd_per_kg: int | None
    certification_mask: int
    province_code: str

    @property
    def days(self) -> int:
        return self.until_ordinal - self.from_ordinal + 1


def demand_of(buy_request: BuyRequest) -> Demand:
    links = list(buy_request.buyrequestproduce_set.all())
    return Demand(
        primary_types=frozenset(link.produce_type_id for link in links if link.is_primary),
        alternative_types=frozenset(link.produce_type_id for link in links if not link.is_primary),
        from_ordinal=buy_request.delivery_from_ordinal,
        until_ordinal=buy_request.delivery_until_ordinal,
        quantity_max_kg=int(buy_request.quantity_max_tonnes * 1000),
        price_max_vnd_per_kg=buy_request.price_max_vnd_per_kg,
        certification_mask=buy_request.certification_mask,
        province_code=buy_request.province.code,
    )


@dataclass
class Scored:
    """One candidate (or one request, in reverse) with its factors and score."""

    row: Row
    score: float
    factors: dict[str, float]
    overlap_days: int
    distance_km: float | None
    reliability: Reliability | None = None
    reasons_vi: list[str] = field(default_factory=list)
    reasons_en: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return str(self.row[0])

    @property
    def source_id(self) -> int:
        return int(self.row[1])

    @property
    def seller_key(self) -> SellerKey:
        return ("household", self.row[2]) if self.row[2] else ("cooperative", self.row[3])

    @property
    def quantity_kg(self) -> int:
        return int(self.row[8])


@lru_cache(maxsize=64)
def _distances_from(province_code: str) -> dict[str, float]:
    centroids = province_centroids()
    if province_code not in centroids:
        return {}
    return {code: great_circle_km(centroids[code], centroids[province_code]) for code in centroids}


def _rounded(total: float) -> float:
    """A score to 6 decimals, halves up: ``sql_score`` rounds the same way in the database."""
    return math.floor(total * SCORE_SCALE + 0.5) / SCORE_SCALE


def _distance_factor(kilometres: float) -> float:
    return 0.5 if kilometres < 0 else 1 / (1 + kilometres / DISTANCE_HALF_KM)


def _parts(demand: Demand, row: Row, reliable: float) -> tuple[float, ...]:
    """The factors of a row and its total: (produce, quantity, window, distance,
    certification, reliability, price, total, overlap days, km or -1). One function for the
    fast pass and the explained rows, so they can never disagree."""
    produce = 1.0 if row[4] in demand.primary_types else ALTERNATIVE_PRODUCE
    maximum = demand.quantity_max_kg
    quantity = min(1.0, row[8] / maximum) if maximum else 1.0
    overlap = min(row[7], demand.until_ordinal) - max(row[6], demand.from_ordinal) + 1
    overlap = overlap if overlap > 0 else 0
    window = overlap / demand.days
    kilometres = _distances_from(demand.province_code).get(row[5], -1.0)
    distance = _distance_factor(kilometres)
    required = demand.certification_mask
    certification = (
        bin(required & row[10]).count("1") / bin(required).count("1") if required else 1.0
    )
    total = (
        W_PRODUCE * produce
        + W_QUANTITY * quantity
        + W_WINDOW * window
        + W_DISTANCE * distance
        + W_CERTIFICATION * certification
        + W_RELIABILITY * reliable
    )
    ceiling, price = demand.price_max_vnd_per_kg, row[9]
    penalty = 1.0
    if ceiling and price and price > ceiling:
        penalty = max(0.5, 1 - (price - ceiling) / ceiling)
        total *= penalty
    return (produce, quantity, window, distance, certification, reliable, penalty, total,
            overlap, kilometres)  # fmt: skip


def score(demand: Demand, row: Row, reliability: Reliability | None) -> Scored:
    """Score one candidate row against a demand; pure arithmetic, no queries."""
    reliable = reliability.score if reliability is not None else NEUTRAL_SCORE
    produce, quantity, window, distance, certification, reliable, penalty, total, overlap, km = (
        _parts(demand, row, reliable)
    )
    factors = {
        "produce": produce,
        "quantity": quantity,
        "window": window,
        "distance": distance,
        "certification": certification,
        "reliability": reliable,
    }
    if penalty < 1.0:
        factors["price"] = penalty
    return Scored(
        row=row,
        score=_rounded(total),
        factors=factors,
        overlap_days=int(overlap),
        distance_km=None if km < 0 else km,
        reliability=reliability,
    )


def _province_ids(codes: Iterable[str]) -> dict[str, int]:
    wanted = list(codes)
    rows = AdministrativeUnit.objects.current().filter(level="province", code__in=wanted)
    return dict(rows.values_list("code", "pk"))


def _target_codes(buy_request: BuyRequest) -> list[str]:
    """Province codes the request buys in, nearest to its delivery place first."""
    nearest = provinces_by_distance(buy_request.province.code)
    if buy_request.is_nationwide:
        return nearest
    targeted = set(buy_request.target_provinces.values_list("code", flat=True))
    return [code for code in nearest if code in targeted]


def _float(value: float) -> Value:
    return Value(float(value), output_field=FloatField())


def sql_score(demand: Demand, province_codes: Iterable[str]) -> Any:
    """The score of ``_parts`` for a neutral seller, as one SQL expression over the candidate
    columns: the same factors, weights and order of the sums, in CASE arithmetic that SQLite
    and PostgreSQL both run, rounded to 6 places as :func:`score` rounds. Candidates outside
    ``province_codes`` get the unknown-distance factor."""
    produce = Case(
        When(produce_type_id__in=sorted(demand.primary_types), then=_float(1.0)),
        default=_float(ALTERNATIVE_PRODUCE),
        output_field=FloatField(),
    )
    maximum = demand.quantity_max_kg
    quantity: Any = _float(1.0)
    if maximum:
        quantity = Case(
            When(quantity_kg__gte=maximum, then=_float(1.0)),
            default=Cast(F("quantity_kg"), FloatField()) / _float(maximum),
            output_field=FloatField(),
        )
    end = Case(
        When(until_ordinal__lt=demand.until_ordinal, then=F("until_ordinal")),
        default=Value(demand.until_ordinal),
        output_field=IntegerField(),
    )
    start = Case(
        When(from_ordinal__gt=demand.from_ordinal, then=F("from_ordinal")),
        default=Value(demand.from_ordinal),
        output_field=IntegerField(),
    )
    overlap = end - start + Value(1)
    window = Case(
        When(GreaterThan(overlap, 0), then=Cast(overlap, FloatField()) / _float(demand.days)),
        default=_float(0.0),
        output_field=FloatField(),
    )
    kilometres = _distances_from(demand.province_code)
    distance = Case(
        *[
            When(province_code=code, then=_float(_distance_factor(kilometres.get(code, -1.0))))
            for code in province_codes
        ],
        default=_float(0.5),
        output_field=FloatField(),
    )
    required = demand.certification_mask
    certification: Any = _float(1.0)
    if required:
        bits = [bit for bit in CERTIFICATION_BITS.values() if required & bit]
        held: Any = Value(0)
        for bit in bits:
            held = held + Case(
                When(GreaterThan(F("certification_mask").bitand(bit), 0), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        certification = Cast(held, FloatField()) / _float(len(bits))
    total = (
        _float(W_PRODUCE) * produce
        + _float(W_QUANTITY) * quantity
        + _float(W_WINDOW) * window
        + _float(W_DISTANCE) * distance
        + _float(W_CERTIFICATION) * certification
        + _float(W_RELIABILITY * NEUTRAL_SCORE)
    )
    ceiling = demand.price_max_vnd_per_kg
    if ceiling:
        # max(0.5, 1 - (price - ceiling) / ceiling): 0.5 from one and a half times the ceiling.
        penalty = Case(
            When(price_vnd_per_kg__gt=(3 * ceiling) // 2, then=_float(0.5)),
            When(
                price_vnd_per_kg__gt=ceiling,
                then=_float(1.0)
                - Cast(F("price_vnd_per_kg") - Value(ceiling), FloatField()) / _float(ceiling),
            ),
            default=_float(1.0),
            output_field=FloatField(),
        )
        total = total * penalty
    # floor(total × 10⁶ + ½): the rounding of ``_rounded``, the same double operations, so
    # that the database and Python break ties alike.
    return Floor(total * _float(SCORE_SCALE) + _float(0.5))


def _best_possible(demand: Demand, distance: float) -> float:
    """The highest neutral score a candidate with this distance factor can reach."""
    produce = 1.0 if demand.primary_types else ALTERNATIVE_PRODUCE
    return (
        W_PRODUCE * produce
        + W_QUANTITY
        + W_WINDOW
        + W_DISTANCE * distance
        + W_CERTIFICATION
        + W_RELIABILITY * NEUTRAL_SCORE
    )


def _row_order(row: Row) -> tuple[Any, ...]:
    return (-row[11], -row[8], row[0], row[1])


def scored_prefilter(demand: Demand, codes: Sequence[str], *, top: int | None = None) -> list[Row]:
    """The ``top`` best candidate rows for a demand in the provinces ``codes`` (nearest first),
    scored by the database (:func:`sql_score`), best first; each row is CANDIDATE_COLUMNS and
    the score. Provinces are read in chunks of PROVINCES_PER_QUERY from the covering index;
    the next chunk is read only if its best possible score could still beat the last of
    the best rows found so far."""
    top = top or SQL_TOP
    types = sorted(demand.primary_types | demand.alternative_types)
    ids = _province_ids(codes)
    ordered = [code for code in codes if code in ids]
    kilometres = _distances_from(demand.province_code)
    best: list[Row] = []
    for start in range(0, len(ordered), PROVINCES_PER_QUERY):
        chunk = ordered[start : start + PROVINCES_PER_QUERY]
        if len(best) >= top:
            nearest = max(_distance_factor(kilometres.get(code, -1.0)) for code in chunk)
            if best[top - 1][11] > _best_possible(demand, nearest):
                break
        found = (
            SupplyCandidate.objects.filter(
                produce_type_id__in=types,
                province_id__in=[ids[code] for code in chunk],
                until_ordinal__gte=demand.from_ordinal,
                from_ordinal__lte=demand.until_ordinal,
            )
            .annotate(match_score=sql_score(demand, chunk))
            .order_by("-match_score", "-quantity_kg", "kind", "source_id")
            .values_list(*CANDIDATE_COLUMNS, "match_score")[:top]
        )
        best.extend((*row[:11], int(row[11]) / SCORE_SCALE) for row in found)
        best.sort(key=_row_order)
        del best[top:]
    return best


def candidates_prefilter(buy_request: BuyRequest, demand: Demand) -> list[Row]:
    """The best SQL_TOP candidate rows of the request's produce types in its provinces whose
    window overlaps the delivery window, scored by the database (all but reliability)."""
    return scored_prefilter(demand, _target_codes(buy_request))


def _seller_of(row: Row) -> SellerKey:
    return ("household", row[2]) if row[2] else ("cooperative", row[3])


def _ordered(items: list[Scored]) -> list[Scored]:
    return sorted(
        items, key=lambda item: (-item.score, -item.quantity_kg, item.kind, item.source_id)
    )


def rank(demand: Demand, rows: Sequence[Row], *, exact_top: int | None = None) -> list[Scored]:
    """Score the rows, best first. Reliability needs the orders of each seller; with
    ``exact_top`` it is fetched only for the rows that can still reach the top: every row is
    first scored as a neutral seller, and a seller's real reliability can move a score by
    at most +MAX_GAIN / -MAX_LOSS, so rows whose best case stays below the ``exact_top``-th
    row's worst case cannot enter. The first ``exact_top`` rows are exact; the rest keep
    their neutral score, and at most BUNDLE_DEPTH of them are returned."""
    if exact_top is None or len(rows) <= exact_top:
        reliability = seller_reliability({_seller_of(row) for row in rows})
        return _ordered([score(demand, row, reliability[_seller_of(row)]) for row in rows])
    # The fast pass: totals only, as a neutral seller, best first.
    totals = sorted(
        ((_parts(demand, row, NEUTRAL_SCORE)[7], row) for row in rows),
        key=lambda pair: (-pair[0], -pair[1][8], pair[1][0], pair[1][1]),
    )
    threshold = totals[exact_top - 1][0] - MAX_LOSS
    cut = next(
        (index for index, (total, _row) in enumerate(totals) if total + MAX_GAIN < threshold),
        len(totals),
    )
    contenders = [row for _total, row in totals[:cut]]
    reliability = seller_reliability({_seller_of(row) for row in contenders})
    rescored = [score(demand, row, reliability[_seller_of(row)]) for row in contenders]
    # Beyond the contenders only the next rows are kept (enough for a bundle of small sellers).
    rest = [score(demand, row, None) for _total, row in totals[cut : cut + BUNDLE_DEPTH]]
    return _ordered(rescored) + rest


def _certificate_names(mask: int) -> list[str]:
    names = []
    for kind, bit in CERTIFICATION_BITS.items():
        if mask & bit:
            names.append(CERTIFICATION_NAMES[kind] or _("hữu cơ"))
    return names


def _reasons(demand: Demand, item: Scored, type_names: dict[int, ProduceType]) -> list[str]:
    """The explanation in the active language."""
    row = item.row
    kind, produce_type_id, price, mask = row[0], row[4], row[9], row[10]
    produce = type_names.get(produce_type_id)
    name = produce.name if produce is not None else ""
    reasons = []
    if produce_type_id in demand.primary_types:
        reasons.append(_("đúng loại %(name)s") % {"name": name})
    else:
        reasons.append(_("loại thay thế: %(name)s") % {"name": name})
    reasons.append(
        _("đủ %(percent)s%% số lượng") % {"percent": round(item.factors["quantity"] * 100)}
    )
    if kind == CandidateKind.HARVEST:
        reasons.append(
            _("thu hoạch trùng %(overlap)s/%(days)s ngày")
            % {"overlap": item.overlap_days, "days": demand.days}
        )
    else:
        reasons.append(
            _("có hàng %(overlap)s/%(days)s ngày")
            % {"overlap": item.overlap_days, "days": demand.days}
        )
    if item.distance_km is not None:
        if item.distance_km < 1:
            reasons.append(_("cùng tỉnh"))
        else:
            reasons.append(_("cách %(km)s km") % {"km": round(item.distance_km)})
    held = _certificate_names(mask)
    missing = _certificate_names(demand.certification_mask & ~mask)
    if held:
        reasons.append(", ".join(held))
    if missing:
        reasons.append(_("thiếu chứng nhận %(names)s") % {"names": ", ".join(missing)})
    reliability = item.reliability
    if reliability is not None and reliability.has_history:
        reasons.append(
            _("xác nhận %(confirmed)s%% đơn, giao %(delivered)s%% đơn")
            % {
                "confirmed": round((reliability.confirmation_rate or 0) * 100),
                "delivered": round((reliability.delivery_rate or 0) * 100),
            }
        )
    else:
        reasons.append(_("chưa có lịch sử bán trên sàn"))
    if reliability is not None and reliability.rating is not None:
        reasons.append(_("đánh giá %(stars)s/5") % {"stars": f"{reliability.rating:.1f}"})
    if price:
        if "price" in item.factors:
            reasons.append(_("giá %(price)s/kg, cao hơn mức trả") % {"price": format_vnd(price)})
        else:
            reasons.append(_("giá %(price)s/kg") % {"price": format_vnd(price)})
    else:
        reasons.append(_("giá thương lượng"))
    return reasons


def explain(
    demand: Demand, items: Sequence[Scored], type_names: dict[int, ProduceType] | None = None
) -> None:
    """Write each item's reasons in Vietnamese and English (only for the rows shown); the
    produce names are read unless ``type_names`` gives them."""
    if type_names is None:
        type_names = ProduceType.objects.in_bulk(sorted({item.row[4] for item in items}))
    for item in items:
        with translation.override("vi"):
            item.reasons_vi = _reasons(demand, item, type_names)
        with translation.override("en"):
            item.reasons_en = _reasons(demand, item, type_names)


def _drop_stale_listings(items: list[Scored], today: datetime.date) -> list[Scored]:
    """Check the few candidates about to be shown against what the candidate table does not
    hear of: listings lose stock through bulk updates, and a household that withdraws its
    marketplace consent (or is merged) must vanish from every trader's matches at once, as
    it does from the marketplace (``catalog.permissions.public_listings``)."""
    if not items:
        return items
    listing_ids = [item.source_id for item in items if item.kind == CandidateKind.LISTING]
    live = (
        dict(
            public_listings(today=today)
            .filter(pk__in=listing_ids)
            .values_list("pk", "stock_quantity")
        )
        if listing_ids
        else {}
    )
    household_ids = {item.row[2] for item in items if item.row[2]}
    shown = set(
        Household.objects.active()
        .with_consent(Purpose.MARKETPLACE)
        .filter(pk__in=household_ids)
        .values_list("pk", flat=True)
    )
    kept = []
    for item in items:
        if item.row[2] and item.row[2] not in shown:
            continue
        if item.kind == CandidateKind.LISTING:
            stock = live.get(item.source_id)
            if stock is None or stock <= 0:
                continue
        kept.append(item)
    return kept


@dataclass
class Bundle:
    """Several sellers who together fill a request."""

    members: list[Scored]
    total_kg: int
    coverage: float
    sellers: int
    reason_vi: str = ""
    reason_en: str = ""


def bundle(demand: Demand, ranked: Sequence[Scored], *, minimum_kg: int) -> Bundle | None:
    """The best-ranked candidates of distinct sellers, taken in order until together they
    reach ``minimum_kg`` (one candidate per seller: a seller's listing and harvest are often
    the same produce). None when no single candidate is short of it or nothing is."""
    if not ranked or ranked[0].quantity_kg >= minimum_kg:
        return None
    members: list[Scored] = []
    seen: set[SellerKey] = set()
    total = 0
    for item in ranked:
        if item.seller_key in seen or item.overlap_days == 0:
            continue
        members.append(item)
        seen.add(item.seller_key)
        total += item.quantity_kg
        if total >= minimum_kg:
            break
    if len(members) < 2:
        return None
    coverage = min(1.0, total / demand.quantity_max_kg) if demand.quantity_max_kg else 1.0
    result = Bundle(members=members, total_kg=total, coverage=coverage, sellers=len(members))
    values = {"sellers": len(members), "percent": round(coverage * 100)}
    with translation.override("vi"):
        result.reason_vi = _("%(sellers)s người bán cùng gom đủ %(percent)s%% số lượng") % values
    with translation.override("en"):
        result.reason_en = _("%(sellers)s người bán cùng gom đủ %(percent)s%% số lượng") % values
    return result


@dataclass
class RequestMatches:
    demand: Demand
    matches: list[Scored]
    bundle: Bundle | None
    considered: int


def request_matches(
    buy_request: BuyRequest, *, limit: int = 20, today: datetime.date | None = None
) -> RequestMatches:
    """The best ``limit`` supply candidates for a buy request, explained, and a bundle of
    small sellers when no single one fills the minimum."""
    today = today or datetime.date.today()  # noqa: DTZ011 - callers pass Vietnam's date
    demand = demand_of(buy_request)
    rows = candidates_prefilter(buy_request, demand)
    ranked = rank(demand, rows, exact_top=limit * 2)
    shown = _drop_stale_listings(ranked[: limit * 2], today)[:limit]
    explain(demand, shown)
    minimum_kg = int(buy_request.quantity_min_tonnes * 1000)
    together = bundle(demand, ranked, minimum_kg=minimum_kg)
    if together is not None:
        explain(demand, together.members)
    return RequestMatches(demand=demand, matches=shown, bundle=together, considered=len(rows))


@dataclass
class DemandMatch:
    """A buy request that suits a given harvest (the reverse direction)."""

    buy_request_id: int
    scored: Scored


SLOT_COLUMNS = (
    "buy_request_id",
    "is_primary",
    "from_ordinal",
    "until_ordinal",
    "quantity_max_kg",
    "price_max_vnd_per_kg",
    "certification_mask",
    "delivery_province_code",
)


def _seller_of_candidate(candidate: SupplyCandidate) -> SellerKey:
    if candidate.household_id:
        return ("household", candidate.household_id)
    return ("cooperative", candidate.cooperative_id or 0)


def _requests_ranked(
    candidate: SupplyCandidate,
    slots: Iterable[tuple[Any, ...]],
    reliability: Reliability,
    limit: int | None,
) -> list[tuple[int, Scored, Demand]]:
    """Score one source against demand slots (SLOT_COLUMNS), the best slot per request, best
    request first; pure arithmetic."""
    row: Row = tuple(getattr(candidate, column) for column in CANDIDATE_COLUMNS)
    best: dict[int, tuple[Scored, Demand]] = {}
    for slot in slots:
        request_id, is_primary, from_ordinal, until_ordinal, quantity, price, mask, code = slot
        demand = Demand(
            primary_types=frozenset([candidate.produce_type_id] if is_primary else []),
            alternative_types=frozenset([] if is_primary else [candidate.produce_type_id]),
            from_ordinal=from_ordinal,
            until_ordinal=until_ordinal,
            quantity_max_kg=quantity,
            price_max_vnd_per_kg=price,
            certification_mask=mask,
            province_code=code,
        )
        item = score(demand, row, reliability)
        previous = best.get(request_id)
        if previous is None or item.score > previous[0].score:
            best[request_id] = (item, demand)
    ordered = sorted(best.items(), key=lambda pair: (-pair[1][0].score, pair[0]))[:limit]
    return [(request_id, item, demand) for request_id, (item, demand) in ordered]


def supply_request_matches(
    candidate: SupplyCandidate, *, limit: int | None = 20, explain_top: int = 20
) -> list[DemandMatch]:
    """Open buy requests that suit one source of supply, best first (all of them when
    ``limit`` is None), the first ``explain_top`` with their reasons: two indexed lookups on
    the demand slots of its produce type, in its province and nationwide."""
    slots = (
        DemandSlot.objects.filter(
            produce_type_id=candidate.produce_type_id,
            until_ordinal__gte=candidate.from_ordinal,
            from_ordinal__lte=candidate.until_ordinal,
        )
        .filter(province_id__in=[candidate.province_id])
        .values_list(*SLOT_COLUMNS)[:MAX_CANDIDATES]
    )
    nationwide = DemandSlot.objects.filter(
        produce_type_id=candidate.produce_type_id,
        province__isnull=True,
        until_ordinal__gte=candidate.from_ordinal,
        from_ordinal__lte=candidate.until_ordinal,
    ).values_list(*SLOT_COLUMNS)[:MAX_CANDIDATES]
    seller = _seller_of_candidate(candidate)
    reliability = seller_reliability([seller])[seller]
    ordered = _requests_ranked(candidate, [*slots, *nationwide], reliability, limit)
    for _request_id, item, demand in ordered[:explain_top]:
        explain(demand, [item])
    return [DemandMatch(buy_request_id=request_id, scored=item) for request_id, item, _d in ordered]


def supply_request_matches_many(
    candidates: Sequence[SupplyCandidate], *, limit: int = 20
) -> list[list[DemandMatch]]:
    """``supply_request_matches`` for several sources at once (a seller's page), each best
    first and explained, in a number of queries that does not grow with the sources: one
    read of the demand slots that suit any of them, one of the sellers' reliability, one of
    the produce names."""
    if not candidates:
        return []
    suits = Q(pk__in=[])
    for candidate in candidates:
        suits |= Q(
            Q(province_id=candidate.province_id) | Q(province__isnull=True),
            produce_type_id=candidate.produce_type_id,
            until_ordinal__gte=candidate.from_ordinal,
            from_ordinal__lte=candidate.until_ordinal,
        )
    slots = list(
        DemandSlot.objects.filter(suits).values_list(
            "produce_type_id", "province_id", *SLOT_COLUMNS
        )[: MAX_CANDIDATES * len(candidates)]
    )
    reliability = seller_reliability({_seller_of_candidate(item) for item in candidates})
    type_names = ProduceType.objects.in_bulk(sorted({item.produce_type_id for item in candidates}))
    result = []
    for candidate in candidates:
        own = [
            slot[2:]
            for slot in slots
            if slot[0] == candidate.produce_type_id
            and slot[1] in (None, candidate.province_id)
            and slot[5] >= candidate.from_ordinal
            and slot[4] <= candidate.until_ordinal
        ]
        ordered = _requests_ranked(
            candidate, own, reliability[_seller_of_candidate(candidate)], limit
        )
        for _request_id, item, demand in ordered:
            explain(demand, [item], type_names)
        result.append(
            [
                DemandMatch(buy_request_id=request_id, scored=item)
                for request_id, item, _d in ordered
            ]
        )
    return result
