"""A live preview: mkdocs serve on 127.0.0.1, with pages regenerated whenever the catalog changes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from ..catalog import output
from ..catalog.schemas import SchemaSetError
from ..reports.history import HistoryError
from .build import BuildError, configured_site_url, generate
from .pages import TEMPLATES

WATCHED = ("catalog", "rubrics", "schemas", "records")


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Modification time and size of every watched file: cheap to take twice a second."""
    state = {}
    for folder in [root / name for name in WATCHED] + [TEMPLATES]:
        for path in folder.rglob("*") if folder.is_dir() else ():
            try:
                stat = path.stat()
            except OSError:
                continue  # an editor's temporary file, gone already
            state[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return state


def _regenerate(root: Path, say: Callable[[str], None]) -> None:
    try:
        done = generate(root, say)
    except (SchemaSetError, BuildError, HistoryError, OSError) as err:
        # Mid-edit states are normal while previewing: say so and keep serving.
        say(f"not regenerated: {err}")
        return
    if done.result.catalog is None:
        sys.stderr.write(output.text(done.result.problems))
        say("the catalog is invalid: the preview shows the last valid version until the problems above are fixed")


def _link_badges(root: Path) -> Path | None:
    """The badges in the preview: a link docs/badges -> ../badges while serving (mkdocs serves only docs/)."""
    link, badges = root / "docs" / "badges", root / "badges"
    if not badges.is_dir() or (link.exists() and not link.is_symlink()):
        return None
    if link.is_symlink():
        link.unlink()  # left by a preview that was killed
    link.symlink_to(Path("..") / "badges", target_is_directory=True)
    return link


def _base_path(root: Path) -> str:
    """The path part of mkdocs.yml's site_url, where mkdocs serve puts the site."""
    configured = configured_site_url(root)
    path = urlsplit(configured).path if configured else "/"
    return path if path.endswith("/") else path + "/"


def serve(root: Path, address: str, say: Callable[[str], None], interval: float = 0.5) -> int:
    """Serve until interrupted; returns mkdocs' exit code."""
    _regenerate(root, say)
    link = _link_badges(root)
    try:
        mkdocs = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(root / "mkdocs.yml"), "-a", address],
            cwd=root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        say(f"serving on http://{address}{_base_path(root)} (Ctrl-C stops)")
        return _follow(root, mkdocs, say, interval)
    finally:
        if link is not None and link.is_symlink():
            link.unlink()


def _follow(root: Path, mkdocs: subprocess.Popen[bytes], say: Callable[[str], None], interval: float) -> int:
    """Regenerate on every change until mkdocs stops or the user interrupts."""
    seen = _snapshot(root)
    try:
        while mkdocs.poll() is None:
            time.sleep(interval)
            now = _snapshot(root)
            if now != seen:
                seen = now
                _regenerate(root, say)
    except KeyboardInterrupt:
        pass
    finally:
        if mkdocs.poll() is None:
            mkdocs.terminate()
            mkdocs.wait(timeout=10)
    return mkdocs.returncode or 0
