"""What a new file still needs, in words taken from the credential and the schemas."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..catalog.blanks import parse_json_path, value_at
from ..catalog.layout import classify
from ..catalog.load import Refused, locate, parse
from ..catalog.problems import Problem, json_path
from ..catalog.schemadoc import SchemaDoc, first_lower, placeholder
from ..catalog.schemas import SchemaSet
from ..catalog.validate import validate
from .prompts import Check

Parts = tuple[str | int, ...]


class SchemaInfo(SchemaDoc):
    """The repository's schemas read as documentation, and as checks of the answers a scaffold asks for."""

    def __init__(self, root: Path) -> None:
        super().__init__(SchemaSet(root / "schemas").documents)

    def checker(self, kind: str, parts: Parts, what: str) -> Check:
        """A check of one answer against the pattern and length the schema sets at a path."""
        node, description = self.at(kind, parts)
        detail = first_lower(str(node.get("_form") or description))  # the form's own description, when it has one
        shown = f" ({detail})" if detail and detail.lower() != what.lower() else ""

        def check(answer: str) -> str | None:
            pattern, longest = node.get("pattern"), node.get("maxLength")
            if (pattern and not re.search(str(pattern), answer)) or (longest is not None and len(answer) > int(longest)):
                return f"{answer!r} is not {what}{shown}"
            return None

        return check


# --------------------------------------------------------------------------- what is still to fill in


@dataclass(frozen=True, order=True)
class Todo:
    line: int
    column: int
    path: str
    text: str


def _schema_todo(schema: SchemaInfo, kind: str, data: Any, problem: Problem) -> Todo:
    """A validator problem in plain words: what to fill in, from the schema's own descriptions."""
    parts = parse_json_path(problem.json_path)
    warning = " (warning)" if problem.severity == "warning" else ""
    if problem.code == "MC101":
        missing = re.search(r"'([^']+)'", problem.message)
        parts = (*parts, missing.group(1)) if missing else parts
        _, description = schema.at(kind, parts)
        return Todo(problem.line, problem.column, json_path(parts), f"{json_path(parts)}: add it ({first_lower(description)})")
    value, found = value_at(data, parts)
    shown = json_path(parts)
    if not found or not placeholder(value) or problem.severity != "error":
        where = f"{shown}: " if shown else ""
        return Todo(problem.line, problem.column, shown, f"{where}{problem.message}{warning}")
    return Todo(problem.line, problem.column, shown, f"{shown}: {schema.what_to_write(kind, parts)}")


def mapping_at(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def text_at(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value.strip() if isinstance(value, str) else ""


def _words(text: str) -> int:
    return len(text.split())


def submission_todo(credential: dict[str, Any], data: dict[str, Any], text: str) -> list[Todo]:
    """What a submission still needs by the credential's own requirements, which the schema cannot know."""
    todo = []
    submission = credential["submission"]

    def add(parts: Parts, message: str) -> None:
        line, column = locate(text, parts)
        todo.append(Todo(line, column, json_path(parts), f"{json_path(parts)}: {message}"))

    for part in ("overview", "reflection"):
        answers = mapping_at(data, part)
        questions = submission.get(part) or []
        for question in questions:
            answer = answers.get(question["id"])
            limit = question["word_limit"]
            if not isinstance(answer, str) or not answer.strip():
                add((part, question["id"]), f"answer this question (at most {limit} words)")
            elif _words(answer) > limit:
                add((part, question["id"]), f"{_words(answer)} words; shorten the answer to at most {limit}")
        for key in answers:
            if key not in {q["id"] for q in questions}:
                add((part, key), f"not a question of {credential['id']!r}; remove it")
    entries = mapping_at(data, "artifacts")
    for artifact in submission["artifacts"]:
        entry, optional = entries.get(artifact["id"]), not artifact.get("required", True)
        where = ("artifacts", artifact["id"])
        tail = " (optional: or delete the entry)" if optional else ""
        if not isinstance(entry, dict):
            if not optional:
                add(where, "add the link to this work example and what it shows")
            continue
        if entry.get("url") in (None, "", "https://"):
            add((*where, "url"), f"link to this work example in your district's access-controlled storage{tail}")
        if not isinstance(entry.get("description"), str) or not entry["description"].strip():
            add((*where, "description"), f"say what this work example shows{tail}")
    for key in entries:
        if key not in {a["id"] for a in submission["artifacts"]}:
            add(("artifacts", key), f"not a work example of {credential['id']!r}; remove it")
    return todo


def rubric_todo(data: dict[str, Any], text: str) -> list[Todo]:
    """Empty descriptors, named by criterion and level rather than by index."""
    todo = []
    levels = {lv.get("id"): lv.get("label") for lv in data.get("levels") or [] if isinstance(lv, dict)}
    for i, criterion in enumerate(data.get("criteria") or []):
        if not isinstance(criterion, dict) or not isinstance(criterion.get("descriptors"), dict):
            continue
        for level, descriptor in criterion["descriptors"].items():
            if isinstance(descriptor, str) and not descriptor.strip():
                parts: Parts = ("criteria", i, "descriptors", level)
                line, column = locate(text, parts)
                label = levels.get(level) or level
                message = f"describe what the evidence for {criterion.get('id')!r} looks like at {label!r}"
                todo.append(Todo(line, column, json_path(parts), f"{json_path(parts)}: {message}"))
    return todo


def still_to_do(root: Path, schema: SchemaInfo, rels: list[str], specific: dict[str, list[Todo]] | None = None) -> dict[str, list[str]]:
    """For each file, what is still to fill in: the validator's problems in plain words, plus `specific` items."""
    found = validate(root, only=rels).problems
    out = {}
    for rel in rels:
        kind = classify(rel)
        assert kind is not None
        try:
            data = parse((root / rel).read_text(encoding="utf-8"))
        except Refused:
            data = None  # the validator says why
        own = (specific or {}).get(rel, [])
        covered = {t.path for t in own}  # a plain-words item replaces the schema's problems at its path
        items = set(own)
        for problem in found:
            if problem.path == rel:
                todo = _schema_todo(schema, kind, data, problem)
                if todo.path not in covered:
                    items.add(todo)
        texts = [t.text for t in sorted(items)]
        out[rel] = [text for i, text in enumerate(texts) if text not in texts[:i]]  # "" fails two rules: say it once
    return out
