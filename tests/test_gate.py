"""`microcred gate` end to end: the CLI, real PyGithub over HTTP to a fake GitHub, a real catalog; and the workflows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from fakegithub import BOT, REPOSITORY, TOKEN, FakeGitHub, serve
from support import FIXTURES, ROOT, Run, golden

A, B = "a" * 40, "b" * 40
SUBMISSION = "submissions/alpha/dee-alpha-1.yml"
ALL_MET = "- context: met\n- plan: met\n- impact: met\n"
GOLDEN = FIXTURES / "golden" / "gate"
WORKFLOWS = ROOT / ".github" / "workflows"
DAN = "  - login: dan\n    name: Dan D\n    roles: [assessor]\n    district: south\n    stacks: [basics]\n"

Gate = Callable[..., Run]


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    with serve() as fake:
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        monkeypatch.setenv("GITHUB_REPOSITORY", REPOSITORY)
        monkeypatch.setenv("GITHUB_API_URL", fake.url)
        yield fake


@pytest.fixture
def gate(cli: Callable[..., Run], repo: Path) -> Gate:
    """Run `microcred gate --pr N --root <a copy of the base catalog>`."""
    return lambda number=5: cli("gate", "--pr", str(number), "--root", str(repo), cwd=repo)


def submission(fake: FakeGitHub, text: str | None = None, number: int = 5) -> None:
    fake.pull(number, "dee", [A], {SUBMISSION: "added"})
    fake.file(A, SUBMISSION, text if text is not None else (FIXTURES / "base" / SUBMISSION).read_text(encoding="utf-8"))


def statuses(fake: FakeGitHub) -> list[tuple[str, str, str]]:
    return [(s["sha"][:7], s["state"], s["description"]) for s in fake.statuses if s["context"] == "microcred/review-gate"]


def writes(fake: FakeGitHub) -> list[str]:
    return [f"{r.method} {r.path.removeprefix(f'/repos/{REPOSITORY}')}" for r in fake.writes]


def ours(fake: FakeGitHub) -> list[str]:
    return [c["body"] for c in fake.comments if c["login"] == BOT]


def test_two_qualified_approvals_pass_with_the_rubric_results(fake: FakeGitHub, gate: Gate) -> None:
    submission(fake)
    fake.review(5, "ann", "APPROVED", body=f"Clear evidence.\n\n{ALL_MET}")
    fake.review(5, "bob", "APPROVED", body="* **Context**: Demonstrated\n* Plan is sound: met\n* impact = not yet")
    run = gate()
    assert (run.code, run.out, run.err) == (0, "pull request #5: success: 2 of 2 qualified approvals on aaaaaaa\n", "")
    assert statuses(fake) == [
        ("aaaaaaa", "pending", "counting the qualified reviews on aaaaaaa"),
        ("aaaaaaa", "success", "2 of 2 qualified approvals on aaaaaaa"),
    ]
    assert fake.pulls[5].labels == ["approved"]
    assert fake.labels["approved"] == {"color": "0e8a16", "description": "Two qualified reviewers approved: ready to merge"}
    template, summary = ours(fake)
    assert template.startswith("<!-- microcred:scores -->\n") and template.endswith("- context:\n- plan:\n- impact:\n")
    golden(GOLDEN / "approved.md", summary)


def test_running_again_changes_nothing_but_the_status(fake: FakeGitHub, gate: Gate) -> None:
    submission(fake)
    fake.review(5, "ann", "APPROVED", body=ALL_MET)
    fake.review(5, "bob", "APPROVED", body=ALL_MET)
    assert gate().code == 0
    first = len(fake.writes)
    assert gate().code == 0
    assert writes(fake)[first:] == [f"POST /statuses/{A}", f"POST /statuses/{A}"]
    assert len(ours(fake)) == 2


def test_the_summary_is_edited_in_place_as_reviews_arrive(fake: FakeGitHub, gate: Gate) -> None:
    submission(fake)
    fake.review(5, "ann", "APPROVED", body=ALL_MET)
    assert gate().out == "pull request #5: pending: 1 of 2 qualified approvals, waiting for a second reviewer on aaaaaaa\n"
    assert fake.pulls[5].labels == []
    fake.review(5, "bob", "CHANGES_REQUESTED", body=ALL_MET)
    fake.review(5, "cy", "CHANGES_REQUESTED", body="- context: not yet\n- plan: not yet\n- impact: not yet")
    assert gate().out == "pull request #5: failure: not yet: 2 qualified reviewers requested changes, 1 approved on aaaaaaa\n"
    [_, summary_id] = [c["id"] for c in fake.comments]
    assert writes(fake)[-4:] == [
        "POST /labels",
        "POST /issues/5/labels",
        f"PATCH /issues/comments/{summary_id}",
        f"POST /statuses/{A}",
    ]
    assert fake.pulls[5].labels == ["not-yet"]
    golden(GOLDEN / "not-yet.md", ours(fake)[1])


def test_an_approval_before_a_push_is_stale(fake: FakeGitHub, gate: Gate) -> None:
    submission(fake)
    fake.pulls[5].labels = ["approved"]
    fake.review(5, "ann", "APPROVED", body=ALL_MET)
    fake.review(5, "bob", "APPROVED", body=ALL_MET)
    fake.push(5, B, date="2026-10-15T10:00:00Z")
    fake.file(B, SUBMISSION, (FIXTURES / "base" / SUBMISSION).read_text(encoding="utf-8"))
    fake.review(5, "ann", "APPROVED", body=ALL_MET)
    run = gate()
    assert run.out == "pull request #5: pending: 1 of 2 qualified approvals, waiting for a second reviewer on bbbbbbb\n"
    assert statuses(fake)[-1] == ("bbbbbbb", "pending", "1 of 2 qualified approvals, waiting for a second reviewer on bbbbbbb")
    assert fake.pulls[5].labels == []  # the approval of the older commit no longer stands
    assert "- `bob`: review on an older commit aaaaaaa\n" in ours(fake)[1]


def test_who_is_not_counted_and_why(fake: FakeGitHub, gate: Gate) -> None:
    submission(fake)
    fake.users["helper[bot]"] = "Bot"
    fake.commit(B, "dee", "cy")  # cy committed to the pull request
    fake.pulls[5].commits.insert(0, B)
    fake.review(5, "dee", "APPROVED")
    fake.review(5, "cy", "APPROVED")
    fake.review(5, "helper[bot]", "APPROVED")
    fake.review(5, "stranger", "APPROVED")
    fake.review(5, "ann", "APPROVED", body="context: met")
    fake.review(5, "ann", "COMMENTED", body="One more thought.")
    assert gate().out == "pull request #5: pending: 1 of 2 qualified approvals, waiting for a second reviewer on aaaaaaa\n"
    golden(GOLDEN / "not-counted.md", ours(fake)[1])


def test_a_proposal_is_reviewed_by_curators_without_a_scoring_template(fake: FakeGitHub, gate: Gate) -> None:
    fake.pull(9, "eve", [A], {"catalog/credentials/delta.yml": "added", "rubrics/delta.yml": "added"})
    fake.review(9, "ann", "APPROVED")
    fake.review(9, "bob", "APPROVED")
    assert gate(9).out == "pull request #9: pending: 1 of 2 qualified approvals, waiting for a second reviewer on aaaaaaa\n"
    [summary] = ours(fake)
    assert "- `bob`: not a curator\n" in summary
    assert "Commit aaaaaaa, a proposal, reviewed by curators: 1 of 2 qualified approvals, waiting for a second reviewer.\n" in summary
    assert not [r for r in fake.requests if "/contents/" in r.path]


def test_a_tie_asks_the_eligible_reviewer_with_the_fewest_open_requests(fake: FakeGitHub, gate: Gate, repo: Path) -> None:
    with (repo / "catalog/reviewers.yml").open("a", encoding="utf-8") as roster:
        roster.write(DAN)
    submission(fake)
    fake.pull(7, "eve", ["c" * 40], {}, requested=["cy"])
    fake.pull(8, "fay", ["d" * 40], {}, requested=["cy", "ann"])
    fake.review(5, "ann", "APPROVED", body=ALL_MET)
    fake.review(5, "bob", "CHANGES_REQUESTED", body="- plan: not yet")
    assert gate().out == "pull request #5: pending: tie 1:1 on aaaaaaa: dan is asked to decide\n"  # cy is busier
    assert fake.pulls[5].requested == ["dan"]
    assert fake.pulls[5].labels == ["needs-tiebreak"]
    golden(GOLDEN / "tie.md", ours(fake)[1])
    fake.pulls[7].requested = fake.pulls[8].requested = ["dan"]  # now dan is busier, but already asked here: nobody else is
    first = len(fake.writes)
    assert gate().out == "pull request #5: pending: tie 1:1 on aaaaaaa: dan is asked to decide\n"
    assert writes(fake)[first:] == [f"POST /statuses/{A}", f"POST /statuses/{A}"]


def test_at_two_to_one_the_outvoted_review_is_dismissed_with_the_vote(fake: FakeGitHub, gate: Gate) -> None:
    submission(fake)
    fake.review(5, "ann", "APPROVED", body=ALL_MET)
    bob = fake.review(5, "bob", "CHANGES_REQUESTED", body="- plan: not yet")
    assert gate().code == 0
    fake.review(5, "cy", "APPROVED", body=ALL_MET)
    run = gate()
    assert run.out == "pull request #5: success: 2 qualified approvals to 1 request for changes on aaaaaaa\n"
    [dismissal] = [r for r in fake.requests if r.method == "PUT"]
    assert dismissal.path == f"/repos/{REPOSITORY}/pulls/5/reviews/{bob}/dismissals"
    assert dismissal.body == {
        "message": "microcred-gate: outvoted 2:1 after a tie-break; this review by @bob requested changes on aaaaaaa."
    }
    assert fake.pulls[5].labels == ["approved"]
    golden(GOLDEN / "outvoted.md", ours(fake)[1])
    first = len(fake.writes)
    assert gate().out == run.out  # the dismissed review still counts as outvoted, and is not dismissed again
    assert writes(fake)[first:] == [f"POST /statuses/{A}", f"POST /statuses/{A}"]


def test_a_refused_dismissal_fails_the_gate_after_the_summary_shows_the_message(fake: FakeGitHub, gate: Gate) -> None:
    submission(fake)
    fake.review(5, "ann", "APPROVED", body=ALL_MET)
    bob = fake.review(5, "bob", "CHANGES_REQUESTED")
    fake.review(5, "cy", "APPROVED", body=ALL_MET)
    fake.fail = ("PUT", r"/dismissals$", 403)  # dismissals restricted to maintainers
    run = gate()
    call = f"PUT /repos/consortium/catalog/pulls/5/reviews/{bob}/dismissals"
    assert (run.code, run.out) == (1, "")
    assert run.err == (
        f"microcred: gate: {call} answered HTTP 403: Forbidden; "
        "GitHub refused the write (a rule of the repository may reserve it, e.g. who may dismiss reviews)\n"
    )
    assert statuses(fake)[-1] == ("aaaaaaa", "failure", f"the gate could not finish: {call}")
    assert fake.reviews[5][1]["state"] == "CHANGES_REQUESTED"
    assert "`microcred-gate: outvoted 2:1 after a tie-break; this review by @bob requested changes on aaaaaaa.`" in ours(fake)[1]


def test_nobody_left_to_break_a_tie_asks_the_admin(fake: FakeGitHub, gate: Gate, repo: Path) -> None:
    consortium = repo / "catalog/consortium.yml"
    consortium.write_text(consortium.read_text(encoding="utf-8") + "review:\n  exclude_earner_district: true\n", encoding="utf-8")
    submission(fake)
    fake.review(5, "ann", "APPROVED", body=ALL_MET)  # north, like the earner
    fake.review(5, "bob", "APPROVED", body=ALL_MET)
    fake.review(5, "cy", "CHANGES_REQUESTED", body="- plan: not yet")
    assert gate().out == "pull request #5: pending: tie 1:1 on aaaaaaa: nobody qualifies to break it; an admin decides\n"
    assert fake.pulls[5].requested == []
    assert fake.pulls[5].labels == ["needs-admin"]
    summary = ours(fake)[1]
    assert "- `ann`: from the earner's district (north)\n" in summary
    assert "Nobody qualifies to break the tie: every other qualified reviewer voted" in summary


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("id: x\nid: y\n", "submissions/alpha/dee-alpha-1.yml at aaaaaaa line 2: MC005 duplicate key 'id'"),
        (
            "credential: beta\nearner: {login: dee, district: north}\n",
            "submissions/alpha/dee-alpha-1.yml at aaaaaaa: credential is 'beta', but the file is in submissions/alpha/",
        ),
        (
            "credential: alpha\nearner: {login: dee, district: west}\n",
            "submissions/alpha/dee-alpha-1.yml at aaaaaaa: earner.district 'west' is not a member district",
        ),
        ("- a list\n", "submissions/alpha/dee-alpha-1.yml at aaaaaaa holds no mapping of fields"),
    ],
)
def test_a_malformed_submission_fails_with_the_reason(fake: FakeGitHub, gate: Gate, text: str, problem: str) -> None:
    submission(fake, text)
    fake.pulls[5].labels = ["approved"]
    run = gate()
    assert (run.code, run.err) == (1, f"microcred: gate: #5: {problem}\n")
    assert statuses(fake)[-1] == ("aaaaaaa", "failure", problem)
    assert fake.pulls[5].labels == []
    assert ours(fake)[0].startswith(f"<!-- microcred:gate -->\n### Review gate: cannot judge this pull request\n\n{problem}.\n")


def test_an_invalid_catalog_on_the_default_branch_fails_closed(fake: FakeGitHub, gate: Gate, repo: Path) -> None:
    (repo / "catalog/reviewers.yml").write_text("reviewers: 3\n", encoding="utf-8")
    submission(fake)
    fake.review(5, "ann", "APPROVED")
    fake.review(5, "bob", "APPROVED")
    run = gate()
    assert run.code == 1
    assert run.err.endswith(
        "microcred: gate: #5: the catalog on the default branch is invalid, so the roster cannot be read; fix the default branch\n"
    )
    assert statuses(fake)[-1][1] == "failure"


def test_a_read_only_token_fails_closed_before_anything_is_written(fake: FakeGitHub, gate: Gate) -> None:
    fake.read_only = True
    submission(fake)
    fake.review(5, "ann", "APPROVED")
    fake.review(5, "bob", "APPROVED")
    run = gate()
    assert (run.code, run.out) == (1, "")
    assert run.err == (
        f"microcred: gate: POST /repos/consortium/catalog/statuses/{A} answered HTTP 403: Resource not accessible by integration; "
        "the token is read-only here: the gate's job needs statuses: write, pull-requests: write and issues: write\n"
    )
    assert writes(fake) == [f"POST /statuses/{A}"]
    assert fake.statuses == []


def test_a_server_error_leaves_no_success(fake: FakeGitHub, gate: Gate) -> None:
    submission(fake)
    fake.review(5, "ann", "APPROVED")
    fake.review(5, "bob", "APPROVED")
    fake.fail = ("GET", r"/pulls/5/reviews$", 502)
    run = gate()
    assert (run.code, run.out) == (1, "")
    assert run.err == "microcred: gate: GET /repos/consortium/catalog/pulls/5/reviews answered HTTP 502: Server Error\n"
    assert statuses(fake) == [
        ("aaaaaaa", "pending", "counting the qualified reviews on aaaaaaa"),
        ("aaaaaaa", "failure", "the gate could not finish: GET /repos/consortium/catalog/pulls/5/reviews"),
    ]
    assert fake.pulls[5].labels == [] and fake.comments == []


def test_a_failed_write_half_way_never_reaches_success(fake: FakeGitHub, gate: Gate) -> None:
    submission(fake)
    fake.review(5, "ann", "APPROVED")
    fake.review(5, "bob", "APPROVED")
    fake.fail = ("POST", r"/issues/5/comments$", 500)
    run = gate()
    assert run.code == 1
    assert run.err == "microcred: gate: POST /repos/consortium/catalog/issues/5/comments answered HTTP 500: Server Error\n"
    assert [s[1] for s in statuses(fake)] == ["pending", "failure"]


def test_a_closed_pull_request_is_left_alone(fake: FakeGitHub, gate: Gate) -> None:
    submission(fake)
    fake.pulls[5].state = "closed"
    assert gate().out == "pull request #5 is closed: nothing to do\n"
    assert fake.writes == []


def test_the_environment_and_the_number_are_checked(
    fake: FakeGitHub, cli: Callable[..., Run], repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    run = cli("gate", "--pr", "5", "--root", str(repo), cwd=repo)
    assert (run.code, run.err) == (2, "microcred: error: set GITHUB_TOKEN to a token that may write statuses, pull requests and issues\n")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_REPOSITORY", "just-a-name")
    run = cli("gate", "--pr", "5", "--root", str(repo), cwd=repo)
    assert (run.code, run.err) == (2, "microcred: error: set GITHUB_REPOSITORY to OWNER/NAME (it is 'just-a-name')\n")
    with pytest.raises(SystemExit) as usage:
        cli("gate", "--pr", "5; rm -rf /", cwd=repo)
    assert usage.value.code == 2
    assert fake.requests == []


# -- the workflows ------------------------------------------------------------------------------


def _workflow(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return data


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_the_relay_has_no_rights_and_only_records_the_number() -> None:
    relay = _workflow("review-relay.yml")
    assert relay[True] == {"pull_request_review": {"types": ["submitted", "edited", "dismissed"]}}  # PyYAML reads `on` as True
    assert relay["permissions"] == {}
    [job] = relay["jobs"].values()
    assert job["permissions"] == {}
    steps = _steps(relay)
    assert not [s for s in steps if "actions/checkout" in s.get("uses", "")]
    assert [s.get("uses", "run").split("@")[0] for s in steps] == ["run", "actions/upload-artifact"]
    assert steps[0]["env"] == {"PR_NUMBER": "${{ github.event.pull_request.number }}"}


def test_the_gate_workflow_runs_default_branch_code_with_least_privilege() -> None:
    text = (WORKFLOWS / "review-gate.yml").read_text(encoding="utf-8")
    workflow = _workflow("review-gate.yml")
    assert set(workflow[True]) == {"pull_request_target", "workflow_run", "workflow_dispatch"}
    assert workflow[True]["pull_request_target"] == {"types": ["opened", "synchronize", "reopened", "ready_for_review"]}
    assert workflow[True]["workflow_run"] == {"workflows": ["review relay"], "types": ["completed"]}
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["number"]["permissions"] == {"actions": "read"}
    assert jobs["gate"]["permissions"] == {"contents": "read", "statuses": "write", "pull-requests": "write", "issues": "write"}
    assert jobs["gate"]["concurrency"] == {"group": "review-gate-${{ needs.number.outputs.pr }}", "cancel-in-progress": False}
    [checkout] = [s for s in _steps(workflow) if "actions/checkout" in s.get("uses", "")]
    assert checkout["with"] == {"ref": "${{ github.event.repository.default_branch }}", "persist-credentials": False}
    assert not [
        word for word in ("pull_request.head", "head_ref", "head_sha", "refs/pull") if word in text
    ]  # never the pull request's code
    resolve = next(s for s in _steps(workflow) if s.get("id") == "resolve")
    assert "[0-9]" in resolve["run"] and "${{" not in resolve["run"]
    gate = next(s for s in jobs["gate"]["steps"] if "microcred gate" in s.get("run", ""))
    assert gate["run"] == 'microcred gate --pr "$PR_NUMBER"'
    assert gate["env"] == {"GITHUB_TOKEN": "${{ github.token }}", "PR_NUMBER": "${{ needs.number.outputs.pr }}"}


@pytest.mark.parametrize("name", ["review-relay.yml", "review-gate.yml"])
def test_gate_workflows_pin_every_action_to_a_commit(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    pinned = re.findall(r"^ +(?:- )?uses: ([\w./-]+)@([0-9a-f]{40})  # (v[\d.]+)$", text, re.MULTILINE)
    assert len(pinned) == len(re.findall(r"^ +(?:- )?uses:", text, re.MULTILINE)) > 0
    known = {
        "actions/checkout": ("11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2"),
        "actions/setup-python": ("42375524e23c412d93fb67b49958b491fce71c38", "v5.4.0"),
        "actions/upload-artifact": ("ea165f8d65b6e75b540449e92b4886f43607fa02", "v4.6.2"),
        "actions/download-artifact": ("d3f86a106a0bac45b974a628896c90dbdf5c8093", "v4.3.0"),
    }
    assert all(known[action] == (sha, version) for action, sha, version in pinned)
