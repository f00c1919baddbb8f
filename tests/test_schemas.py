"""The schemas are valid 2020-12 schemas, document themselves, and their examples hold."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from support import ROOT

SCHEMA_DIR = ROOT / "schemas"
SCHEMA_FILES = sorted(SCHEMA_DIR.glob("*.schema.json"))


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _registry() -> Registry:
    return Registry().with_resources((path.resolve().as_uri(), Resource.from_contents(_load(path))) for path in SCHEMA_FILES)


def _subschemas(node: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield pointer, node
        for key, value in node.items():
            if key in ("examples", "enum", "const", "default", "required"):
                continue
            yield from _subschemas(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _subschemas(value, f"{pointer}/{i}")


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for pointer, sub in _subschemas(schema):
        if "/if/" in f"{pointer}/":
            continue  # a condition's properties define nothing
        for name, prop in sub.get("properties", {}).items():
            yield f"{pointer}/properties/{name}", prop


def test_every_kind_has_a_schema() -> None:
    from microcred.catalog.schemas import SCHEMA_FILES as BY_KIND

    assert {p.name for p in SCHEMA_FILES} == set(BY_KIND.values()) | {"common.schema.json"}


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_is_valid_against_the_2020_12_metaschema(path: Path) -> None:
    schema = _load(path)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_property_has_a_description_and_examples(path: Path) -> None:
    undocumented = [pointer for pointer, prop in _properties(_load(path)) if not prop.get("description") or not prop.get("examples")]
    assert undocumented == []


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_every_example_is_valid_where_it_stands(path: Path) -> None:
    registry = _registry()
    root = _load(path)
    validator = jsonschema.Draft202012Validator(root, registry=registry, _resolver=registry.resolver(path.resolve().as_uri()))
    checked = 0
    for pointer, sub in _subschemas(root):
        for example in sub.get("examples", []):
            errors = [e.message for e in validator.evolve(schema=sub).iter_errors(example)]
            assert errors == [], f"{path.name}#{pointer}: example {example!r}"
            checked += 1
    assert checked > 0


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_refs_resolve_offline(path: Path) -> None:
    registry = _registry()
    resolver = registry.resolver(path.resolve().as_uri())
    refs = [sub["$ref"] for _, sub in _subschemas(_load(path)) if "$ref" in sub]
    for ref in refs:
        assert resolver.lookup(ref).contents is not None, ref
