"""What a district owes for the badges it recognises: one line per badge, stipend caps per school year, totals.

Pure: a Catalog and the badges in, numbers out. A district recognises a badge when the credential is
one it endorses (directly or through a stack) and the earner teaches in the district itself or in a
member district it honours (reciprocity). The district's own incentives apply, whoever trained the earner.

Preparation pay (the stipend's `preparation`) is paid for a badge when the district gives it, the earner
teaches in the district itself and the submission records a pre-approval: pre-approval is given by the
earner's own district, so a badge recognised through reciprocity has none from the reporting district.
The annual cap counts micro-credentials; preparation pay follows the stipend, paid only when it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from ..catalog.district import District
from ..catalog.incentives import Award, award
from ..catalog.model import Catalog
from .history import Badge


@dataclass(frozen=True)
class Line:
    """One recognised badge and what it gives."""

    badge: Badge
    type: str  # the credential's type, which sets the salary credit
    school_year: str
    award: Award  # with the stipend's annual cap applied
    preparation: float  # dollars for preparation time: own teacher, pre-approved, and the stipend paid
    note: str  # why a part is not paid, or ""


@dataclass(frozen=True)
class Total:
    earner: str  # "" for the whole district
    badges: int
    award: Award
    preparation: float


@dataclass(frozen=True)
class Earnings:
    district: District
    start: str | None  # the period asked for, inclusive; None for open
    end: str | None
    lines: tuple[Line, ...]  # by earned day, earner, credential
    earners: tuple[Total, ...]  # by login
    total: Total


@dataclass(frozen=True)
class YearSummary:
    school_year: str
    badges: int
    earners: int
    award: Award
    preparation: float


@dataclass(frozen=True)
class CredentialCount:
    credential: str
    badges: int
    reciprocity: int  # of which earned by teachers of other member districts


def school_year(day: str, start: str) -> str:
    """The school year a day falls in, for a year starting on MM-DD: "2026-27", or "2026" when it starts on January 1."""
    year = int(day[:4])
    if day[5:] < start:  # MM-DD strings order like the days they name
        year -= 1
    return str(year) if start == "01-01" else f"{year}-{(year + 1) % 100:02d}"


def recognised(catalog: Catalog, district: District, badge: Badge) -> bool:
    """Whether a district honours a badge: not revoked, a credential it endorses, earned at home or in a district it recognises."""
    return (
        not badge.revoked
        and badge.credential in catalog.credentials
        and badge.credential in catalog.endorsed(district)
        and (badge.district == district.id or badge.district in district.recognises)
    )


def valid_until(district: District, earned_on: str, expires: str) -> str | None:
    """The day a badge earned on `earned_on` stops counting for a district: its expiry, or sooner the end of the
    district's own validity from that day; None when it never does."""
    ends = [expires] if expires else []
    if district.valid_for is not None:
        ends.append(district.valid_for.after(date.fromisoformat(earned_on)).isoformat())
    return min(ends) if ends else None


def counts_on(district: District, badge: Badge, on: str | None) -> bool:
    """Whether a badge has not stopped counting for the district by the day `on` (None: never asked), or counts again
    through a renewal made by then."""
    if on is None:
        return True
    for n, (start, expires) in enumerate(((badge.earned_on, badge.expires), *badge.renewals)):
        until = valid_until(district, start, expires)
        if (n == 0 or start <= on) and (until is None or on < until):
            return True
    return False


def renewals_due(badges: Iterable[Badge], today: str) -> list[tuple[str, int]]:
    """How many standing badges expire in each quarter from today's on, as ("2027 Q1", count), in order: counts only."""
    due: dict[str, int] = {}
    for badge in badges:
        expires = badge.renewals[-1][1] if badge.renewals else badge.expires
        if badge.revoked or not expires or expires < today:
            continue
        quarter = f"{expires[:4]} Q{(int(expires[5:7]) - 1) // 3 + 1}"
        due[quarter] = due.get(quarter, 0) + 1
    return sorted(due.items())


