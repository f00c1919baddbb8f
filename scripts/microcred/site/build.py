"""Building the site: validate, generate pages into docs/, run mkdocs, copy the minted badges."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..badges.urls import Urls
from ..catalog.validate import Result, UsageError, validate
from ..reports.attribution import attributed
from ..reports.history import History, read_history
from .badgepages import CACHE, write_pages
from .badgesites import folder_name, write_badge_sites
from .budget import MB, measure
from .builders import run_builder, run_pagefind
from .earned import EARNED, Earned, read_earned
from .findbadges import RECIPIENTS, write_index
from .pages import OUT_DIR, render
from .safety import check_and_seal

GENERATED = ("index.md", OUT_DIR)  # paths under docs/ that belong to the generator


class BuildError(UsageError):
    """The site could not be built; the message says why (a usage error: exit 2)."""


def last_changes(root: Path, folder: str = "catalog/credentials") -> dict[str, str]:
    """The date of the last commit that touched each file of a folder, by file stem; empty outside git."""
    try:
        run = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--no-renames", "--", folder],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return {}
    dates: dict[str, str] = {}
    for block in run.stdout.split("\0")[1:] if run.returncode == 0 else []:
        date, *names = block.strip().splitlines()
        for name in filter(None, names):
            dates.setdefault(Path(name).stem, date)
    return dates


def write_generated(docs: Path, files: dict[str, str]) -> int:
    """Make docs/ hold exactly the generated files: write what changed, remove what is gone."""
    written = 0
    for rel, text in files.items():
        path = docs / rel
        try:
            if path.read_text(encoding="utf-8") == text:
                continue  # unchanged: keep its time stamp, so the live preview rebuilds only what changed
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += 1
    keep = {docs / rel for rel in files}
    stale = [p for p in (docs / OUT_DIR).rglob("*") if p.is_file() and p not in keep] if (docs / OUT_DIR).exists() else []
    for path in stale:
        path.unlink()
    return written


@dataclass
class Generated:
    result: Result
    pages: int = 0
    written: int = 0
    history: History | None = None


def generate(root: Path, say: Callable[[str], None]) -> Generated:
    """Validate, then write the generated pages; nothing is written for an invalid catalog."""
    started = time.perf_counter()
    result = validate(root, model=True)
    say(f"validated {result.files} files in {time.perf_counter() - started:.1f} s")
    if result.catalog is None:
        return Generated(result)
    _check_site_url(root, result.catalog.consortium.site_url)
    started = time.perf_counter()
    attestation = _attestation(root)
    # Relayed badges counted under their district, which the pages give as counts only; the records stay opaque.
    known = result.store.loaded if result.store is not None else None  # what validation parsed is not parsed again
    found = read_history(root, result.catalog.consortium.site_url, Urls.of(result.catalog.consortium).sites, known)
    relayed = attributed(found, result.catalog)
    history = relayed.history
    if relayed.note:
        print(f"microcred: warning: {relayed.note}", file=sys.stderr)
    files = render(result.catalog, last_changes(root), history, attestation)
    written = write_generated(root / "docs", files)
    say(f"generated {len(files)} pages and indexes ({written} changed) in {time.perf_counter() - started:.1f} s")
    return Generated(result, len(files), written, history)


def _attestation(root: Path) -> dict[str, str]:
    """What each attestation of a submission confirms, in the submission schema's words (the schema was just loaded)."""
    schema = json.loads((root / "schemas/submission.schema.json").read_text(encoding="utf-8"))
    return {key: str(prop.get("description", key)) for key, prop in schema["properties"]["attestation"]["properties"].items()}


def configured_site_url(root: Path) -> str | None:
    """mkdocs.yml's site_url, read as text (the file may hold tags that a safe YAML reader refuses)."""
    try:
        config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    except OSError as err:
        raise BuildError(f"{root / 'mkdocs.yml'}: cannot read the site configuration: {err.strerror}") from None
    match = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", config, re.MULTILINE)
    return match.group(1) if match else None


def _check_site_url(root: Path, site_url: str) -> None:
    """mkdocs.yml must publish the site where the badges say it is, or their ids will not resolve."""
    configured = configured_site_url(root)
    if configured is None or configured.rstrip("/") != site_url.rstrip("/"):
        raise BuildError(f"mkdocs.yml: site_url is {configured or 'not set'}; set it to {site_url}, the site_url of catalog/consortium.yml")


def run_mkdocs(root: Path, site: Path, say: Callable[[str], None]) -> None:
    run_builder("mkdocs", root, site, say)


