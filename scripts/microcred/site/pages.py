"""Markdown pages and the browse index generated from a valid catalog: pure, deterministic."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from ..catalog.district import District
from ..catalog.incentives import Award, award, conditions
from ..catalog.model import CREDENTIAL_TYPES, Catalog, Credential
from ..catalog.prose import neutral
from ..catalog.words import dollars, join_and, month_day, number
from ..reports.earnings import by_credential, by_school_year, earnings, renewals_due
from ..reports.history import History
from ..reports.quality import agreement, days_text, decimal, percent, reviews, share, titled_figures
from . import startform
from .charts import badges_chart, credentials_chart, rates_chart, turnaround_chart

TEMPLATES = Path(__file__).parent / "templates"
OUT_DIR = "catalog"  # under docs/; git-ignored

# Words for enum values where the value itself reads badly.
LABELS = {
    "all-subjects": "All subjects",
    "computer-science": "Computer science",
    "english-language-arts": "English language arts",
    "english-language-development": "English language development",
    "health-pe": "Health and PE",
    "social-studies": "Social studies",
    "special-education": "Special education",
    "world-languages": "World languages",
    "pre-k": "Pre-K",
    "k-2": "K-2",
    "3-5": "3-5",
    "6-8": "6-8",
    "9-12": "9-12",
    "salary-credit": "Salary credit",
    "ceus": "CEUs",
    "recertification-hours": "Recertification hours",
}


# What a card in Browse says of a credential that is not open for submissions.
STATUS_NOTES = {"draft": "Draft: not open for submissions yet", "retired": "Retired: no longer open for submissions"}


def label(value: str) -> str:
    return LABELS.get(value, value.replace("-", " ").capitalize())


md = neutral  # prose from a catalog file as the site's Markdown takes it (catalog/prose.py)


def inline(text: str) -> str:
    return " ".join(md(text).split())


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped."""
    return inline(text).replace("|", "\\|")


def yaml_str(text: str) -> str:
    """Text safe inside a double-quoted YAML scalar of a page's front matter, which the theme writes into HTML as it is."""
    escaped = html.escape(" ".join(text.split()), quote=True)
    return escaped.replace("\\", "\\\\").replace('"', '\\"')


_URL_SAFE = "/:?#[]@!$&*+,;=%-._~"  # kept as they are; quotes, parentheses, braces and the rest are percent-encoded


def url(value: str) -> str:
    """A schema-checked https URL made safe inside a Markdown link: nothing in it can end the link or add to it."""
    if not value.startswith("https://"):
        return "#"
    return quote(value, safe=_URL_SAFE)


def email(value: str) -> str:
    """A schema-checked email address as a mailto link, its text escaped."""
    return f"[{inline(value)}](mailto:{quote(value, safe='@.+-_')})"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - the output is Markdown; text is escaped by the filters above
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        join_and=join_and, md=md, inline=inline, cell=cell, yaml_str=yaml_str, label=label, number=number, month_day=month_day
    )
    env.globals["STATUS_NOTES"] = STATUS_NOTES
    env.filters["item_title"] = lambda item_id, items: inline(items.get(item_id, item_id))
    env.filters.update(url=url, email=email)
    env.filters["credit_for"] = lambda credit, c: credit.phrase(c.estimated_hours)  # escaped by the filter it goes through
    env.filters["credit_rate"] = lambda credit: inline(credit.rate_phrase())
    env.filters.update(percent=percent, share=share, agreement=agreement, decimal=decimal, days=days_text, amount=amount, dollars=dollars)
    return env


def amount(given: Award, kind: str) -> str:
    """One kind of incentive of an award, as the district pages write it."""
    value = getattr(given, kind.replace("-", "_"))
    return dollars(value) if kind in ("salary-credit", "stipend") else number(value)


@dataclass(frozen=True)
class Row:
    district: District
    award: Award
    conditions: tuple[str, ...] = ()
    count: int = 0
    kinds: tuple[str, ...] = ()


