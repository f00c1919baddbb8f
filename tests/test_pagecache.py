"""Badge pages reused from the last build: byte-identical to a fresh render, rendered again exactly when an input changed."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

from microcred.badges.urls import assertion_uuid
from microcred.catalog.validate import validate
from microcred.reports.history import read_history
from microcred.site import badgepages
from microcred.site.badgepages import environment, render_page, write_pages
from microcred.site.build import BuildError, build, generate, write_badge_pages
from microcred.site.earned import Earned, Member, Result, read_earned
from microcred.site.pagecache import CACHE
from test_badgepages import SITE_URL, VALID, site_repo

BADGES = 6  # the sample's: five credential badges, one of them revoked, and a stack badge
PARTNERSHIP = assertion_uuid(SITE_URL, "asset-based-family-partnership", "nsato-asset-based-family-partnership-1")
WROTE = re.compile(r"wrote ([0-9]+) badge pages \(([0-9]+) rendered, ([0-9]+) reused from \.cache/badge-pages\)")


def stage(repo: Path) -> tuple[int, int]:
    """The badge-page stage of `build` alone, into repo/site: the pages it rendered and reused, from its line."""
    said: list[str] = []
    write_badge_pages(repo, repo / "site", generate(repo, lambda _: None), said.append)
    found = WROTE.match(said[-1])
    assert found, said
    total, rendered, reused = map(int, found.groups())
    assert total == rendered + reused
    return rendered, reused


def pages(site: Path) -> dict[str, str]:
    folder = site / "badges/earned"
    return {p.parent.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*/index.html"))}


def entries(repo: Path) -> list[str]:
    return sorted(p.name for p in (repo / CACHE).iterdir())


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return site_repo(tmp_path)


def badges(repo: Path) -> tuple[list[Earned], object]:
    catalog = validate(repo, model=True).catalog
    assert catalog is not None
    return read_earned(repo, catalog, read_history(repo, catalog.consortium.site_url)), catalog.consortium


def test_a_second_build_reuses_every_page_byte_for_byte(tmp_path: Path) -> None:
    repo = site_repo(tmp_path)
    said: list[str] = []
    build(repo, repo / "site", said.append)
    build(repo, repo / "site2", said.append)
    assert [m.groups() for m in map(WROTE.match, said) if m] == [("6", "6", "0"), ("6", "0", "6")]
    assert pages(repo / "site2") == pages(repo / "site") and len(pages(repo / "site")) == BADGES  # sealed, as published
    shutil.rmtree(repo / ".cache")
    build(repo, repo / "site3", said.append)  # without the cache: the same bytes
    assert pages(repo / "site3") == pages(repo / "site")
    assert len(entries(repo)) == BADGES


def test_a_kept_page_is_what_rendering_gives(repo: Path) -> None:
    assert stage(repo) == (BADGES, 0)
    earned, consortium = badges(repo)
    fresh = {render_page(environment(), b, consortium, "Three Rivers Micro-credentials", []).encode() for b in earned}  # type: ignore[arg-type]
    assert {(repo / CACHE / name).read_bytes() for name in entries(repo)} == fresh
    assert {(repo / "site/badges/earned" / b.uuid / "index.html").read_bytes() for b in earned} == fresh


def test_a_changed_record_or_assertion_renders_that_badge_alone(repo: Path) -> None:
    stage(repo)
    record = repo / "records/asset-based-family-partnership/nsato-asset-based-family-partnership-1.yml"
    record.write_text(record.read_text().replace("pull_request: 6\n", "pull_request: 16\n"))
    before = pages(repo / "site")
    assert stage(repo) == (1, BADGES - 1)
    after = pages(repo / "site")
    assert {u for u in after if after[u] != before[u]} == {PARTNERSHIP}
    assert "in pull request #16</td>" in (repo / f"site/badges/earned/{PARTNERSHIP}/index.html").read_text()
    path = repo / f"badges/assertions/{VALID}.json"
    path.write_text(json.dumps(json.loads(path.read_text()) | {"revoked": True, "revocationReason": "Issued in error."}))
    assert stage(repo) == (1, BADGES - 1)
    assert "has withdrawn this badge: Issued in error." in (repo / f"site/badges/earned/{VALID}/index.html").read_text()
    assert len(entries(repo)) == BADGES  # the changed badges' old pages are gone from the cache


def test_a_changed_template_renders_every_page(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stage(repo)
    templates = shutil.copytree(badgepages.TEMPLATES, tmp_path / "templates")
    page = templates / "badge.html.j2"
    page.write_text(page.read_text().replace("A QR code of this page's address.", "A QR code of this page."))
    monkeypatch.setattr(badgepages, "TEMPLATES", templates)
    assert stage(repo) == (BADGES, 0)
    assert "A QR code of this page.</figcaption>" in (repo / f"site/badges/earned/{VALID}/index.html").read_text()
    assert stage(repo) == (0, BADGES)


def test_the_site_name_and_the_consortium_render_every_page_again(repo: Path) -> None:
    stage(repo)
    config = repo / "mkdocs.yml"
    config.write_text(re.sub(r"^site_name:.*$", "site_name: Another Name", config.read_text(), count=1, flags=re.MULTILINE))
    assert stage(repo) == (BADGES, 0)
    consortium = repo / "catalog/consortium.yml"
    consortium.write_text(consortium.read_text().replace("site_url:", 'linkedin_organization_id: "1337"\nsite_url:'))
    assert stage(repo) == (BADGES, 0)
    consortium.write_text(consortium.read_text() + "site_budget_mb: 700\n")  # a setting no page shows
    assert stage(repo) == (0, BADGES)


def test_an_expiring_badge_is_rendered_again_on_the_day_it_expires_only(repo: Path) -> None:
    path = repo / f"badges/assertions/{VALID}.json"
    path.write_text(json.dumps(json.loads(path.read_text()) | {"expires": "2027-01-10T15:04:05Z"}))
    earned, consortium = badges(repo)
    site, cache = repo / "site", repo / CACHE

    def write(day: str) -> tuple[int, int]:
        written = write_pages(site, earned, consortium, "Site", cache=cache, today=day)  # type: ignore[arg-type]
        return written.rendered, written.reused

    assert write("2027-01-08") == (BADGES, 0)
    assert write("2027-01-09") == (0, BADGES)  # another day, the same page
    assert write("2027-01-10") == (1, BADGES - 1)  # it expires: its page says so
    assert '<tr><th scope="row">Status</th><td>Expired</td></tr>' in (site / f"badges/earned/{VALID}/index.html").read_text()
    assert write("2027-02-01") == (0, BADGES)
    assert len(entries(repo)) == BADGES


def test_the_cache_holds_exactly_the_badges_of_the_last_build(repo: Path) -> None:
    stage(repo)
    (repo / CACHE / "left-over.part").write_bytes(b"half a page")
    (repo / CACHE / ("0" * 64 + ".html")).write_bytes(b"a page no badge asks for")
    for rel in (f"badges/assertions/{VALID}.json", f"badges/assertions/{VALID}.png", "records/exit-tickets/obello-exit-tickets-1.yml"):
        (repo / rel).unlink()  # a badge no longer published
    assert stage(repo) == (0, BADGES - 1)
    assert len(entries(repo)) == BADGES - 1 and all(name.endswith(".html") for name in entries(repo))
    assert VALID not in pages(repo / "site")


def test_a_link_in_the_cache_is_never_followed(repo: Path, tmp_path: Path) -> None:
    stage(repo)
    secret = tmp_path / "secret.txt"
    secret.write_text("a file of the machine")
    name = entries(repo)[0]
    (repo / CACHE / name).unlink()
    (repo / CACHE / name).symlink_to(secret)
    assert stage(repo) == (1, BADGES - 1)
    assert not (repo / CACHE / name).is_symlink() and secret.read_text() == "a file of the machine"
    assert all("a file of the machine" not in p.read_text() for p in (repo / "site/badges/earned").glob("*/index.html"))


def test_a_tampered_page_in_the_cache_fails_the_build(tmp_path: Path) -> None:
    """The cache may come back from a workflow's cache: its pages are scanned like any other, and a script stops the build."""
    repo = site_repo(tmp_path)
    build(repo, repo / "site", lambda _: None)
    entry = next(p for p in (repo / CACHE).iterdir() if f'<link rel="canonical" href="{SITE_URL}badges/earned/{VALID}/">' in p.read_text())
    entry.write_text(entry.read_text().replace("</article>", "<script>alert(1)</script></article>"))
    with pytest.raises(BuildError) as refused:
        build(repo, repo / "site", lambda _: None)
    assert str(refused.value) == (
        "the built pages hold what catalog data must never bring:\n"
        f"  badges/earned/{VALID}/index.html: a script that is not the site's: <script>alert(1)"
    )


