"""Catalog documents loaded on demand, each schema-checked once."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from .layout import Listing
from .load import Document, load_document
from .model import Reviewer
from .problems import Problem
from .schemas import SchemaSet


class Store:
    """Loads catalog files as checks ask for them, so a partial check reads only what it needs."""

    def __init__(self, root: Path, schemas: SchemaSet, listing: Listing) -> None:
        self.root, self.schemas, self.listing = root, schemas, listing
        self._docs: dict[str, Document | None] = {}
        self._valid: dict[str, bool] = {}
        self.problems: dict[str, list[Problem]] = {}

    def load(self, rel: str, kind: str) -> Document | None:
        """The document at a path (None if it cannot be parsed); its problems are recorded."""
        if rel not in self._docs:
            loaded = load_document(self.root, rel, kind)
            if isinstance(loaded, Problem):
                self._docs[rel], self._valid[rel] = None, False
                self.problems[rel] = [loaded]
            else:
                found = self.schemas.check(loaded)
                self._docs[rel], self._valid[rel] = loaded, not found
                self.problems[rel] = found
        return self._docs[rel]

    def loaded(self, rel: str) -> dict[str, Any] | None:
        """The data of a file already read (None when it was not, or could not be parsed): a later reader need not parse it again."""
        doc = self._docs.get(rel)
        return doc.data if doc is not None else None

    def get(self, kind: str, item_id: str) -> Document | None:
        """The document of an id, if a file for it exists and parses."""
        paths = self.listing.paths(kind, item_id)
        return self.load(paths[0], kind) if paths else None

    def valid(self, kind: str, item_id: str) -> dict[str, Any] | None:
        """The data of an id when it passed its schema: safe to read as context for other checks."""
        paths = self.listing.paths(kind, item_id)
        if not paths:
            return None
        doc = self.load(paths[0], kind)
        return doc.data if doc is not None and self._valid[paths[0]] else None

    def documents(self) -> dict[str, dict[str, dict[str, Any]]]:
        """The data of every loaded document, by kind and id."""
        out: dict[str, dict[str, dict[str, Any]]] = {}
        for kind, items in self.listing.by_kind.items():
            for item_id, paths in items.items():
                doc = self._docs.get(paths[0])
                if doc is not None:
                    out.setdefault(kind, {})[item_id] = doc.data
        return out

    def exists(self, kind: str, item_id: str) -> bool:
        return bool(self.listing.paths(kind, item_id))

    @cached_property
    def assessors(self) -> dict[str, list[tuple[str, str]]]:
        """Active assessors qualified for each credential id, from the roster: (login, district)."""
        roster = self.valid("reviewers", "reviewers") or {"reviewers": []}

        def members(stack_id: str) -> list[str]:
            stack = self.valid("stack", stack_id)  # a stack that is missing or invalid qualifies nobody
            return list(stack["members"]) if stack else []

        qualified: dict[str, list[tuple[str, str]]] = {}
        for entry in roster["reviewers"]:
            person = Reviewer.from_dict(entry)
            for credential_id in sorted(person.assessed(members)):
                qualified.setdefault(credential_id, []).append((person.login, person.district))
        return qualified
