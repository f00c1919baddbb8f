"""Each earned badge's page: rendered outside mkdocs, golden, escaped, scanned, and naming the earner only as the badge does."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from microcred.catalog.validate import validate
from microcred.reports.history import read_history
from microcred.site.badgepages import environment, linkedin_url, render_page
from microcred.site.earned import Earned, read_earned
from support import FIXTURES, ROOT, Run

GOLDEN = FIXTURES / "golden"
SITE_URL = "https://three-rivers.example.org/microcredentials/"
VALID, REVOKED, STACK = (
    "a53891ea-fa7e-5c4e-b4db-a1d634d07df6",
    "ccc304c4-2444-5abb-b870-1110b12f851b",
    "39bf8b4c-fa0f-5e3f-86b7-7c00c293b1b8",
)
STYLES = ["assets/stylesheets/main.min.css"]


def sample_badges(root: Path = ROOT) -> dict[str, Earned]:
    catalog = validate(root, model=True).catalog
    assert catalog is not None
    return {b.uuid: b for b in read_earned(root, catalog, read_history(root, catalog.consortium.site_url))}


def page(uuid: str, root: Path = ROOT) -> str:
    catalog = validate(root, model=True).catalog
    assert catalog is not None
    return render_page(environment(), sample_badges(root)[uuid], catalog.consortium, "Three Rivers Micro-credentials", STYLES)


def site_repo(tmp_path: Path) -> Path:
    """A copy of this repository's catalog, badges, records and docs, to build in isolation."""
    repo = tmp_path / "site-repo"
    for name in ("catalog", "rubrics", "schemas", "docs", "badges", "records", "submissions"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("catalog", "index.md") if name == "docs" else None)
    shutil.copyfile(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    return repo


def test_every_sample_badge_is_read_as_it_was_published() -> None:
    badges = sample_badges()
    assert sorted(badges) == sorted(p.stem for p in (ROOT / "badges/assertions").glob("*.json"))
    valid, revoked, stack = badges[VALID], badges[REVOKED], badges[STACK]
    assert (valid.kind, valid.item, valid.version, valid.title) == (
        "credential",
        "exit-tickets",
        "1.0.0",
        "Exit Tickets That Shape the Next Lesson",
    )
    assert (valid.issued_on, valid.reviewers, valid.approvals, valid.pull_request, valid.revoked) == (
        "2026-03-13T18:20:02Z",
        2,
        2,
        5,
        False,
    )
    assert valid.recipient == "sha256$d8e7d1d3f92389f703cf44ad4f53035ad08250204c83c2b06da898d91dcb1b63" and valid.login is None
    first = ("The objective is clear and the prompts test it", "Demonstrated", 2, 2)
    assert [(r.criterion, r.level, r.count, r.of) for r in valid.results[:1]] == [first]
    assert len(valid.results) == 5
    assert valid.page == f"{SITE_URL}badges/earned/{VALID}/"
    assert valid.artwork == f"{SITE_URL}badges/classes/exit-tickets-1.0.0.png"
    # The revoked assertion says nothing but that it is revoked: the record and the submission give the rest.
    assert (revoked.revoked, revoked.login, revoked.item) == (True, "wkeane", "udl-flexible-options")
    assert (
        revoked.reason
        == "Issued in error: the scored student work was from a colleague's class, not the earner's own; the earner may submit again."
    )
    assert (stack.kind, stack.item, stack.title) == ("stack", "culturally-responsive-practice", "Culturally Responsive Practice")
    assert [m.page for m in stack.members] == [
        f"{SITE_URL}badges/earned/{u}/"
        for u in ("d86c348f-e792-56c1-8ea7-504b8bc1c638", "43661c59-0085-5885-ba7e-6e82fb7479a7", "80e0df6a-1b22-5112-9196-d2887b9d23fc")
    ]


@pytest.mark.parametrize("uuid", [VALID, REVOKED, STACK], ids=["valid", "revoked", "stack"])
def test_badge_page_matches_golden(uuid: str) -> None:
    from support import golden

    golden(GOLDEN / f"badges__earned__{uuid}.html", page(uuid))


def test_rendering_is_deterministic() -> None:
    assert page(VALID) == page(VALID)


def test_open_graph_and_twitter_cards_preview_the_badge() -> None:
    html = page(VALID)
    meta = dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):[a-z_:]+)" content="([^"]*)">', html))
    assert meta == {
        "og:type": "website",
        "og:site_name": "Three Rivers Micro-credentials",
        "og:title": "Exit Tickets That Shape the Next Lesson",
        "og:description": "Exit Tickets That Shape the Next Lesson: a micro-credential badge issued by Three Rivers Educator Learning Consortium on 13 March 2026.",
        "og:url": f"{SITE_URL}badges/earned/{VALID}/",
        "og:image": f"{SITE_URL}badges/classes/exit-tickets-1.0.0.png",
        "og:image:alt": "The badge artwork of Exit Tickets That Shape the Next Lesson",
        "twitter:card": "summary",
        "twitter:title": "Exit Tickets That Shape the Next Lesson",
        "twitter:description": meta["og:description"],
        "twitter:image": f"{SITE_URL}badges/classes/exit-tickets-1.0.0.png",
        "twitter:image:alt": "The badge artwork of Exit Tickets That Shape the Next Lesson",
    }


def test_the_earner_is_named_as_the_badge_names_them() -> None:
    assert "a holder of this email hash: <code" in page(VALID)
    assert "obello" not in page(VALID)  # the record knows the login; the badge names a hash, so the page does too
    assert '<a href="https://github.com/wkeane">wkeane</a> on GitHub' in page(REVOKED)


def test_a_revoked_badge_keeps_its_page_marked_revoked_without_share_buttons() -> None:
    html = page(REVOKED)
    assert '<p class="admonition-title">Revoked</p>' in html
    assert "has withdrawn this badge: Issued in error: the scored student work was from a colleague&#39;s class" in html
    assert "linkedin.com" not in html and "mc-badge-embed" not in html
    assert "<title>UDL: Flexible Ways to Show What You Know (revoked) - Three Rivers Micro-credentials</title>" in html


def test_linkedin_link_fills_in_the_certification_form(tmp_path: Path) -> None:
    catalog = validate(ROOT, model=True).catalog
    assert catalog is not None
    link = linkedin_url(sample_badges()[VALID], catalog.consortium)
    assert link.startswith("https://www.linkedin.com/profile/add?")
    assert parse_qsl(urlsplit(link).query) == [
        ("startTask", "CERTIFICATION_NAME"),
        ("name", "Exit Tickets That Shape the Next Lesson"),
        ("organizationName", "Three Rivers Educator Learning Consortium"),
        ("issueYear", "2026"),
        ("issueMonth", "3"),
        ("certUrl", f"{SITE_URL}badges/earned/{VALID}/"),
        ("certId", VALID),
    ]
    repo = site_repo(tmp_path)
    consortium = repo / "catalog/consortium.yml"
    consortium.write_text(consortium.read_text().replace("site_url:", 'linkedin_organization_id: "1337"\nsite_url:'))
    expiring = json.loads((repo / f"badges/assertions/{VALID}.json").read_text()) | {"expires": "2028-07-31T00:00:00Z"}
    (repo / f"badges/assertions/{VALID}.json").write_text(json.dumps(expiring))
    given = validate(repo, model=True).catalog
    assert given is not None
    params = dict(parse_qsl(urlsplit(linkedin_url(sample_badges(repo)[VALID], given.consortium)).query))
    assert (params["organizationId"], "organizationName" in params) == ("1337", False)
    assert (params["expirationYear"], params["expirationMonth"]) == ("2028", "7")


def test_linkedin_organization_id_is_schema_checked(tmp_path: Path, cli: Callable[..., Run]) -> None:
    repo = site_repo(tmp_path)
    consortium = repo / "catalog/consortium.yml"
    consortium.write_text(consortium.read_text().replace("site_url:", "linkedin_organization_id: acme\nsite_url:"))
    run = cli("validate", "catalog/consortium.yml", cwd=repo)
    assert run.code == 1
    assert run.out == (
        'catalog/consortium.yml:10:27: MC105 "acme" is not in the expected form: The consortium\'s LinkedIn organization id, digits only: '
        "with it, LinkedIn's \"Add to profile\" shows the consortium's logo beside a badge. [linkedin_organization_id]\n"
    )


def test_catalog_text_in_a_badge_reaches_its_page_escaped(tmp_path: Path, cli: Callable[..., Run]) -> None:
    repo = site_repo(tmp_path)
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    rel = repo / "badges/classes/exit-tickets-1.0.0.json"
    rel.write_text(json.dumps(json.loads(rel.read_text()) | {"name": hostile}))
    run = cli("build", "-q", cwd=repo)
    assert run.code == 0, run.err
    html = (repo / f"site/badges/earned/{VALID}/index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert '<meta http-equiv="Content-Security-Policy" content="default-src' in html  # the site's policy, as on every page


def test_build_writes_a_page_per_badge_and_refuses_a_committed_page_folder(tmp_path: Path, cli: Callable[..., Run]) -> None:
    repo = site_repo(tmp_path)
    run = cli("build", "-q", cwd=repo)
    assert run.code == 0, run.err
    earned = sorted(p.parent.name for p in (repo / "site/badges/earned").glob("*/index.html"))
    assert earned == sorted(p.stem for p in (repo / "badges/assertions").glob("*.json"))
    (repo / "badges/earned/x").mkdir(parents=True)
    run = cli("build", "-q", cwd=repo)
    assert (run.code, run.err) == (
        2,
        "microcred: error: badges/earned is in the repository; the build writes each badge's page there, so remove it\n",
    )


@pytest.mark.parametrize(
    ("tag", "found"),
    [
        ('<meta name="description" content="x &lt;img src=x onerror=alert(1)&gt; style=color:red">', []),
        ("<meta content='a onclick=b' name=\"x\">", []),
        ('<img src=x" onerror=alert(1) title="a">', ["an event handler"]),  # a quote inside an unquoted value starts no value
        ('<a title="ok" onclick="alert(1)">', ["an event handler"]),
        ('<a title = "ok" href = "javascript:alert(1)">', ["a script or data link"]),
        ('<p title="x" style="color:red">', ["a style attribute"]),
    ],
)
def test_the_safety_scan_reads_attribute_values_as_values(tag: str, found: list[str]) -> None:
    from microcred.site import safety

    assert [f.what.split(":")[0] for f in safety.scan("badges/earned/x/index.html", f"<html><head>{tag}</head></html>", set())] == found


def test_credential_pages_count_who_earned_it_and_name_no_one() -> None:
    from microcred.site.pages import render

    catalog = validate(ROOT, model=True).catalog
    assert catalog is not None
    pages = render(catalog, {}, read_history(ROOT, catalog.consortium.site_url))
    row = {
        cid: re.search(r"^\| Earned by \| (.*) \|$", pages[f"catalog/credentials/{cid}.md"], re.MULTILINE) for cid in catalog.credentials
    }
    earned = {cid: m.group(1) for cid, m in row.items() if m}
    assert len(earned) == len(catalog.credentials)
    assert {cid: n for cid, n in earned.items() if n != "no one yet"} == {
        "exit-tickets": "1 educator",
        "restorative-circles": "1 educator",
        "asset-based-family-partnership": "1 educator",
        "community-connected-tasks": "1 educator",
    }  # udl-flexible-options was earned once and revoked: it does not count
    assert "obello" not in pages["catalog/credentials/exit-tickets.md"]


def test_the_history_and_the_badge_pages_read_each_assertion_once(monkeypatch: pytest.MonkeyPatch) -> None:
    result = validate(ROOT, model=True)
    assert result.catalog is not None
    reads: list[str] = []
    real = Path.read_text

    def counting(path: Path, *args: object, **kwargs: object) -> str:
        if path.parent.name == "assertions":
            reads.append(path.name)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", counting)
    history = read_history(ROOT, result.catalog.consortium.site_url)
    badges = read_earned(ROOT, result.catalog, history)
    names = sorted(p.name for p in (ROOT / "badges/assertions").glob("*.json"))
    assert len(badges) == len(names) == 6
    assert sorted(reads) == names  # each once: the pages use what the history read
