"""Review records: what the gate decided for a merged submission, round by round, with reviewers pseudonymised.

One file per merged submission at records/<credential>/<submission>.yml, written once by mint;
reports read them. The text is written here so that it is the same byte for byte from run to run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .yamltext import scalar

RECORDS_DIR = "records"


def from_submission(submission: Mapping[str, Any]) -> dict[str, Any]:
    """What a review record must say as its submission does, by field; compared case-insensitively."""
    if "blind" in submission:  # relayed for blind review: its public record names the opaque id alone
        return {
            "credential": submission["credential"],
            "version": submission["version"],
            "earner": submission["blind"],
            "district": submission["blind"],
        }
    earner = submission["earner"]
    return {
        "credential": submission["credential"],
        "version": submission["version"],
        "earner": earner["login"],
        "district": earner["district"],
    }


@dataclass(frozen=True)
class ReviewRecord:
    reviewer: str  # a pseudonym, never a login
    verdict: str  # approved | not-yet
    reviewed_on: str
    scores: Mapping[str, str]  # criterion id -> level id

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ReviewRecord:
        return cls(d["reviewer"], d["verdict"], d["reviewed_on"], dict(d.get("scores") or {}))


@dataclass(frozen=True)
class Round:
    head: str
    opened_on: str
    decided_on: str
    outcome: str  # approved | not-yet
    tiebreak: bool
    reviews: tuple[ReviewRecord, ...]

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Round:
        return cls(
            d["head"], d["opened_on"], d["decided_on"], d["outcome"], d["tiebreak"], tuple(ReviewRecord.from_dict(r) for r in d["reviews"])
        )


@dataclass(frozen=True)
class Record:
    submission: str
    credential: str
    version: str
    earner: str
    district: str
    pull_request: int
    submitted_on: str
    merged_at: str
    rounds: tuple[Round, ...]

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Record:
        return cls(
            d["submission"],
            d["credential"],
            d["version"],
            d["earner"],
            d["district"],
            d["pull_request"],
            d["submitted_on"],
            d["merged_at"],
            tuple(Round.from_dict(r) for r in d["rounds"]),
        )

    @property
    def path(self) -> str:
        return f"{RECORDS_DIR}/{self.credential}/{self.submission}.yml"

    @property
    def approved(self) -> bool:
        return bool(self.rounds) and self.rounds[-1].outcome == "approved"

    @property
    def first_review_on(self) -> str | None:
        dates = [r.reviewed_on for round_ in self.rounds for r in round_.reviews]
        return min(dates) if dates else None

    def to_yaml(self) -> str:
        """The record as YAML text, keys in a fixed order."""
        lines = [
            "# yaml-language-server: $schema=../../schemas/record.schema.json",
            "# Written by `microcred mint` when the submission was merged; never edited by hand.",
        ]
        for key in ("submission", "credential", "version", "earner", "district", "pull_request", "submitted_on", "merged_at"):
            lines.append(f"{key}: {scalar(getattr(self, key))}")
        lines.append("rounds:")
        for round_ in self.rounds:
            lines.append(f"  - head: {scalar(round_.head)}")
            for key in ("opened_on", "decided_on", "outcome", "tiebreak"):
                lines.append(f"    {key}: {scalar(getattr(round_, key))}")
            lines.append("    reviews:" if round_.reviews else "    reviews: []")
            for review in round_.reviews:
                lines.append(f"      - reviewer: {scalar(review.reviewer)}")
                lines.append(f"        verdict: {scalar(review.verdict)}")
                lines.append(f"        reviewed_on: {scalar(review.reviewed_on)}")
                scores = ", ".join(f"{scalar(k, flow=True)}: {scalar(v, flow=True)}" for k, v in sorted(review.scores.items()))
                lines.append(f"        scores: {{{scores}}}")
        return "\n".join(lines) + "\n"
