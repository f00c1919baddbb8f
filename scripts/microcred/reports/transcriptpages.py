"""A printable transcript per educator: every recognised badge with its rubric results, its credit in the
district's units and the address that verifies it, as a QR code too, on a page that prints as it shows.

Plain HTML with its stylesheet inline and no script, so it opens from a folder and prints from any browser
(Print, or Save as PDF); the QR codes are drawn by segno as inline SVG.
"""

from __future__ import annotations

import html
import re

import segno

from .transcript import Entry, Transcript
from .transcriptout import unit_name

STYLE = """
body { font: 11pt/1.45 system-ui, sans-serif; color: #111; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; }
.who { margin: 0 0 1.5rem; }
.badge { display: grid; grid-template-columns: 1fr auto; gap: 0.4rem 1.2rem; border-top: 1px solid #888;
  padding: 0.8rem 0; break-inside: avoid; }
.badge h2 { font-size: 1.1rem; margin: 0; }
.badge dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 0.8rem; }
.badge dt { font-weight: 700; }
.badge dd { margin: 0; overflow-wrap: anywhere; }
.badge svg { width: 7rem; height: 7rem; }
footer { border-top: 1px solid #888; padding-top: 0.6rem; font-size: 0.9rem; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def filename(employee_id: str) -> str:
    """A file name for an employee id: its letters, digits, dots and hyphens."""
    return (re.sub(r"[^A-Za-z0-9.-]+", "-", employee_id).strip("-.") or "employee") + ".html"


def _badge(entries: list[Entry]) -> str:
    first = entries[0]
    b = first.badge
    credit = "; ".join(
        f"{e.amount:g} {unit_name(e)}" + (f" ({e.credit.area})" if e.credit and e.credit.area else "") for e in entries if e.credit
    )
    rows = [
        ("Earned", b.earned_on + f" (school year {first.school_year})"),
        ("Version", b.version),
        ("Credit", credit or "recognised; no credit unit set"),
        ("Pre-approved", b.pre_approved_on or "not recorded"),
        ("Rubric", first.rubric or "not recorded"),
        ("Verify at", first.page),
    ]
    qr = segno.make(first.page, error="m").svg_inline(omitsize=True, light="#fff", title=f"QR code of {first.page}")
    items = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v) if k != 'Verify at' else f'<a href={_q(v)}>{_e(v)}</a>'}</dd>" for k, v in rows)
    return f'<section class="badge"><div><h2>{_e(first.title)}</h2><dl>{items}</dl></div>{qr}</section>'


def _q(url: str) -> str:
    return '"' + html.escape(url, quote=True) + '"'


def educator_pages(t: Transcript) -> dict[str, str]:
    """File name -> page, one per matched employee; the same transcript gives the same bytes."""
    by_employee: dict[str, dict[str, list[Entry]]] = {}
    for entry in t.entries:
        by_employee.setdefault(entry.employee.employee_id, {}).setdefault(entry.badge.assertion, []).append(entry)
    pages: dict[str, str] = {}
    taken: set[str] = set()
    for employee_id, badges in sorted(by_employee.items()):
        person = next(iter(badges.values()))[0].employee
        name = filename(employee_id)
        if name.casefold() in taken:  # ids that differ only in case or punctuation: never one page over another
            name = name.removesuffix(".html") + f"-row{person.row}.html"
        taken.add(name.casefold())
        who = f"Employee {_e(employee_id)}" + (f" · state educator id {_e(person.state_id)}" if person.state_id else "")
        body = "".join(_badge(entries) for entries in badges.values())
        system = f" in the units of {_e(t.district.credit_system)}" if t.district.credit_system else ""
        pages[name] = (
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>Micro-credentials of {_e(person.legal_name)}</title>"
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>'
            f"<body><h1>Micro-credentials of {_e(person.legal_name)}</h1>"
            f'<p class="who">{who}. Recognised by {_e(t.district.name)}{system}; issued by {_e(t.provider)}.</p>'
            f"{body}<footer>Each badge is an Open Badge: its page, at the address shown and in its QR code, checks it "
            "live against the issuer's published records and says whether it is valid or revoked.</footer></body></html>\n"
        )
    return pages
