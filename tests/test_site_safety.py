"""No script from catalog data: a proposal's hostile values are escaped, the built pages are scanned, every page has a CSP."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from microcred.cli import main
from microcred.site import pages, safety
from microcred.site.build import BuildError, build
from test_build import _site_repo

THEME = '__md_scope=new URL("../..",location),__md_hash=e=>e'
PAGE = f'<html><head><script>{THEME}</script><script src="../../assets/javascripts/verify.js"></script></head><body>{{}}</body></html>'
ATTACKS = {
    "title": 'Exit tickets <img src=x onerror="alert(1)">',
    "summary": "Check every student. <script>alert(1)</script>",
    "rationale": 'Works well.\n{: onclick="alert(1)" style="position:fixed;inset:0" }\n\nSee [the guide](https://example.org/guide){: onclick=alert(1) }.',
}


def _edit(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample catalog with a proposal's worth of markup in every kind of field a page shows."""
    repo = _site_repo(tmp_path_factory.mktemp("hostile"))

    def credential(data: dict[str, Any]) -> None:
        data.update(ATTACKS)
        data["submission"]["artifacts"][0]["title"] = "<script>alert('artifact')</script>"
        data["resources"][0]["title"] = "Guide {: onmouseover=alert(1) }"

    _edit(repo / "catalog/credentials/exit-tickets.yml", credential)

    def rubric(data: dict[str, Any]) -> None:
        data["levels"][0]["label"] = "<b onmouseover=alert(1)>Met</b>"
        data["criteria"][0]["title"] = "<svg onload=alert(1)>"

    _edit(repo / "rubrics/exit-tickets.yml", rubric)
    _edit(repo / "catalog/districts/bayview.yml", lambda d: d.update(name="Bayview <iframe src=//evil.example.org>"))
    _edit(repo / "catalog/stacks/formative-assessment.yml", lambda d: d.update(title="Formative <script>alert(2)</script>"))
    assert main(["validate", "--root", str(repo), "-q"]) == 0
    assert main(["build", "--root", str(repo), "-q"]) == 0
    return repo / "site"


def test_hostile_values_reach_the_pages_only_as_text(hostile: Path) -> None:
    allowed = safety.theme_scripts(hostile)
    findings = [
        f for page in sorted(hostile.rglob("*.html")) for f in safety.scan(page.relative_to(hostile).as_posix(), page.read_text(), allowed)
    ]
    assert findings == []
    page = (hostile / "catalog/credentials/exit-tickets/index.html").read_text(encoding="utf-8")
    assert "<title>Exit tickets &lt;img src=x onerror=&quot;alert(1)&quot;&gt; - " in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert not re.search(r"<[^<>]*\son[a-z]+=", page) and "&#123;: onclick" in page  # the attribute list shows as text
    assert "&lt;script&gt;alert(&#x27;artifact&#x27;)&lt;/script&gt;" in page or "&lt;script&gt;alert('artifact')&lt;/script&gt;" in page
    # The rubric serves this one micro-credential: its table is on the credential's page, which is its only page.
    assert "<b onmouseover" not in page and "&lt;b onmouseover=alert(1)&gt;Met&lt;/b&gt;" in page
    assert "<svg onload" not in page and "&lt;svg onload=alert(1)&gt;" in page
    district = (hostile / "catalog/districts/bayview/index.html").read_text(encoding="utf-8")
    assert "<iframe" not in district and "Bayview &lt;iframe" in district
    # The search filters are catalog data too.
    assert '<span data-pagefind-filter="district">Bayview &lt;iframe src=//evil.example.org&gt;</span>' in page
    assert '<span data-pagefind-filter="stack">Formative &lt;script&gt;alert(2)&lt;/script&gt;</span>' in page


