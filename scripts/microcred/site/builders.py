"""The site generators `microcred build` can run over the generated docs/, and Pagefind over what they build.

mkdocs with mkdocs-material is the default. Zensical, Material's successor, reads the same mkdocs.yml: it is
an optional extra (`pip install 'microcred[zensical]'`), imported only by a build that asks for it. Pagefind
then indexes the finished site, whichever built it, for the search box of every page and the search page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path

import yaml

from ..catalog.validate import UsageError
from .theme import TEMPLATES

BUILDERS = ("mkdocs", "zensical")
PAGEFIND = "pagefind"  # the folder of the index inside the site


class BuilderError(UsageError):
    """A site generator or the indexer failed or is missing; the message says which and why."""


def _run(cmd: list[str], cwd: Path, what: str) -> None:
    run = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if run.returncode != 0:
        raise BuilderError(f"{what} failed:\n" + (run.stderr or run.stdout).strip())


def run_mkdocs(root: Path, site: Path) -> None:
    _run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(site)], root, "mkdocs build")


def zensical_config(text: str, site_dir: str) -> str:
    """mkdocs.yml as Zensical is to read it: the site where it is asked, this package's templates, no search of its own."""
    try:
        config = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise BuilderError(f"mkdocs.yml: Zensical builds read it as plain YAML, and it is not: {err}") from None
    if not isinstance(config, dict):
        raise BuilderError("mkdocs.yml: not a mapping of settings")
    theme = config.get("theme") or {}
    config["theme"] = {"name": theme} if isinstance(theme, str) else dict(theme)
    config["theme"]["custom_dir"] = str(TEMPLATES)
    plugins = [p for p in config.get("plugins") or [] if p != "microcred" and not (isinstance(p, dict) and "microcred" in p)]
    config["plugins"] = [*plugins, {"search": {"enabled": False}}]  # Pagefind searches the site
    config["site_dir"] = site_dir
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def run_zensical(root: Path, site: Path) -> None:
    """Zensical writes only inside the folder of its configuration: a copy of it there, the site moved out after."""
    if find_spec("zensical") is None:
        raise BuilderError("--builder zensical needs Zensical: pip install 'microcred[zensical]'")
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    work = Path(tempfile.mkdtemp(prefix=".zensical-", dir=root))
    try:
        config = root / f"{work.name}.yml"
        config.write_text(zensical_config(text, work.name), encoding="utf-8")
        try:
            _run([sys.executable, "-m", "zensical", "build", "--strict", "-f", str(config)], root, "zensical build")
        finally:
            config.unlink()
        shutil.rmtree(site, ignore_errors=True)
        site.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(work), str(site))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_builder(builder: str, root: Path, site: Path, say: Callable[[str], None]) -> None:
    if builder not in BUILDERS:
        raise BuilderError(f"--builder {builder}: choose one of {', '.join(BUILDERS)}")
    started = time.perf_counter()
    (run_zensical if builder == "zensical" else run_mkdocs)(root, site)
    say(f"{builder} built {site} in {time.perf_counter() - started:.1f} s")


INDEXED = re.compile(r"Indexed (\d+) pages?")


def run_pagefind(site: Path, say: Callable[[str], None]) -> int:
    """Index the finished site for search; the number of pages indexed."""
    started = time.perf_counter()
    shutil.rmtree(site / PAGEFIND, ignore_errors=True)
    run = subprocess.run(
        # The heading's permalink sign is not part of its title.
        [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", PAGEFIND, "--exclude-selectors", ".headerlink"],
        cwd=site,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise BuilderError("pagefind failed:\n" + (run.stderr or run.stdout).strip())
    pages = int(match.group(1)) if (match := INDEXED.search(run.stdout)) else 0
    say(f"pagefind indexed {pages} pages for search in {time.perf_counter() - started:.1f} s")
    return pages
