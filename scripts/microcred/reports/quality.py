"""How well review works: pass and resubmission rates, tie-breaks, inter-rater agreement, turnaround.

Pure functions of review records. Agreement pools, for every round, every pair of its reviewers and
every criterion both scored, the two levels given (the pair ordered by pseudonym, so "first rater" is
well defined); percent agreement and Cohen's kappa are computed over those pairs. Turnaround is the
days from a round's opening to its decision (the record's opened_on to decided_on: round 1 opens when the pull
request was opened, a later round when its new head was pushed); the median is the middle value (the mean of
the two middle values for an even count), the 90th percentile is nearest-rank (the smallest value
with at least 90% of the values at or below it), so it is always a turnaround that happened.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from itertools import combinations

from ..catalog.model import Catalog
from ..catalog.records import Record, Round

BIN_DAYS = 7  # turnaround chart: one bar per week
MOST_BINS = 10


@dataclass(frozen=True)
class Ratio:
    count: int
    of: int

    @property
    def rate(self) -> float | None:
        return self.count / self.of if self.of else None


@dataclass(frozen=True)
class Figures:
    """The review figures of a set of records."""

    submissions: int
    rounds: int
    first_try: Ratio  # submissions whose first round was approved
    resubmitted: Ratio  # submissions with more than one round
    tiebreaks: Ratio  # rounds a third reviewer decided, of rounds
    agreement: Ratio  # score pairs that agree, of score pairs
    kappa: float | None  # None when undefined: no pairs, or chance agreement is certain
    days: tuple[int, ...]  # turnaround of each round, sorted
    median_days: float | None
    p90_days: int | None
    within_target: Ratio  # rounds decided within the target, of rounds


@dataclass(frozen=True)
class Reviews:
    target_days: int
    overall: Figures
    credentials: tuple[tuple[str, Figures], ...]  # by credential id


@dataclass(frozen=True)
class Bin:
    label: str
    count: int


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa of (first rater, second rater) labels: (p_o - p_e) / (1 - p_e); None when p_e is 1 or there are no pairs."""
    n = len(pairs)
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(first[k] * second[k] for k in first)
    if chance == n * n:  # also when n is 0
        return None
    # Exact fractions: the same pairs give the same digits, and chance level gives exactly 0.
    observed, expected = Fraction(sum(a == b for a, b in pairs), n), Fraction(chance, n * n)
    return float((observed - expected) / (1 - expected))


def percent_agreement(pairs: Sequence[tuple[str, str]]) -> Ratio:
    return Ratio(sum(a == b for a, b in pairs), len(pairs))


def median(values: Sequence[float]) -> float | None:
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return None
    middle = n // 2
    return ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def nearest_rank(values: Sequence[int], percent: int) -> int | None:
    """The nearest-rank percentile: the value at rank ceil(percent/100 * n) of the sorted values."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[max(1, math.ceil(percent * len(ordered) / 100)) - 1]


def score_pairs(round_: Round) -> list[tuple[str, str]]:
    """Every (first, second) pair of levels given to one criterion by two reviewers of a round, by pseudonym."""
    latest = {r.reviewer: r for r in round_.reviews}  # a reviewer listed twice counts once, as last listed
    pairs: list[tuple[str, str]] = []
    for a, b in combinations(sorted(latest), 2):
        first, second = latest[a].scores, latest[b].scores
        pairs.extend((first[c], second[c]) for c in sorted(set(first) & set(second)))
    return pairs


def turnaround(round_: Round) -> int:
    return (date.fromisoformat(round_.decided_on) - date.fromisoformat(round_.opened_on)).days


def figures(records: Sequence[Record], target_days: int) -> Figures:
    """The figures of a set of records, against a target number of days."""
    rounds = [r for record in records for r in record.rounds]
    pairs = [p for r in rounds for p in score_pairs(r)]
    days = tuple(sorted(turnaround(r) for r in rounds))
    n = len(records)
    return Figures(
        submissions=n,
        rounds=len(rounds),
        first_try=Ratio(sum(bool(x.rounds) and x.rounds[0].outcome == "approved" for x in records), n),
        resubmitted=Ratio(sum(len(x.rounds) > 1 for x in records), n),
        tiebreaks=Ratio(sum(r.tiebreak for r in rounds), len(rounds)),
        agreement=percent_agreement(pairs),
        kappa=cohen_kappa(pairs),
        days=days,
        median_days=median(days),
        p90_days=nearest_rank(days, 90),
        within_target=Ratio(sum(d <= target_days for d in days), len(days)),
    )


def reviews(records: Iterable[Record], target_days: int) -> Reviews:
    """The figures per credential and overall."""
    records = list(records)
    by_credential: dict[str, list[Record]] = {}
    for record in records:
        by_credential.setdefault(record.credential, []).append(record)
    return Reviews(
        target_days,
        figures(records, target_days),
        tuple((cid, figures(items, target_days)) for cid, items in sorted(by_credential.items())),
    )


def turnaround_bins(days: Sequence[int], target_days: int) -> tuple[Bin, ...]:
    """Rounds per week of turnaround (0-7 days, 8-14, ...), enough weeks to show the target; the last is open when cut.

    A long tail is cut after MOST_BINS weeks, or a week after the target's when that is later, so the
    target always falls on a closed week and its line on the chart marks a real boundary of days.
    """
    target_weeks = math.ceil(target_days / BIN_DAYS)
    weeks = max(math.ceil(max(days, default=0) / BIN_DAYS), target_weeks, 1)
    n = min(weeks, max(MOST_BINS, target_weeks + 1))
    counts = Counter(min(max(math.ceil(d / BIN_DAYS) - 1, 0), n - 1) for d in days)
    bins = [Bin(f"{0 if i == 0 else i * BIN_DAYS + 1}–{(i + 1) * BIN_DAYS}", counts[i]) for i in range(n)]
    if weeks > n:
        bins[-1] = Bin(f"{(n - 1) * BIN_DAYS + 1}+", counts[n - 1])
    return tuple(bins)


def percent(ratio: Ratio) -> str:
    """A ratio in words for people: "77.8%", or "n/a" when there is nothing to divide."""
    rate = ratio.rate
    return "n/a" if rate is None else f"{rate * 100:.1f}%"


def share(ratio: Ratio) -> str:
    """A ratio with its count: "77.8% (7 of 9)", or "n/a"."""
    return f"{percent(ratio)} ({ratio.count} of {ratio.of})" if ratio.of else "n/a"


def agreement(ratio: Ratio) -> str:
    """Percent agreement with the number of score pairs behind it: "75.0% of 20", or "n/a"."""
    return f"{percent(ratio)} of {ratio.of}" if ratio.of else "n/a"


def decimal(value: float | None, places: int = 2) -> str:
    """A figure for people, or "n/a" when undefined."""
    return "n/a" if value is None else f"{value:.{places}f}"


def days_number(value: float | None) -> int | float | None:
    """A number of days as every format gives it: a whole number as an integer (10, never 10.0), else one decimal (10.5)."""
    if value is None:
        return None
    return int(value) if value == int(value) else round(value, 1)


def days_text(value: float | None) -> str:
    """A number of days for people and spreadsheets, as `days_number` gives it: "10", "10.5", or "n/a"."""
    return "n/a" if value is None else str(days_number(value))


def titled_figures(figures: Reviews, catalog: Catalog) -> list[tuple[str, str, Figures]]:
    """(credential id, its title, its figures) for each credential reviewed; a credential no longer in the catalog by its id."""
    return [(cid, catalog.credentials[cid].title if cid in catalog.credentials else cid, f) for cid, f in figures.credentials]
