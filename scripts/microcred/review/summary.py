"""The gate's summary comment, in Markdown, posted under the bot's name.

Anything the pull request supplies and nothing has validated (a file name, a field of the submission, a line
of a review) goes through `escape` before it reaches Markdown, so it can neither format the comment, link
anywhere, nor mention anyone. Logins from the API are GitHub's own and submission paths are checked against
the slug pattern before they are shown.
"""

from __future__ import annotations

import re

from ..catalog.model import Rubric
from . import review
from .pulls import Subject
from .rounds import dismissal_message

SUMMARY_MARKER = "<!-- microcred:gate -->"
TITLES = {"approved": "approved", "not-yet": "not yet", "tie": "tie", "pending": "waiting for reviews"}

# Markdown's and GitHub's active characters as character references, which Markdown shows and never interprets;
# "&" first, so a reference in the text shows as typed. A zero-width space after "@" keeps GitHub from seeing a
# mention in the rendered text.
_ENTITIES = {c: f"&#{ord(c)};" for c in "`*_[]<>|\\~"} | {"&": "&amp;", "@": "&#64;&#8203;"}
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def escape(text: str) -> str:
    """Untrusted text for a Markdown comment: shown as written, on one line, with no formatting, link or mention."""
    return "".join(_ENTITIES.get(c, c) for c in _LINE_BREAKS.sub(" ", text))


def render(subject: Subject, decision: review.Decision, tiebreak: str | None, tied_before: bool) -> str:
    """The summary comment: the decision, the counted votes, who was not counted and why, the rubric results."""
    what = "a proposal, reviewed by curators"
    if subject.credential is not None:
        what = f"the submission `{subject.path}` for **{subject.credential.title}** ({subject.credential.id} {subject.credential.version})"
    lines = [SUMMARY_MARKER, f"### Review gate: {TITLES[decision.outcome]}", "", f"Commit {decision.head[:7]}, {what}: {decision.reason}."]
    if decision.votes:
        lines += ["", "| reviewer | verdict | submitted |", "| --- | --- | --- |"]
        votes = sorted(decision.votes, key=lambda v: v.login.casefold())
        lines += [f"| `{v.login}` | {v.verdict.replace('-', ' ')} | {v.review.submitted_at[:10]} |" for v in votes]
    if decision.ignored:
        lines += ["", "Not counted:", *(f"- `{i.login}`: {i.reason}" for i in decision.ignored)]
    if subject.rubric is not None and decision.votes:
        lines += _rubric_lines(subject.rubric, sorted(decision.votes, key=lambda v: v.login.casefold()))
    if decision.outcome == "tie":
        lines += ["", f"`{tiebreak}` is asked for a review to break the tie." if tiebreak else _NOBODY]
    a, o = len(decision.approvals), len(decision.objections)
    for v in decision.objections if decision.outcome == "approved" else ():
        message = dismissal_message(v.login, v.review.commit, a, o, tied_before)
        lines += ["", f"The review by `{v.login}` asking for changes is outvoted, so the gate dismisses it with the message `{message}`"]
        lines.append("The merge is no longer blocked, and the vote stays in the record.")
    lines += ["", _FOOTER]
    return "\n".join(lines) + "\n"


def refusal(message: str) -> str:
    """The comment on a pull request the gate cannot judge; the message may quote the pull request, so it is escaped whole."""
    return f"{SUMMARY_MARKER}\n### Review gate: cannot judge this pull request\n\n{escape(message)}.\n\n{_FOOTER}\n"


_NOBODY = (
    "Nobody qualifies to break the tie: every other qualified reviewer voted, contributed, or is from the earner's district. "
    "An admin must qualify another reviewer in `catalog/reviewers.yml` (label `needs-admin`)."
)
_FOOTER = (
    "<sub>Counted by `microcred gate`: the latest approval or request for changes of each qualified reviewer on the head commit counts; "
    "the roster comes from the default branch.</sub>"
)


def _rubric_lines(rubric: Rubric, votes: list[review.Vote]) -> list[str]:
    labels = {level.id: level.label for level in rubric.levels}
    scores = {v.login: review.parse_scores(v.review.body, rubric) for v in votes}
    lines = ["", "Rubric results:", "", "| criterion | " + " | ".join(f"`{v.login}`" for v in votes) + " |"]
    lines.append("| --- |" + " --- |" * len(votes))
    for criterion in rubric.criteria:
        cells = [labels.get(scores[v.login].levels.get(criterion.id, ""), "–") for v in votes]
        lines.append(f"| {criterion.title} (`{criterion.id}`) | " + " | ".join(cells) + " |")
    # A problem may quote a line of the review word for word.
    problems = [f"- `{v.login}`: {escape(p)}" for v in votes for p in review.score_problems(v.verdict, scores[v.login], rubric)]
    return lines + (["", "Score problems:", *problems] if problems else [])
