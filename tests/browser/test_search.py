"""The site's search in Chromium: Pagefind's index, fetched in small pieces by the header's box and the search page."""

from __future__ import annotations

import functools
import html
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import _QuietHandler

sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python: pip install playwright")
expect = sync_api.expect

ROOT = Path(__file__).resolve().parents[2]
SYNTHETIC = 300  # credentials: the 5,000-credential figures come from scripts/benchmark_search.py (README)
BODY = re.compile(r"<div data-pagefind-body>(.*?)</article>", re.DOTALL)
FILTER = re.compile(r'<span data-pagefind-filter="(\w+)">([^<]*)</span>')


def text(page_html: str) -> str:
    body = BODY.search(page_html)
    return html.unescape(re.sub(r"<[^>]+>", " ", body.group(1))) if body else ""


def results(page: Any, where: str) -> list[str]:
    return page.locator(f"{where} .mc-search__result > a").all_inner_texts()


def test_the_header_box_shows_title_and_summary_and_leads_to_the_page(page: Any) -> None:
    credential = yaml.safe_load((ROOT / "catalog/credentials/exit-tickets.yml").read_text(encoding="utf-8"))
    page.goto("./")
    page.locator("#mc-search-q").fill("exit tickets")
    hit = page.locator("#mc-search-results .mc-search__result").filter(has=page.get_by_role("link", name=credential["title"], exact=True))
    expect(hit.locator(".mc-search__summary")).to_have_text(" ".join(credential["summary"].split()))
    hit.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/catalog/credentials/exit-tickets/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(credential["title"])


def test_a_search_plus_a_district_filter_gives_the_endorsed_credentials_that_match(page: Any, site: Path) -> None:
    pages = [p.read_text(encoding="utf-8") for p in sorted((site / "catalog/credentials").glob("*/index.html"))]
    districts = sorted({v for h in pages for k, v in FILTER.findall(h) if k == "district"})

    def endorsed(word: str, district: str) -> tuple[list[str], list[str]]:
        """The titles of the pages holding a word that begins so, and of those a district endorses."""
        matching = [h for h in pages if re.search(rf"\b{word}", text(h), re.IGNORECASE)]
        titles = [
            html.unescape(re.search(r"<h1[^>]*>(.*?)<a", h, re.DOTALL).group(1)).strip()
            for h in matching
            if ("district", district) in FILTER.findall(h)
        ]
        return matching, sorted(titles)

    # The first word and district that narrow each other: some pages hold the word, the district endorses some of them.
    word, district = next(
        (w, d)
        for w in ("ticket", "question", "evidence", "student")
        for d in districts
        if 0 < len(endorsed(w, d)[1]) < len(endorsed(w, d)[0])
    )
    expected = endorsed(word, district)[1]
    page.goto("search/")
    form = page.locator("form[data-mc-search-page]")
    form.get_by_label("Words to search for").fill(word)
    form.get_by_label("Endorsed by").select_option(district)
    expect(form.locator("[role=status]")).to_have_text(f"{len(expected)} result{'s' if len(expected) != 1 else ''}")
    assert sorted(results(page, ".mc-search-page__results")) == expected
    assert f"district={district.replace(' ', '+')}" in page.url and f"q={word}" in page.url
    page.reload()  # the search and its filter are kept in the address
    expect(form.locator("[role=status]")).to_have_text(f"{len(expected)} result{'s' if len(expected) != 1 else ''}")
    expect(form.get_by_label("Endorsed by")).to_have_value(district)


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_search_page_has_no_wcag_a_or_aa_violation(page: Any, axe_script: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900 if width > 600 else 844})
    page.goto("search/?q=exit&district=Dunmore+County+Schools")
    expect(page.locator(".mc-search-page__results li").first).to_be_visible()
    page.locator("#mc-search-q").fill("rubric")  # the header's results open too
    expect(page.locator("#mc-search-results .mc-search__result").first).to_be_visible()
    page.add_script_tag(url=axe_script)
    violations = page.evaluate("async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})).violations")
    assert violations == [], "\n".join(f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}" for v in violations)


