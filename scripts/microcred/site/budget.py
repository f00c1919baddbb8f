"""The site's size against what its host publishes: GitHub Pages serves at most 1 GB per site.

After a build, the site's bytes and files are counted; above the budget (consortium.yml's
`site_budget_mb`, by default 80% of 1 GB, leaving room for the next badges) the build fails and names
what takes the space, folder by folder, so that nothing is deployed that the host would refuse.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


@dataclass(frozen=True)
class Size:
    bytes: int
    files: int
    folders: tuple[tuple[str, int, int], ...]  # (folder, bytes, files), largest first

    def line(self, budget_mb: int, what: str = "the site") -> str:
        share = self.bytes / (budget_mb * MB)
        return f"{what} is {self.bytes / MB:,.1f} MB in {self.files:,} files ({share:.0%} of its {budget_mb:,} MB budget)"

    def largest(self, n: int = 8) -> str:
        return "\n".join(f"  {folder or '.'}: {size / MB:,.1f} MB in {files:,} files" for folder, size, files in self.folders[:n])


def measure(site: Path) -> Size:
    """Bytes and files of a built site, and per folder two levels down (badges/assertions, catalog/credentials…)."""
    total = count = 0
    folders: dict[str, list[int]] = {}
    for dirpath, _, filenames in os.walk(site):
        rel = Path(dirpath).relative_to(site).parts[:2]
        key = "/".join(rel)
        for name in filenames:
            size = (Path(dirpath) / name).lstat().st_size
            total, count = total + size, count + 1
            entry = folders.setdefault(key, [0, 0])
            entry[0] += size
            entry[1] += 1
    ranked = sorted(((k, v[0], v[1]) for k, v in folders.items()), key=lambda f: (-f[1], f[0]))
    return Size(total, count, tuple(ranked))