def earnings(
    catalog: Catalog,
    district: District,
    badges: Iterable[Badge],
    start: str | None = None,
    end: str | None = None,
    on: str | None = None,
) -> Earnings:
    """The badges a district recognises earned from `start` to `end` (YYYY-MM-DD, inclusive), with totals.

    The annual stipend cap counts every recognised badge of the school year, including those earned
    before `start`: the first `annual_cap` of an earner, by earned day then credential id, are paid.
    A revoked badge is not paid and takes no place under the cap; a badge no longer valid on the day `on` is not
    listed, though it kept its place under the cap of its year. Preparation pay is paid for an own
    teacher's pre-approved badge whose stipend is paid; the note says why it is not, where the district gives it.
    """
    mine = sorted(
        (b for b in badges if recognised(catalog, district, b)),
        key=lambda b: (b.earner, b.earned_on, b.credential, b.version, b.submission),
    )
    stipend = district.incentives.stipend
    cap = stipend.annual_cap if stipend else None
    rate = stipend.preparation if stipend and stipend.preparation else 0
    used: dict[tuple[str, str], int] = {}
    lines = []
    for badge in mine:
        credential = catalog.credentials[badge.credential]
        year = school_year(badge.earned_on, district.school_year_start)
        given, notes = award(district, credential), []
        # Pre-approval is the earner's own district's: another district's approval commits this one to nothing.
        prepared = bool(rate) and badge.district == district.id and badge.pre_approved
        if rate and badge.district != district.id:
            notes.append("through reciprocity: no preparation pay")
        elif rate and not badge.pre_approved:
            notes.append("not pre-approved: no preparation pay")
        if stipend and cap is not None:
            used[badge.earner, year] = used.get((badge.earner, year), 0) + 1
            if used[badge.earner, year] > cap:
                # The cap counts micro-credentials paid for: past it, neither the stipend nor preparation is paid.
                given = Award(given.salary_credit, given.ceus, 0, given.recertification_hours)
                notes.insert(0, f"annual cap of {cap} reached for {year}" + (": no stipend or preparation pay" if prepared else ""))
                prepared = False
        if (start is None or badge.earned_on >= start) and (end is None or badge.earned_on <= end) and counts_on(district, badge, on):
            lines.append(Line(badge, credential.type, year, given, rate if prepared else 0, "; ".join(notes)))
    lines.sort(key=lambda x: (x.badge.earned_on, x.badge.earner, x.badge.credential, x.badge.version, x.badge.submission))
    by_earner: dict[str, list[Line]] = {}
    for line in lines:
        by_earner.setdefault(line.badge.earner, []).append(line)
    earners = tuple(_total(login, by_earner[login]) for login in sorted(by_earner))
    return Earnings(district, start, end, tuple(lines), earners, _total("", lines))


def _sums(lines: Sequence[Line]) -> tuple[Award, float]:
    """The incentives and the preparation pay of some lines, added up."""
    return sum((x.award for x in lines), Award()), sum(x.preparation for x in lines)


def _total(earner: str, lines: Sequence[Line]) -> Total:
    return Total(earner, len(lines), *_sums(lines))


def by_school_year(report: Earnings) -> tuple[YearSummary, ...]:
    """Badges, earners, incentives and preparation pay per school year, oldest first: counts and sums only."""
    years: dict[str, list[Line]] = {}
    for line in report.lines:
        years.setdefault(line.school_year, []).append(line)
    return tuple(
        YearSummary(year, len(lines), len({x.badge.earner for x in lines}), *_sums(lines)) for year, lines in sorted(years.items())
    )


def by_credential(report: Earnings) -> tuple[CredentialCount, ...]:
    """Badges per credential id, and how many of them came through reciprocity."""
    counts: dict[str, list[Line]] = {}
    for line in report.lines:
        counts.setdefault(line.badge.credential, []).append(line)
    return tuple(
        CredentialCount(cid, len(lines), sum(x.badge.district != report.district.id for x in lines))
        for cid, lines in sorted(counts.items())
    )
