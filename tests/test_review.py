"""Review semantics: the decide() table in review_cases.yml, rubric scores in review text, the tie-break pick, pseudonyms."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from microcred.catalog.model import Rubric
from microcred.catalog.validate import validate
from microcred.review.review import (
    Context,
    Decision,
    Ignored,
    Review,
    Scores,
    Vote,
    decide,
    meets,
    parse_scores,
    pick_tiebreaker,
    pseudonym,
    score_problems,
    scoring_template,
)
from support import ROOT

CASES_FILE = Path(__file__).resolve().parent / "review_cases.yml"
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
HEAD = "abc1234" + "0" * 33
DEFAULT_CONTEXT: dict[str, Any] = {
    "kind": "submission",
    "author": "dee",
    "contributors": ["dee"],
    "qualified": {"ana": "north-fork", "ben": "river-bend", "cam": "lake-view", "dana": "alder-creek", "eli": "north-fork"},
    "earner_district": None,
}


def review_row(row: str) -> Review:
    """'<id> <login> <STATE> [on=<commit>] [at=HH:MM] [bot]' as a Review (see the head of review_cases.yml)."""
    number, login, state, *options = row.split()
    extra = dict(option.split("=", 1) for option in options if "=" in option)
    assert set(extra) <= {"on", "at"} and set(options) - {f"{k}={v}" for k, v in extra.items()} <= {"bot"}, row
    at = extra.get("at", f"10:{int(number):02d}")
    return Review(
        id=int(number),
        login=login,
        state=state,  # type: ignore[arg-type]
        commit=extra.get("on", HEAD),
        submitted_at=f"2026-09-01T{at}:00Z",
        body="",
        bot="bot" in options,
    )


def context_of(overrides: dict[str, Any] | None = None) -> Context:
    data = {**DEFAULT_CONTEXT, **(overrides or {})}
    return Context(
        kind=data["kind"],
        head=HEAD,
        author=data["author"],
        contributors=frozenset(data["contributors"]),
        qualified=data["qualified"],
        earner_district=data["earner_district"],
    )


def test_the_table_is_large_and_each_case_is_named_once() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) >= 35
    assert len(set(names)) == len(names)
    for case in CASES:
        assert set(case) <= {"name", "context", "reviews", "outcome", "approvals", "objections", "ignored", "reason"}, case["name"]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_decide(case: dict[str, Any]) -> None:
    decision = decide([review_row(row) for row in case["reviews"]], context_of(case.get("context")))
    assert decision.outcome == case["outcome"]
    assert [vote.login for vote in decision.approvals] == case.get("approvals", [])
    assert [vote.login for vote in decision.objections] == case.get("objections", [])
    assert {item.login: item.reason for item in decision.ignored} == case.get("ignored", {})
    assert [item.login for item in decision.ignored] == sorted(case.get("ignored", {}), key=str.casefold)
    assert decision.reason == case["reason"]
    assert decision.head == HEAD
    assert all(vote.verdict == "approved" for vote in decision.approvals)
    assert all(vote.verdict == "not-yet" for vote in decision.objections)
    # The gate appends " on <sha7>" to the reason for the commit status, which GitHub cuts at 140 characters.
    assert len(decision.reason + " on abc1234") <= 140


def test_a_vote_carries_the_review_that_counted() -> None:
    reviews = [
        review_row("1 ana CHANGES_REQUESTED"),
        review_row("2 ana COMMENTED"),
        review_row("3 ana APPROVED"),
        review_row("4 ana COMMENTED"),
    ]
    decision = decide(reviews, context_of())
    assert decision.approvals == (Vote("ana", "approved", reviews[2]),)
    assert decision.votes == decision.approvals


def test_decide_does_not_depend_on_the_order_reviews_arrive_in() -> None:
    rows = ["1 ana APPROVED", "2 ben CHANGES_REQUESTED", "3 cam APPROVED", "4 ben APPROVED", "5 zed APPROVED", "6 eli DISMISSED"]
    reviews = [review_row(row) for row in rows]
    first = decide(reviews, context_of())
    assert decide(list(reversed(reviews)), context_of()) == first
    assert first == Decision(
        outcome="approved",
        approvals=(Vote("ana", "approved", reviews[0]), Vote("ben", "approved", reviews[3]), Vote("cam", "approved", reviews[2])),
        objections=(),
        ignored=(Ignored("eli", "review dismissed"), Ignored("zed", "not on the roster for this credential")),
        reason="3 qualified approvals",
        head=HEAD,
    )


# --- rubric scores ---

LEVELS = [
    {"id": "demonstrated", "label": "Demonstrated", "meets": True},
    {"id": "not-yet", "label": "Not yet", "meets": False},
]


def criterion(cid: str, title: str, levels: list[dict[str, Any]] = LEVELS) -> dict[str, Any]:
    return {"id": cid, "title": title, "part": "artifacts", "descriptors": {lv["id"]: f"{title}: {lv['label']}." for lv in levels}}


RUBRIC = Rubric.from_dict(
    {
        "id": "exit-tickets",
        "title": "Exit tickets — scoring guide",
        "levels": LEVELS,
        "criteria": [
            criterion("alignment", "Prompts align with the objective"),
            criterion("sort", "Responses are sorted by pattern"),
            criterion("next-move", "The next lesson acts on the sort"),
        ],
        "earning": {"rule": "all-criteria"},
    }
)

FOUR_LEVELS = [
    {"id": "exemplary", "label": "Exemplary", "meets": True},
    {"id": "proficient", "label": "Proficient", "meets": True},
    {"id": "developing", "label": "Developing", "meets": False},
    {"id": "beginning", "label": "Beginning", "meets": False},
]
MINIMUM = Rubric.from_dict(
    {
        "id": "talk-moves",
        "title": "Talk moves",
        "levels": FOUR_LEVELS,
        "criteria": [
            criterion("alignment", "Moves fit the goal", FOUR_LEVELS),
            criterion("evidence", "Transcript evidence", FOUR_LEVELS),
            criterion("uptake", "Student uptake", FOUR_LEVELS),
            criterion("reflection", "Reflection", FOUR_LEVELS),
        ],
        "earning": {"rule": "minimum", "minimum": 3, "required": ["alignment"]},
    }
)

TEMPLATE = """\
<!-- microcred:scores -->
**Rubric scores** (Exit tickets — scoring guide): copy the lines below into your review and write one level after each criterion.

