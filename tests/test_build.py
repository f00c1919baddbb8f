"""`microcred build`: golden pages, byte-identical rebuilds, strict links, badges published as they are."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from microcred.catalog.model import Catalog
from microcred.catalog.validate import validate
from microcred.site.build import BuildError, build, last_changes, write_generated
from microcred.site.pages import render
from support import FIXTURES, ROOT, Run, git, golden

GOLDEN = FIXTURES / "golden"
GOLDEN_PAGES = [
    "catalog/credentials/exit-tickets.md",
    "catalog/credentials/academic-discourse-talk-moves.md",
    "catalog/stacks/formative-assessment.md",
    "catalog/districts/cedar-ridge.md",
]


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    catalog = validate(ROOT, model=True).catalog
    assert catalog is not None
    return render(catalog, {"exit-tickets": "2026-09-01"})


@pytest.mark.parametrize("rel", GOLDEN_PAGES)
def test_generated_page_matches_golden(rel: str, pages: dict[str, str]) -> None:
    golden(GOLDEN / rel.replace("/", "__"), pages[rel])


def test_rendering_is_deterministic(pages: dict[str, str]) -> None:
    catalog = validate(ROOT, model=True).catalog
    assert catalog is not None
    assert render(catalog, {"exit-tickets": "2026-09-01"}) == pages


def test_every_catalog_item_gets_a_page(pages: dict[str, str]) -> None:
    for kind, folder in (
        ("credentials", "catalog/credentials"),
        ("stacks", "catalog/stacks"),
        ("districts", "catalog/districts"),
    ):
        for path in (ROOT / folder).glob("*.yml"):
            assert f"catalog/{kind}/{path.stem}.md" in pages
    # A rubric has a page only when two or more micro-credentials use it (tests/test_rubric_pages.py).
    uses = [yaml.safe_load(p.read_text(encoding="utf-8"))["rubric"] for p in (ROOT / "catalog/credentials").glob("*.yml")]
    shared = sorted(f"catalog/rubrics/{r}.md" for r in set(uses) if uses.count(r) >= 2)
    assert sorted(p for p in pages if p.startswith("catalog/rubrics/")) == shared


def _despite_links(repo: Path) -> Catalog:
    """The catalog as the pages would see it had validation let its script links through (MC227 refuses them first)."""
    result = validate(repo, model=True)
    assert {p.code for p in result.errors} == {"MC227"} and result.store is not None
    return Catalog.from_documents(result.store.documents())


def test_markup_in_catalog_text_is_neutralised(repo: Path) -> None:
    path = repo / "catalog/credentials/alpha.yml"
    path.write_text(
        path.read_text().replace(
            "competency: The educator does alpha.", 'competency: "<script>alert(1)</script> see [x](javascript:alert(2))"'
        )
    )
    page = render(_despite_links(repo))["catalog/credentials/alpha.md"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; see [x](javascript-alert(2))" in page
    assert "<script>" not in page


def test_reference_style_script_links_are_neutralised(repo: Path) -> None:
    path = repo / "catalog/credentials/alpha.yml"
    text = path.read_text().replace(
        "rationale: Alpha works.", 'rationale: "See [the research][r].\\n\\n[r]: JavaScript :alert(document.domain)"'
    )
    path.write_text(text)
    catalog = validate(repo, model=True).catalog  # Markdown makes no link of it (a space in the address): valid
    assert catalog is not None
    page = render(catalog)["catalog/credentials/alpha.md"]
    assert "[r]: JavaScript -alert(document.domain)" in page


def test_write_generated_removes_pages_of_deleted_items(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    assert write_generated(docs, {"catalog/credentials/a.md": "a\n", "catalog/credentials/b.md": "b\n"}) == 2
    assert write_generated(docs, {"catalog/credentials/a.md": "a\n"}) == 0
    assert sorted(p.name for p in (docs / "catalog/credentials").iterdir()) == ["a.md"]


def test_last_change_dates_come_from_git(repo: Path) -> None:
    when = {"GIT_AUTHOR_DATE": "2026-03-04T10:00:00Z", "GIT_COMMITTER_DATE": "2026-03-04T10:00:00Z"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "first"]):
        git(repo, *args, env=when)
    assert last_changes(repo) == {"alpha": "2026-03-04", "beta": "2026-03-04", "gamma": "2026-03-04"}
    assert last_changes(repo / "catalog") == {}  # not the repository's top: nothing under that path


def _site_repo(tmp_path: Path) -> Path:
    """A copy of this repository's catalog, docs and configuration to build in isolation."""
    repo = tmp_path / "site-repo"
    for name in ("catalog", "rubrics", "schemas", "docs"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("catalog", "index.md") if name == "docs" else None)
    shutil.copyfile(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    return repo


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith("sitemap.xml")
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    repo = _site_repo(tmp_path_factory.mktemp("build"))
    (repo / "badges/assertions").mkdir(parents=True)
    (repo / "badges/assertions/sample.json").write_bytes(b'{"id": "x"}\r\n')  # published byte for byte
    from microcred.cli import main

    assert main(["build", "--root", str(repo), "-q"]) == 0
    return repo, repo / "site"


def test_strict_build_writes_the_site_and_badges(built: tuple[Path, Path]) -> None:
    _, site = built
    for page in (
        "index.html",
        "catalog/index.html",
        "catalog/index.json",
        "catalog/credentials/exit-tickets/index.html",
        "catalog/stacks/formative-assessment/index.html",
        "catalog/districts/bayview/index.html",
        "guides/earners/index.html",
        "verify/index.html",
    ):
        assert (site / page).is_file(), page
    assert (site / "badges/assertions/sample.json").read_bytes() == b'{"id": "x"}\r\n'
    assert not (site / "catalog/rubrics").exists()  # each sample rubric serves one micro-credential: no page of its own


# Pagefind 1.5 writes a filter's values in no fixed order: its filter files, and the two that name them, vary.
SEARCH_FILTERS = re.compile(r"pagefind/(?:filter/.*|pagefind-entry\.json|pagefind\.en_[0-9a-f]+\.pf_meta)")


def test_two_builds_are_byte_identical(built: tuple[Path, Path], cli: Callable[..., Run]) -> None:
    repo, site = built
    first = _digest(site)
    run = cli("build", "--site", str(repo / "site2"), "-q", cwd=repo)
    assert run.code == 0
    second = _digest(repo / "site2")
    assert {k: v for k, v in second.items() if not SEARCH_FILTERS.fullmatch(k)} == {
        k: v for k, v in first.items() if not SEARCH_FILTERS.fullmatch(k)
    }
    assert sum(1 for k in second if k.startswith("pagefind/filter/")) == sum(1 for k in first if k.startswith("pagefind/filter/")) == 6


def test_only_the_pages_a_teacher_searches_for_are_indexed(built: tuple[Path, Path]) -> None:
    repo, site = built
    marked = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html") if "<div data-pagefind-body>" in p.read_text())
    expected = sorted(
        [f"catalog/{kind}/{p.stem}" for kind in ("credentials", "stacks", "districts") for p in (repo / "catalog" / kind).glob("*.yml")]
        + [f"guides/{p.stem}" for p in (repo / "docs/guides").glob("*.md")]
    )
    assert marked == expected
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == len(expected)
    assert not (site / "search/search_index.json").exists()  # the theme's own index is gone


def test_a_credential_page_carries_the_browse_facets_as_search_filters(built: tuple[Path, Path]) -> None:
    _, site = built
    page = (site / "catalog/credentials/exit-tickets/index.html").read_text()
    block = re.search(r'<div class="mc-search-filters" hidden data-pagefind-ignore>(.*?)</div>', page)
    assert block is not None
    index = json.loads((site / "catalog/index.json").read_text())
    entry = next(e for e in index["credentials"] if e["id"] == "exit-tickets")
    labels = {f["key"]: dict(f["values"]) for f in index["facets"]}
    expected = [
        (k, labels[k][v])
        for k in ("subject", "grade", "stack", "district", "incentive", "type")
        for v in ([entry[k]] if k == "type" else entry[k])
    ]
    assert re.findall(r'<span data-pagefind-filter="(\w+)">([^<]*)</span>', block.group(1)) == expected
    assert {k for k, _ in expected} == {"subject", "grade", "stack", "district", "incentive", "type"}


def test_invalid_catalog_is_not_built(repo: Path, cli: Callable[..., Run]) -> None:
    path = repo / "catalog/credentials/alpha.yml"
    path.write_text(path.read_text().replace("rubric: alpha", "rubric: alfa"))
    run = cli("build", cwd=repo)
    assert run.code == 1
    assert run.out == "catalog/credentials/alpha.yml:38:9: MC201 no rubric 'alfa' (expected rubrics/alfa.yml) [rubric]\n"
    assert "nothing was built" in run.err
    assert not (repo / "docs").exists()
    assert not (repo / "site").exists()


def test_broken_link_fails_the_strict_build(tmp_path: Path, cli: Callable[..., Run]) -> None:
    repo = _site_repo(tmp_path)
    (repo / "docs/reference/cli.md").write_text("# CLI\n\nSee [nowhere](nowhere.md).\n")
    run = cli("build", "-q", cwd=repo)
    assert run.code == 2
    assert "mkdocs build failed" in run.err
    assert "nowhere.md" in run.err


@pytest.mark.parametrize("where", ["badges", "badges/assertions/linked.json"])
def test_a_symlink_among_the_badges_is_refused(tmp_path: Path, cli: Callable[..., Run], where: str) -> None:
    repo = _site_repo(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    (repo / where).parent.mkdir(parents=True, exist_ok=True)
    (repo / where).symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    run = cli("build", "-q", cwd=repo)
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        f"microcred: error: {where} is a symlink; minted badges are files that mint writes, and a link would publish what it points to\n"
    )
    assert not (repo / "site").exists()


def test_site_url_must_match_the_consortium(tmp_path: Path, cli: Callable[..., Run]) -> None:
    repo = _site_repo(tmp_path)
    config = repo / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "site_url: https://three-rivers.example.org/microcredentials/", "site_url: https://elsewhere.example.org/"
        )
    )
    run = cli("build", "-q", cwd=repo)
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        "microcred: error: mkdocs.yml: site_url is https://elsewhere.example.org/; "
        "set it to https://three-rivers.example.org/microcredentials/, the site_url of catalog/consortium.yml\n"
    )


