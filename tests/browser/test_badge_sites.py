"""A badge site's page in Chromium: its badge read from its own site, the issuer's documents from the catalog's."""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, SITE_URL, _QuietHandler, published

sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python: pip install playwright")
expect = sync_api.expect

BADGE_SITE = SITE_URL.removesuffix("microcredentials/") + "badges-2026/"
TASKS, STACK = "80e0df6a-1b22-5112-9196-d2887b9d23fc", "39bf8b4c-fa0f-5e3f-86b7-7c00c293b1b8"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample catalog whose last credential badge and the stack it completed were minted on a badge site, built."""
    repo = tmp_path_factory.mktemp("badge-sites") / "repo"
    for name in ("catalog", "rubrics", "schemas", "docs", "badges", "records", "submissions"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("catalog", "index.md") if name == "docs" else None)
    shutil.copyfile(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    for uuid in (TASKS, STACK):
        for path in (*(repo / "badges/assertions").glob(f"{uuid}.*"), *(repo / "badges/credentials").rglob(f"{uuid}.jwt")):
            path.unlink()
    shutil.rmtree(repo / "badges/swept", ignore_errors=True)
    consortium = repo / "catalog/consortium.yml"
    consortium.write_text(consortium.read_text() + f'badge_sites:\n  - url: {BADGE_SITE}\n    from: "2026-05-01"\n')
    for command in (["mint", "--offline", "--now", "2027-01-01T00:00:00Z"], ["build", "--quiet"]):
        run = subprocess.run(
            [sys.executable, "-m", "microcred", *command, "--root", str(repo)], capture_output=True, text=True, check=False
        )
        assert run.returncode == 0, f"{command[0]} failed:\n{run.stdout}{run.stderr}"
    own = repo / "site-badges" / f"{urlsplit(BADGE_SITE).netloc}_badges-2026"
    assert (own / f"badges/earned/{STACK}/index.html").is_file()
    return repo / "site", own


@pytest.fixture
def context(browser: Any, sites: tuple[Path, Path]) -> Iterator[Any]:
    """Both published sites answered from their built folders; the local server is the badge site's copy."""
    catalog, own = sites
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(own)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(base_url=f"http://127.0.0.1:{server.server_port}/", viewport={"width": 1280, "height": 900})
    errors: list[str] = []

    def route(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        elif url.startswith(BADGE_SITE):
            route.fulfill(**published(own, SITE_URL + url.removeprefix(BADGE_SITE)))
        elif url.startswith(SITE_URL):
            route.fulfill(**published(catalog, url))
        else:
            route.abort("blockedbyclient")

    context.route("**/*", route)
    context.on("weberror", lambda error: errors.append(str(error.error)))
    yield context
    context.close()
    server.shutdown()
    server.server_close()
    assert errors == []


@pytest.mark.parametrize("uuid", [TASKS, STACK], ids=["credential", "stack"])
@pytest.mark.parametrize("where", ["public address", "local copy"])
def test_a_badge_sites_page_verifies_its_badge(context: Any, uuid: str, where: str) -> None:
    page = context.new_page()
    page.goto(f"{BADGE_SITE if where == 'public address' else ''}badges/earned/{uuid}/")
    expect(page.locator("#mc-badge-verify-status .admonition-title")).to_have_text("VALID")
    status = page.locator("#mc-badge-verify-status")
    if where == "local copy":
        expect(status).to_contain_text("Checked against this copy")
    else:
        expect(status).not_to_contain_text("Checked against this copy")
    expect(page.locator(".mc-badge-art")).to_have_js_property("complete", True)
    assert page.locator(".mc-badge-art").evaluate("img => img.naturalWidth") > 0
    assert page.locator("a.mc-badge-home").get_attribute("href") == SITE_URL
