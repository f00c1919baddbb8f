"""Files that push the loader's limits: numbers past Python's digit limit, and thousands of problems in one file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from support import Run, git

ALPHA = "catalog/credentials/alpha.yml"
NOTE = "more problem(s) in this file, from here on, are not shown; fix those above and check again"


def _replace(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text()
    assert old in text, f"{old!r} is not in {rel}"
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("version: 1.0.0", "version: 1" + "0" * 5000, "2:10", "this number has 5,001 digits; a number may have at most 4,300"),
        (
            "estimated_hours: 10",
            "estimated_hours: -1_" + "0" * 4300,
            "41:18",
            "this number has 4,301 digits; a number may have at most 4,300",
        ),
        # short enough to convert, but its value has more decimal digits than Python will print
        (
            "estimated_hours: 10",
            "estimated_hours: 0x" + "f" * 4000,
            "41:18",
            "this number has more than 4,300 digits, the most a number may have",
        ),
        (
            "grade_bands: [6-8]",
            "grade_bands: [6-8, " + "9" * 4301 + "]",
            "40:20",
            "this number has 4,301 digits; a number may have at most 4,300",
        ),
    ],
    ids=["version", "underscored", "hexadecimal", "list-item"],
)
def test_a_number_past_the_digit_limit_is_located(
    old: str, new: str, where: str, message: str, repo: Path, cli: Callable[..., Run]
) -> None:
    _replace(repo, ALPHA, old, new)
    run = cli("validate", cwd=repo)
    assert (run.code, run.out) == (1, f"{ALPHA}:{where}: MC009 {message}\n")


def test_a_number_at_the_digit_limit_is_a_schema_problem(repo: Path, cli: Callable[..., Run]) -> None:
    _replace(repo, ALPHA, "estimated_hours: 10", "estimated_hours: " + "9" * 4300)
    run = cli("validate", cwd=repo)
    assert run.code == 1
    assert run.out.startswith(f"{ALPHA}:41:18: MC106 {'9' * 4300} is greater than the maximum of ")


def test_build_reports_the_number_and_builds_nothing(repo: Path, cli: Callable[..., Run]) -> None:
    _replace(repo, ALPHA, "version: 1.0.0", "version: 1" + "0" * 5000)
    run = cli("build", "-q", "--site", str(repo.parent / "site"), cwd=repo)
    assert (run.code, run.out) == (1, f"{ALPHA}:2:10: MC009 this number has 5,001 digits; a number may have at most 4,300\n")
    assert not (repo.parent / "site").exists()


def test_check_pr_reports_the_number(repo: Path, cli: Callable[..., Run]) -> None:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "catalog")
    git(repo, "checkout", "-qb", "pr")
    submission = "submissions/alpha/dee-alpha-1.yml"
    (repo / submission).parent.mkdir(parents=True, exist_ok=True)
    (repo / submission).write_text(f"id: dee-alpha-1\ncredential: alpha\nversion: 1{'0' * 5000}\nearner:\n  login: dee\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "submission")
    run = cli("check-pr", "--base", "main", "--author", "dee", cwd=repo)
    assert run.code == 1
    assert run.out.splitlines() == [
        f"{submission}:3:10: MC009 this number has 5,001 digits; a number may have at most 4,300",
        # the privacy scan reads the line as text: a run of 5,000 digits looks like embedded data
        f"{submission}:3:10: MC322 embedded media (a data: URI or a long base64 run); evidence is linked from access-controlled storage",
    ]


# Thousands of problems in one file: the first hundred, then one line that says how many more.


def test_thousands_of_invalid_items_show_the_first_hundred(repo: Path, cli: Callable[..., Run]) -> None:
    _replace(repo, ALPHA, "subjects: [all-subjects]", "subjects:\n" + "".join(f"  - bad{i}\n" for i in range(20_000)))
    run = cli("validate", cwd=repo)
    lines = run.out.splitlines()
    assert run.code == 1
    assert len(lines) == 101
    assert lines[0] == f'{ALPHA}:40:5: MC104 "bad0" is not one of "all-subjects", "arts" or 9 other candidates [subjects[0]]'
    assert lines[99].startswith(f'{ALPHA}:139:5: MC104 "bad99" is not one of ')
    assert lines[100] == f"{ALPHA}:140:5: MC900 19,900 {NOTE}"
    assert run.err == "13 file(s) checked: invalid, 20000 error(s), 0 warning(s)\n"


def test_thousands_of_unknown_keys_are_each_named_up_to_the_cap(repo: Path, cli: Callable[..., Run]) -> None:
    with (repo / ALPHA).open("a") as out:
        out.writelines(f"unknown{i}: x\n" for i in range(20_000))
    run = cli("validate", "--format", "json", cwd=repo)
    report = json.loads(run.out)
    assert (report["errors"], report["warnings"], len(report["problems"])) == (20_000, 0, 101)
    keys = [p["json_path"] for p in report["problems"][:100]]
    assert keys == [f"unknown{i}" for i in range(100)]
    assert [p["line"] for p in report["problems"][:100]] == list(range(45, 145))
    assert report["problems"][100] == {
        "path": ALPHA,
        "line": 145,
        "column": 1,
        "code": "MC900",
        "severity": "error",
        "message": f"19,900 {NOTE}",
        "json_path": "",
    }


def test_a_flood_found_across_files_is_capped_as_well(repo: Path, cli: Callable[..., Run]) -> None:
    district = "catalog/districts/south.yml"
    unknown = ", ".join(f"nope-{i}" for i in range(150))
    _replace(repo, district, "credentials: [alpha]", f"credentials: [alpha, {unknown}]")
    run = cli("validate", "--format", "github", cwd=repo)
    lines = run.out.splitlines()
    assert len(lines) == 101
    assert all("title=MC209 " in line for line in lines[:100])
    column = (repo / district).read_text().splitlines()[3].index("nope-100") + 1  # the first one left out
    assert lines[100] == f"::error file={district},line=4,col={column},title=MC900 more problems in the file than are shown::50 {NOTE}"
    assert run.code == 1


def test_a_hundred_problems_are_shown_without_a_note(repo: Path, cli: Callable[..., Run]) -> None:
    _replace(repo, ALPHA, "subjects: [all-subjects]", "subjects:\n" + "".join(f"  - bad{i}\n" for i in range(100)))
    run = cli("validate", cwd=repo)
    assert len(run.out.splitlines()) == 100
    assert "MC900" not in run.out