def test_a_published_credential_can_be_started_in_the_browser(repo: Path, cli: Callable[..., Run]) -> None:
    """Its page links GitHub's web editor on a new file holding its form, and the same form to download."""
    consortium = repo / "catalog/consortium.yml"
    consortium.write_text(consortium.read_text() + "repository:\n  url: https://github.com/example/catalog\n")
    catalog = validate(repo, model=True).catalog
    assert catalog is not None
    attestation = {"permissions": "Permissions are in place.", "own_work": "My own teaching."}
    pages = render(catalog, attestation=attestation)
    form = pages["catalog/templates/alpha.yml"]
    link = re.search(r"\[open it in GitHub's web editor\]\((\S+)\)", pages["catalog/credentials/alpha.md"])
    assert link is not None
    url = urlsplit(link.group(1))
    assert (url.netloc, url.path) == ("github.com", "/example/catalog/new/main/submissions/alpha")
    assert parse_qs(url.query) == {"filename": ["your-github-login-alpha-1.yml"], "value": [form]}
    assert "[download the form](../templates/alpha.yml)" in pages["catalog/credentials/alpha.md"]
    # Every question, its word limit and every work example are in the form; filled in, it is a valid submission.
    assert "(at most" in form and "Set each to true when it holds." in form and "# My own teaching." in form
    data = yaml.safe_load(form)
    data.update(id="dee-alpha-2", submitted_on="2026-11-30", attestation={"permissions": True, "own_work": True})
    data["earner"] = {"login": "dee", "district": "north"}
    data["pre_approval"] = {"reference": "N-1", "approved_on": "2026-11-01"}
    for part in ("overview", "reflection"):
        data[part] = dict.fromkeys(data[part], "A class of twenty.")
    data["artifacts"] = {a: {"url": "https://storage.north.example.org/x", "description": "The plan."} for a in data["artifacts"]}
    (repo / "submissions/alpha/dee-alpha-2.yml").write_text(yaml.safe_dump(data))
    assert cli("validate", "submissions/alpha/dee-alpha-2.yml", cwd=repo).code == 0
    published = {c.id for c in catalog.credentials.values() if c.status == "published"}
    assert {rel[18:-4] for rel in pages if rel.startswith("catalog/templates/")} == published  # drafts and retired ones take none


