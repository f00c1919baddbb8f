"""The browse index the browse page filters: facet values, what matches, what each card is told."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from microcred.catalog.validate import validate
from microcred.site.pages import browse_index, render
from support import ROOT

CATALOG = ROOT / "catalog"


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def index() -> dict[str, Any]:
    catalog = validate(ROOT, model=True).catalog
    assert catalog is not None
    return browse_index(catalog)


def endorsed_by(district_id: str) -> set[str]:
    """What a district endorses, read from its file and the stacks it names, not through the model."""
    district = load(CATALOG / "districts" / f"{district_id}.yml")
    ids = set(district["endorses"].get("credentials", []))
    for stack in district["endorses"].get("stacks", []):
        ids |= set(load(CATALOG / "stacks" / f"{stack}.yml")["members"])
    return ids


def matching(index: dict[str, Any], **selected: str) -> list[str]:
    """The ids the page shows for one value per facet (what browse.js does with the index)."""
    return sorted(e["id"] for e in index["credentials"] if all(value in e[key] for key, value in selected.items()))


def test_a_credential_for_all_subjects_matches_every_subject(index: dict[str, Any]) -> None:
    files = {p.stem: load(p) for p in (CATALOG / "credentials").glob("*.yml")}
    dunmore = endorsed_by("dunmore")
    expected = sorted(i for i in dunmore if {"mathematics", "all-subjects"} & set(files[i]["subjects"]))
    assert len(dunmore) == 8 and len(expected) == 7  # the 8 Dunmore endorses: 6 for all subjects, hinge questions for mathematics
    assert matching(index, district="dunmore", subject="mathematics") == expected
    for value, _ in next(f for f in index["facets"] if f["key"] == "subject")["values"]:
        shown = matching(index, subject=value)
        assert shown == sorted(i for i, c in files.items() if value in c["subjects"] or "all-subjects" in c["subjects"])
    # "All subjects" itself still picks out only the credentials written for every subject.
    assert matching(index, subject="all-subjects") == sorted(i for i, c in files.items() if "all-subjects" in c["subjects"])


def test_the_subject_facet_lists_what_the_credentials_name(index: dict[str, Any]) -> None:
    subject = next(f for f in index["facets"] if f["key"] == "subject")
    assert subject["values"] == [
        ("all-subjects", "All subjects"),
        ("computer-science", "Computer science"),
        ("mathematics", "Mathematics"),
        ("science", "Science"),
        ("special-education", "Special education"),
    ]


def _pages(repo: Path, statuses: dict[str, str]) -> dict[str, str]:
    for credential_id, status in statuses.items():
        path = repo / "catalog/credentials" / f"{credential_id}.yml"
        path.write_text(path.read_text().replace("status: published", f"status: {status}", 1))
    catalog = validate(repo, model=True).catalog
    assert catalog is not None
    return render(catalog)


def _section(page: str, heading: str) -> str:
    return page.split(f"## {heading}\n\n", 1)[1].split('\n<div class="mc-print-note"', 1)[0].strip()


def test_drafts_and_retired_credentials_are_marked_in_browse(repo: Path) -> None:
    browse = _pages(repo, {"beta": "draft", "gamma": "retired"})["catalog/index.md"]
    cards = {line.split('"')[1]: line for line in browse.splitlines() if line.startswith("<li data-id=")}
    assert (
        '<a class="mc-card-title" href="credentials/beta/">Beta</a> <span class="mc-card-status mc-draft">Draft: not open for submissions yet</span> <span'
        in cards["beta"]
    )
    assert (
        '<a class="mc-card-title" href="credentials/gamma/">Gamma</a> <span class="mc-card-status mc-retired">Retired: no longer open for submissions</span> <span'
        in cards["gamma"]
    )
    assert "mc-card-status" not in cards["alpha"]


def test_a_draft_and_a_retired_credential_say_they_cannot_be_earned(repo: Path) -> None:
    pages = _pages(repo, {"beta": "draft", "gamma": "retired"})
    assert _section(pages["catalog/credentials/beta.md"], "How to earn it") == (
        "This micro-credential is a **draft**: it cannot be earned yet. Its designers are still working on it, and submissions open "
        "when the consortium publishes it; what it asks for may change until then. Read it and send its designers your comments: "
        "the [guide for designers](../../guides/designers.md#drafts-and-retired-micro-credentials) says how."
    )
    assert _section(pages["catalog/credentials/gamma.md"], "How to earn it") == (
        "This micro-credential is **retired**: it can no longer be earned, and new submissions are not accepted. Badges already "
        "earned under it stay valid. The [Browse](../index.md) page lists the micro-credentials open now."
    )
    published = _section(pages["catalog/credentials/alpha.md"], "How to earn it")
    assert "microcred new submission alpha" in published and "draft" not in published and "retired" not in published