def test_the_key_holds_all_that_a_page_reads() -> None:
    """Every field of a badge reaches its key (through repr), and the template reads no consortium setting the key lacks."""
    assert all(f.repr for kind in (Earned, Result, Member) for f in fields(kind))
    template = (badgepages.TEMPLATES / "badge.html.j2").read_text()
    assert set(re.findall(r"consortium\.([a-z_]+)", template)) == {"name", "url"}  # and linkedin_url: the name or the id


def test_pages_rendered_by_several_processes_are_the_ones_one_process_renders(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    earned, consortium = badges(repo)
    many = [replace(badge, uuid=f"{badge.uuid[:-4]}{n:04d}") for n in range(7) for badge in earned]  # 42 distinct pages
    one = badgepages.Pages(consortium, "Catalog", ["assets/site.css"], "2026-12-01")  # type: ignore[arg-type]
    alone = list(one.render(many))
    monkeypatch.setattr(badgepages, "PARALLEL_FROM", 10)
    monkeypatch.setattr(badgepages, "CHUNK", 4)  # eleven chunks over two processes, given back in order
    monkeypatch.setattr(badgepages.os, "cpu_count", lambda: 2)
    pools: list[int | None] = []

    class Pool(ProcessPoolExecutor):
        def __init__(self, workers: int | None = None, **options: Any) -> None:
            pools.append(workers)
            super().__init__(workers, **options)

    monkeypatch.setattr(badgepages, "ProcessPoolExecutor", Pool)
    assert list(one.render(many)) == alone
    assert pools == [2]
    assert alone == [render_page(environment(), b, consortium, "Catalog", ["assets/site.css"], "2026-12-01").encode() for b in many]  # type: ignore[arg-type]
