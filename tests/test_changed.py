"""`validate --changed-since`: in real git repositories, only changed files and what refers to them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from support import Run, git


@pytest.fixture
def git_repo(repo: Path) -> Path:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "catalog")
    git(repo, "checkout", "-qb", "proposal")
    return repo


def _json(run: Run) -> dict:  # type: ignore[type-arg]
    return json.loads(run.out)  # type: ignore[no-any-return]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_no_change_checks_nothing(git_repo: Path, cli: Callable[..., Run]) -> None:
    run = cli("validate", "--changed-since", "main", "--format", "json", cwd=git_repo)
    assert (run.code, _json(run)["files"], _json(run)["problems"]) == (0, 0, [])


def test_changed_file_is_checked_and_unrelated_broken_file_is_not_read(git_repo: Path, cli: Callable[..., Run]) -> None:
    # A broken file already on main is not this change's business, and is not even parsed.
    (git_repo / "rubrics/gamma.yml").write_text("id: [unclosed\n")
    git(git_repo, "commit", "-qam", "broken on main")
    git(git_repo, "branch", "-f", "main")
    _edit(git_repo / "catalog/districts/south.yml", "name: South District", "name: South Unified")
    run = cli("validate", "--changed-since", "main", "--format", "json", cwd=git_repo)
    assert run.code == 0
    assert _json(run)["files"] == 5  # the district, and the consortium, district, roster and earners file that name it


def test_uncommitted_change_to_a_credential_is_reported(git_repo: Path, cli: Callable[..., Run]) -> None:
    _edit(git_repo / "catalog/credentials/alpha.yml", "rubric: alpha", "rubric: alfa")
    run = cli("validate", "--changed-since", "main", cwd=git_repo)
    assert run.code == 1
    assert run.out == "catalog/credentials/alpha.yml:38:9: MC201 no rubric 'alfa' (expected rubrics/alfa.yml) [rubric]\n"


def test_deleting_a_credential_reports_every_file_that_names_it(git_repo: Path, cli: Callable[..., Run]) -> None:
    git(git_repo, "rm", "-q", "catalog/credentials/gamma.yml", "rubrics/gamma.yml")
    git(git_repo, "commit", "-qm", "retire gamma by deleting it")
    run = cli("validate", "--changed-since", "main", cwd=git_repo)
    assert run.code == 1
    assert run.out == (
        "catalog/reviewers.yml:16:32: MC213 qualified for 'gamma', which is not a micro-credential of the catalog [reviewers[2].credentials[2]]\n"
        "catalog/stacks/basics.yml:5:24: MC208 no micro-credential 'gamma' to include [members[2]]\n"
    )


def test_new_untracked_file_with_a_cycle(git_repo: Path, cli: Callable[..., Run]) -> None:
    delta = (git_repo / "catalog/credentials/alpha.yml").read_text().replace("id: alpha", "id: delta")
    (git_repo / "catalog/credentials/delta.yml").write_text(delta + "prerequisites: [delta]\n")
    run = cli("validate", "--changed-since", "main", cwd=git_repo)
    assert run.code == 1
    assert run.out == (
        "catalog/credentials/delta.yml:1:5: MC219 warning: 0 active assessor(s) qualified (nobody); two reviews and a tie-break need 3 [id]\n"
        "catalog/credentials/delta.yml:45:17: MC207 prerequisites form a cycle: delta -> delta [prerequisites[0]]\n"
    )


def test_roster_change_rechecks_the_credentials_it_named(git_repo: Path, cli: Callable[..., Run]) -> None:
    _edit(git_repo / "catalog/reviewers.yml", "credentials: [alpha, beta, gamma]", "credentials: [beta]")
    run = cli("validate", "--changed-since", "main", cwd=git_repo)
    assert run.code == 0
    assert run.out == (
        "catalog/credentials/alpha.yml:1:5: MC219 warning: 2 active assessor(s) qualified (ann, bob); two reviews and a tie-break need 3 [id]\n"
        "catalog/credentials/gamma.yml:1:5: MC219 warning: 2 active assessor(s) qualified (ann, bob); two reviews and a tie-break need 3 [id]\n"
    )


def test_unknown_ref_is_a_usage_error(git_repo: Path, cli: Callable[..., Run]) -> None:
    run = cli("validate", "--changed-since", "no-such-branch", cwd=git_repo)
    assert run.code == 2
    assert run.err.startswith("microcred: error: git merge-base no-such-branch HEAD: ")


def test_changes_outside_the_catalog_are_ignored(git_repo: Path, cli: Callable[..., Run]) -> None:
    (git_repo / "notes.yml").write_text("- not a catalog file\n")
    run = cli("validate", "--changed-since", "main", "--format", "json", cwd=git_repo)
    assert (run.code, _json(run)["files"]) == (0, 0)
