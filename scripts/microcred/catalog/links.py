"""Links in catalog prose go to absolute https:// addresses and nowhere else.

Prose is Markdown on the site. A relative link names a page the strict site build cannot find, so one proposal
could stop every later publication; a script or data link is neutralised on the page, which turns it into such a
relative link; an http:// link sends readers off unencrypted. So every link target that Markdown would make of a
catalog value (inline links, reference definitions, autolinks) must start with https://.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .load import Document
from .problems import Problem

# Where Markdown takes a link target from: [text](target), a reference definition [id]: target, an autolink <x:y>.
_TARGETS = (
    re.compile(r"\]\(\s*<?([^\s)>]*)"),
    re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]*)", re.MULTILINE),
    re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>"),
)
_KINDS = ("consortium", "credential", "rubric", "stack", "district")  # the files whose text the site shows


def prose_links(doc: Document) -> Iterator[Problem]:
    if doc.kind not in _KINDS:
        return
    for parts, text in _strings(doc.data, ()):
        if "](" not in text and "]:" not in text and "<" not in text:
            continue  # most values hold no link at all
        for pattern in _TARGETS:
            for match in pattern.finditer(text):
                target = match.group(1)
                if not target.startswith("https://"):
                    shown = target[:60] or "an empty target"
                    message = f"a link to {shown!r}; links in catalog text are absolute https:// addresses"
                    yield doc.problem("MC227", message, parts)


def _strings(value: Any, parts: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield parts, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*parts, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*parts, i))