def _recognition(catalog: Catalog, c: Credential) -> list[Row]:
    return [Row(d, award(d, c), tuple(conditions(d))) for d in catalog.endorsing(c.id)]


def _reciprocity(catalog: Catalog, endorsing: list[District]) -> list[District]:
    """Districts that do not endorse a credential but honour it when earned in one that does."""
    ids = {d.id for d in endorsing}
    return sorted(
        (d for d in catalog.districts.values() if d.id not in ids and ids & set(d.recognises)),
        key=lambda d: d.name,
    )


def _incentive_lines(d: District) -> list[str]:
    inc = d.incentives
    lines = []
    if inc.salary_credit:
        by_type = ", ".join(f"{dollars(inc.salary_credit[t])} for {t}" for t in ("foundational", "proficient", "advanced"))
        lines.append(f"Salary credit added to base pay: {by_type}.")
    for name, rate in (("CEUs", inc.ceus), ("Recertification hours", inc.recertification_hours)):
        if rate:
            per = "per estimated hour of the micro-credential" if rate.basis == "per-estimated-hour" else "per micro-credential"
            lines.append(f"{name}: {number(rate.amount)} {per}.")
    if inc.stipend:
        line = f"Stipend: {dollars(inc.stipend.amount)} per micro-credential"
        line += f", for at most {inc.stipend.annual_cap} a school year" if inc.stipend.annual_cap else ""
        line += f"; {dollars(inc.stipend.preparation)} for preparation time when pre-approved" if inc.stipend.preparation else ""
        lines.append(line + ".")
    return lines


def _item_titles(credentials: list[Credential]) -> dict[str, str]:
    """What a rubric criterion's item ids stand for: artifact titles, question ids as they are."""
    titles: dict[str, str] = {}
    for c in credentials:
        titles |= {q.id: label(q.id) for q in c.overview + c.reflection} | {a.id: a.title for a in c.artifacts}
    return titles


# Facet values with a natural order keep it; the others are sorted by their label.
NATURAL_ORDER = {"grade": ("pre-k", "k-2", "3-5", "6-8", "9-12"), "type": CREDENTIAL_TYPES}


def _ordered(key: str, labels: dict[str, str]) -> list[tuple[str, str]]:
    if key in NATURAL_ORDER:
        return sorted(labels.items(), key=lambda item: NATURAL_ORDER[key].index(item[0]))
    return sorted(labels.items(), key=lambda item: item[1].lower())


# A credential for all subjects serves a mathematics teacher too: it matches every subject filter
# and counts under each. Grade bands have no such value (a credential lists the bands it suits).
ALL_SUBJECTS = "all-subjects"


def _widen(entries: list[dict[str, Any]], key: str, everything: str, values: dict[str, str]) -> None:
    """Give each entry holding the value that means "every value" all of the facet's values, that one first."""
    for entry in entries:
        if everything in entry[key]:
            entry[key] = [everything, *sorted(v for v in values if v != everything)]


def browse_index(catalog: Catalog) -> dict[str, Any]:
    """The data the browse page filters: one entry per credential, facet values as ids."""
    entries = []
    for c in catalog.credentials.values():
        endorsing = catalog.endorsing(c.id)
        entries.append(
            {
                "id": c.id,
                "title": c.title,
                "summary": c.summary,
                "competency": " ".join(c.competency.split()),
                "type": c.type,
                "subject": list(c.subjects),
                "grade": list(c.grade_bands),
                "stack": [s.id for s in catalog.stacks_of(c.id)],
                "district": [d.id for d in endorsing],
                "gives": {d.id: "; ".join(award(d, c).phrases()) or "Recognition only" for d in endorsing},
                "incentive": sorted({k for d in endorsing for k in d.incentives.kinds}),
                "tags": list(c.tags),
            }
        )
    labels: dict[str, dict[str, str]] = {
        "subject": {v: label(v) for e in entries for v in e["subject"]},
        "grade": {v: label(v) for e in entries for v in e["grade"]},
        "stack": {s.id: s.title for s in catalog.stacks.values()},
        "district": {d.id: d.name for d in catalog.districts.values()},
        "incentive": {k: label(k) for k in ("salary-credit", "ceus", "stipend", "recertification-hours")},
        "type": {t: label(t) for t in ("foundational", "proficient", "advanced")},
    }
    _widen(entries, "subject", ALL_SUBJECTS, labels["subject"])
    facets = [
        {"key": key, "label": name, "values": _ordered(key, labels[key])}
        for key, name in (
            ("subject", "Subject"),
            ("grade", "Grade band"),
            ("stack", "Stack"),
            ("district", "Endorsed by"),
            ("incentive", "Incentive"),
            ("type", "Type"),
        )
    ]
    return {"facets": facets, "credentials": entries}


