"""Which files a contributor's pull request may bring into catalog/ and rubrics/: the YAML files the layout knows.

Anything else there is refused before it is merged: a `.gitattributes` can mark catalog files
binary, filtered or left out of archives, a `.gitmodules` pulls in another repository, and a Git
LFS pointer stands in for content that no check has read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..catalog.layout import YAML_SUFFIXES, classify, is_catalog_path
from ..catalog.problems import Problem

LAYOUT_DIRS = ("catalog/", "rubrics/")
GIT_FILES = (".gitattributes", ".gitmodules", ".lfsconfig", ".gitignore", ".mailmap")
LFS_POINTER = b"version https://git-lfs.github.com/spec/"


def unknown_files(root: Path, changed: dict[str, str], by_maintainer: bool) -> Iterator[Problem]:
    """MC340 for a contributor's file in catalog/ or rubrics/ that is no catalog file; MC341 for an LFS pointer."""
    for rel, status in sorted(changed.items()):
        if status == "D":
            continue
        name = rel.rpartition("/")[2]
        if not by_maintainer and rel.startswith(LAYOUT_DIRS):
            if name in GIT_FILES:
                message = f"a {name} file changes how git stores or checks out the catalog; only maintainers may add one, at the top"
                yield Problem(rel, 1, 1, "MC340", message)
                continue
            if classify(rel) is None and not rel.endswith(YAML_SUFFIXES):  # a misplaced YAML file is MC013
                message = (
                    "catalog/ and rubrics/ hold only the catalog's YAML files (credentials, stacks, districts, rubrics); "
                    "other files go elsewhere, by a maintainer"
                )
                yield Problem(rel, 1, 1, "MC340", message)
                continue
        if (by_maintainer and not is_catalog_path(rel)) or not (root / rel).is_file() or (root / rel).is_symlink():
            continue  # a symlink or special file is MC322
        with (root / rel).open("rb") as stream:
            head = stream.read(len(LFS_POINTER))
        if head == LFS_POINTER:
            message = "a Git LFS pointer, not the file itself; commit the text itself, with no LFS filter"
            yield Problem(rel, 1, 1, "MC341", message)