# ------------------------------------------------ at scale: a synthetic catalog ---


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A synthetic catalog built by `microcred build` once for this module, served on 127.0.0.1."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from benchmark_build import setup

    tmp = tmp_path_factory.mktemp("synthetic")
    root, site = tmp / "repo", tmp / "site"
    setup(root, SYNTHETIC)
    run = subprocess.run(
        [sys.executable, "-m", "microcred", "build", "-q", "--root", str(root), "--site", str(site)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/", root
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_first_search_downloads_little_and_finds_the_credential_at_once(browser: Any, synthetic: tuple[str, Path]) -> None:
    base, root = synthetic
    wanted = sorted((root / "catalog/credentials").glob("*.yml"))[SYNTHETIC // 2]
    title = yaml.safe_load(wanted.read_text(encoding="utf-8"))["title"]
    page = browser.new_page()
    fetched: list[tuple[str, int]] = []
    loaded: list[float] = []
    page.on("response", lambda r: fetched.append((r.url, len(r.body()))) if loaded else None)
    page.goto(base, wait_until="load")
    loaded.append(time.perf_counter())
    page.locator("#mc-search-q").fill(title)
    page.locator("#mc-search-results .mc-search__result > a", has_text=title).first.wait_for(timeout=10000)
    seconds = time.perf_counter() - loaded[0]
    shown = results(page, "#mc-search-results")
    page.close()
    assert shown[0] == title  # its own title ranks it first
    assert any(url.startswith(base + "pagefind/pagefind.js") for url, _ in fetched), "the search did not run on Pagefind's index"
    assert sum(n for _, n in fetched) < 400_000, fetched  # everything fetched after the page's load event
    assert seconds < 3, f"results {seconds:.1f} s after the page loaded"


# ------------------------------------------------ hostile catalog data ---

HOSTILE_TITLE = 'Exit tickets <img src=x onerror="window.pwned=1">'
HOSTILE_DISTRICT = "Bayview <img src=y onerror=window.pwned=2>"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample catalog with markup in a title, a summary and a district's name, built and served."""
    from test_build import _site_repo

    repo = _site_repo(tmp_path_factory.mktemp("hostile-search"))
    path = repo / "catalog/credentials/exit-tickets.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(title=HOSTILE_TITLE, summary="Check every student. <script>window.pwned=3</script>")
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    district = repo / "catalog/districts/bayview.yml"
    district.write_text(
        district.read_text(encoding="utf-8").replace("name: Bayview Public Schools", f"name: '{HOSTILE_DISTRICT}'"), encoding="utf-8"
    )
    run = subprocess.run(
        [sys.executable, "-m", "microcred", "build", "-q", "--root", str(repo)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(repo / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join()


def test_markup_in_catalog_data_shows_in_search_results_as_text_and_never_runs(browser: Any, hostile: str) -> None:
    page = browser.new_page()
    page.goto(hostile)
    page.locator("#mc-search-q").fill("exit tickets")
    hit = page.locator("#mc-search-results .mc-search__result").filter(has=page.get_by_role("link", name=HOSTILE_TITLE, exact=True))
    expect(hit.locator(".mc-search__summary")).to_have_text("Check every student. <script>window.pwned=3</script>")
    page.goto(hostile + "search/?q=exit")
    select = page.get_by_label("Endorsed by")
    expect(select.locator("option", has_text=HOSTILE_DISTRICT)).to_have_count(1)
    select.select_option(HOSTILE_DISTRICT)
    expect(page.locator(".mc-search-page__results").get_by_role("link", name=HOSTILE_TITLE, exact=True)).to_be_visible()
    assert page.evaluate("window.pwned") is None
    assert page.locator(".mc-search__result img, .mc-search__result script, option img").count() == 0
    page.close()


def test_a_copy_of_the_site_without_the_index_says_so(browser: Any, site: Path, tmp_path: Path) -> None:
    """As in `microcred serve`'s live preview, which mkdocs builds without Pagefind."""
    import shutil

    bare = tmp_path / "bare"
    shutil.copytree(site, bare, ignore=shutil.ignore_patterns("pagefind", "badges"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(bare)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"http://127.0.0.1:{server.server_port}/")
        page.locator("#mc-search-q").fill("exit")
        expect(page.locator("#mc-search-results")).to_have_text(
            re.compile(r"^Search is not available here: its index is made by `microcred build`")
        )
        page.goto(f"http://127.0.0.1:{server.server_port}/search/?q=exit")
        expect(page.locator(".mc-search-page [role=status]")).to_have_text(re.compile(r"^Search is not available here"))
        assert errors == []
        page.close()
    finally:
        server.shutdown()
        server.server_close()