levels: demonstrated | not-yet
earning rule: Every criterion must be met.

- alignment:
- sort:
- next-move:
"""


def test_scoring_template() -> None:
    assert scoring_template(RUBRIC) == TEMPLATE


def test_scoring_template_lists_levels_highest_first_and_the_earning_rule() -> None:
    lines = scoring_template(MINIMUM).splitlines()
    assert lines[0] == "<!-- microcred:scores -->"
    assert lines[3:5] == [
        "levels: exemplary | proficient | developing | beginning",
        "earning rule: At least 3 of the 4 criteria must be met, including: Moves fit the goal.",
    ]
    assert lines[6:] == ["- alignment:", "- evidence:", "- uptake:", "- reflection:"]


def test_the_empty_template_is_all_unscored_and_nothing_unreadable() -> None:
    assert parse_scores(TEMPLATE, RUBRIC) == Scores({}, ("alignment", "sort", "next-move"), ())


def test_the_filled_template_pasted_into_a_review() -> None:
    body = TEMPLATE.replace("- alignment:", "- alignment: demonstrated").replace("- sort:", "- sort: not-yet")
    body = "Thanks, the prompts are sharp.\n\n" + body + "\nThe sort needs reasons: see the rubric.\n"
    scores = parse_scores(body, RUBRIC)
    assert dict(scores.levels) == {"alignment": "demonstrated", "sort": "not-yet"}
    assert scores.unscored == ("next-move",)
    assert scores.unreadable == ()


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("- alignment: demonstrated", "demonstrated"),
        ("* **Alignment**: Demonstrated", "demonstrated"),
        ("`alignment` — not yet", "not-yet"),
        ("Alignment = Not yet", "not-yet"),
        ("   -   ALIGNMENT   :    NOT-YET   ", "not-yet"),
        ("1. alignment: demonstrated", "demonstrated"),
        ("+ alignment - demonstrated", "demonstrated"),
        ("alignment – Not Yet", "not-yet"),
        ("alignment: **not yet**", "not-yet"),
        ("alignment: _Demonstrated_", "demonstrated"),
        ("alignment: not_yet", "not-yet"),
        ("alignment: Demonstrated.", "demonstrated"),
        ("alignment: Demonstrated (the objective is observable)", "demonstrated"),
        ("alignment: not yet — no prompt targets a misconception", "not-yet"),
        ("alignment: <!-- pick one --> demonstrated", "demonstrated"),
        ("Prompts align with the objective: demonstrated", "demonstrated"),
        ("**prompts ALIGN with the objective** = Not yet", "not-yet"),
        ("- [alignment]: demonstrated", None),
    ],
)
def test_parse_scores_reads_a_score_line_however_it_is_written(line: str, level: str | None) -> None:
    scores = parse_scores(f"Some prose first.\n{line}\nSome prose after.", RUBRIC)
    assert dict(scores.levels) == ({"alignment": level} if level else {})


def test_criterion_ids_with_hyphens_read_with_spaces_or_underscores() -> None:
    for line in ("next-move: demonstrated", "Next move: demonstrated", "next_move: demonstrated"):
        assert dict(parse_scores(line, RUBRIC).levels) == {"next-move": "demonstrated"}, line


def test_unknown_criterion_or_level_is_unreadable_and_prose_is_ignored() -> None:
    body = "\n".join(
        [
            "- alinement: demonstrated",  # no such criterion
            "- sort: superb",  # no such level
            "- next-move: demonstrated | not-yet",  # the levels line copied, not chosen
            "- next-move: demonstrated strongly",  # a level must stand alone or be followed by punctuation
            "Overall: a clear and careful submission.",  # prose with a colon
            "Note - I read the transcript twice.",
            "levels: demonstrated | not-yet",
            "> - alignment: not-yet",  # quoting someone else's scores
            "- alinement: demonstrated",  # the same line twice is reported once
        ]
    )
    scores = parse_scores(body, RUBRIC)
    assert dict(scores.levels) == {}
    assert scores.unscored == ("alignment", "sort", "next-move")
    assert scores.unreadable == (
        "- alinement: demonstrated",
        "- sort: superb",
        "- next-move: demonstrated | not-yet",
        "- next-move: demonstrated strongly",
    )


def test_the_last_score_of_a_criterion_counts_and_levels_follow_rubric_order() -> None:
    scores = parse_scores("next-move: demonstrated\nalignment: not yet\nalignment: demonstrated\nsort:\n", RUBRIC)
    assert list(scores.levels.items()) == [("alignment", "demonstrated"), ("next-move", "demonstrated")]
    assert scores.unscored == ("sort",)


def test_parse_scores_takes_linear_time_on_hostile_lines() -> None:
    # Review text is written by anyone who can review; these lines took over a minute with backtracking patterns.
    hostile = ["a" + " " * 60000 + "b", "alignment" + " " * 60000 + "x", "next" + " " * 60000 + "move", "<!--" * 16000, "a" + " -" * 30000]
    started = time.perf_counter()
    scores = parse_scores("\n".join(hostile), RUBRIC)
    assert time.perf_counter() - started < 2
    assert scores == Scores({}, ("alignment", "sort", "next-move"), ())


def test_parse_scores_with_longer_labels_and_more_levels() -> None:
    body = "alignment: Exemplary\n* evidence: proficient\nuptake = DEVELOPING\nReflection: beginning\n"
    scores = parse_scores(body, MINIMUM)
    assert dict(scores.levels) == {"alignment": "exemplary", "evidence": "proficient", "uptake": "developing", "reflection": "beginning"}
    assert scores.unscored == ()


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ({"alignment": "demonstrated", "sort": "demonstrated", "next-move": "demonstrated"}, True),
        ({"alignment": "demonstrated", "sort": "not-yet", "next-move": "demonstrated"}, False),
        ({"alignment": "demonstrated", "sort": "demonstrated"}, False),
        ({"alignment": "demonstrated", "sort": "demonstrated", "next-move": "superb"}, False),
        ({}, False),
    ],
)
def test_meets_all_criteria(levels: dict[str, str], expected: bool) -> None:
    assert meets(levels, RUBRIC) is expected


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ({"alignment": "exemplary", "evidence": "proficient", "uptake": "proficient", "reflection": "beginning"}, True),
        ({"alignment": "proficient", "evidence": "proficient", "uptake": "proficient"}, True),
        ({"alignment": "proficient", "evidence": "exemplary", "uptake": "exemplary", "reflection": "exemplary"}, True),
        ({"alignment": "developing", "evidence": "exemplary", "uptake": "exemplary", "reflection": "exemplary"}, False),
        ({"alignment": "exemplary", "evidence": "exemplary", "uptake": "developing", "reflection": "beginning"}, False),
        ({"evidence": "exemplary", "uptake": "exemplary", "reflection": "exemplary"}, False),
    ],
)
def test_meets_minimum_with_required(levels: dict[str, str], expected: bool) -> None:
    assert meets(levels, MINIMUM) is expected


ALL_MET = "alignment: demonstrated\nsort: demonstrated\nnext-move: demonstrated"


@pytest.mark.parametrize(
    ("verdict", "body", "rubric", "problems"),
    [
        ("approved", ALL_MET, RUBRIC, ()),
        ("not-yet", "alignment: demonstrated\nsort: not yet\nnext-move: demonstrated", RUBRIC, ()),
        ("approved", "alignment: demonstrated\nnext-move: demonstrated", RUBRIC, ("left 'sort' unscored",)),
        ("approved", "alignment: demonstrated", RUBRIC, ("left 'sort', 'next-move' unscored",)),
        ("not-yet", "", RUBRIC, ("left 'alignment', 'sort', 'next-move' unscored",)),
        (
            "approved",
            "alignment: demonstrated\nsort: not-yet\nnext-move: demonstrated",
            RUBRIC,
            ("approved, but the scores do not meet the rubric's earning rule",),
        ),
        ("not-yet", ALL_MET, RUBRIC, ("requested changes, but every criterion is scored as met",)),
        (
            "not-yet",
            "alignment: proficient\nevidence: proficient\nuptake: exemplary\nreflection: developing",
            MINIMUM,
            ("requested changes, but the scores meet the rubric's earning rule",),
        ),
        (
            "not-yet",
            "alignment: proficient\nevidence: proficient\nuptake: exemplary",
            MINIMUM,
            ("left 'reflection' unscored", "requested changes, but the scores meet the rubric's earning rule"),
        ),
        (
            "approved",
            "alignment: demonstrated\n- sort: superb\nnext-move: not yet\nalinement: demonstrated",
            RUBRIC,
            ("left 'sort' unscored", "could not read '- sort: superb'", "could not read 'alinement: demonstrated'"),
        ),
    ],
)
def test_score_problems(verdict: str, body: str, rubric: Rubric, problems: tuple[str, ...]) -> None:
    assert score_problems(verdict, parse_scores(body, rubric), rubric) == problems  # type: ignore[arg-type]


# --- tie-break ---

ROSTER = {"ana": "north-fork", "ben": "river-bend", "cam": "lake-view", "dana": "alder-creek", "eli": "north-fork", "fin": "lake-view"}


def tie(context: Context) -> Decision:
    decision = decide([review_row("1 ana APPROVED"), review_row("2 ben CHANGES_REQUESTED")], context)
    assert decision.outcome == "tie"
    return decision


def test_the_tiebreaker_has_the_fewest_open_requests() -> None:
    context = context_of({"qualified": ROSTER})
    assert pick_tiebreaker(context, tie(context), {"cam": 3, "dana": 1, "eli": 2, "fin": 4}, "42") == "dana"
    assert pick_tiebreaker(context, tie(context), {"cam": 3, "dana": 1, "eli": 2}, "42") == "fin"  # no open request: 0
    # Counts keyed by GitHub's spelling of a login still match the roster's; the pick is the roster's spelling.
    assert pick_tiebreaker(context, tie(context), {"Cam": 2, "DANA": 2, "Fin": 2, "ELI": 1}, "42") == "eli"


def test_the_tiebreaker_excludes_author_contributors_voters_bots_and_the_earners_district() -> None:
    roster = {**ROSTER, "dee": "lake-view", "helper[bot]": "lake-view"}
    context = context_of({"qualified": roster, "contributors": ["dee", "cam"], "earner_district": "alder-creek"})
    # ana, ben voted; dee is the author; cam committed; dana is from alder-creek; the bot is a bot.
    requests = {"ana": 0, "ben": 0, "cam": 0, "dee": 0, "dana": 0, "helper[bot]": 0, "eli": 5, "fin": 6}
    assert pick_tiebreaker(context, tie(context), requests, "7") == "eli"
    assert pick_tiebreaker(context, tie(context), {**requests, "eli": 7}, "7") == "fin"


def test_the_earners_district_can_break_a_tie_when_the_rule_is_off() -> None:
    context = context_of({"qualified": {"ana": "north-fork", "ben": "river-bend", "eli": "north-fork"}})
    assert pick_tiebreaker(context, tie(context), {}, "1") == "eli"


def test_equal_requests_are_broken_by_the_salted_hash_deterministically() -> None:
    context = context_of({"qualified": ROSTER})
    candidates = ["cam", "dana", "eli", "fin"]
    picks = set()
    for salt in (str(n) for n in range(1, 21)):

        def salted(login: str, salt: str = salt) -> str:
            return hashlib.sha256((salt + login).encode()).hexdigest()

        expected = min(candidates, key=salted)
        assert pick_tiebreaker(context, tie(context), {}, salt) == expected
        assert pick_tiebreaker(context, tie(context), {}, salt) == expected
        picks.add(expected)
    assert len(picks) > 1  # the salt spreads tie-breaks across reviewers


def test_no_tiebreaker_when_nobody_qualifies() -> None:
    context = context_of({"qualified": {"ana": "north-fork", "ben": "river-bend", "dee": "lake-view"}})
    assert pick_tiebreaker(context, tie(context), {}, "42") is None


# --- pseudonyms ---


def test_pseudonym_is_the_keyed_hash_of_consortium_and_login() -> None:
    key = b"a secret only mint knows"
    expected = "rv-" + hmac.new(key, b"prairie-consortium:ana", hashlib.sha256).hexdigest()[:12]
    assert pseudonym(key, "prairie-consortium", "ana") == expected
    assert re.fullmatch(r"rv-[0-9a-f]{12}", expected)


def test_pseudonyms_differ_between_consortia_logins_and_keys() -> None:
    names = {
        pseudonym(b"k", "prairie-consortium", "ana"),
        pseudonym(b"k", "coast-consortium", "ana"),
        pseudonym(b"k", "prairie-consortium", "ben"),
        pseudonym(b"other", "prairie-consortium", "ana"),
    }
    assert len(names) == 4
    assert pseudonym(b"k", "prairie-consortium", "ana") == pseudonym(b"k", "prairie-consortium", "ana")


def test_the_scores_in_the_reviewers_guide_read_completely() -> None:
    """The example review in docs/guides/reviewers.md, against the catalog's own rubric, as the gate reads it."""
    catalog = validate(ROOT, model=True).catalog
    assert catalog is not None
    rubric = catalog.rubrics["exit-tickets"]
    guide = (ROOT / "docs/guides/reviewers.md").read_text(encoding="utf-8")
    example = guide.split("```text\n", 1)[1].split("```", 1)[0]
    scores = parse_scores(example, rubric)
    assert scores == Scores(
        {
            "context-and-objective": "demonstrated",
            "aligned-prompts": "not-yet",
            "sorted-evidence": "demonstrated",
            "instructional-move": "demonstrated",
            "reflection-on-impact": "not-yet",
        },
        (),
        (),
    )
    assert score_problems("not-yet", scores, rubric) == ()
