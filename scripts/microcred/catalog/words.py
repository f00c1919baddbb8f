"""How lists and days of the year read in pages and reports."""

from __future__ import annotations

from typing import Any

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def join_and(items: Any) -> str:
    """a, b and c."""
    words = list(items)
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def month_day(value: str) -> str:
    month, day = value.split("-")
    return f"{MONTHS[int(month) - 1]} {int(day)}"
