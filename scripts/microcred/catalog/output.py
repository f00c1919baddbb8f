"""Rendering problems for people (text), machines (json) and GitHub Actions (annotations)."""

from __future__ import annotations

import json

from .problems import CODES, Problem, capped, counts

FORMATS = ("text", "json", "github")


def _location(p: Problem) -> str:
    suffix = f" [{p.json_path}]" if p.json_path else ""
    return f"{p.path}:{p.line}:{p.column}: {p.code} {p.message}{suffix}"


def text(problems: list[Problem]) -> str:
    shown = capped(problems)
    lines = [_location(p) if p.severity == "error" else _location(p).replace(f"{p.code} ", f"{p.code} warning: ", 1) for p in shown]
    return "".join(line + "\n" for line in lines)


def json_text(data: object) -> str:
    """JSON as microcred writes it: keys in their given order, two-space indent, characters as they are, one final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def as_json(problems: list[Problem], files: int) -> str:
    """The report for machines: the counts are of every problem, the list is capped per file as in the text."""
    errors, warnings = counts(problems)
    body = {
        "valid": errors == 0,
        "files": files,
        "errors": errors,
        "warnings": warnings,
        "problems": [p.as_dict() for p in capped(problems)],
    }
    return json_text(body)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(problems: list[Problem]) -> str:
    """Workflow commands that GitHub shows as annotations on the pull request's files."""
    out = []
    for p in capped(problems):
        title = _escape_property(f"{p.code} {CODES[p.code][1]}")
        where = f"file={_escape_property(p.path)},line={p.line},col={p.column}"
        suffix = f" [{p.json_path}]" if p.json_path else ""
        out.append(f"::{p.severity} {where},title={title}::{_escape_data(p.message + suffix)}\n")
    return "".join(out)


def summary(problems: list[Problem], files: int) -> str:
    errors, warnings = counts(problems)
    verdict = "valid" if errors == 0 else "invalid"
    return f"{files} file(s) checked: {verdict}, {errors} error(s), {warnings} warning(s)"
