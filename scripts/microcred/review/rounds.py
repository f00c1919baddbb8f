"""Rounds of review, pure: a pull request's reviews over time, read back from what GitHub keeps.

GitHub keeps no vote once a review is dismissed, and no list of decisions: the gate's dismissal
message records the outvoted vote, and each head commit that reached a decision is a round. This
module turns the facts the adapter (github.py) gathers into review.py's inputs, for the gate's
count of the current head and for the record that mint keeps of every round.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from ..catalog.model import Catalog
from . import review

# The outvoted review is dismissed with the vote in words; restore() reads it back to keep the vote.
DISMISSAL = "microcred-gate: outvoted {approvals}:{objections}{after}; this review by @{login} requested changes on {sha7}."
_DISMISSAL = re.compile(
    r"microcred-gate: outvoted \d+:\d+(?: after a tie-break)?; this review by @(\S+) requested changes on ([0-9a-f]{7})\."
)
WEB_FLOW = "web-flow"  # GitHub's account that commits web edits, merges and "update branch" on someone's behalf


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # the committer date, ISO 8601 UTC
    logins: tuple[str, ...]  # the GitHub accounts of its author and committer, where git's emails map to one


@dataclass(frozen=True)
class Dismissal:
    review_id: int
    message: str
    state: str = ""  # the review's state when it was dismissed, as GitHub reports it (e.g. "changes_requested")


@dataclass(frozen=True)
class Round:
    decision: review.Decision
    tiebreak: bool  # the votes on this head were tied at some point, so a third reviewer was asked
    opened: str  # ISO 8601 UTC: when this head was up for review


def contributors(commits: Sequence[Commit]) -> frozenset[str]:
    """The logins of everyone who authored or committed a commit of the pull request."""
    return frozenset(login for c in commits for login in c.logins)


def context_for(
    catalog: Catalog,
    kind: Literal["submission", "proposal"],
    credential: str | None,
    district: str | None,
    head: str,
    author: str,
    commits: Sequence[Commit],
) -> review.Context:
    """Who may vote on a pull request: the roster's qualified reviewers, not the earner's district when the consortium says so."""
    return review.Context(
        kind=kind,
        head=head,
        author=author,
        contributors=contributors(commits),
        qualified=catalog.qualified(kind, credential),
        earner_district=district if catalog.consortium.exclude_earner_district else None,
        blind=catalog.consortium.blind is not None and kind == "submission",
    )


def foreign(commits: Sequence[Commit], earner: str) -> tuple[Commit, ...]:
    """The commits attributed to an account other than the earner's, as author or committer.

    A submission is the earner's own work. A commit whose author address is a reviewer's makes GitHub attribute it
    to that reviewer, who then no longer counts as one, so such a commit must not stand in a submission.
    GitHub's own committer of web edits and merges (web-flow) is nobody's, and a commit with no linked account is no one's.
    """
    mine = {earner.casefold(), WEB_FLOW}
    return tuple(c for c in commits if any(login.casefold() not in mine for login in c.logins))


def attributed(commits: Sequence[Commit], earner: str) -> str:
    """Foreign commits in words, at most five by their short sha: "commits 1a2b3c4, 5d6e7f8 are attributed to …"."""
    shas = ", ".join(c.sha[:7] for c in commits[:5]) + (f" and {len(commits) - 5} more" if len(commits) > 5 else "")
    if len(commits) == 1:
        return f"commit {shas} is attributed to another account than the earner ({earner})"
    return f"commits {shas} are attributed to other accounts than the earner ({earner})"


def dismissal_message(login: str, commit: str, approvals: int, objections: int, tiebreak: bool) -> str:
    """The message the gate dismisses an outvoted review with, e.g. "… outvoted 2:1 after a tie-break; … by @bob …"."""
    after = " after a tie-break" if tiebreak else ""
    return DISMISSAL.format(approvals=approvals, objections=objections, after=after, login=login, sha7=commit[:7])


def had_tie(reviews: Sequence[review.Review], context: review.Context) -> bool:
    """Whether the votes on the head were tied at some point, replayed in the order they were given."""
    ordered = sorted(reviews, key=lambda r: (r.submitted_at, r.id))
    return any(review.decide(ordered[:n], context).outcome == "tie" for n in range(1, len(ordered) + 1))


def restore(reviews: Sequence[review.Review], dismissals: Sequence[Dismissal]) -> tuple[review.Review, ...]:
    """Reviews with each one the gate dismissed as outvoted given back its "request changes" verdict.

    Only the gate's own message counts, naming the review's author and commit. A dismissed approval stays
    dismissed whatever its message says: a forged message cannot turn an approval into a request for changes.
    """
    outvoted = {}
    for d in dismissals:
        found = _DISMISSAL.fullmatch(d.message)
        if found and d.state.casefold() != "approved":
            outvoted[d.review_id] = (found[1].casefold(), found[2])
    return tuple(
        replace(r, state="CHANGES_REQUESTED")
        if r.state == "DISMISSED" and r.id in outvoted and outvoted[r.id] == (r.login.casefold(), r.commit[:7])
        else r
        for r in reviews
    )


def rounds(reviews: Sequence[review.Review], base: review.Context, commits: Sequence[Commit], opened: str) -> tuple[Round, ...]:
    """Each head that reached approved or not yet, oldest first.

    Heads are taken in the order they were first reviewed, so a commit later force-pushed away keeps its round.
    """
    dates = {c.sha: c.date for c in commits}
    ordered = sorted(reviews, key=lambda r: (r.submitted_at, r.id))
    found: list[Round] = []
    for head in dict.fromkeys(r.commit for r in ordered if r.submitted_at):
        on_head = [r for r in ordered if r.commit == head]  # only this head's reviews, or later ones make them stale
        context = replace(base, head=head)
        decision = review.decide(on_head, context)
        if decision.outcome in ("approved", "not-yet"):
            # The head was pushed after the previous decision at the earliest, whatever date its commit claims.
            start = opened if not found else max(dates.get(head, ""), decided_at(found[-1].decision))
            found.append(Round(decision, had_tie(on_head, context), start))
    return tuple(found)


def decided_at(decision: review.Decision) -> str:
    """When a decision was reached: the time of the last vote that counted."""
    return max(vote.review.submitted_at for vote in decision.votes)
