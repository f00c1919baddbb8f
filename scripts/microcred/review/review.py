"""Review semantics, pure: who counts, what the votes decide, rubric scores in review text, the tie-break pick.

Nothing here touches GitHub, files or the clock: the gate (gate.py) gathers the facts
through the API and passes them in, so every rule is table-tested.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from ..catalog.model import Rubric

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
    blind: bool = False  # relayed for blind review: why a vote does not count never says whose the evidence is


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

    levels: Mapping[str, str]  # criterion id -> level id, in rubric order
    unscored: tuple[str, ...]  # criterion ids with no readable level
    unreadable: tuple[str, ...] = field(default=())  # score lines naming no criterion or no level


def decide(reviews: Sequence[Review], context: Context) -> Decision:
    """What the reviews on a pull request decide: approved, not yet, tie or pending, with who counted and who did not.

    Only logins with an APPROVED, CHANGES_REQUESTED or DISMISSED review appear in the result: a reviewer who only
    commented never voted, so there is nothing to ignore.
    """
    # ISO 8601 UTC timestamps as GitHub writes them sort as text; the id orders reviews submitted in the same second.
    latest: dict[str, Review] = {}
    for review in sorted(reviews, key=lambda r: (r.submitted_at, r.id)):
        if review.state in ("APPROVED", "CHANGES_REQUESTED", "DISMISSED"):
            latest[review.login.casefold()] = review
    approvals: list[Vote] = []
    objections: list[Vote] = []
    ignored: list[Ignored] = []
    for review in latest.values():
        why = _not_counted(review.login, review.bot, context) or _no_vote(review, context)
        if why:
            ignored.append(Ignored(review.login, why))
        elif review.state == "APPROVED":
            approvals.append(Vote(review.login, "approved", review))
        else:
            objections.append(Vote(review.login, "not-yet", review))
    a, o = len(approvals), len(objections)
    outcome: Outcome
    if a >= 2 and a > o:
        outcome = "approved"
    elif o >= 2 and o > a:
        outcome = "not-yet"
    elif a == o >= 1:
        outcome = "tie"
    else:
        outcome = "pending"

    def by_login(item: Vote | Ignored) -> tuple[str, str]:
        return item.login.casefold(), item.login

    return Decision(
        outcome=outcome,
        approvals=tuple(sorted(approvals, key=by_login)),
        objections=tuple(sorted(objections, key=by_login)),
        ignored=tuple(sorted(ignored, key=by_login)),
        reason=_reason(outcome, a, o),
        head=context.head,
    )


# Under blind review the earner's own account and district go unnamed: a vote left out is only said to be.
BLIND_REASON = "not eligible for this submission"


def _not_counted(login: str, bot: bool, context: Context) -> str | None:
    """Why this person's vote cannot count on this pull request, whatever they reviewed; None when it can."""
    # GitHub logins are case-insensitive and the roster is typed by people: compare them folded.
    key = login.casefold()
    if key == context.author.casefold():
        return BLIND_REASON if context.blind else "the author of the pull request"
    if key in {c.casefold() for c in context.contributors}:
        return "committed to the pull request"
    if bot or key.endswith("[bot]"):
        return "a bot"
    district = {k.casefold(): v for k, v in context.qualified.items()}.get(key)
    if district is None:
        return "not a curator" if context.kind == "proposal" else "not on the roster for this credential"
    if context.earner_district is not None and district == context.earner_district:
        return BLIND_REASON if context.blind else f"from the earner's district ({district})"
    return None


