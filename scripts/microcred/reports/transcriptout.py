"""A transcript as HR files it: CSV for a PD or licensure system's import, JSON, or Markdown to read.

Only what the user asked for leaves: the rows of matched employees, and unmatched roster rows and badges
counted and named by row number and badge id alone.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..catalog.district import UNITS
from .transcript import Entry, Transcript

COLUMNS = (
    "employee_id",
    "legal_name",
    "state_id",
    "credential",
    "title",
    "version",
    "provider",
    "earned_on",
    "school_year",
    "unit",
    "amount",
    "credit_area",
    "pre_approved_on",
    "badge_page",
    "rubric",
    "badge_id",
)


def unit_name(entry: Entry) -> str:
    return UNITS[entry.credit.unit][1] if entry.credit else ""


def _amount(entry: Entry) -> str:
    return f"{entry.amount:g}" if entry.credit else ""


def cells(entry: Entry, t: Transcript) -> list[str]:
    e, b = entry.employee, entry.badge
    area = entry.credit.area or "" if entry.credit else ""
    return [
        e.employee_id,
        e.legal_name,
        e.state_id,
        b.credential,
        entry.title,
        b.version,
        t.provider,
        b.earned_on,
        entry.school_year,
        unit_name(entry),
        _amount(entry),
        area,
        b.pre_approved_on,
        entry.page,
        entry.rubric,
        entry.badge_id,
    ]


def summary(t: Transcript) -> str:
    """The counts, with unmatched roster rows by number and unmatched badges by id: never a name or an address."""
    people = len({e.employee.row for e in t.entries})
    line = f"{t.employees} roster rows: {people} matched {len({e.badge.assertion for e in t.entries})} badges"
    if t.unmatched_rows:
        shown = ", ".join(map(str, t.unmatched_rows[:20])) + (", …" if len(t.unmatched_rows) > 20 else "")
        line += f"; {len(t.unmatched_rows)} with no badge {t.district.name} recognises (rows {shown})"
    if t.unmatched_badges:
        shown = ", ".join(t.unmatched_badges[:20]) + (", …" if len(t.unmatched_badges) > 20 else "")
        line += f"; {len(t.unmatched_badges)} recognised badges matched no row ({shown})"
    return line


def _inert(cell: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula (a catalog title may) gets a leading quote."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def transcript_csv(t: Transcript) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([_inert(cell) for cell in cells(e, t)] for e in t.entries)
    return buffer.getvalue()


def transcript_json(t: Transcript) -> str:
    rows: list[dict[str, Any]] = [dict(zip(COLUMNS, cells(e, t), strict=True)) for e in t.entries]
    for row, entry in zip(rows, t.entries, strict=True):
        row["amount"] = entry.amount if entry.credit else None
    document = {
        "district": t.district.id,
        "provider": t.provider,
        "from": t.start,
        "to": t.end,
        "system": t.district.credit_system,
        "rows": rows,
        "unmatched_rows": list(t.unmatched_rows),
        "unmatched_badges": list(t.unmatched_badges),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def transcript_markdown(t: Transcript) -> str:
    period = f" from {t.start or 'the first badge'} to {t.end or 'the last'}" if t.start or t.end else ""
    lines = [f"# Transcript: {t.district.name}{period}", ""]
    if t.district.credit_system:
        lines += [f"Credit in the units of {t.district.credit_system}.", ""]
    lines += [
        "| Employee | Name | Credential | Earned | School year | Credit | Area | Badge page |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for e in t.entries:
        credit = f"{_amount(e)} {unit_name(e)}".strip() or "–"
        area = e.credit.area or "" if e.credit else ""
        row = [
            e.employee.employee_id,
            e.employee.legal_name,
            f"{e.title} {e.badge.version}",
            e.badge.earned_on,
            e.school_year,
            credit,
            area,
            e.page,
        ]
        lines.append("| " + " | ".join(_md(cell) for cell in row) + " |")
    lines += ["", summary(t) + ".", ""]
    return "\n".join(lines)
