"""A live preview: mkdocs serve on 127.0.0.1, with pages regenerated whenever the catalog changes."""

from __future__ import annotations

import os
import signal
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


class Stopped(Exception):
    """SIGTERM arrived: stop as Ctrl-C stops, through every `finally`."""


def _stop(signum: int, frame: object) -> None:
    raise Stopped


def serve(root: Path, address: str, say: Callable[[str], None], interval: float = 0.5, quiet: bool = False) -> int:
    """Serve until interrupted or terminated; returns mkdocs' exit code. The mkdocs child never outlives this call."""
    previous = signal.signal(signal.SIGTERM, _stop)
    link = None
    mkdocs: subprocess.Popen[bytes] | None = None
    stopped = False
    try:
        _regenerate(root, say)
        link = _link_badges(root)
        command = [sys.executable, "-m", "microcred.site.mkdocsrun", "serve", "-f", str(root / "mkdocs.yml"), "-a", address]
        mkdocs = subprocess.Popen(
            [*command, "-q"] if quiet else command,
            cwd=root,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": _package_path()},
        )
        say(f"serving on http://{address}{_base_path(root)} (Ctrl-C stops)")
        _follow(root, mkdocs, say, interval)
    except (KeyboardInterrupt, Stopped):
        stopped = True
    finally:
        if mkdocs is not None:
            _end(mkdocs)
        if link is not None and link.is_symlink():
            link.unlink()
        signal.signal(signal.SIGTERM, previous)
    return 0 if stopped or mkdocs is None else mkdocs.returncode


def _package_path() -> str:
    """The folder holding this package, first on the child's path so that it runs this very code."""
    here = str(Path(__file__).resolve().parents[2])
    rest = os.environ.get("PYTHONPATH", "")
    return here + (os.pathsep + rest if rest else "")


def _end(mkdocs: subprocess.Popen[bytes]) -> None:
    """Stop the child: politely, then for good if it does not stop within ten seconds."""
    if mkdocs.poll() is None:
        mkdocs.terminate()
    try:
        mkdocs.wait(timeout=10)
    except subprocess.TimeoutExpired:
        mkdocs.kill()
        mkdocs.wait()


def _follow(root: Path, mkdocs: subprocess.Popen[bytes], say: Callable[[str], None], interval: float) -> None:
    """Regenerate on every change until mkdocs stops."""
    seen = _snapshot(root)
    while mkdocs.poll() is None:
        time.sleep(interval)
        now = _snapshot(root)
        if now != seen:
            seen = now
            _regenerate(root, say)
