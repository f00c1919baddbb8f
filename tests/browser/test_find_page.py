""" "Find my badges" in Chromium: exactly an earner's badges and stacks, every request a same-origin file without the address.

The sample earners' addresses are unknown (only their salted hashes are published), so this site is built from a
copy of the repository whose nsato badges are hashed from a known address, and whose obello badge names its earner
by GitHub profile.
"""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import yaml

sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python: pip install playwright")
expect = sync_api.expect

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "N.Sato@Cedar-Ridge.example.org"
OLD = "sha256$a91fe46e803ab8d5e7bd47054b969882f89e115369a65e360a89d9f3c55754cd"
SALT = "8c41e07a2b9d5f36"
NSATO = ["d86c348f-e792-56c1-8ea7-504b8bc1c638", "43661c59-0085-5885-ba7e-6e82fb7479a7", "80e0df6a-1b22-5112-9196-d2887b9d23fc"]
NSATO_STACK = "39bf8b4c-fa0f-5e3f-86b7-7c00c293b1b8"
OBELLO = "a53891ea-fa7e-5c4e-b4db-a1d634d07df6"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("find") / "repo"
    for name in ("catalog", "rubrics", "schemas", "docs", "badges", "records", "submissions"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("catalog", "index.md") if name == "docs" else None)
    shutil.copyfile(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    known = "sha256$" + hashlib.sha256((EMAIL.lower() + SALT).encode()).hexdigest()
    for path in [*(repo / "badges/assertions").glob("*.json"), *(repo / "submissions").rglob("*.yml")]:
        path.write_text(path.read_text().replace(OLD, known))
    assertion = repo / f"badges/assertions/{OBELLO}.json"
    named = json.loads(assertion.read_text()) | {"recipient": {"type": "url", "hashed": False, "identity": "https://github.com/obello"}}
    assertion.write_text(json.dumps(named))
    run = subprocess.run(
        [sys.executable, "-m", "microcred", "build", "-q", "--root", str(repo)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    return repo / "site"


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join()


def watch(page: Any) -> list[Any]:
    requests: list[Any] = []
    page.on("request", lambda request: requests.append(request))
    return requests


def listed(page: Any) -> list[str]:
    return page.locator(".mc-find-list > li").evaluate_all("items => items.map(li => li.dataset.uuid)")


def test_find_by_email_lists_exactly_the_earners_badges_and_stack(page: Any, base_url: str) -> None:
    page.goto("find-badges/")
    requests = watch(page)
    page.get_by_label("Your email address").fill(EMAIL)
    page.get_by_role("button", name="Find by email").click()
    expect(page.locator("#mc-find-status")).to_have_text("4 badges found.")
    assert listed(page) == [*NSATO, NSATO_STACK]  # by the day earned: the stack badge came with the last member
    expect(page.locator(".mc-find-list a").first).to_have_attribute("href", f"{base_url}badges/earned/{NSATO[0]}/")
    expect(page.locator(".mc-find-stacks > li")).to_have_text(["Culturally Responsive Practice: 3 of 3 held (stack badge earned)"])
    shard = hashlib.sha256((EMAIL.lower() + SALT).encode()).hexdigest()[:3]
    index = f"{base_url}badges/recipients/"
    assert sorted(r.url for r in requests if r.resource_type == "fetch") == [
        f"{index}email/{shard}.json",
        f"{index}salts.bin",
        f"{index}stacks.json",
    ]
    for request in requests:
        assert urlsplit(request.url).netloc == urlsplit(base_url).netloc and request.method == "GET" and request.post_data is None
        for form in (EMAIL, EMAIL.lower(), quote(EMAIL), quote(EMAIL.lower()), "Sato"):
            assert form.lower() not in request.url.lower()
            assert all(form.lower() not in value.lower() for value in request.headers.values())
    assert EMAIL.lower() not in page.url.lower()
    stored = page.evaluate("() => [localStorage, sessionStorage].map(s => JSON.stringify(Object.entries(s))).join(' ') + document.cookie")
    assert "sato" not in stored.lower()  # the theme keeps its own settings there; never the address


def test_an_unknown_address_finds_nothing(page: Any) -> None:
    page.goto("find-badges/")
    page.get_by_label("Your email address").fill("someone.else@example.org")
    page.get_by_role("button", name="Find by email").click()
    expect(page.locator("#mc-find-status")).to_have_text("No badge found for that.")
    expect(page.locator(".mc-find-list > li")).to_have_count(0)


def test_find_by_login_lists_badges_issued_to_a_github_profile(page: Any) -> None:
    page.goto("find-badges/")
    page.get_by_label("Or your GitHub login").fill("OBello")
    page.get_by_role("button", name="Find by login").click()
    expect(page.locator("#mc-find-status")).to_have_text("1 badge found.")
    assert listed(page) == [OBELLO]
    load = lambda path: yaml.safe_load(path.read_text(encoding="utf-8"))  # noqa: E731
    titles = {p.stem: load(p)["title"] for p in (ROOT / "catalog/credentials").glob("*.yml")}
    stacks = [load(p) for p in sorted((ROOT / "catalog/stacks").glob("*.yml")) if "exit-tickets" in load(p)["members"]]
    expect(page.locator(".mc-find-stacks > li")).to_have_text(
        [
            f"{s['title']}: 1 of {len(s['members'])} held; still to earn: "
            + ", ".join(titles[m] for m in s["members"] if m != "exit-tickets")
            for s in stacks
        ]
    )
    assert len(stacks) == 1


@pytest.mark.parametrize("width", [1280, 390])
def test_find_page_has_no_wcag_a_or_aa_violation(page: Any, axe_script: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("find-badges/")
    page.get_by_label("Your email address").fill(EMAIL)
    page.get_by_role("button", name="Find by email").click()
    expect(page.locator(".mc-find-stacks > li")).to_have_count(1)
    page.add_script_tag(url=axe_script)
    violations = page.evaluate("async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})).violations")
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
