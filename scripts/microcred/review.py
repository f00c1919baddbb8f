"""Review semantics, pure: who counts, what the votes decide, rubric scores in review text, the tie-break pick.

Nothing here touches GitHub, files or the clock: the gate (gate.py) gathers the facts
through the API and passes them in, so every rule is table-tested.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from .model import Rubric

State = Literal["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]
Outcome = Literal["approved", "not-yet", "tie", "pending"]
Verdict = Literal["approved", "not-yet"]


@dataclass(frozen=True)
class Review:
    """One review as GitHub reports it."""

    id: int
    login: str
    state: State
    commit: str  # the head commit the review was made on
    submitted_at: str  # ISO 8601, UTC
    body: str = ""
    bot: bool = False  # the account is a GitHub App or bot (type "Bot", or a login ending in "[bot]")


@dataclass(frozen=True)
class Context:
    """What a pull request is and who may vote on it."""

    kind: Literal["submission", "proposal"]
    head: str  # the current head commit: reviews on any other commit are stale
    author: str
    contributors: frozenset[str]  # logins of everyone who authored or committed a commit of the PR
    qualified: Mapping[str, str]  # login -> district of each active reviewer qualified for this PR
    earner_district: str | None = None  # set only when the consortium excludes the earner's district


@dataclass(frozen=True)
class Vote:
    login: str
    verdict: Verdict
    review: Review


@dataclass(frozen=True)
class Ignored:
    login: str
    reason: str  # in words, e.g. "the author of the pull request"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    approvals: tuple[Vote, ...]
    objections: tuple[Vote, ...]
    ignored: tuple[Ignored, ...]
    reason: str  # the outcome in words, for the status description and the summary comment
    head: str = ""

    @property
    def votes(self) -> tuple[Vote, ...]:
        return self.approvals + self.objections


@dataclass(frozen=True)
class Scores:
    """A reviewer's per-criterion rubric results read from their review text."""

    levels: Mapping[str, str]  # criterion id -> level id
    unscored: tuple[str, ...]  # criterion ids with no readable level
    unreadable: tuple[str, ...] = field(default=())  # score lines naming no criterion or no level


def decide(reviews: Sequence[Review], context: Context) -> Decision:
    raise NotImplementedError


def scoring_template(rubric: Rubric) -> str:
    raise NotImplementedError


def parse_scores(body: str, rubric: Rubric) -> Scores:
    raise NotImplementedError


def score_problems(verdict: Verdict, scores: Scores, rubric: Rubric) -> tuple[str, ...]:
    raise NotImplementedError


def meets(levels: Mapping[str, str], rubric: Rubric) -> bool:
    raise NotImplementedError


def pick_tiebreaker(context: Context, decision: Decision, open_requests: Mapping[str, int], salt: str) -> str | None:
    raise NotImplementedError


def pseudonym(key: bytes, consortium: str, login: str) -> str:
    raise NotImplementedError
