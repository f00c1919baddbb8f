"""The repository's GitHub files agree with the schemas and keep their security rules."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from support import ROOT

GITHUB = ROOT / ".github"
COMMON = json.loads((ROOT / "schemas/common.schema.json").read_text(encoding="utf-8"))["$defs"]
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))


def _form_options(field_id: str) -> list[str]:
    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE/credential-idea.yml").read_text(encoding="utf-8"))
    field = next(f for f in form["body"] if f.get("id") == field_id)
    return list(field["attributes"]["options"])


@pytest.mark.parametrize(
    ("field_id", "definition"),
    [("type", "credentialType"), ("subjects", "subject"), ("grade_bands", "gradeBand"), ("evidence", "artifactKind")],
)
def test_issue_form_choices_are_the_schema_enums(field_id: str, definition: str) -> None:
    assert _form_options(field_id) == COMMON[definition]["enum"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_pins_actions_and_grants_nothing_by_default(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert workflow["permissions"] == {}
    for job in workflow["jobs"].values():
        assert "permissions" in job, "each job states the rights it needs"
    uses = re.findall(r"^\s*-?\s*uses:\s*(\S+)", text, re.MULTILINE)
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+(?:/[\w.-]+)?@[0-9a-f]{40}", action), f"{action} is not pinned to a full commit SHA"
    scripts = [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
    assert not [s for s in scripts if "${{" in s], "values reach run: scripts only through env:"


def test_checkouts_do_not_keep_credentials() -> None:
    for path in WORKFLOWS:
        for step in (s for job in yaml.safe_load(path.read_text())["jobs"].values() for s in job["steps"]):
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, path.name


def test_the_reminder_runs_daily_with_issues_write_and_contents_read_alone() -> None:
    workflow = yaml.safe_load((GITHUB / "workflows/remind.yml").read_text(encoding="utf-8"))
    assert workflow[True]["schedule"][0]["cron"].split()[2:] == ["*", "*", "*"]  # on: is read as True
    assert [job["permissions"] for job in workflow["jobs"].values()] == [{"contents": "read", "issues": "write"}]
    assert [s["run"] for s in workflow["jobs"]["remind"]["steps"] if "run" in s][-1] == "microcred remind"


def test_pull_request_templates_exist_for_both_kinds() -> None:
    names = sorted(p.name for p in (GITHUB / "PULL_REQUEST_TEMPLATE").glob("*.md"))
    assert names == ["proposal.md", "submission.md"]


def test_codeowners_guard_everything_but_the_catalog_and_submissions() -> None:
    rules = [line.split() for line in (GITHUB / "CODEOWNERS").read_text().splitlines() if line.strip() and not line.startswith("#")]
    owners = {rule[0]: rule[1:] for rule in rules}
    assert rules[0] == ["*", "@three-rivers/catalog-maintainers"]  # the default: code, badges, records, docs, site config
    assert owners["/catalog/"] == owners["/rubrics/"] == ["@three-rivers/curators"]
    assert owners["/catalog/consortium.yml"] == owners["/catalog/reviewers.yml"] == ["@three-rivers/catalog-maintainers"]
    assert owners["/submissions/"] == []  # the review gate, not a code owner
