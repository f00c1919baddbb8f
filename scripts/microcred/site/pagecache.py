"""The badge pages of the last build, kept by what each was made from, so that an unchanged badge is not rendered again.

An entry is a page's bytes exactly as rendering gave them, named by the SHA-256 of everything the page depends on
(`badgepages.page_key`): a build that finds its key writes those bytes instead of rendering, so a reused page is
byte-identical to a fresh one. The folder holds the pages of the last build only: what no badge asked for is
removed. Nothing here is trusted: a reused page is scanned and sealed with every other page (site/safety.py),
since the folder may come back from a workflow's cache, which the build does not control.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CACHE = ".cache/badge-pages"  # under the repository's root; git-ignored
SUFFIX = ".html"
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # POSIX; Windows makes no links of this kind by default


class PageCache:
    """A folder of pages by key; `folder=None` keeps nothing (every page is rendered)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.kept: set[str] = set()
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def get(self, key: str) -> bytes | None:
        """The page made from `key`'s inputs by an earlier build, when one is kept."""
        if self.folder is None:
            return None
        self.kept.add(key)
        try:  # never through a link: a restored folder could point an entry at any file of the machine
            with os.fdopen(os.open(self.folder / (key + SUFFIX), os.O_RDONLY | NOFOLLOW), "rb") as entry:
                return entry.read()
        except OSError:  # none kept, a link (ELOOP) or a folder: rendered again
            return None

    def put(self, key: str, data: bytes) -> None:
        """Keep a freshly rendered page; written whole or not at all, so an interrupted build leaves no half page."""
        if self.folder is None:
            return
        self.kept.add(key)
        part = self.folder / f"{key}.part"
        part.write_bytes(data)
        part.replace(self.folder / (key + SUFFIX))

    def prune(self) -> int:
        """Remove every entry this build did not ask for (the pages of changed or removed badges); the number removed."""
        if self.folder is None:
            return 0
        removed = 0
        for path in [p for p in self.folder.iterdir() if not (p.suffix == SUFFIX and p.stem in self.kept)]:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed += 1
        return removed
