"""Built pages without their indentation: a fifth of a catalog page is the theme's whitespace between tags.

A statewide catalog publishes tens of thousands of pages under the host's size limit, so every run of white
space that holds a line break and touches a tag becomes one line break: the browser renders the same page (white
space between words and tags collapses to one space either way), and the text of a page keeps its words apart.
What keeps its white space as written is left byte for byte: <pre>, <textarea>, <script> and <style>. Pages are
compacted as the seal writes them (site/safety.py), after the scan, so the inline scripts hashed are unchanged.
"""

from __future__ import annotations

import re

KEPT = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
INDENT = re.compile(r">[ \t\r\f]*\n\s*|\s*\n[ \t\r\f]*<")


LEADING, TRAILING = re.compile(r"^[ \t\r\f]*\n\s*"), re.compile(r"\s*\n[ \t\r\f]*$")


def _one_break(match: re.Match[str]) -> str:
    return ">\n" if match.group(0).startswith(">") else "\n<"


def _text(part: str, after_kept: bool, before_kept: bool) -> str:
    """A stretch between kept elements: a kept element's edge is a tag's edge too."""
    part = INDENT.sub(_one_break, part)
    part = LEADING.sub("\n", part) if after_kept else part
    return TRAILING.sub("\n", part) if before_kept else part


def compact(html: str) -> str:
    """The page with each run of white space that holds a line break and touches a tag made one line break."""
    parts = KEPT.split(html)  # text, kept element, its tag name, text, ...
    last = len(parts) - 1
    out = []
    for i in range(0, len(parts), 3):
        out.append(_text(parts[i], i > 0, i < last))
        if i < last:
            out.append(parts[i + 1])
    return "".join(out)