def check_badges(root: Path) -> None:
    """Refuse links among the badges: mint and revoke write files only, and Pages' upload follows links."""
    badges = root / "badges"
    links = sorted(p.relative_to(root).as_posix() for p in [badges, *badges.rglob("*")] if p.is_symlink())
    if links:
        raise BuildError(f"{links[0]} is a symlink; minted badges are files that mint writes, and a link would publish what it points to")
    for folder, what in ((EARNED, "each badge's page"), (RECIPIENTS, 'the index of "Find my badges"')):
        if (root / folder).exists():
            raise BuildError(f"{folder} is in the repository; the build writes {what} there, so remove it")


def copy_badges(root: Path, site: Path, say: Callable[[str], None]) -> None:
    """Minted badges are published byte for byte, so each document is served at its id."""
    badges = root / "badges"
    if badges.is_dir():
        shutil.copytree(badges, site / "badges", dirs_exist_ok=True)
        say(f"copied {sum(1 for p in badges.rglob('*') if p.is_file())} badge files")


def site_name(root: Path) -> str:
    """mkdocs.yml's site_name, read as text like its site_url."""
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    match = re.search(r"^site_name:\s*(.+?)\s*$", config, re.MULTILINE)
    return match.group(1).strip("'\"") if match else "Badges"


def write_badge_pages(root: Path, site: Path, done: Generated, say: Callable[[str], None]) -> list[Earned]:
    """A page per earned badge, outside mkdocs: mkdocs builds the catalog only, however many badges there are."""
    assert done.result.catalog is not None and done.history is not None
    started = time.perf_counter()
    catalog = done.result.catalog
    for folder in (EARNED, RECIPIENTS):  # a page or an index entry exists only for a badge published now
        shutil.rmtree(site / folder, ignore_errors=True)
    badges = read_earned(root, catalog, done.history)
    written = write_pages(site, badges, catalog.consortium, site_name(root), cache=root / CACHE)
    indexed = write_index(site, badges, catalog)
    say(f"wrote {written} and the {indexed} files of the recipient index in {time.perf_counter() - started:.1f} s")
    return badges


def build(root: Path, site: Path, say: Callable[[str], None], builder: str = "mkdocs", badge_sites: Path | None = None) -> Generated:
    """The whole build; returns the validation result when the catalog is invalid (and builds nothing).

    `builder`: the site generator, mkdocs (the default) or zensical (site/builders.py); Pagefind indexes either's site.
    `badge_sites`: where the badge sites of consortium.yml are written (by default site-badges/ in the repository).
    """
    done = generate(root, say)
    if done.result.catalog is None:
        return done
    check_badges(root)
    run_builder(builder, root, site, say)
    badges = write_badge_pages(root, site, done, say)
    findings = check_and_seal(site)
    if findings:  # nothing from a catalog file may run on the site; the site is left unpublished
        shown = "\n".join(f"  {finding}" for finding in findings[:20])
        more = f"\n  … and {len(findings) - 20} more" if len(findings) > 20 else ""
        raise BuildError(f"the built pages hold what catalog data must never bring:\n{shown}{more}")
    say("checked the generated pages: no script, handler or style from catalog data; every page has its CSP")
    run_pagefind(site, say)
    copy_badges(root, site, say)
    consortium = done.result.catalog.consortium
    sites = [(site, "the site")]
    if consortium.badge_sites:
        out = badge_sites or root / "site-badges"
        counts = write_badge_sites(site, out, badges, consortium, site_name(root))
        moved = ", ".join(f"{n:,} to {url}" for url, n in counts.items())
        say(f"moved the badges of the badge sites into {out}/: {moved}")
        sites += [(out / folder_name(s.url), f"the badge site {s.url}") for s in consortium.badge_sites]
    for folder, what in sites:
        _within_budget(folder, what, consortium.site_budget_mb, say)
    return done


def _within_budget(folder: Path, what: str, budget_mb: int, say: Callable[[str], None]) -> None:
    """Say a site's size; above its budget, refuse it with what takes the space."""
    size = measure(folder)
    line = size.line(budget_mb, what)
    if size.bytes > budget_mb * MB:
        raise BuildError(
            f"{line}: over budget, so it is not published; what takes the space:\n{size.largest()}\n"
            "Raise site_budget_mb in catalog/consortium.yml if the host allows more (GitHub Pages publishes at most 1 GB), "
            "or publish the next badges on a badge site of their own (badge_sites); "
            "the admin guide's section on the site's size says what takes the space and what to do"
        )
    say(line)
