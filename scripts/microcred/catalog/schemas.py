"""The JSON Schemas in schemas/: loaded offline, compiled once, errors made readable."""

from __future__ import annotations

import heapq
import itertools
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import jsonschema_rs

from .load import Document
from .positions import cycles_uncollected
from .problems import MAX_PER_FILE, Problem, more_not_shown

# The kind of each catalog file and the schema that defines it.
SCHEMA_FILES = {
    "consortium": "consortium.schema.json",
    "credential": "credential.schema.json",
    "district": "district.schema.json",
    "record": "record.schema.json",
    "reviewers": "reviewers.schema.json",
    "earners": "earners.schema.json",
    "rubric": "rubric.schema.json",
    "stack": "stack.schema.json",
    "submission": "submission.schema.json",
}

_CODE_BY_KEYWORD = {
    "required": "MC101",
    "additionalProperties": "MC102",
    "type": "MC103",
    "enum": "MC104",
    "const": "MC104",
    "pattern": "MC105",
    "format": "MC105",
    "propertyNames": "MC105",
    "minLength": "MC106",
    "maxLength": "MC106",
    "minimum": "MC106",
    "maximum": "MC106",
    "exclusiveMinimum": "MC106",
    "exclusiveMaximum": "MC106",
    "minItems": "MC106",
    "maxItems": "MC106",
    "minProperties": "MC106",
    "maxProperties": "MC106",
    "uniqueItems": "MC107",
}


def _sites(err: Any) -> list[tuple[tuple[str | int, ...], str | None]]:
    """Where an error is reported: its value, or each unknown key of a mapping, one problem each."""
    parts = tuple(err.instance_path)
    if err.kind.name == "additionalProperties":
        return [(parts, key) for key in err.kind.unexpected]
    return [(parts, None)]


class SchemaSetError(Exception):
    """The schemas themselves cannot be used (missing, not JSON, not a valid schema)."""


@dataclass(frozen=True)
class SchemaSet:
    """Every schema of a repository, with one compiled validator per kind."""

    directory: Path

    @cached_property
    def documents(self) -> dict[str, dict[str, Any]]:
        docs = {}
        for path in sorted(self.directory.glob("*.schema.json")):
            try:
                docs[path.name] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as err:
                raise SchemaSetError(f"{path}: cannot read the schema: {err}") from None
        missing = sorted(set(SCHEMA_FILES.values()) - docs.keys())
        if missing:
            raise SchemaSetError(f"{self.directory}: missing schema files: {', '.join(missing)}")
        return docs

    def uri(self, name: str) -> str:
        return (self.directory.resolve() / name).as_uri()

    @cached_property
    def _validators(self) -> dict[str, Any]:
        registry = jsonschema_rs.Registry([(self.uri(name), doc) for name, doc in self.documents.items()])
        validators = {}
        for kind, name in SCHEMA_FILES.items():
            try:
                validators[kind] = jsonschema_rs.Draft202012Validator(self.documents[name], registry=registry, base_uri=self.uri(name))
            except (ValueError, jsonschema_rs.ReferencingError) as err:
                raise SchemaSetError(f"{self.directory / name}: not a usable schema: {err}") from None
        return validators

    def check(self, doc: Document) -> list[Problem]:
        """Schema problems of one document, located in its file: the first MAX_PER_FILE, and a note if there are more.

        Every error is located, but only the first ones are kept and described, so a file with
        thousands of errors costs linear time and bounded memory.
        """
        validator = self._validators[doc.kind]
        if validator.is_valid(doc.data):  # the fast path: no error objects at all
            return []
        read = itertools.count()
        with cycles_uncollected():  # jsonschema-rs makes every error object before it yields the first
            errors = validator.iter_errors(doc.data)
            sites = ((*doc.locate(parts, key), next(read), err, parts, key) for err in errors for parts, key in _sites(err))
            first = heapq.nsmallest(MAX_PER_FILE + 1, sites, key=lambda site: site[:3])
        problems = [self._problem(doc, err, parts, key) for *_, err, parts, key in first[:MAX_PER_FILE]]
        if len(first) > MAX_PER_FILE:
            line, column, *_ = first[MAX_PER_FILE]
            problems.append(more_not_shown(doc.path, line, column, next(read) - MAX_PER_FILE))
        return problems

    def _problem(self, doc: Document, err: Any, parts: tuple[str | int, ...], key: str | None) -> Problem:
        keyword = err.kind.name
        code = _CODE_BY_KEYWORD.get(keyword, "MC100")
        if keyword == "required":
            return doc.problem(code, f"missing required field {err.kind.property!r}", parts)
        if keyword == "additionalProperties" and key is not None:
            return doc.problem(code, f"unknown field {key!r}{self._allowed_hint(err)}", parts, key=key)
        message = err.message
        if keyword in ("anyOf", "oneOf"):
            described = self._keyword_schema(err).get("description")
            message = f"matches none of the allowed forms: {described}" if described else message
        elif keyword == "pattern":
            described = self._keyword_schema(err).get("description")
            if described:
                message = f"{json.dumps(err.instance, ensure_ascii=False)} is not in the expected form: {described}"
        return doc.problem(code, message, parts)

    def _keyword_schema(self, err: Any) -> dict[str, Any]:
        """The schema object that holds the failing keyword, found from its absolute location."""
        location = err.absolute_keyword_location or ""
        uri, _, pointer = location.partition("#")
        node: Any = next((doc for name, doc in self.documents.items() if self.uri(name) == uri), {})
        for token in [t for t in pointer.split("/") if t][:-1]:
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node.get(token, {})
        return node if isinstance(node, dict) else {}

    def _allowed_hint(self, err: Any) -> str:
        allowed = sorted(self._keyword_schema(err).get("properties", {}))
        return f"; allowed: {', '.join(allowed)}" if allowed else ""