def search_filters(index: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """Each credential's Pagefind filters: its browse facets by their labels, which the search page offers."""
    names = {f["key"]: dict(f["values"]) for f in index["facets"]}
    return {e["id"]: [(k, names[k][v]) for k in names for v in (e[k] if isinstance(e[k], list) else [e[k]])] for e in index["credentials"]}


def render(
    catalog: Catalog,
    changed: Mapping[str, str] | None = None,
    history: History | None = None,
    attestation: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Every generated file, by its path under docs/, as text. Same catalog and history, same bytes.

    `attestation`: what each attestation of a submission confirms (the submission schema's words), for the forms.
    """
    env = _environment()
    changed = changed or {}
    history = history or History()
    out: dict[str, str] = {}

    def page(path: str, template: str, **context: Any) -> None:
        out[path] = env.get_template(template).render(consortium=catalog.consortium, **context)

    credentials = list(catalog.credentials.values())
    index = browse_index(catalog)
    filters = search_filters(index)
    holders: dict[str, set[str]] = {}  # who holds a badge of each credential, counted and never shown
    for b in history.badges:
        if not b.revoked:
            holders.setdefault(b.credential, set()).add(b.earner.lower())
    by_rubric: dict[str, list[Credential]] = {}  # every credential, drafts and retired too
    for c in credentials:
        by_rubric.setdefault(c.rubric, []).append(c)
    # A rubric's page only where several credentials share it: each credential page already shows its whole table,
    # and a page per rubric would double the catalog's pages.
    shared = {rubric_id: used_by for rubric_id, used_by in by_rubric.items() if len(used_by) >= 2}
    for c in credentials:
        rubric = catalog.rubrics[c.rubric]
        recognition = _recognition(catalog, c)
        editor = None
        if c.status == "published":
            out[f"{OUT_DIR}/templates/{c.id}.yml"] = text = startform.form(c, attestation or {})
            editor = startform.editor_link(catalog.consortium, c, text)
        page(
            f"{OUT_DIR}/credentials/{c.id}.md",
            "credential.md.j2",
            c=c,
            rubric=rubric,
            rubric_page=rubric.id in shared,
            items=_item_titles([c]),
            prerequisites=[catalog.credentials[p] for p in c.prerequisites],
            stacks=catalog.stacks_of(c.id),
            recognition=recognition,
            endorsements=f"{catalog.consortium.site_url}badges/endorsements/",
            reciprocity=_reciprocity(catalog, [r.district for r in recognition]),
            changed=changed.get(c.id, ""),
            start={"editor": editor},
            earned=len(holders.get(c.id, ())),
            filters=filters[c.id],
        )
    for rubric_id, used_by in sorted(shared.items()):
        rubric = catalog.rubrics[rubric_id]
        page(f"{OUT_DIR}/rubrics/{rubric_id}.md", "rubric.md.j2", rubric=rubric, used_by=used_by, items=_item_titles(used_by))
    for stack in catalog.stacks.values():
        members = [catalog.credentials[m] for m in stack.members]
        worth = []
        for d in catalog.districts.values():
            endorsed_ids = set(catalog.endorsed(d))
            endorsed = [c for c in members if c.id in endorsed_ids]
            if endorsed:
                total = sum((award(d, c) for c in endorsed), Award())
                worth.append(Row(d, total, count=len(endorsed)))
        page(f"{OUT_DIR}/stacks/{stack.id}.md", "stack.md.j2", stack=stack, members=members, worth=worth)
    page(f"{OUT_DIR}/stacks/index.md", "stacks.md.j2", stacks=sorted(catalog.stacks.values(), key=lambda s: s.title))
    rows = []
    for d in catalog.districts.values():
        endorsed = [catalog.credentials[i] for i in catalog.endorsed(d)]
        rows.append(Row(d, Award(), count=len(endorsed), kinds=d.incentives.kinds))
        page(
            f"{OUT_DIR}/districts/{d.id}.md",
            "district.md.j2",
            district=d,
            incentive_lines=_incentive_lines(d),
            endorsed_stacks=[catalog.stacks[s] for s in d.endorsed_stacks],
            endorsed=[{"credential": c, "award": award(d, c)} for c in sorted(endorsed, key=lambda c: c.title)],
            recognises=[catalog.districts[r] for r in d.recognises],
            recognised_by=sorted((o for o in catalog.districts.values() if d.id in o.recognises), key=lambda o: o.name),
        )
    page(f"{OUT_DIR}/districts/index.md", "districts.md.j2", rows=sorted(rows, key=lambda r: r.district.name))
    by_title = sorted(credentials, key=lambda c: (c.title.lower(), c.id))
    page(f"{OUT_DIR}/index.md", "browse.md.j2", credentials=by_title)
    out[f"{OUT_DIR}/index.json"] = json.dumps(index, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    counts = {
        "credentials": len(credentials),
        "stacks": len(catalog.stacks),
        "districts": len(catalog.districts),
        "reviewers": sum(r.active for r in catalog.reviewers),
    }
    page("index.md", "home.md.j2", counts=counts)
    for path, template, context in _report_pages(catalog, history):
        page(path, template, **context)
    return out


def _report_pages(catalog: Catalog, history: History, today: str | None = None) -> list[tuple[str, str, dict[str, Any]]]:
    """The catalog-health page and a page per district: counts, rates and sums only, never a login or a hash.
    Renewals are counted from the quarter of `today` (the UTC day of the build) on."""
    colors = (catalog.consortium.primary_color, catalog.consortium.accent_color)
    figures = reviews(history.records, catalog.consortium.target_days)
    rows = titled_figures(figures, catalog)
    health: dict[str, Any] = {"reviews": figures, "o": figures.overall, "rows": rows, "linked": set(catalog.credentials)}
    health["renewals"] = renewals_due(history.badges, today or datetime.now(UTC).date().isoformat())
    if figures.overall.submissions:
        health["turnaround_chart"] = turnaround_chart(figures.overall, figures.target_days, colors[0])
        health["rates_chart"] = rates_chart([(title, f) for _, title, f in rows], colors)
    pages = [(f"{OUT_DIR}/health.md", "health.md.j2", health)]
    for d in catalog.districts.values():
        report = earnings(catalog, d, history.badges)
        years = by_school_year(report)
        counts = sorted(by_credential(report), key=lambda c: (catalog.credentials[c.credential].title.lower(), c.credential))
        honoured = [catalog.districts[r] for r in d.recognises if r in catalog.districts]
        titled = [(catalog.credentials[c.credential].title, c) for c in counts]
        context = {
            "district": d,
            "honoured": honoured,
            "years": years,
            "kinds": d.incentives.kinds,
            "cap": d.incentives.stipend.annual_cap if d.incentives.stipend else None,
            "chart": badges_chart(d.name, years, colors[0]),
            "credentials_chart": credentials_chart(d.name, titled, colors, reciprocity=bool(honoured)),
            "credentials": [{"credential": catalog.credentials[c.credential], "count": c} for c in counts],
        }
        pages.append((f"{OUT_DIR}/reports/{d.id}.md", "district_report.md.j2", context))
    return pages
