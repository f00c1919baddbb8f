"""The seed catalog shipped in this repository is complete, valid and realistic."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from support import ROOT, Run

CREDENTIALS = sorted((ROOT / "catalog" / "credentials").glob("*.yml"))


def _data(path: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_seed_catalog_is_valid_with_no_warnings(cli: Callable[..., Run]) -> None:
    run = cli("validate", "--strict", cwd=ROOT)
    assert run.out == ""
    assert run.code == 0
    files = sum(len(list((ROOT / d).rglob("*.yml"))) for d in ("catalog", "rubrics", "submissions", "records"))
    assert run.err == f"{files} file(s) checked: valid, 0 error(s), 0 warning(s)\n"


@pytest.mark.parametrize("path", CREDENTIALS, ids=lambda p: p.stem)
def test_each_credential_is_published_with_its_own_rubric(path: Path, cli: Callable[..., Run]) -> None:
    data = _data(path)
    assert data["status"] == "published"
    assert (ROOT / "rubrics" / f"{data['rubric']}.yml").exists()
    run = cli("validate", str(path.relative_to(ROOT)), "--strict", cwd=ROOT)
    assert (run.code, run.out) == (0, "")


def test_seed_catalog_has_the_breadth_of_a_real_consortium() -> None:
    assert len(CREDENTIALS) >= 12
    stacks = [_data(p) for p in sorted((ROOT / "catalog" / "stacks").glob("*.yml"))]
    assert len(stacks) >= 2
    districts = {p.stem: _data(p) for p in sorted((ROOT / "catalog" / "districts").glob("*.yml"))}
    assert len(districts) >= 3
    incentives = {kind for d in districts.values() for kind in d["incentives"] if kind != "notes"}
    assert incentives == {"salary_credit", "ceus", "stipend", "recertification_hours"}
    salary = [d["incentives"]["salary_credit"]["by_type"] for d in districts.values() if "salary_credit" in d["incentives"]]
    assert {"foundational": 200, "proficient": 400, "advanced": 600} in salary
    assert any(d["incentives"].get("stipend", {}).get("annual_cap") for d in districts.values())
    types = {_data(p)["type"] for p in CREDENTIALS}
    assert types == {"foundational", "proficient", "advanced"}


def test_the_earners_file_binds_each_login_to_one_member_district(repo: Path, cli: Callable[..., Run]) -> None:
    (repo / "catalog/earners.yml").write_text("districts:\n  north: [dee, eve]\n  west: [gus]\n  south: [EVE]\n")
    run = cli("validate", cwd=repo)
    assert run.out.splitlines()[:2] == [
        "catalog/earners.yml:3:9: MC210 no district 'west' [districts.west]",
        "catalog/earners.yml:4:11: MC214 'EVE' is already listed under districts.north; an earner teaches in one district [districts.south[0]]",
    ]
    (repo / "catalog/earners.yml").write_text("districts:\n  north: [dee]\n")
    assert cli("validate", cwd=repo).code == 0
    (repo / "catalog/earners.yml").unlink()  # optional: without it check-pr refuses every submission (MC307)
    assert cli("validate", cwd=repo).code == 0


def test_links_in_catalog_text_go_to_absolute_https_addresses(repo: Path, cli: Callable[..., Run]) -> None:
    """A relative or script link would break the strict site build (a script link is neutralised into a relative one)."""
    path = repo / "catalog/credentials/alpha.yml"
    text = path.read_text()
    path.write_text(
        text.replace(
            "rationale: Alpha works.", "rationale: See [the study](https://journal.example.org/alpha) and <https://example.org/x>."
        )
        .replace("summary: The first skill.", "summary: The [first](javascript:alert(1)) skill, [also](../stacks/basics.md).")
        .replace(
            "competency: The educator does alpha.", "competency: |\n  The educator does [alpha][a].\n\n  [a]: http://example.org/alpha"
        )
    )
    run = cli("validate", "catalog/credentials/alpha.yml", cwd=repo)
    assert run.code == 1
    assert run.out.splitlines() == [
        "catalog/credentials/alpha.yml:5:10: MC227 a link to '../stacks/basics.md'; links in catalog text are absolute https:// addresses [summary]",
        "catalog/credentials/alpha.yml:5:10: MC227 a link to 'javascript-alert(1)'; links in catalog text are absolute https:// addresses [summary]",
        "catalog/credentials/alpha.yml:7:13: MC227 a link to 'http://example.org/alpha'; links in catalog text are absolute https:// addresses [competency]",
    ]


@pytest.mark.parametrize(
    "rationale",
    [
        "See [the guide][x].\n\n[\nx]: http://evil.example/",  # a reference label split over a line
        "- one\n\n    [x]: http://evil.example/\n\nSee [a][x].",  # a reference definition inside a list item
        "See [the notes](<https://ok.example/>).",  # angle brackets, escaped on the page into a relative link
        "See [the notes](HTTPS://ok.example/).",  # the site's links start with https:// exactly
        "See [x](//evil.example/).",  # protocol-relative
    ],
    ids=["split-label", "list-definition", "angle-brackets", "upper-case", "protocol-relative"],
)
def test_every_link_form_markdown_accepts_is_checked(repo: Path, cli: Callable[..., Run], rationale: str) -> None:
    path = repo / "catalog/credentials/alpha.yml"
    path.write_text(path.read_text().replace("rationale: Alpha works.", "rationale: " + json.dumps(rationale)))
    run = cli("validate", "catalog/credentials/alpha.yml", cwd=repo)
    assert run.code == 1 and "MC227" in run.out, run.out