def _no_vote(review: Review, context: Context) -> str | None:
    """Why a qualified reviewer's latest decisive review is no vote; None when it is one."""
    if review.state == "DISMISSED":
        return "review dismissed"
    if review.commit != context.head:
        return f"review on an older commit {review.commit[:7]}"
    return None


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _reason(outcome: Outcome, a: int, o: int) -> str:
    # Short enough for a commit status description (140 characters) with " on <sha7>" appended by the gate.
    if outcome == "approved":
        if o:
            return f"{_plural(a, 'qualified approval', 'qualified approvals')} to {_plural(o, 'request', 'requests')} for changes"
        return "2/2 qualified approvals" if a == 2 else f"{a} qualified approvals"
    if outcome == "not-yet":
        text = f"not yet: {o} qualified reviewers requested changes"
        return text + (f", {a} approved" if a else "")
    if outcome == "tie":
        return f"tie {a}:{o}: " + ("a third qualified reviewer decides" if a == 1 else "one more qualified reviewer decides")
    if a:
        return "1/2 qualified approvals, waiting for a second reviewer"
    if o:
        return "1 qualified reviewer requested changes, waiting for a second reviewer"
    return "waiting for reviews: 0/2 qualified approvals"


SCORES_MARKER = "<!-- microcred:scores -->"


def scoring_template(rubric: Rubric) -> str:
    """The comment the gate posts once: one `- <criterion-id>:` line per criterion for reviewers to fill in."""
    lines = [
        SCORES_MARKER,
        f"**Rubric scores** ({rubric.title}): copy the lines below into your review and write one level after each criterion.",
        "",
        "levels: " + " | ".join(level.id for level in rubric.levels),
        f"earning rule: {rubric.earning_rule}",
        "",
        *(f"- {criterion.id}:" for criterion in rubric.criteria),
    ]
    return "\n".join(lines) + "\n"


# Reviewers paste and edit the template by hand: list bullets, bold, backticks, any case, ids or the names people see.
_BULLET = re.compile(r"^(?:[-*+•]|\d+[.)])\s+")
# Underscores mark emphasis only at the edge of a word: "_Demonstrated_", never inside "not_yet".
_MARKUP = re.compile(r"[*`]|\b_+|_+\b")
_WORD_GAP = r"[\s_-]+"
_SEPARATOR = r"\s*(?::|=|—|–|\s--?\s)\s*"
_ANY_SEPARATOR = re.compile(r"[:=—–]|\s--?\s")
# After a level, a reviewer may add a note: "Demonstrated (clear objective)", "not yet — no sort".
_AFTER_LEVEL = r"\s*(?:$|[(\[,;.!:—–]|--?(?:\s|$))"


def _without_comments(line: str) -> str:
    """The line without HTML comments; a plain scan, since a regex rescans the line for each unclosed `<!--`."""
    kept, start = [], 0
    while (opening := line.find("<!--", start)) != -1 and (closing := line.find("-->", opening + 4)) != -1:
        kept.append(line[start:opening])
        start = closing + 3
    return "".join(kept) + line[start:]


def _key(text: str) -> str:
    """One spelling for ids and names: "Not yet", "not-yet" and "NOT_YET" are the same level."""
    return " ".join(re.split(_WORD_GAP, _MARKUP.sub("", text).casefold().strip()))


def _alternatives(names: Mapping[str, str]) -> str:
    # Longest first, so that "not yet" is tried before a level called "not".
    words = [_key(name).split() for name in sorted(names, key=lambda n: (-len(n), n))]
    return "|".join(_WORD_GAP.join(re.escape(w) for w in split) for split in words if split)


def parse_scores(body: str, rubric: Rubric) -> Scores:
    """Read `criterion: level` lines anywhere in a review body; the last readable score of a criterion counts."""
    criteria = {_key(n): c.id for c in rubric.criteria for n in (c.title, c.id)}
    levels = {_key(n): lv.id for lv in rubric.levels for n in (lv.label, lv.id)}
    known = re.compile(rf"^(?P<name>{_alternatives(criteria)}){_SEPARATOR}(?P<value>.*)$", re.IGNORECASE)
    level_re = re.compile(rf"^(?P<level>{_alternatives(levels)}){_AFTER_LEVEL}", re.IGNORECASE)
    scored: dict[str, str] = {}
    unreadable: dict[str, None] = {}  # a dict keeps the order lines came in and drops repeats
    for raw in body.splitlines():
        line = _without_comments(raw).strip()
        if line.startswith(">"):
            continue  # quoted text is someone else's words, e.g. another reviewer's scores
        # Runs of spaces collapsed first: the patterns below then take time linear in the line, whatever it holds.
        text = " ".join(_MARKUP.sub("", _BULLET.sub("", line)).split())
        if match := known.match(text):
            value = match["value"].strip()
            if not value:
                continue  # the template line left empty: unscored, not unreadable
            if level := level_re.match(value):
                scored[criteria[_key(match["name"])]] = levels[_key(level["level"])]
            else:
                unreadable[line] = None
        elif (sep := _ANY_SEPARATOR.search(text)) and level_re.match(text[sep.end() :].strip()):
            unreadable[line] = None  # a level after a name that is no criterion of this rubric
    ordered = {c.id: scored[c.id] for c in rubric.criteria if c.id in scored}
    return Scores(
        levels=ordered,
        unscored=tuple(c.id for c in rubric.criteria if c.id not in scored),
        unreadable=tuple(unreadable),
    )


