"""The files mint and revoke publish: written atomically, minted ones once and never again.

A file is written through a temporary file in its own folder, flushed to disk, then renamed over the
target, so a reader (the site build, a later run, git) sees the old file or the new one, never half of
one. A run that stops in between leaves at most a temporary file, which the next run removes.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

TEMP_PREFIX = ".microcred-"
TEMP_SUFFIX = ".tmp"
PUBLISHED = ("badges", "records")  # the folders mint and revoke write into


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes the file private; these files are published
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(name).replace(path)  # atomic on POSIX: readers see the old file or the new one
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def remove_temporaries(root: Path) -> list[str]:
    """Remove what an interrupted run left under badges/ and records/ (temporary files only); their paths."""
    removed = []
    for top in PUBLISHED:
        folder = root / top
        for stale in sorted(folder.rglob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}")) if folder.is_dir() else ():
            stale.unlink()
            removed.append(stale.relative_to(root).as_posix())
    return removed


@dataclass(frozen=True)
class WriteOnce:
    """The repository's published files, by repository path: a file is written only where none exists."""

    root: Path

    def exists(self, rel: str) -> bool:
        return (self.root / rel).is_file()

    def read(self, rel: str) -> bytes | None:
        return (self.root / rel).read_bytes() if self.exists(rel) else None

    def write(self, rel: str, data: bytes) -> bool:
        """Write a file that does not exist yet; False (and nothing written) when it exists."""
        if (self.root / rel).exists():
            return False
        write_atomic(self.root / rel, data)
        return True

    def replace(self, rel: str, data: bytes) -> bool:
        """Write a file whatever it holds now (the one list that only grows: keys.json); False when it already holds `data`."""
        if self.read(rel) == data:
            return False
        write_atomic(self.root / rel, data)
        return True
