"""Rounds of review, pure: the gate's dismissal message read back, ties replayed, one round per decided head; who may vote."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from microcred.catalog.model import Reviewer
from microcred.catalog.validate import validate
from microcred.review.review import Context, Review
from microcred.review.rounds import (
    Commit,
    Dismissal,
    attributed,
    contributors,
    decided_at,
    dismissal_message,
    foreign,
    had_tie,
    restore,
    rounds,
)
from support import make_repo

A, B, C = "a" * 40, "b" * 40, "c" * 40
QUALIFIED = {"ann": "north", "bob": "south", "cy": "south", "dan": "east"}
BASE = Context(kind="submission", head=A, author="dee", contributors=frozenset({"dee"}), qualified=QUALIFIED)


def r(review_id: int, login: str, state: str, commit: str = A, day: int = 0) -> Review:
    return Review(review_id, login, state, commit, f"2026-10-{10 + (day or review_id):02d}T12:00:00Z")  # type: ignore[arg-type]


def test_the_dismissal_message_records_the_vote() -> None:
    assert dismissal_message("bob", A, 2, 1, True) == (
        "microcred-gate: outvoted 2:1 after a tie-break; this review by @bob requested changes on aaaaaaa."
    )
    assert dismissal_message("Bob", B, 3, 1, False) == "microcred-gate: outvoted 3:1; this review by @Bob requested changes on bbbbbbb."


def test_only_the_gates_own_message_on_a_request_for_changes_restores_a_vote() -> None:
    bob, cy, dan, ann = r(1, "bob", "DISMISSED"), r(2, "cy", "DISMISSED"), r(3, "dan", "DISMISSED"), r(4, "ann", "DISMISSED")
    dismissals = [
        Dismissal(1, dismissal_message("BOB", A, 2, 1, True), "changes_requested"),  # logins compare folded
        Dismissal(2, dismissal_message("bob", A, 2, 1, True), "changes_requested"),  # names someone else
        Dismissal(3, dismissal_message("dan", B, 2, 1, False), "changes_requested"),  # another commit
        Dismissal(4, dismissal_message("ann", A, 2, 1, False), "approved"),  # a forged message cannot turn an approval around
    ]
    assert restore([bob, cy, dan, ann, r(5, "eve", "APPROVED")], dismissals) == (
        r(1, "bob", "CHANGES_REQUESTED"),
        cy,
        dan,
        ann,
        r(5, "eve", "APPROVED"),
    )
    assert restore([bob], [Dismissal(1, dismissal_message("bob", A, 2, 1, True) + " Thanks!")]) == (bob,)  # the whole message


def test_a_tie_is_found_when_the_votes_were_level_at_any_point() -> None:
    assert had_tie([r(1, "ann", "APPROVED"), r(2, "bob", "CHANGES_REQUESTED"), r(3, "cy", "APPROVED")], BASE)
    assert not had_tie([r(1, "ann", "APPROVED"), r(2, "cy", "APPROVED"), r(3, "bob", "CHANGES_REQUESTED")], BASE)
    assert not had_tie([], BASE)


def test_each_decided_head_is_a_round_and_an_undecided_one_is_not() -> None:
    reviews = [
        r(1, "ann", "CHANGES_REQUESTED", A),
        r(2, "bob", "CHANGES_REQUESTED", A),
        r(3, "ann", "APPROVED", B),  # B was force-pushed away before a second review
        r(4, "ann", "APPROVED", C),
        r(5, "bob", "CHANGES_REQUESTED", C),
        r(6, "cy", "APPROVED", C),
    ]
    commits = [Commit(A, "2026-10-01T08:00:00Z", ("dee",)), Commit(C, "2026-10-02T08:00:00Z", ("dee",))]
    found = rounds(reviews, BASE, commits, "2026-10-01T09:00:00Z")
    assert [(x.decision.head, x.decision.outcome, x.tiebreak, x.opened) for x in found] == [
        (A, "not-yet", False, "2026-10-01T09:00:00Z"),
        (C, "approved", True, "2026-10-12T12:00:00Z"),  # committed earlier, but up for review after the first decision
    ]
    assert [decided_at(x.decision) for x in found] == ["2026-10-12T12:00:00Z", "2026-10-16T12:00:00Z"]


def test_contributors_are_every_author_and_committer() -> None:
    assert contributors([Commit(A, "", ("dee",)), Commit(B, "", ("dee", "cy")), Commit(C, "", ())]) == frozenset({"dee", "cy"})


def test_a_submissions_foreign_commits_are_those_attributed_to_anyone_but_the_earner() -> None:
    own = [
        Commit(A, "", ("Dee",)),  # logins compare folded
        Commit(B, "", ("dee", "web-flow")),  # GitHub's committer of a web edit or "update branch"
        Commit(C, "", ()),  # addresses linked to no account
    ]
    assert foreign(own, "dee") == ()
    spoofed = [Commit("1a2b3c4" + "0" * 33, "", ("dee", "ann")), Commit("5d6e7f8" + "0" * 33, "", ("bob",))]
    assert foreign([*own, *spoofed], "dee") == tuple(spoofed)
    assert attributed(spoofed, "dee") == "commits 1a2b3c4, 5d6e7f8 are attributed to other accounts than the earner (dee)"
    assert attributed(spoofed[:1], "dee") == "commit 1a2b3c4 is attributed to another account than the earner (dee)"
    many = [Commit(f"{n:07x}" + "0" * 33, "", ("ann",)) for n in range(7)]
    assert attributed(many, "dee") == (
        "commits 0000000, 0000001, 0000002, 0000003, 0000004 and 2 more are attributed to other accounts than the earner (dee)"
    )


def test_the_catalog_names_who_may_vote_from_the_roster(tmp_path: Path) -> None:
    result = validate(make_repo(tmp_path / "repo"), model=True)
    assert result.catalog is not None
    catalog = result.catalog
    assert catalog.qualified("submission", "alpha") == {"ann": "north", "bob": "south", "cy": "south"}  # by stack or by name
    assert catalog.qualified("proposal") == {"ann": "north"}  # curators only
    ann, bob, cy = catalog.reviewers
    roster = (
        replace(ann, active=False),  # inactive: never counted
        replace(bob, roles=("curator",)),  # a curator whose stacks do not make them an assessor
        replace(cy, stacks=("basics", "gone"), credentials=()),  # a stack that does not exist qualifies for nothing
        Reviewer("dan", "Dan", ("assessor", "curator"), "east", ("delta",), (), True),
    )
    changed = replace(catalog, reviewers=roster)
    assert changed.qualified("submission", "alpha") == {"cy": "south"}
    assert changed.qualified("submission", "delta") == {"dan": "east"}
    assert changed.qualified("proposal") == {"bob": "south", "dan": "east"}