def test_every_page_has_a_policy_that_runs_no_other_script(hostile: Path) -> None:
    for page in hostile.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        (meta,) = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
        (scripts,) = [d.split()[1:] for d in meta.split(";") if d.split()[:1] == ["script-src"]]
        # The site, the compiling of the search's WebAssembly (no eval of script), the theme's inline scripts by hash.
        assert scripts[:2] == ["'self'", "'wasm-unsafe-eval'"] and all(
            re.fullmatch(r"'sha256-[A-Za-z0-9+/]+=*'", t) for t in scripts[2:]
        ), page
        assert scripts[2:], page
        assert "object-src 'none'" in meta and "base-uri 'self'" in meta and "frame-src 'none'" in meta
        assert html.index("Content-Security-Policy") < html.index("<script"), page  # before any script


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("<script>alert(1)</script>", "a script that is not the site's: <script>alert(1)"),
        ('<script src="https://evil.example.org/x.js"></script>', "a script that is not the site's: <script src="),
        ('<img src="x" onerror="alert(1)">', "an event handler: "),
        ('<a href="x" ONMOUSEOVER=alert(1)>x</a>', "an event handler: "),
        ('<p style="position:fixed;inset:0">x</p>', 'a style attribute: style="position:fixed;inset:0"'),
        ('<a href="javascript:alert(1)">x</a>', "a script or data link: "),
        ('<a href=" data:text/html,x">x</a>', "a script or data link: "),
        ('<iframe src="https://evil.example.org"></iframe>', "an embedded frame or document: <iframe"),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example.org">', "an embedded frame or document: <meta http-equiv"),
    ],
)
def test_the_scan_finds_what_catalog_data_must_never_bring(body: str, found: str) -> None:
    findings = safety.scan("catalog/x/index.html", PAGE.format(body), {safety.BASE.sub("BASE", THEME)})
    assert [str(f).startswith(f"catalog/x/index.html: {found}") for f in findings] == [True], findings


def test_the_theme_and_our_own_markup_pass() -> None:
    ours = '<table><td style="text-align: right;">1</td></table><svg style="max-width:100%;height:auto"></svg>'
    assert safety.scan("catalog/x/index.html", PAGE.format(ours), {safety.BASE.sub("BASE", THEME)}) == []
    deeper = PAGE.replace('"../.."', '"../../.."').format("")
    assert safety.scan("catalog/x/y/index.html", deeper, {safety.BASE.sub("BASE", THEME)}) == []


def test_a_page_that_lets_markup_through_fails_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Were a filter to let markup through, the scan stops the build before anything is published."""
    repo = _site_repo(tmp_path)
    _edit(repo / "catalog/credentials/exit-tickets.yml", lambda d: d.update(title="Exit <img src=x onerror=alert(1)>"))
    monkeypatch.setattr(pages, "inline", lambda text: " ".join(text.split()))  # generation runs here, with the broken filter

    with pytest.raises(
        BuildError,
        match=r"the built pages hold what catalog data must never bring:\n  catalog/credentials/exit-tickets/index.html: an event handler",
    ):
        build(repo, repo / "site", lambda _: None)


def test_a_script_link_in_prose_is_never_published(tmp_path: Path) -> None:
    """The catalog refuses it before any page is made (MC227), so no proposal carrying it can merge or break the build."""
    repo = _site_repo(tmp_path)
    _edit(repo / "catalog/credentials/exit-tickets.yml", lambda d: d.update(rationale="[click](javascript:alert(1)) [x](data:text/html,x)"))
    result = build(repo, repo / "site", lambda _: None)
    assert [p.code for p in result.result.errors] == ["MC227", "MC227"]
    assert not (repo / "site").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("url", 'https://example.org/"onmouseover="alert(1)'),
        ("url", "https://example.org/a b"),
        ("url", "https://example.org/<script>"),
        ("url", "javascript:alert(1)"),
        ("url", "http://example.org/"),
    ],
)
def test_url_fields_are_validated_as_urls(tmp_path: Path, field: str, value: str) -> None:
    repo = _site_repo(tmp_path)
    _edit(repo / "catalog/credentials/exit-tickets.yml", lambda d: d["resources"][0].update({field: value}))
    assert main(["validate", "--root", str(repo), "-q"]) == 1


def test_emails_and_dois_are_validated(tmp_path: Path) -> None:
    repo = _site_repo(tmp_path)
    _edit(repo / "catalog/districts/bayview.yml", lambda d: d.setdefault("contact", {}).update(email='hr@bayview.example.org>"<script>'))
    assert main(["validate", "--root", str(repo), "-q"]) == 1
    repo = _site_repo(tmp_path / "doi")
    _edit(repo / "catalog/credentials/exit-tickets.yml", lambda d: d["research"][0].update(doi='10.1000/x"onmouseover=alert(1)'))
    assert main(["validate", "--root", str(repo), "-q"]) == 1
