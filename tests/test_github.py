"""The PyGithub adapter and the approval record, against a fake GitHub that real PyGithub talks to over HTTP."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from fakegithub import BOT, REPOSITORY, TOKEN, FakeGitHub, serve
from microcred.catalog.model import Catalog
from microcred.catalog.records import Record, ReviewRecord, Round
from microcred.catalog.validate import validate
from microcred.review import review
from microcred.review.github import Hub, approval_record
from microcred.review.pulls import GateError, Status
from microcred.review.rounds import Dismissal
from support import make_repo

A, B, C = "a" * 40, "b" * 40, "c" * 40
SUBMISSION = "submissions/alpha/dee-alpha-1.yml"
ALL_MET = "- context: met\n- plan: met\n- impact: met\n"
KEY = b"k" * 32


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    with serve() as fake:
        yield fake


@pytest.fixture
def hub(fake: FakeGitHub) -> Iterator[Hub]:
    hub = Hub.connect(fake.url, TOKEN, REPOSITORY)
    yield hub
    hub.close()


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    result = validate(make_repo(tmp_path_factory.mktemp("catalog") / "repo"), model=True)
    assert result.catalog is not None
    return result.catalog


def calls(fake: FakeGitHub, method: str = "") -> list[str]:
    return [
        f"{r.method} {r.path}" + (f"?page={r.query['page']}" if "page" in r.query else "")
        for r in fake.requests
        if r.method == method or not method
    ]


def test_reviews_are_read_across_pages_with_every_field(fake: FakeGitHub, hub: Hub) -> None:
    fake.max_per_page = 3
    fake.users["helper[bot]"] = "Bot"
    fake.pull(5, "dee", [A], {SUBMISSION: "added"})
    ids = [fake.review(5, login, "COMMENTED", body=f"note {n}") for n, login in enumerate(["ann", "bob", "cy", "eve", "fay", "gus", "hal"])]
    ids.append(fake.review(5, "helper[bot]", "APPROVED"))
    ids.append(fake.review(5, "ann", "PENDING"))
    found = hub.reviews(5)
    assert [r.id for r in found] == ids
    assert found[0] == review.Review(ids[0], "ann", "COMMENTED", A, "2026-10-10T12:00:00Z", "note 0", False)
    assert found[7] == review.Review(ids[7], "helper[bot]", "APPROVED", A, "2026-10-17T12:00:00Z", "", True)
    assert found[8].submitted_at == ""  # a pending review has no time
    assert calls(fake) == [  # a lazy pull request: no request for it before its reviews
        "GET /repos/consortium/catalog/pulls/5/reviews",
        "GET /repos/consortium/catalog/pulls/5/reviews?page=2",
        "GET /repos/consortium/catalog/pulls/5/reviews?page=3",
    ]
    assert [r.query["per_page"] for r in fake.requests] == ["100", "100", "100"]  # asked for 100, given 3


def test_pull_facts_commits_files_and_contents(fake: FakeGitHub, hub: Hub) -> None:
    fake.commit(A, "dee")
    fake.commit(B, None, "cy", date="2026-10-03T10:00:00Z")  # an author whose email maps to no account
    files = {SUBMISSION: "added", "README.md": "removed", "docs/new.md": "renamed"}
    fake.pull(5, "dee", [A, B], files, requested=["cy"], labels=["approved"], previous={"docs/new.md": "docs/old.md"})
    fake.file(B, SUBMISSION, "id: x\n")
    pull = hub.pull(5)
    assert (pull.number, pull.state, pull.author, pull.head, pull.created_at, pull.merged_at, pull.requested) == (
        5,
        "open",
        "dee",
        B,
        "2026-10-01T09:00:00Z",
        None,
        ("cy",),
    )
    assert hub.labels(5) == ("approved",)
    assert hub.files(5) == ((SUBMISSION, "added"), ("README.md", "removed"), ("docs/new.md", "renamed"), ("docs/old.md", "removed"))
    assert [(c.sha, c.date, c.logins) for c in hub.commits(5)] == [
        (A, "2026-10-01T08:00:00Z", ("dee",)),
        (B, "2026-10-03T10:00:00Z", ("cy",)),
    ]
    assert hub.file_at(SUBMISSION, B) == b"id: x\n"
    with pytest.raises(GateError) as missing:
        hub.file_at(SUBMISSION, A)
    assert str(missing.value) == f"GET /repos/consortium/catalog/contents/{SUBMISSION}?ref={A} answered HTTP 404: Not Found"


def test_writes_reach_github_as_the_api_expects(fake: FakeGitHub, hub: Hub) -> None:
    fake.pull(5, "dee", [A], {SUBMISSION: "added"}, labels=["not-yet"])
    bob = fake.review(5, "bob", "CHANGES_REQUESTED")
    hub.set_status(A, "pending", "x" * 200)
    hub.ensure_label("approved", "0e8a16", "Approved")
    hub.ensure_label("approved", "0e8a16", "Approved")  # already there: not created twice
    hub.add_label(5, "approved")
    hub.remove_label(5, "not-yet")
    hub.request_review(5, "cy")
    hub.comment(5, "first")
    [comment] = hub.comments(5)
    hub.edit_comment(comment.id, "edited")
    hub.reviews(5)
    hub.dismiss(5, bob, "outvoted")
    assert fake.statuses == [
        {
            "id": fake.statuses[0]["id"],
            "sha": A,
            "state": "pending",
            "description": "x" * 140,
            "context": "microcred/review-gate",
            "target_url": None,
        }
    ]
    assert fake.labels == {"approved": {"color": "0e8a16", "description": "Approved"}}
    assert fake.pulls[5].labels == ["approved"]
    assert fake.pulls[5].requested == ["cy"]
    assert [(c["login"], c["body"]) for c in fake.comments] == [(BOT, "edited")]
    assert comment.bot and comment.login == BOT
    assert fake.reviews[5][0]["state"] == "DISMISSED"
    assert hub.dismissals(5) == (Dismissal(bob, "outvoted", "changes_requested"),)
    assert calls(fake, "POST") + calls(fake, "PUT") + calls(fake, "PATCH") + calls(fake, "DELETE") == [
        f"POST /repos/consortium/catalog/statuses/{A}",
        "POST /repos/consortium/catalog/labels",
        "POST /repos/consortium/catalog/issues/5/labels",
        "POST /repos/consortium/catalog/pulls/5/requested_reviewers",
        "POST /repos/consortium/catalog/issues/5/comments",
        f"PUT /repos/consortium/catalog/pulls/5/reviews/{bob}/dismissals",
        f"PATCH /repos/consortium/catalog/issues/comments/{comment.id}",
        "DELETE /repos/consortium/catalog/issues/5/labels/not-yet",
    ]


def test_open_requests_are_counted_over_every_page_of_open_pull_requests(fake: FakeGitHub, hub: Hub) -> None:
    fake.max_per_page = 2
    fake.pull(5, "dee", [A], {}, requested=["cy", "bob"])
    fake.pull(6, "eve", [B], {}, requested=["cy"])
    fake.pull(7, "fay", [C], {}, requested=["cy", "ann"], state="closed")
    fake.pull(8, "gus", ["d" * 40], {}, requested=["ann"])
    fake.pull(9, "hal", ["e" * 40], {})
    fake.pull(10, "ivy", ["f" * 40], {}, requested=["cy"])  # the newest first: 10, 9 | 8, 6 | 5
    assert hub.open_requests() == {"ann": 1, "bob": 1, "cy": 3}
    assert calls(fake) == [
        "GET /repos/consortium/catalog/pulls",
        "GET /repos/consortium/catalog/pulls?page=2",
        "GET /repos/consortium/catalog/pulls?page=3",
    ]
    assert fake.requests[0].query == {"state": "open", "per_page": "100"}


def test_labels_comments_and_dismissals_are_read_across_pages(fake: FakeGitHub, hub: Hub) -> None:
    fake.max_per_page = 2
    fake.pull(5, "dee", [A], {}, labels=["a", "b", "c", "approved", "e"])
    for n, login in enumerate(["eve", BOT, "fay"]):
        fake.comments.append({"id": n + 1, "number": 5, "login": login, "body": f"c{n}", "created_at": "", "updated_at": ""})
    fake.comments.append({"id": 9, "number": 6, "login": BOT, "body": "another pull request", "created_at": "", "updated_at": ""})
    ids = [fake.review(5, login, "CHANGES_REQUESTED") for login in ("ann", "bob", "cy")]
    hub.reviews(5)
    for n, review_id in enumerate(ids):
        fake.events.setdefault(5, []).append({"id": 50 + n, "event": "labeled", "actor": None, "created_at": "2026-10-19T12:00:00Z"})
        hub.dismiss(5, review_id, f"message {n}")
    assert hub.labels(5) == ("a", "b", "c", "approved", "e")
    assert [(c.id, c.login, c.bot, c.body) for c in hub.comments(5)] == [
        (1, "eve", False, "c0"),
        (2, BOT, True, "c1"),
        (3, "fay", False, "c2"),
    ]
    assert hub.dismissals(5) == (
        Dismissal(ids[0], "message 0", "changes_requested"),
        Dismissal(ids[1], "message 1", "changes_requested"),
        Dismissal(ids[2], "message 2", "changes_requested"),
    )
    pages = [c for c in calls(fake, "GET") if "/issues/5/" in c]
    assert pages == [
        "GET /repos/consortium/catalog/issues/5/labels",
        "GET /repos/consortium/catalog/issues/5/labels?page=2",
        "GET /repos/consortium/catalog/issues/5/labels?page=3",
        "GET /repos/consortium/catalog/issues/5/comments",
        "GET /repos/consortium/catalog/issues/5/comments?page=2",
        "GET /repos/consortium/catalog/issues/5/events",
        "GET /repos/consortium/catalog/issues/5/events?page=2",
        "GET /repos/consortium/catalog/issues/5/events?page=3",
    ]


def test_the_latest_status_of_the_gate_is_found_among_newer_ones(fake: FakeGitHub, hub: Hub) -> None:
    fake.max_per_page = 2
    assert hub.status(A) is None
    fake.status(A, "pending", "counting", creator="maintainer")
    fake.status(A, "success", "2/2 qualified approvals on aaaaaaa")
    fake.status(B, "failure", "another commit")
    for context in ("ci/a", "ci/b", "ci/c"):
        fake.status(A, "success", "fine", context=context)
    start = len(fake.requests)
    assert hub.status(A) == Status("success", "2/2 qualified approvals on aaaaaaa", BOT, True)
    assert calls(fake)[start:] == [f"GET /repos/consortium/catalog/statuses/{A}", f"GET /repos/consortium/catalog/statuses/{A}?page=2"]
    fake.status(A, "failure", "by hand", creator="maintainer")
    assert hub.status(A) == Status("failure", "by hand", "maintainer", False)
    assert hub.status(B) == Status("failure", "another commit", BOT, True)


def test_a_read_only_token_is_named_on_a_write(fake: FakeGitHub, hub: Hub) -> None:
    fake.read_only = True
    fake.pull(5, "dee", [A], {})
    with pytest.raises(GateError) as refused:
        hub.add_label(5, "approved")
    assert str(refused.value) == (
        "POST /repos/consortium/catalog/issues/5/labels answered HTTP 403: Resource not accessible by integration; "
        "the token is read-only here: the gate's job needs statuses: write, pull-requests: write and issues: write"
    )
    assert refused.value.call == "POST /repos/consortium/catalog/issues/5/labels"
    assert len(fake.writes) == 1  # a refused write is not retried


def test_server_errors_are_retried_twice_on_reads_and_never_on_posts(fake: FakeGitHub, hub: Hub) -> None:
    fake.pull(5, "dee", [A], {})
    fake.fail = ("GET", r"/reviews$", 502)
    with pytest.raises(GateError) as failed:
        hub.reviews(5)
    assert str(failed.value) == "GET /repos/consortium/catalog/pulls/5/reviews answered HTTP 502: Server Error"
    assert calls(fake, "GET").count("GET /repos/consortium/catalog/pulls/5/reviews") == 3
    fake.fail = ("POST", r"/comments$", 503)
    with pytest.raises(GateError, match=r"^POST /repos/consortium/catalog/issues/5/comments answered HTTP 503: Server Error$"):
        hub.comment(5, "hello")
    assert len(fake.writes) == 1


def test_a_bad_token_and_an_absent_server_are_errors_with_the_call(fake: FakeGitHub) -> None:
    wrong = Hub.connect(fake.url, "wrong", REPOSITORY)
    with pytest.raises(
        GateError, match=r"^GET /repos/consortium/catalog/pulls/5 answered HTTP 401: Bad credentials; the token was refused$"
    ):
        wrong.pull(5)
    wrong.close()
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    nowhere = Hub.connect(f"http://127.0.0.1:{port}", TOKEN, REPOSITORY)
    with pytest.raises(GateError, match=r"^GET /repos/consortium/catalog/pulls/5 got no answer: "):
        nowhere.pull(5)
    nowhere.close()


def test_merged_pull_finds_the_pull_request_of_a_merge_commit(fake: FakeGitHub, hub: Hub) -> None:
    fake.pull(5, "dee", [A], {}, state="closed", merged_at="2026-10-20T15:04:05Z", merge_commit_sha=C)
    fake.pull(6, "eve", [B], {})
    fake.commit(C, "ann")
    assert hub.merged_pull(C) == 5
    assert hub.merged_pull(A) == 5  # a commit of the pull request, merged by it
    assert hub.merged_pull(B) is None  # open, not merged
    fake.commit("d" * 40, "ann")
    assert hub.merged_pull("d" * 40) is None


def _submission(fake: FakeGitHub, *heads: str) -> dict[str, object]:
    fake.pull(5, "dee", list(heads), {SUBMISSION: "added"}, created_at="2026-10-01T09:00:00Z")
    return {"id": "dee-alpha-1", "credential": "alpha", "version": "1.0.0", "earner": {"login": "dee", "district": "north"}}


def _merge(fake: FakeGitHub) -> None:
    fake.pulls[5].state, fake.pulls[5].merged_at = "closed", "2026-10-20T15:04:05Z"


def name(login: str) -> str:
    return review.pseudonym(KEY, "test-consortium", login)


def test_approval_record_keeps_a_not_yet_round_and_the_approval_after_a_push(fake: FakeGitHub, hub: Hub, catalog: Catalog) -> None:
    submission = _submission(fake, A)
    fake.review(5, "ann", "CHANGES_REQUESTED", body="- context: met\n- plan: not yet\n- impact: met", at="2026-10-05T10:00:00Z")
    fake.review(5, "bob", "COMMENTED", body="Looking.", at="2026-10-05T11:00:00Z")
    fake.review(5, "bob", "CHANGES_REQUESTED", body="plan: not-yet", at="2026-10-06T10:00:00Z")
    fake.push(5, B, date="2026-10-04T10:00:00Z")  # committed before the decision, pushed after it
    fake.review(5, "ann", "APPROVED", body=ALL_MET, at="2026-10-10T10:00:00Z")
    fake.review(5, "dee", "APPROVED", at="2026-10-10T11:00:00Z")  # the earner: not counted
    fake.review(5, "cy", "APPROVED", body="**Context**: Demonstrated", at="2026-10-12T10:00:00Z")
    _merge(fake)
    record = approval_record(hub, 5, catalog, submission, catalog.rubrics["alpha"], KEY)
    assert record == Record(
        submission="dee-alpha-1",
        credential="alpha",
        version="1.0.0",
        earner="dee",
        district="north",
        pull_request=5,
        submitted_on="2026-10-01",
        merged_at="2026-10-20T15:04:05Z",
        rounds=(
            Round(
                A,
                "2026-10-01",
                "2026-10-06",
                "not-yet",
                False,
                (
                    ReviewRecord(name("ann"), "not-yet", "2026-10-05", {"context": "met", "plan": "not-yet", "impact": "met"}),
                    ReviewRecord(name("bob"), "not-yet", "2026-10-06", {"plan": "not-yet"}),
                ),
            ),
            Round(
                B,
                "2026-10-06",
                "2026-10-12",
                "approved",
                False,
                (
                    ReviewRecord(name("ann"), "approved", "2026-10-10", {"context": "met", "plan": "met", "impact": "met"}),
                    ReviewRecord(name("cy"), "approved", "2026-10-12", {"context": "met"}),
                ),
            ),
        ),
    )
    assert name("ann").startswith("rv-") and len(name("ann")) == 15


def test_approval_record_restores_the_review_outvoted_after_a_tie_break(fake: FakeGitHub, hub: Hub, catalog: Catalog) -> None:
    submission = _submission(fake, A)
    fake.review(5, "ann", "APPROVED", body=ALL_MET, at="2026-10-05T10:00:00Z")
    bob = fake.review(5, "bob", "CHANGES_REQUESTED", body="- impact: not yet", at="2026-10-06T10:00:00Z")
    fake.review(5, "cy", "APPROVED", body=ALL_MET, at="2026-10-09T10:00:00Z")
    hub.reviews(5)
    hub.dismiss(5, bob, "microcred-gate: outvoted 2:1 after a tie-break; this review by @bob requested changes on aaaaaaa.")
    _merge(fake)
    [only] = approval_record(hub, 5, catalog, submission, catalog.rubrics["alpha"], KEY).rounds
    assert only == Round(
        A,
        "2026-10-01",
        "2026-10-09",
        "approved",
        True,
        (
            ReviewRecord(name("ann"), "approved", "2026-10-05", {"context": "met", "plan": "met", "impact": "met"}),
            ReviewRecord(name("bob"), "not-yet", "2026-10-06", {"impact": "not-yet"}),
            ReviewRecord(name("cy"), "approved", "2026-10-09", {"context": "met", "plan": "met", "impact": "met"}),
        ),
    )


def test_approval_record_refuses_what_was_not_approved(fake: FakeGitHub, hub: Hub, catalog: Catalog) -> None:
    submission = _submission(fake, A)
    fake.review(5, "ann", "APPROVED", at="2026-10-05T10:00:00Z")
    with pytest.raises(GateError, match=r"^pull request #5 is not merged$"):
        approval_record(hub, 5, catalog, submission, catalog.rubrics["alpha"], KEY)
    fake.review(5, "bob", "APPROVED", at="2026-10-06T10:00:00Z")
    fake.push(5, B, date="2026-10-07T10:00:00Z")  # merged after a push nobody reviewed
    _merge(fake)
    fresh = Hub.connect(fake.url, TOKEN, REPOSITORY)
    with pytest.raises(GateError) as refused:
        approval_record(fresh, 5, catalog, submission, catalog.rubrics["alpha"], KEY)
    fresh.close()
    assert str(refused.value) == "pull request #5 was merged at bbbbbbb without an approval there (last round: approved on aaaaaaa)"


def test_approval_record_refuses_a_pull_request_that_is_not_the_earners_own(fake: FakeGitHub, catalog: Catalog) -> None:
    submission = _submission(fake, A)
    fake.review(5, "ann", "APPROVED", body=ALL_MET, at="2026-10-05T10:00:00Z")
    fake.review(5, "bob", "APPROVED", body=ALL_MET, at="2026-10-06T10:00:00Z")
    _merge(fake)

    def record() -> Record:
        hub = Hub.connect(fake.url, TOKEN, REPOSITORY)  # a new run: nothing read before is kept
        try:
            return approval_record(hub, 5, catalog, submission, catalog.rubrics["alpha"], KEY)
        finally:
            hub.close()

    fake.pulls[5].author = "eve"  # eve opened the pull request for dee's submission
    with pytest.raises(GateError, match=r"^pull request #5 was opened by eve, not by the earner dee$"):
        record()
    fake.pulls[5].author = "DEE"  # logins compare folded
    fake.commit(B, "dee", "web-flow")  # "update branch" on GitHub: committed by web-flow for dee
    fake.commit(C, "bob", "dee")  # dee's commit under bob's address: bob would no longer count as a reviewer
    fake.pulls[5].commits = [B, C, A]
    with pytest.raises(GateError) as foreign:
        record()
    assert str(foreign.value) == (
        "pull request #5: commit ccccccc is attributed to another account than the earner (dee); a submission's commits are the earner's own"
    )
    fake.pulls[5].commits = [B, A]
    assert [r.outcome for r in record().rounds] == ["approved"]
