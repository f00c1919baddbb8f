"""The command line: formats, exit codes, usage errors, and docs that match it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from microcred.catalog.problems import CODES
from microcred.cli import MODULE_COMMANDS, build_parser
from support import ROOT, Run, golden

BROKEN = "catalog/credentials/alpha.yml"


def _break(repo: Path) -> None:
    path = repo / BROKEN
    path.write_text(path.read_text().replace("rubric: alpha", "rubric: alfa"))


def test_valid_catalog_exits_0_with_a_summary(repo: Path, cli: Callable[..., Run]) -> None:
    run = cli("validate", cwd=repo)
    assert (run.code, run.out, run.err) == (0, "", "13 file(s) checked: valid, 0 error(s), 0 warning(s)\n")


def test_json_format(repo: Path, cli: Callable[..., Run]) -> None:
    _break(repo)
    run = cli("validate", "--format", "json", cwd=repo)
    assert run.code == 1
    assert json.loads(run.out) == {
        "valid": False,
        "files": 13,
        "errors": 1,
        "warnings": 0,
        "problems": [
            {
                "path": BROKEN,
                "line": 38,
                "column": 9,
                "code": "MC201",
                "severity": "error",
                "message": "no rubric 'alfa' (expected rubrics/alfa.yml)",
                "json_path": "rubric",
            }
        ],
    }


def test_github_format_escapes_and_titles(repo: Path, cli: Callable[..., Run]) -> None:
    _break(repo)
    run = cli("validate", "--format", "github", cwd=repo)
    assert run.out == (
        f"::error file={BROKEN},line=38,col=9,title=MC201 unknown rubric::no rubric 'alfa' (expected rubrics/alfa.yml) [rubric]\n"
    )
    assert run.code == 1


def test_paths_limit_the_report(repo: Path, cli: Callable[..., Run]) -> None:
    _break(repo)
    assert cli("validate", "rubrics", cwd=repo).code == 0
    only = cli("validate", BROKEN, cwd=repo)
    assert only.code == 1
    assert only.out.startswith(f"{BROKEN}:38:9: MC201 ")
    assert only.err == "1 file(s) checked: invalid, 1 error(s), 0 warning(s)\n"


def test_runs_from_a_subfolder(repo: Path, cli: Callable[..., Run]) -> None:
    assert cli("validate", cwd=repo / "catalog" / "credentials").code == 0


def test_strict_fails_on_warnings(repo: Path, cli: Callable[..., Run]) -> None:
    (repo / "catalog/reviewers.yml").write_text(
        (repo / "catalog/reviewers.yml").read_text().replace("credentials: [alpha, beta, gamma]", "credentials: [beta]")
    )
    assert cli("validate", cwd=repo).code == 0
    assert cli("validate", "--strict", cwd=repo).code == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "nowhere.yml"], "microcred: error: nowhere.yml: no such file or folder\n"),
        (["validate", "/"], "microcred: error: / is outside the catalog repository {repo}\n"),
        (["validate", "--changed-since", "main", "catalog"], "microcred: error: give either paths or --changed-since, not both\n"),
        (["validate", "--root", "/"], "microcred: error: / does not hold catalog/ and schemas/\n"),
        (
            ["validate", "schemas/stack.schema.json"],
            "microcred: error: schemas/stack.schema.json: no catalog file there; "
            "catalog files are the YAML files in catalog/, rubrics/, submissions/, records/\n",
        ),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str, repo: Path, cli: Callable[..., Run]) -> None:
    run = cli(*args, cwd=repo)
    assert (run.code, run.out, run.err) == (2, "", message.format(repo=repo))


def test_outside_any_repository_is_a_usage_error(tmp_path: Path, cli: Callable[..., Run]) -> None:
    run = cli("validate", cwd=tmp_path)
    assert run.code == 2
    assert run.err.startswith(f"microcred: error: {tmp_path} is not inside a catalog repository")


def test_broken_schema_is_a_usage_error(repo: Path, cli: Callable[..., Run]) -> None:
    (repo / "schemas/stack.schema.json").write_text("{not json")
    run = cli("validate", cwd=repo)
    assert run.code == 2
    assert run.err.startswith(f"microcred: error: {repo}/schemas/stack.schema.json: cannot read the schema")


def test_unknown_option_exits_2_without_traceback(repo: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "microcred", "validate", "--nope"], cwd=repo, capture_output=True, text=True, check=False)
    assert run.returncode == 2
    assert "unrecognized arguments: --nope" in run.stderr
    assert "Traceback" not in run.stderr


def _one_stream(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run microcred with stdout and stderr captured into one pipe, as `microcred ... > log 2>&1` does.

    Buffered, as Python buffers a pipe by default: only then can the two streams come out of order.
    """
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"} | {"COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "microcred", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )


def test_no_command_lists_the_commands_and_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    run = subprocess.run([sys.executable, "-m", "microcred"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == build_parser().format_help() + "microcred: error: give a COMMAND, one of those above\n"
    listed = " ".join(run.stderr.split())
    for name, (_module, brief) in MODULE_COMMANDS.items():
        assert f"{name} {brief}" in listed
    assert "validate check catalog files against the schemas and each other" in listed


def test_new_without_a_kind_lists_the_kinds(tmp_path: Path) -> None:
    run = _one_stream(["new"], tmp_path)
    assert run.returncode == 2
    assert run.stdout.startswith("usage: microcred new [-h] KIND ...\n")
    assert "    submission\n              start a submission of evidence for a published micro-credential\n" in run.stdout
    assert run.stdout.endswith("microcred new: error: give a KIND, one of those above\n")


@pytest.mark.parametrize("command", [["validate"], ["build", "-q"]])
def test_problems_come_before_the_summary_in_one_stream(command: list[str], repo: Path) -> None:
    _break(repo)
    run = _one_stream(command, repo)
    problem = f"{BROKEN}:38:9: MC201 no rubric 'alfa' (expected rubrics/alfa.yml) [rubric]\n"
    summary = "13 file(s) checked: invalid, 1 error(s), 0 warning(s)"
    assert run.stdout == problem + summary + ("; nothing was built\n" if command[0] == "build" else "\n")
    assert run.returncode == 1


def _help_text() -> str:
    parser = build_parser()
    sections = ["```text\n$ microcred --help\n" + parser.format_help() + "```\n"]
    for name, sub in parser._subparsers._group_actions[0].choices.items():  # type: ignore[union-attr]
        sections.append(f"## `microcred {name}`\n\n```text\n$ microcred {name} --help\n{sub.format_help()}```\n")
    return "\n".join(sections)


def test_cli_reference_embeds_the_current_help(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    page = ROOT / "docs" / "reference" / "cli.md"
    head = "# Command line\n\nEvery command and option, as `--help` prints them. Exit codes: 0 valid, 1 invalid, 2 usage error.\n\n"
    golden(page, head + _help_text())


def test_error_code_table_matches_the_code() -> None:
    page = (ROOT / "docs" / "reference" / "error-codes.md").read_text(encoding="utf-8")
    rows = [line.split("|")[1:4] for line in page.splitlines() if line.startswith("| MC") and line.count("|") == 4]
    assert [(c.strip(), s.strip(), t.strip()) for c, s, t in rows] == [(code, sev, title) for code, (sev, title) in CODES.items()]
