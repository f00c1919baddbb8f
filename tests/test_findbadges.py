"""The recipient index behind "Find my badges", and what no generated file may hold: an earner's email or a plain name."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from microcred.catalog.validate import validate
from microcred.reports.history import read_history
from microcred.site.earned import Earned, read_earned
from microcred.site.findbadges import RecipientIndexError, index_files
from support import ROOT, Run

OBELLO, NSATO = (
    "sha256$d8e7d1d3f92389f703cf44ad4f53035ad08250204c83c2b06da898d91dcb1b63",
    "sha256$a91fe46e803ab8d5e7bd47054b969882f89e115369a65e360a89d9f3c55754cd",
)
EMAIL, SALT = "N.Sato@Cedar-Ridge.example.org", "8c41e07a2b9d5f36"


def sample() -> tuple[list[Earned], dict[str, bytes]]:
    catalog = validate(ROOT, model=True).catalog
    assert catalog is not None
    badges = read_earned(ROOT, catalog, read_history(ROOT, catalog.consortium.site_url))
    return badges, index_files(badges, catalog)


def test_the_index_lists_each_salt_once_with_its_identity_prefixes() -> None:
    _, files = sample()
    assert sorted(files) == ["email/a91.json", "email/d8e.json", "salts.bin", "stacks.json"]  # the revoked badge's earner is not listed
    salts = b"MCS1" + bytes([16]) + bytes.fromhex("2e7d90b4c13a6f58") + b"\x01" + bytes.fromhex("d8e7")
    salts += bytes([16]) + bytes.fromhex(SALT) + b"\x01" + bytes.fromhex("a91f")  # nsato's four badges share one salt
    assert files["salts.bin"] == salts
    assert json.loads(files["email/d8e.json"]) == {
        OBELLO: [
            {
                "u": "a53891ea-fa7e-5c4e-b4db-a1d634d07df6",
                "k": "credential",
                "i": "exit-tickets",
                "t": "Exit Tickets That Shape the Next Lesson",
                "d": "2026-03-13",
            }
        ]
    }
    assert [(e["i"], e["d"]) for e in json.loads(files["email/a91.json"])[NSATO]] == [
        ("restorative-circles", "2026-02-19"),
        ("asset-based-family-partnership", "2026-04-10"),
        ("community-connected-tasks", "2026-05-26"),
        ("culturally-responsive-practice", "2026-05-26"),
    ]
    stacks = json.loads(files["stacks.json"])["stacks"]
    assert [s["id"] for s in stacks] == sorted(p.stem for p in (ROOT / "catalog/stacks").glob("*.yml"))


def test_a_badge_named_by_github_profile_is_found_by_login() -> None:
    badges, _ = sample()
    catalog = validate(ROOT, model=True).catalog
    assert catalog is not None
    named = [replace(b, recipient="https://github.com/OBello", login="OBello", salt=None) if b.recipient == OBELLO else b for b in badges]
    files = index_files(named, catalog)
    shard = hashlib.sha256(b"obello").hexdigest()[:3]
    assert json.loads(files[f"login/{shard}.json"]) == {"obello": [json.loads(sample()[1]["email/d8e.json"])[OBELLO][0]]}
    assert "email/d8e.json" not in files


def test_a_salt_that_is_not_hexadecimal_is_refused_with_the_badge_named() -> None:
    badges, _ = sample()
    catalog = validate(ROOT, model=True).catalog
    assert catalog is not None
    broken = [replace(b, salt="not-hex") if b.recipient == OBELLO else b for b in badges]
    with pytest.raises(RecipientIndexError) as err:
        index_files(broken, catalog)
    assert (
        str(err.value)
        == "badges/assertions/a53891ea-fa7e-5c4e-b4db-a1d634d07df6.json: its recipient's salt is not hexadecimal digits, as mint writes it"
    )


def test_no_email_or_plain_name_reaches_a_generated_file(tmp_path: Path, cli: Callable[..., Run]) -> None:
    repo = tmp_path / "repo"
    for name in ("catalog", "rubrics", "schemas", "docs", "badges", "records", "submissions"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("catalog", "index.md") if name == "docs" else None)
    shutil.copyfile(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    known = "sha256$" + hashlib.sha256((EMAIL.lower() + SALT).encode()).hexdigest()
    for path in [*(repo / "badges/assertions").glob("*.json"), *(repo / "submissions").rglob("*.yml")]:
        path.write_text(path.read_text().replace(NSATO, known))
    run = cli("build", "-q", cwd=repo)
    assert run.code == 0, run.err
    site = repo / "site"
    generated = [
        p
        for p in site.rglob("*")
        if p.is_file() and p.relative_to(site).as_posix().startswith(("catalog/", "index.html", "badges/earned/", "badges/recipients/"))
    ]
    assert len([p for p in generated if "badges/earned/" in p.as_posix()]) == 6 and any("recipients" in p.as_posix() for p in generated)
    reviewers = yaml.safe_load((repo / "catalog/reviewers.yml").read_text())["reviewers"]
    names = {r["name"] for r in reviewers} | {part for r in reviewers for part in r["name"].split() if len(part) > 3}
    published = {yaml.safe_load((repo / "catalog/consortium.yml").read_text())["email"]}
    published |= {e for p in (repo / "catalog/districts").glob("*.yml") for e in re.findall(r"[\w.+-]+@[\w-]+\.[\w.-]+", p.read_text())}
    for path in generated:
        text = path.read_bytes().decode("utf-8", errors="replace")
        rel = path.relative_to(site).as_posix()
        assert EMAIL.lower() not in text.lower() and "sato@" not in text.lower(), rel
        assert set(re.findall(r"[\w.+-]+@[\w-]+\.[a-z][\w.-]*", text)) <= published, rel
        assert not {n for n in names if n in text}, rel
    assert known in (site / f"badges/recipients/email/{known[7:10]}.json").read_text()  # the hash is there, as the badges publish it
