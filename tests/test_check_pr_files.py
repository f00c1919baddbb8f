"""`check-pr`: a contributor's pull request brings only the catalog's YAML files into catalog/ and rubrics/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import test_check_pr
from support import Run
from test_check_pr import NOT_A_MAINTAINER, NOT_CATALOG, commit, lines

# The pull request's repository and the check-pr run, as test_check_pr builds them.
git_repo, check, no_author_in_env = test_check_pr.git_repo, test_check_pr.check, test_check_pr.no_author_in_env

LFS = (
    b"version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n"
)
POINTER = "MC341 a Git LFS pointer, not the file itself; commit the text itself, with no LFS filter"


def git_file(name: str) -> str:
    return f"MC340 a {name} file changes how git stores or checks out the catalog; only maintainers may add one, at the top"


@pytest.mark.parametrize(
    ("rel", "content", "expected"),
    [
        ("catalog/.gitattributes", "*.yml binary\n", git_file(".gitattributes")),
        ("rubrics/.gitattributes", "*.yml filter=lfs diff=lfs merge=lfs -text\n", git_file(".gitattributes")),
        ("catalog/credentials/.gitmodules", '[submodule "x"]\n\tpath = x\n\turl = https://example.org/x.git\n', git_file(".gitmodules")),
        ("catalog/credentials/notes.md", "Notes.\n", NOT_CATALOG),
        ("catalog/README", "About the catalog.\n", NOT_CATALOG),
        ("rubrics/alpha.yml.orig", "id: alpha\n", NOT_CATALOG),
        ("catalog/credentials/alpha.yml", LFS, POINTER),
    ],
)
def test_a_contributor_brings_only_catalog_files(
    rel: str, content: str | bytes, expected: str, git_repo: Path, check: Callable[..., Run]
) -> None:
    commit(git_repo, {rel: content})
    run = check("eve")
    found = [line for line in lines(run) if " MC34" in line]
    assert (run.code, found) == (1, [f"{rel}:1:1: {expected}"])
    if expected != POINTER:
        assert lines(check("ann")) == []  # a maintainer may add files beside the catalog's


def test_an_lfs_pointer_is_refused_to_a_maintainer_in_the_catalog(git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {"rubrics/alpha.yml": LFS, "docs/pointer.bin": LFS})
    assert [line for line in lines(check("ann")) if " MC34" in line] == [f"rubrics/alpha.yml:1:1: {POINTER}"]


def test_an_lfs_pointer_as_a_submission_is_refused(git_repo: Path, check: Callable[..., Run]) -> None:
    rel = "submissions/beta/dee-beta-1.yml"
    commit(git_repo, {rel: LFS})
    assert [line for line in lines(check("dee")) if " MC34" in line] == [f"{rel}:1:1: {POINTER}"]


def test_a_gitattributes_at_the_top_needs_a_maintainer(git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {".gitattributes": "catalog/** -diff\n"})
    assert lines(check("eve")) == [f".gitattributes:1:1: {NOT_A_MAINTAINER}"]


@pytest.mark.parametrize("stem", ["consortium", "reviewers"])
def test_a_second_consortium_or_roster_file_is_refused(stem: str, git_repo: Path, check: Callable[..., Run]) -> None:
    text = (git_repo / f"catalog/{stem}.yml").read_text()
    commit(git_repo, {f"catalog/{stem}.yaml": text})
    what = "roster" if stem == "reviewers" else "consortium file"
    second = f"catalog/{stem}.yaml:1:1: MC015 the catalog has one {what}, catalog/{stem}.yml; rename or remove this one"
    assert second in lines(check("ann"))
    assert lines(check("eve")) == sorted([second, f"catalog/{stem}.yaml:1:1: {NOT_A_MAINTAINER}"])
