"""The built site in a real browser: Debian's Chromium driven by Playwright, nothing leaving this machine.

The site is built once from the repository and served on 127.0.0.1; requests to the consortium's
site_url are answered from the same folder (that is where badges live), every other one is aborted.
"""

from __future__ import annotations

import functools
import mimetypes
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # CI installs it; a developer without it gets skips, not errors
    sync_playwright = None

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# CI installs everything the browser tests need: there a missing piece is a failure, not a skip.
REQUIRED = os.environ.get("MICROCRED_REQUIRE_BROWSER") == "1"
SITE_URL = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]


def _missing(reason: str) -> None:
    if REQUIRED:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        _missing(f"browser tests need {CHROMIUM}: apt-get install chromium")
    if sync_playwright is None:
        _missing("browser tests need Playwright for Python: pip install playwright (never `playwright install`)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as `microcred build` makes it from this repository, with the sample catalog's minted badges."""
    site = tmp_path_factory.mktemp("site")
    run = subprocess.run(
        [sys.executable, "-m", "microcred", "build", "--quiet", "--site", str(site)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, f"microcred build failed:\n{run.stdout}{run.stderr}"
    return site


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join()


def published(site: Path, url: str) -> dict[str, Any]:
    """What the real host would answer for a URL under site_url: the file of the built site, CORS open."""
    path = (site / unquote(urlsplit(url[len(SITE_URL) :]).path)).resolve()
    path = path / "index.html" if path.is_dir() else path
    headers = {"Access-Control-Allow-Origin": "*"}
    if not path.is_file() or not path.is_relative_to(site.resolve()):
        return {"status": 404, "headers": headers, "content_type": "text/plain", "body": "not found"}
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return {"status": 200, "headers": headers, "content_type": content_type, "body": path.read_bytes()}


@pytest.fixture
def page(browser: Any, site: Path, base_url: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh context and page; fails the test on console errors, screenshots the page it ends on."""
    context = browser.new_context(base_url=base_url, color_scheme="light", viewport={"width": 1280, "height": 900})
    blocked: list[str] = []
    errors: list[str] = []

    def route(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        elif url.startswith(SITE_URL):
            route.fulfill(**published(site, url))
        else:
            blocked.append(url)
            route.abort("blockedbyclient")

    def console(message: Any) -> None:
        # An aborted request logs "Failed to load resource" with its URL: ours, not the page's error.
        if message.type == "error" and message.location.get("url") not in blocked:
            errors.append(f"console: {message.text} at {message.location}")

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', request.node.name).strip('-')}.png", full_page=True)
    context.close()
    if blocked:
        print("requests blocked (not 127.0.0.1 nor site_url):", *sorted(set(blocked)), sep="\n  ")
    if errors:
        pytest.fail("the page logged errors:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def axe_script(site: Path) -> str:
    """axe-core served from the site's own origin: the site's Content-Security-Policy runs no inline script, ours neither."""
    if not AXE.is_file():
        _missing(f"accessibility tests need {AXE.relative_to(ROOT)}: run `npm ci` at the repository root")
    (site / "__axe.min.js").write_bytes(AXE.read_bytes())
    return "/__axe.min.js"
