"""Charts as inline SVG for the generated pages: pure, deterministic, and readable without the picture.

Each chart is an image with a title and a description for screen readers, prints every value as text
beside its mark, inherits the page's font and text colour (light and dark themes alike), and outlines
its bars in the text colour so they stand out from any background. The description holds every value,
so the figures do not depend on seeing the picture. No blank line inside: Markdown keeps the block as raw HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ..reports.earnings import CredentialCount, YearSummary
from ..reports.quality import BIN_DAYS, Figures, percent, turnaround_bins

WIDTH = 640
LABEL_WIDTH = 220  # horizontal bars: the labels' column
BAR_START, BAR_END = 228, 560
BAR, BAR_GAP, GROUP_GAP = 14, 2, 10
LABEL_CHARS = 34
_OUTLINE = 'stroke="currentColor" stroke-width="0.75"'  # bars stand out from any background, light or dark


@dataclass(frozen=True)
class Series:
    name: str
    color: str


@dataclass(frozen=True)
class Group:
    """One label with a bar per series, each with the text printed beside it."""

    label: str
    values: tuple[float, ...]
    texts: tuple[str, ...]


def _n(value: float) -> str:
    """A coordinate: one decimal at most, so the same chart is the same text."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _open(chart_id: str, title: str, desc: str, height: float) -> list[str]:
    return [
        '<figure class="mc-chart">',
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" width="{WIDTH}" height="{_n(height)}" style="max-width:100%;height:auto" '
        f'font-size="12" fill="currentColor">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


_CLOSE = ["</svg>", "</figure>"]


def _label(text: str) -> str:
    if len(text) <= LABEL_CHARS:
        return escape(text)
    # The full label stays available as the text's tooltip and to assistive technology.
    return f"<title>{escape(text)}</title>{escape(text[: LABEL_CHARS - 1])}…"


def bars(chart_id: str, title: str, desc: str, groups: Sequence[Group], series: Sequence[Series], maximum: float | None = None) -> str:
    """Horizontal bars: a row of bars per group, one per series, scaled to `maximum` (default: the largest value)."""
    top = 28.0 if len(series) > 1 else 8.0
    group_height = len(series) * BAR + (len(series) - 1) * BAR_GAP
    height = top + len(groups) * (group_height + GROUP_GAP) + 8
    scale = maximum or max((v for g in groups for v in g.values), default=0) or 1
    lines = _open(chart_id, title, desc, height)
    if len(series) > 1:
        x = float(BAR_START)
        for s in series:
            lines.append(f'<rect x="{_n(x)}" y="6" width="12" height="12" fill="{s.color}" {_OUTLINE}/>')
            lines.append(f'<text x="{_n(x + 16)}" y="16">{escape(s.name)}</text>')
            x += 16 + 7 * len(s.name) + 20
    y = top
    for group in groups:
        lines.append(f'<text x="{LABEL_WIDTH}" y="{_n(y + group_height / 2 + 4)}" text-anchor="end">{_label(group.label)}</text>')
        for s, value, text in zip(series, group.values, group.texts, strict=True):
            width = (BAR_END - BAR_START) * max(value, 0) / scale
            lines.append(f'<rect x="{BAR_START}" y="{_n(y)}" width="{_n(width)}" height="{BAR}" fill="{s.color}" {_OUTLINE}/>')
            lines.append(f'<text x="{_n(BAR_START + width + 4)}" y="{_n(y + BAR - 3)}">{escape(text)}</text>')
            y += BAR + BAR_GAP
        y += GROUP_GAP - BAR_GAP
    lines.append(f'<line x1="{BAR_START}" y1="{_n(top - 4)}" x2="{BAR_START}" y2="{_n(y)}" stroke="currentColor"/>')
    return "\n".join(lines + _CLOSE) + "\n"


def histogram(
    chart_id: str,
    title: str,
    desc: str,
    bins: Sequence[tuple[str, int]],
    color: str,
    axis: str,
    marker: tuple[float, str] | None = None,
) -> str:
    """Vertical bars of counts, labelled below and counted above.

    `marker` is a dashed line with a label at a position counted in bins (2.0: after the second bar).
    """
    left, right, top, bottom, height = 16.0, WIDTH - 16.0, 36.0, 190.0, 236.0
    step = (right - left) / max(len(bins), 1)
    most = max((count for _, count in bins), default=0) or 1
    lines = _open(chart_id, title, desc, height)
    for i, (label, count) in enumerate(bins):
        x = left + i * step + step * 0.1
        bar = (bottom - top - 16) * count / most
        lines.append(f'<rect x="{_n(x)}" y="{_n(bottom - bar)}" width="{_n(step * 0.8)}" height="{_n(bar)}" fill="{color}" {_OUTLINE}/>')
        middle = _n(x + step * 0.4)
        lines.append(f'<text x="{middle}" y="{_n(bottom - bar - 4)}" text-anchor="middle">{count}</text>')
        lines.append(f'<text x="{middle}" y="{_n(bottom + 16)}" text-anchor="middle">{escape(label)}</text>')
    lines.append(f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(right)}" y2="{_n(bottom)}" stroke="currentColor"/>')
    lines.append(f'<text x="{_n(WIDTH / 2)}" y="{_n(height - 6)}" text-anchor="middle">{escape(axis)}</text>')
    if marker is not None:
        at, text = marker
        x = left + at * step
        anchor = "end" if x > WIDTH * 0.75 else "start"
        offset = -4 if anchor == "end" else 4
        dashed = 'stroke="currentColor" stroke-width="1.5" stroke-dasharray="6 4"'
        lines.append(f'<line x1="{_n(x)}" y1="{_n(top - 20)}" x2="{_n(x)}" y2="{_n(bottom)}" {dashed}/>')
        lines.append(f'<text x="{_n(x + offset)}" y="{_n(top - 10)}" text-anchor="{anchor}">{escape(text)}</text>')
    return "\n".join(lines + _CLOSE) + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def turnaround_chart(overall: Figures, target_days: int, color: str) -> str:
    """Review rounds per week of turnaround, with the target as a dashed line."""
    bins = turnaround_bins(overall.days, target_days)
    counts = "; ".join(f"{b.label} days: {_plural(b.count, 'round')}" for b in bins)
    return histogram(
        "turnaround",
        "Days from a round's start to its decision",
        f"Review rounds per week of turnaround: {counts}. The dashed line marks the {target_days}-day target; "
        f"{percent(overall.within_target)} of rounds were decided within it.",
        [(b.label, b.count) for b in bins],
        color,
        "days to a decision",
        (target_days / BIN_DAYS, f"target: {target_days} days"),  # turnaround_bins keeps the target on a closed week
    )


def rates_chart(rows: Sequence[tuple[str, Figures]], colors: tuple[str, str]) -> str:
    """First-try pass and resubmission rates, a pair of bars per credential title."""
    return bars(
        "rates",
        "First-try pass and resubmission rates per micro-credential",
        "; ".join(f"{title}: {percent(f.first_try)} passed on the first try, {percent(f.resubmitted)} resubmitted" for title, f in rows)
        + ".",
        [
            Group(title, (100 * (f.first_try.rate or 0), 100 * (f.resubmitted.rate or 0)), (percent(f.first_try), percent(f.resubmitted)))
            for title, f in rows
        ],
        [Series("First-try pass", colors[0]), Series("Resubmitted", colors[1])],
        maximum=100,
    )


def badges_chart(district: str, years: Sequence[YearSummary], color: str) -> str:
    """Badges a district recognises per school year; empty when there are none."""
    if not years:
        return ""
    return bars(
        "badges-per-year",
        f"Badges {district} recognises, per school year",
        "; ".join(f"{y.school_year}: {_plural(y.badges, 'badge')}" for y in years) + ".",
        [Group(y.school_year, (y.badges,), (str(y.badges),)) for y in years],
        [Series("Badges", color)],
    )


def credentials_chart(district: str, rows: Sequence[tuple[str, CredentialCount]], colors: tuple[str, str], reciprocity: bool) -> str:
    """Badges a district recognises per micro-credential title, split into its own teachers' and reciprocity's when it honours others."""
    if not rows:
        return ""
    title = f"Badges {district} recognises, per micro-credential"
    if not reciprocity:
        desc = "; ".join(f"{name}: {_plural(c.badges, 'badge')}" for name, c in rows)
        groups = [Group(name, (c.badges,), (str(c.badges),)) for name, c in rows]
        return bars("badges-per-credential", title, desc + ".", groups, [Series("Badges", colors[0])])
    own = [(name, c.badges - c.reciprocity, c.reciprocity) for name, c in rows]
    desc = "; ".join(f"{name}: {mine} by its own teachers, {theirs} through reciprocity" for name, mine, theirs in own)
    groups = [Group(name, (mine, theirs), (str(mine), str(theirs))) for name, mine, theirs in own]
    return bars(
        "badges-per-credential", title, desc + ".", groups, [Series("Own teachers", colors[0]), Series("Through reciprocity", colors[1])]
    )
