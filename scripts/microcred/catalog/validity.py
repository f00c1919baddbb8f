"""How long a badge stays valid: an ISO 8601 duration in years, months, weeks and days, added to a date."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

FORM = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")
LONGEST_YEARS = 40  # longer than any licence cycle: a typo such as P300Y is refused


@dataclass(frozen=True, order=True)
class Validity:
    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0

    @classmethod
    def parse(cls, text: str) -> Validity:
        """'P3Y', 'P18M', 'P1Y6M', 'P90D'; ValueError for any other form."""
        found = FORM.match(text)
        if found is None or text == "P":
            raise ValueError(f"{text!r} is not an ISO 8601 duration in years, months, weeks and days, such as P3Y or P18M")
        return cls(*(int(part or 0) for part in found.groups()))

    def problem(self) -> str | None:
        """Why this validity cannot be used (none at all, or longer than a career), or None."""
        if self.after(date(2000, 1, 1)) <= date(2000, 1, 1):
            return "a validity of no time at all: give at least one day, or leave valid_for out for a badge that never expires"
        if self.after(date(2000, 1, 1)) > date(2000 + LONGEST_YEARS, 1, 1):
            return f"a validity longer than {LONGEST_YEARS} years; leave valid_for out for a badge that never expires"
        return None

    def after(self, day: date) -> date:
        """The day this long after `day`, months counted on the calendar (31 January + P1M is 28 or 29 February)."""
        month = day.month - 1 + self.months + 12 * self.years
        year, month = day.year + month // 12, month % 12 + 1
        moved = date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
        return moved + timedelta(weeks=self.weeks, days=self.days)

    def until(self, issued: str) -> str:
        """The expiry of a badge issued at `issued` (ISO 8601 date-time): the same time of day, this long after."""
        moment = datetime.fromisoformat(issued)
        day = self.after(moment.date())
        return issued.replace(moment.date().isoformat(), day.isoformat(), 1)

    def words(self) -> str:
        """'3 years', '1 year and 6 months', '90 days'."""
        parts = [(self.years, "year"), (self.months, "month"), (self.weeks, "week"), (self.days, "day")]
        named = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
        return " and ".join(named) if len(named) < 3 else ", ".join(named[:-1]) + " and " + named[-1]


def shorter(a: Validity | None, b: Validity | None) -> Validity | None:
    """The shorter of two validities (either may be absent), compared from one start date."""
    if a is None or b is None:
        return a or b
    start = date(2000, 1, 31)
    return a if a.after(start) <= b.after(start) else b


def parse_or_none(text: str | None) -> Validity | None:
    """A validated file's valid_for (already checked by the schema and the cross-checks)."""
    return Validity.parse(text) if text else None