def test_a_site_over_its_budget_is_not_published_and_says_what_takes_the_space(tmp_path: Path) -> None:
    repo = _site_repo(tmp_path)
    consortium = repo / "catalog/consortium.yml"
    consortium.write_text(consortium.read_text() + "site_budget_mb: 8\n")
    (repo / "badges/assertions").mkdir(parents=True)
    for i in range(5):  # 5 MB of badge documents beside the catalog's 4 or so: over 8 MB
        (repo / f"badges/assertions/{i}.json").write_bytes(b" " * (1024 * 1024))
    said: list[str] = []
    with pytest.raises(BuildError) as refused:
        build(repo, repo / "site", said.append)
    message = str(refused.value)
    assert re.match(
        r"the site is [0-9.]+ MB in [0-9,]+ files \(1[0-9]{2}% of its 8 MB budget\): over budget, so it is not published", message
    )
    assert message.splitlines()[1] == "  badges/assertions: 5.0 MB in 5 files"  # the largest first
    (consortium).write_text(consortium.read_text().replace("site_budget_mb: 8\n", "site_budget_mb: 12\n"))
    build(repo, repo / "site", said.append)
    assert re.fullmatch(r"the site is [0-9.]+ MB in [0-9,]+ files \([0-9]+% of its 12 MB budget\)", said[-1])


def test_a_line_separator_in_a_prompt_stays_inside_the_forms_comment(repo: Path) -> None:
    path = repo / "catalog/credentials/alpha.yml"
    text = path.read_text()
    prompt = re.search(r"prompt: (.+)", text)
    assert prompt is not None
    path.write_text(text.replace(prompt.group(0), "prompt: " + json.dumps(prompt.group(1) + "\u2028injected: true"), 1))
    catalog = validate(repo, model=True).catalog
    assert catalog is not None
    form = yaml.safe_load(render(catalog, attestation={"own_work": "Mine."})["catalog/templates/alpha.yml"])
    assert form["credential"] == "alpha" and list(form["overview"]) == [q.id for q in catalog.credentials["alpha"].overview]