def meets(levels: Mapping[str, str], rubric: Rubric) -> bool:
    """Whether per-criterion levels earn the credential under the rubric's rule; a missing or unknown level is not met."""
    meeting = {level.id for level in rubric.levels if level.meets}
    met = {c.id for c in rubric.criteria if levels.get(c.id) in meeting}
    if rubric.rule == "all-criteria":
        return len(met) == len(rubric.criteria)
    return len(met) >= (rubric.minimum or len(rubric.criteria)) and set(rubric.required) <= met


def unearned(decision: Decision, rubric: Rubric) -> tuple[str, ...]:
    """The approving reviewers whose own scores do not earn the credential under the rubric (unscored criteria included).

    An approval is a claim that the rubric is met; the badge says which levels were reached, so mint refuses an
    approval its scores do not carry, and the gate does not pass it.
    """
    return tuple(v.login for v in decision.approvals if not meets(parse_scores(v.review.body, rubric).levels, rubric))


def score_problems(verdict: Verdict, scores: Scores, rubric: Rubric) -> tuple[str, ...]:
    """What is wrong with a reviewer's scores, in words: gaps, lines not read, and scores against their own verdict."""
    problems = []
    if scores.unscored:
        problems.append("left " + ", ".join(f"'{c}'" for c in scores.unscored) + " unscored")
    problems += [f"could not read '{line}'" for line in scores.unreadable]
    earns = meets(scores.levels, rubric)
    # With criteria unscored an approval cannot be checked yet; the gap is reported above instead.
    if verdict == "approved" and not earns and not scores.unscored:
        problems.append("approved, but the scores do not meet the rubric's earning rule")
    if verdict == "not-yet" and earns:
        all_met = meets(scores.levels, replace(rubric, rule="all-criteria"))
        what = "every criterion is scored as met" if all_met else "the scores meet the rubric's earning rule"
        problems.append(f"requested changes, but {what}")
    return tuple(problems)


def pick_tiebreaker(context: Context, decision: Decision, open_requests: Mapping[str, int], salt: str) -> str | None:
    """The qualified reviewer to request on a tie: fewest open review requests, then a stable shuffle seeded by salt.

    Nobody who voted, wrote or committed to the pull request, no bot and, when the rule is set, nobody from the
    earner's district. None when nobody is left: the gate then asks the admin.
    """
    voters = {vote.login.casefold() for vote in decision.votes}
    requests = {login.casefold(): count for login, count in open_requests.items()}
    candidates = [login for login in context.qualified if login.casefold() not in voters and _not_counted(login, False, context) is None]
    if not candidates:
        return None
    # Hashing the salt (the PR number) with the login spreads tie-breaks across reviewers instead of always
    # picking the alphabetically first, while the same pull request always gets the same pick.
    return min(
        candidates,
        key=lambda login: (requests.get(login.casefold(), 0), hashlib.sha256((salt + login).encode()).hexdigest(), login),
    )


def pseudonym(key: bytes, consortium: str, login: str) -> str:
    """A reviewer's stable public name in records: keyed, so nobody without the key can map it back to a login."""
    digest = hmac.new(key, f"{consortium}:{login}".encode(), hashlib.sha256).hexdigest()
    return "rv-" + digest[:12]
