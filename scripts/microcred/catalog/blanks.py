"""A field left blank is one problem that says so and what to write, not every schema rule the blank breaks.

An empty description breaks both the text's pattern and its minimum length; the author needs
to hear once that it is empty, and what it is for, in the schema's own words.
"""

from __future__ import annotations

import re
from typing import Any

from .load import Document
from .problems import Problem
from .schemadoc import SchemaDoc, placeholder

# What a blank breaks: a type (null), an enum or const (false, ""), a pattern or a size ("", [], https://).
_BLANK_BREAKS = {"MC103", "MC104", "MC105", "MC106"}


def value_at(data: Any, parts: tuple[str | int, ...]) -> tuple[Any, bool]:
    for part in parts:
        in_list = isinstance(part, int) and isinstance(data, list) and 0 <= part < len(data)
        if not in_list and not (isinstance(part, str) and isinstance(data, dict) and part in data):
            return None, False
        data = data[part]
    return data, True


def explain_blanks(doc: Document, problems: list[Problem], schema: SchemaDoc) -> list[Problem]:
    """The schema's problems of one document, those at each blank field replaced by one MC108."""
    blanks: dict[str, Problem] = {}
    out: list[Problem] = []
    for problem in problems:
        if problem.json_path in blanks and problem.code in _BLANK_BREAKS:
            continue  # the blank is already explained
        parts = parse_json_path(problem.json_path)
        value, found = value_at(doc.data, parts)
        if problem.code not in _BLANK_BREAKS or not parts or not found or not placeholder(value):
            out.append(problem)
            continue
        state = "not confirmed" if value is False else "empty"
        message = f"{state}: {schema.what_to_write(doc.kind, parts)}"
        blanks[problem.json_path] = Problem(doc.path, problem.line, problem.column, "MC108", message, problem.json_path)
    return out + list(blanks.values())


def parse_json_path(shown: str) -> tuple[str | int, ...]:
    """The parts of a path shown as `a.b[0].c`; keys never hold dots or brackets (they are slugs)."""
    return tuple(int(index) if index else key for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", shown))
