"""How lists, days of the year, numbers and dollars read in pages and reports."""

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


def dollars(amount: float) -> str:
    return f"${amount:,.0f}" if amount == int(amount) else f"${amount:,.2f}"


def number(value: float) -> str:
    return f"{value:g}"
