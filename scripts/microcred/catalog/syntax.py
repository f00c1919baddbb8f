"""YAML syntax errors in plain words: what the mistake is and where to fix it, then the parser's own words.

libyaml reports where it gave up ("did not find expected key"), which is often a line after the
mistake. The text around that place is read again, as a person would, for the usual mistakes: a tab
in the indentation, a line that does not line up with the one it belongs with, a missing space after
a colon, an unclosed quote or bracket, a list item at the wrong level, a colon inside a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_KEY = re.compile(r"(?:-\s+)?([A-Za-z_][A-Za-z0-9_-]*):(?:\s|$)")  # a field, perhaps the first of a list item
_GLUED = re.compile(r"(?:-\s+)?([A-Za-z_][A-Za-z0-9_-]*):(?![\s/:])(\S.*)")  # name:value, a space missing
_BLOCK = re.compile(r"(?:^|[\s:])[|>][-+0-9]*\s*(?:#.*)?$")  # a line that starts a literal or folded block
_CLOSING = {"[": ("list", "]"), "{": ("mapping", "}")}


@dataclass(frozen=True)
class _Line:
    """A line that holds structure: not blank, not a comment, not inside a block of text."""

    number: int  # 1-based
    indent: int  # leading spaces
    content: str  # the line without them
    item_key: int | None  # for `- name: ...`, the indentation of `name`, which its fields line up with

    @property
    def is_item(self) -> bool:
        return self.content == "-" or self.content.startswith("- ")

    @property
    def opens(self) -> bool:
        """Whether what follows, indented deeper, is this line's value (`name:` or `-` with nothing after)."""
        bare = re.sub(r"\s+#.*$", "", self.content)
        return bare == "-" or (bare.endswith(":") and _KEY.fullmatch(bare) is not None)

    @property
    def label(self) -> str:
        key = _KEY.match(self.content)
        shown = self.content[: key.end()].strip() if key else self.content
        return shown if len(shown) <= 40 else shown[:37] + "..."


def _structure(lines: list[str], upto: int) -> list[_Line]:
    """The structure lines among the first `upto` lines (block scalars' text and comments left out)."""
    found: list[_Line] = []
    block: int | None = None  # the indentation of the line a block of text belongs to, while in one
    text_indent: int | None = None  # the indentation of that block's text, once its first line is seen
    for number, raw in enumerate(lines[:upto], start=1):
        content = raw.lstrip(" ")
        indent = len(raw) - len(content)
        if not content.strip() or content.startswith("#"):
            continue
        if block is not None:
            if text_indent is None and indent > block:
                text_indent = indent
            if text_indent is not None and indent >= text_indent:
                continue
        block, text_indent = (indent if _BLOCK.search(content) else None), None
        item_key = None
        if content.startswith("- "):
            rest = content[1:].lstrip(" ")
            item_key = indent + len(content) - len(rest) if _KEY.match(rest) else None
        found.append(_Line(number, indent, content.rstrip(), item_key))
    return found


def _spaces(n: int) -> str:
    return "not indented" if n == 0 else f"indented by {n} space{'s' if n != 1 else ''}"


@dataclass(frozen=True)
class _Level:
    indent: int
    line: _Line
    items: bool  # the level of a list's items (their dashes), not of a mapping's fields


def _levels(before: list[_Line]) -> list[_Level]:
    """The indentations a next line may line up with, nearest first: each enclosing line's, up to the top."""
    levels: list[_Level] = []
    limit = 1 << 30
    for line in reversed(before):
        if line.indent >= limit:
            continue
        if line.item_key is not None and line.item_key < limit:
            levels.append(_Level(line.item_key, line, items=False))
        levels.append(_Level(line.indent, line, items=line.is_item))
        limit = line.indent
        if limit == 0:
            break
    return levels


def _indentation(line: _Line, before: list[_Line]) -> tuple[str, int, int] | None:
    """A line that does not line up, or a list item where a field is (or the other way round)."""
    if not before:
        return None
    nearest = before[-1]
    if line.indent > nearest.indent and nearest.opens:
        return None  # the first line of nearest's value: any deeper indentation starts it
    levels = _levels(before)
    where = (line.number, line.indent + 1)
    same = next((level for level in levels if level.indent == line.indent), None)
    if same is not None:
        if line.is_item and not same.items:
            other = same.line
            return (
                f"a list item at the wrong level: it is at the indentation of line {other.number} ({other.label}), "
                "a field with its value; a list goes under a field that has none, indented deeper",
                *where,
            )
        if not line.is_item and same.items:
            other = same.line
            return (
                f"this line is at the indentation of the list items of line {other.number} ({other.label}) but is not one: "
                "start it with '- ', or indent it to belong to the item above",
                *where,
            )
        return None
    if not line.is_item and _KEY.match(line.content) is None:
        return None  # text, not a field: a colon inside a value, seen below
    items = [level for level in levels if level.items]
    if line.is_item and items:
        other = items[0].line
        return (
            f"a list item at the wrong level: it is {_spaces(line.indent)} but the item on line {other.number} "
            f"({other.label}) is {_spaces(other.indent)}; the items of one list start in the same column",
            *where,
        )
    target = min(levels, key=lambda level: abs(level.indent - line.indent))  # the nearest of equally close ones
    other = target.line
    return (
        f"the indentation does not line up: this line is {_spaces(line.indent)} but line {other.number} ({other.label}), "
        f"which it belongs with, is {_spaces(target.indent)}",
        *where,
    )


