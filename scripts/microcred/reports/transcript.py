"""A district's transcript: its staff list joined to the badges it recognises, with credit in its own units.

Pure: a Catalog, the badge history and the employees in, rows out. A badge names its earner by a salted
hash of their email address or by their GitHub login; an employee matches a hashed badge when their
address hashed with that badge's salt gives its hash, and a login badge when the staff list gives that
login. Badges are indexed by salt once, so each address is hashed once per distinct salt (an earner's
badges usually share one), not once per badge.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..badges.ob2 import results
from ..badges.urls import UUID, Urls
from ..catalog.district import Credit, District
from ..catalog.model import Catalog
from ..catalog.records import Record
from .earnings import counts_on, recognised, school_year
from .history import Badge
from .roster import Employee


@dataclass(frozen=True)
class Entry:
    """One recognised badge of one employee, with one unit of credit the district grants for it."""

    employee: Employee
    badge: Badge
    title: str
    school_year: str
    credit: Credit | None
    amount: float
    page: str  # the badge's page, where anyone can verify it
    rubric: str  # the scored rubric, criterion by criterion

    @property
    def badge_id(self) -> str:
        return _badge_id(self.badge)


@dataclass(frozen=True)
class Transcript:
    district: District
    provider: str
    start: str | None
    end: str | None
    entries: tuple[Entry, ...]  # by employee id, then day earned
    unmatched_rows: tuple[int, ...]  # roster rows that hold no badge the district recognises
    unmatched_badges: tuple[str, ...]  # badge ids (uuids) of recognised badges no roster row matches
    employees: int


def _badge_id(badge: Badge) -> str:
    found = UUID.search(badge.assertion)
    return found.group() if found else badge.assertion


def rubric_results(catalog: Catalog, badge: Badge, records: Mapping[str, Record]) -> str:
    """'Criterion: Level (2 of 2); ...' from the review record of the badge."""
    record = records.get(badge.submission)
    credential = catalog.credentials.get(badge.credential)
    if record is None or credential is None or not record.rounds:
        return ""
    found = results(catalog.rubrics[credential.rubric], record.rounds[-1])
    return "; ".join(
        f"{r.criterion.title}: {r.level.label} ({r.count} of {r.of})" if r.level else f"{r.criterion.title}: not scored" for r in found
    )


def transcript(
    catalog: Catalog,
    district: District,
    badges: Iterable[Badge],
    records: Sequence[Record],
    employees: Sequence[Employee],
    start: str | None = None,
    end: str | None = None,
    on: str | None = None,
) -> Transcript:
    """Every badge the district recognises, earned from `start` to `end`, matched to the employees it belongs to."""
    urls = Urls(catalog.consortium.site_url)
    by_submission = {r.submission: r for r in records}
    wanted = [
        b
        for b in badges
        if recognised(catalog, district, b)
        and (start is None or b.earned_on >= start)
        and (end is None or b.earned_on <= end)
        and counts_on(district, b, on)
    ]
    by_salt: dict[str, dict[str, list[Badge]]] = {}  # salt -> hash -> badges
    by_login: dict[str, list[Badge]] = {}
    for b in wanted:
        if b.recipient.startswith("sha256$") and b.salt:
            by_salt.setdefault(b.salt, {}).setdefault(b.recipient.lower(), []).append(b)
        else:
            by_login.setdefault(b.earner.casefold(), []).append(b)
    entries: list[Entry] = []
    matched: set[str] = set()
    unmatched_rows = []
    salted = [(salt.encode("utf-8"), hashes) for salt, hashes in by_salt.items()]
    for person in employees:
        # The address's hash state, copied for each salt: the address is digested once, not once per salt.
        state = hashlib.sha256(person.email.encode("utf-8"))
        found = []
        for salt, hashes in salted:
            h = state.copy()
            h.update(salt)
            if (hit := hashes.get("sha256$" + h.hexdigest())) is not None:
                # A staff list that knows the login credits only that login's badges: a badge whose submission
                # carried this address under another login is someone else's work.
                found += [b for b in hit if not person.login or b.earner.casefold() == person.login.casefold()]
        if person.login:
            found += by_login.get(person.login.casefold(), [])
        if not found:
            unmatched_rows.append(person.row)
        for b in sorted(found, key=lambda b: (b.earned_on, b.credential)):
            matched.add(b.assertion)
            credential = catalog.credentials[b.credential]
            year = school_year(b.earned_on, district.school_year_start)
            page, scored = b.page or urls.badge_page(_badge_id(b)), rubric_results(catalog, b, by_submission)
            for credit in district.credit or (None,):
                amount = credit.amount(credential.estimated_hours) if credit else 0.0
                entries.append(Entry(person, b, credential.title, year, credit, amount, page, scored))
    entries.sort(key=lambda e: (e.employee.employee_id, e.badge.earned_on, e.badge.credential, e.credit.unit if e.credit else ""))
    missed = sorted(_badge_id(b) for b in wanted if b.assertion not in matched)
    return Transcript(district, catalog.consortium.name, start, end, tuple(entries), tuple(unmatched_rows), tuple(missed), len(employees))
