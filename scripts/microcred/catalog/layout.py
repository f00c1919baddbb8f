"""Where each kind of catalog file lives in the repository, and finding them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem

YAML_SUFFIXES = (".yml", ".yaml")
CATALOG_DIRS = ("catalog", "rubrics", "submissions", "records")
# Folder of each kind with one file per item (id = file name).
ITEM_DIRS = {
    "catalog/credentials": "credential",
    "catalog/stacks": "stack",
    "catalog/districts": "district",
    "rubrics": "rubric",
}
SINGLETONS = {"catalog/consortium": "consortium", "catalog/reviewers": "reviewers", "catalog/earners": "earners"}
OPTIONAL_SINGLETONS = ("earners",)  # a catalog without earners.yml binds nobody: check-pr then refuses every submission


def classify(rel: str) -> str | None:
    """The kind of a repository-relative YAML path; None if no catalog file belongs there."""
    folder, _, name = rel.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    if not dot or f".{suffix}" not in YAML_SUFFIXES:
        return None
    if folder.startswith("submissions/") and folder.count("/") == 1:
        return "submission"  # submissions/<credential-id>/<submission-id>.yml
    if folder.startswith("records/") and folder.count("/") == 1:
        return "record"  # records/<credential-id>/<submission-id>.yml, written by mint
    return SINGLETONS.get(f"{folder}/{stem}") or ITEM_DIRS.get(folder)


def item_id(rel: str, kind: str) -> str:
    """The id a file defines by its place: its name, or the kind for a one-of-a-kind file."""
    return kind if kind in SINGLETONS.values() else rel.rpartition("/")[2].rpartition(".")[0]


def is_catalog_path(rel: str) -> bool:
    """Whether a path lies where catalog files are looked for."""
    return rel.split("/", 1)[0] in CATALOG_DIRS


@dataclass
class Listing:
    """Every catalog file found: by kind and id, plus what could not be placed."""

    root: Path
    by_kind: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def ids(self, kind: str) -> set[str]:
        return set(self.by_kind.get(kind, {}))

    def paths(self, kind: str, item_id: str) -> list[str]:
        return self.by_kind.get(kind, {}).get(item_id, [])

    def all_paths(self) -> list[str]:
        return sorted(p for items in self.by_kind.values() for paths in items.values() for p in paths)

    def add(self, rel: str) -> None:
        kind = classify(rel)
        if kind is None:
            if rel.endswith(YAML_SUFFIXES):
                self.problems.append(Problem(rel, 1, 1, "MC013", _misplaced(rel)))
            return
        self.by_kind.setdefault(kind, {}).setdefault(item_id(rel, kind), []).append(rel)


def _misplaced(rel: str) -> str:
    places = (
        ", ".join(f"{d}/" for d in ITEM_DIRS)
        + ", submissions/<credential>/, records/<credential>/, "
        + ", ".join(f"{s}.yml" for s in SINGLETONS)
    )
    return f"a YAML file here is not part of the catalog; catalog files go in {places}"


def discover(root: Path) -> Listing:
    """List every YAML file under catalog/, rubrics/, submissions/ and records/ without reading any."""
    listing = Listing(root)
    real_root = Path(os.path.realpath(root))
    for top in CATALOG_DIRS:
        for dirpath, dirnames, filenames in os.walk(root / top):
            base = Path(dirpath)
            for name in sorted(dirnames):
                sub = base / name
                if sub.is_symlink():
                    dirnames.remove(name)  # never descend through links: no loops, no escapes
                    if not Path(os.path.realpath(sub)).is_relative_to(real_root):
                        rel = sub.relative_to(root).as_posix()
                        listing.problems.append(Problem(rel, 1, 1, "MC008", "the folder is a symlink to a place outside the repository"))
            for name in sorted(filenames):
                listing.add((base / name).relative_to(root).as_posix())
    for items in listing.by_kind.values():
        for paths in items.values():
            paths.sort()
    listing.problems.extend(_second_singletons(listing))
    return listing


def _second_singletons(listing: Listing) -> list[Problem]:
    """A one-of-a-kind file is read from its .yml name alone; a .yaml beside it (or in its stead) is an error.

    Otherwise a second consortium or roster file could hold other maintainers or reviewers than
    the one that rights are read from.
    """
    found = []
    for stem, kind in SINGLETONS.items():
        paths = listing.by_kind.get(kind, {}).get(kind, [])
        for rel in paths:
            if rel != f"{stem}.yml":
                where = f"{stem}.yml" if f"{stem}.yml" in paths else f"{stem}.yml, its only name"
                what = {"reviewers": "roster", "earners": "list of earners"}.get(kind, f"{kind} file")
                message = f"the catalog has one {what}, {where}; rename or remove this one"
                found.append(Problem(rel, 1, 1, "MC015", message))
        paths.sort(key=lambda rel: rel != f"{stem}.yml")  # the .yml file is the one read
    return found