def explain(text: str, err: Any) -> tuple[str, int, int]:
    """A message for a yaml.MarkedYAMLError, and the 1-based line and column where the fix goes."""
    parser = f"{err.context} {err.problem}" if err.context else str(err.problem)
    mark = err.problem_mark or err.context_mark
    at = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    found = _plain(text, err, at)
    if found is None:
        return f"YAML cannot read this (the parser said: {parser})", *at
    message, line, column = found
    where = "" if (line, column) == at else f", at line {at[0]}, column {at[1]}"
    return f"{message} (the parser said: {parser}{where})", line, column


def _plain(text: str, err: Any, at: tuple[int, int]) -> tuple[str, int, int] | None:
    lines = text.split("\n")
    problem, context = str(err.problem), str(err.context or "")
    start = (err.context_mark.line + 1, err.context_mark.column + 1) if err.context_mark is not None else at
    line_text = lines[at[0] - 1] if at[0] <= len(lines) else ""
    indentation = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
    if "\t" in indentation or "tab" in problem or (problem.startswith("found character") and line_text[at[1] - 1 : at[1]] == "\t"):
        column = (indentation.find("\t") if "\t" in indentation else max(line_text.find("\t"), 0)) + 1
        return "a tab is used for indentation here; YAML indents with spaces only", at[0], column
    if "undefined alias" in problem:
        return "a value that starts with * is read as an alias, which catalog files do not use; put the value in double quotes", *at
    if "unknown escape" in problem:
        return (
            "a backslash inside double quotes starts an escape such as \\n; write \\\\ for a backslash, or use single quotes",
            *at,
        )
    if "quoted scalar" in context and ("end of stream" in problem or "document" in problem):
        quote = lines[start[0] - 1][start[1] - 1 : start[1]] or '"'
        return f"the quote {quote} that starts here is never closed; end the value with {quote}", *start
    if "flow sequence" in context or "flow mapping" in context:
        opening = lines[start[0] - 1][start[1] - 1 : start[1]]
        kind, closing = _CLOSING.get(opening, ("list", "]"))
        return f"the {kind} that starts here with {opening or '['} is not closed: end it with {closing}, items separated by commas", *start
    structure = _structure(lines, at[0])
    here = structure[-1] if structure and structure[-1].number == at[0] else None
    before = structure[:-1] if here is not None else structure
    for candidate in [line for line in (before[-1:] + ([here] if here else [])) if line is not None]:
        glued = _GLUED.match(candidate.content)
        if glued and ": " not in candidate.content[: glued.end(1) + 2]:
            key, value = glued.group(1), glued.group(2).strip()
            column = candidate.indent + glued.end(1) + 2
            return f"a space is missing after the colon of {key}: write '{key}: {value}'", candidate.number, column
    if here is not None:
        found = _indentation(here, before)
        if found is not None:
            return found
    if "mapping values are not allowed" in problem and here is not None:
        key = _KEY.match(here.content)
        if key is not None and at[1] > here.indent + key.end():
            return (
                f"a colon followed by a space inside the value of {key.group(1)} makes it look like a field; "
                "put the whole value in double quotes",
                *at,
            )
        if before:
            return (
                f"a colon followed by a space inside the value that starts on line {before[-1].number} ({before[-1].label}) "
                "makes it look like a field; put the whole value in double quotes",
                *at,
            )
    if "could not find expected ':'" in problem:
        return (
            "this line is neither a field (name: value) nor a list item (- value): add the colon or the dash, "
            "or indent it to continue the value above",
            *start,
        )
    if "did not find expected key" in problem and here is not None and at[1] > here.indent + 1:
        before_mark = line_text[: at[1] - 1].rstrip()
        if before_mark.endswith(('"', "'")):
            return "text follows the closing quote of this value; put the whole value inside the quotes", *at
    return None
