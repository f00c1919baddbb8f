"""Links in catalog prose go to absolute https:// addresses and nowhere else.

Prose is Markdown on the site. A relative link names a page the strict site build cannot find, so one proposal
could stop every later publication; a script or data link is neutralised on the page, which turns it into such a
relative link; an http:// link sends readers off unencrypted. So each catalog value that could hold a link is
rendered as the site renders it (catalog/prose.py, the site's Markdown extensions), and every address the
rendering links to must start with https://: what Markdown makes of a value is checked, not a guess at its syntax.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from .load import Document
from .problems import Problem
from .prose import EXTENSIONS, neutral

_KINDS = ("consortium", "credential", "rubric", "stack", "district")  # the files whose text the site shows
_ADDRESS = re.compile(r"""\s(?:href|src)="([^"]*)\"""")


def prose_links(doc: Document) -> Iterator[Problem]:
    if doc.kind not in _KINDS:
        return
    for parts, text in _strings(doc.data, ()):
        if "[" not in text and "<" not in text:
            continue  # without a bracket Markdown makes no link: most values, rendered for nothing
        for target in linked(text):
            if not target.startswith("https://"):
                shown = target[:60] or "an empty address"
                message = f"a link to {shown!r}; links in catalog text are absolute https:// addresses"
                yield doc.problem("MC227", message, parts)


def linked(text: str) -> list[str]:
    """The addresses the site's Markdown links to from this text, in order."""
    import markdown  # type: ignore[import-untyped]  # loaded only for a value with a bracket

    rendered = markdown.markdown(neutral(text), extensions=list(EXTENSIONS))
    return [html.unescape(found) for found in _ADDRESS.findall(rendered)]


def _strings(value: Any, parts: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield parts, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*parts, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*parts, i))
