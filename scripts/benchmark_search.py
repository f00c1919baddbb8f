"""What a first search costs a reader at scale: bytes, requests and time in Chromium over a synthetic catalog.

    .venv/bin/python scripts/benchmark_search.py [--credentials 5000] [--builder mkdocs] [--keep DIR]

A synthetic catalog (`microcred.catalog.synthetic`, set up as scripts/benchmark_build.py does) is built with
`microcred build` and served on 127.0.0.1. In Debian's Chromium, the home page loads; then a common word and
one credential's title are typed into the header's search box. For each: the bytes and requests the search
fetched after the page had loaded (uncompressed, as this server sends them: a host that compresses sends
fewer), the milliseconds from the page's load to the first result shown, and whether the credential searched
for is among the results. Then the search page with a district filter. It prints; it exits 1 only when a
build fails or the credential is not found.
"""

from __future__ import annotations

import argparse
import functools
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from playwright.sync_api import sync_playwright

from benchmark_build import setup

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def first_search(browser: Any, base: str, query: str, expect: str) -> dict[str, Any]:
    """Load the home page, type the query, wait for the credential expected among the results."""
    page = browser.new_page()
    loaded: list[float] = []
    fetched: list[tuple[str, int]] = []

    def response(resp: Any) -> None:
        if loaded:
            fetched.append((resp.url, len(resp.body())))

    page.on("response", response)
    page.goto(base, wait_until="load")
    loaded.append(time.perf_counter())
    page.fill("#mc-search-q", query)
    page.locator("#mc-search-results .mc-search__result a").first.wait_for(timeout=30000)
    ms = 1000 * (time.perf_counter() - loaded[0])
    titles = page.locator("#mc-search-results .mc-search__result a").all_inner_texts()
    page.close()
    return {"query": query, "ms": ms, "requests": len(fetched), "bytes": sum(n for _, n in fetched), "found": expect in titles}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--credentials", type=int, default=5000, metavar="N")
    parser.add_argument("--builder", choices=("mkdocs", "zensical"), default="mkdocs")
    parser.add_argument("--keep", metavar="DIR", help="build in DIR and keep it; a site already built there is measured again")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="microcred-search-bench-") as tmp:
        work = Path(args.keep or tmp)
        root, site = work / "repo", work / "site"
        if not (site / "pagefind").is_dir():
            setup(root, args.credentials)
            started = time.perf_counter()
            cmd = [sys.executable, "-m", "microcred", "build", "--root", str(root), "--site", str(site), "--builder", args.builder]
            run = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if run.returncode != 0:
                sys.exit(f"build failed:\n{run.stdout}{run.stderr}")
            print(f"N={args.credentials}: {args.builder} build {time.perf_counter() - started:.0f} s", flush=True)
            print(*(line for line in run.stderr.splitlines() if "pagefind" in line or "built" in line), sep="\n", flush=True)
        index = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
        print(f"pagefind/: {index / 1e6:.1f} MB in {sum(1 for _ in (site / 'pagefind').rglob('*'))} files")
        ids = sorted(p.stem for p in (root / "catalog/credentials").glob("*.yml"))
        target = yaml.safe_load((root / "catalog/credentials" / f"{ids[len(ids) // 2]}.yml").read_text(encoding="utf-8"))
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}/"
        ok = True
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for query in ("evidence", target["title"]):
                row = first_search(browser, base, query, target["title"])
                found = "a common word" if query == "evidence" else f"{target['title']!r} {'found' if row['found'] else 'NOT found'}"
                ok &= row["found"] or query == "evidence"
                print(f"first search {row['query']!r}: {row['bytes'] / 1000:.0f} KB in {row['requests']} requests, "
                      f"results {row['ms']:.0f} ms after load, {found}")  # fmt: skip
            page = browser.new_page()
            started = time.perf_counter()
            page.goto(f"{base}search/?q=evidence&district={quote('Dunmore County Schools')}", wait_until="load")
            count = page.locator(".mc-search-page .mc-count", has_text="result")
            count.wait_for(timeout=30000)
            ms = 1000 * (time.perf_counter() - started)
            print(f"search page, 'evidence' endorsed by Dunmore County Schools: {count.inner_text()}, {ms:.0f} ms after the request")
            page.close()
            browser.close()
        server.shutdown()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
