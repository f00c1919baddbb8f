"""What a catalog error holds back: mint skips the badges an invalid file bears on, and mints the others.

An invalid consortium, roster or earners file bears on every badge (the issuer, who voted, who earned), so
nothing is minted. An invalid credential, rubric, district or stack holds back only the badges that read it:
submissions for that credential (or one whose rubric is invalid), submissions from that district, and stack
badges of that stack or with that member. They are minted by the first run after the file is fixed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..catalog.layout import SINGLETONS, classify, item_id
from ..catalog.model import Catalog, Stack
from ..catalog.store import Store
from ..catalog.validate import UsageError


@dataclass(frozen=True)
class Broken:
    files: Mapping[tuple[str, str], str]  # (kind, id) -> why its file is invalid, for the skip message

    @classmethod
    def of(cls, errors: Mapping[str, list[str]]) -> Broken:
        """The invalid catalog files of a run; a UsageError when one of them bears on every badge."""
        files = {}
        for path in sorted(errors):
            kind = classify(path)
            if kind in ("submission", "record"):
                continue  # a bad submission or record holds back its own badge alone
            if kind is None or kind in SINGLETONS.values():
                first = f"{path}:{errors[path][0]}"
                raise UsageError(f"the catalog has errors ({first}); run `microcred validate`; nothing was minted")
            files[kind, item_id(path, kind)] = f"{path} is invalid ({errors[path][0]})"
        return cls(files)

    def documents(self, store: Store) -> dict[str, dict[str, dict[str, Any]]]:
        """The catalog's documents without the invalid ones."""
        return {
            kind: {ident: data for ident, data in items.items() if (kind, ident) not in self.files}
            for kind, items in store.documents().items()
        }

    def credential(self, catalog: Catalog, credential_id: str, district: str | None = None) -> str | None:
        """Why a badge of this credential (for an earner of `district`) waits for a fix; None when nothing holds it."""
        if found := self.files.get(("credential", credential_id)):
            return found
        credential = catalog.credentials.get(credential_id)
        if credential is not None and (found := self.files.get(("rubric", credential.rubric))):
            return found
        return self.files.get(("district", district)) if district else None

    def stack(self, catalog: Catalog, stack: Stack) -> str | None:
        return next((found for m in stack.members if (found := self.credential(catalog, m))), None)
