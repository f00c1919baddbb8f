"""`validate` says what a submission lacks, as `check-pr` does, and a blank says once that it is empty and what to write.

The seed catalog's Exit Tickets credential asks two overview questions (200 and 250 words), three
work examples and one reflection of at most 400 words.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from support import ROOT, Run

S = "submissions/exit-tickets/jdoe-exit-tickets-1.yml"
CONTEXT = "Describe your class (grade, subject, number of students) and where the lesson falls in its unit."
OBJECTIVE = "State the lesson objective and explain how your exit ticket prompts test it."
IMPACT = 'What did the next lesson\'s opening change for the students in the "almost" and "not yet" piles, and how do you know?'
STORAGE = "where reviewers can open the evidence; storage that only the earner, the district and the reviewers can reach"
BLANK_SCAFFOLD = [
    f"{S}:16:12: MC310 incomplete: the overview question 'context' has no answer; answer it in at most 200 words: {CONTEXT} [overview.context]",
    f"{S}:19:14: MC310 incomplete: the overview question 'objective' has no answer; answer it in at most 250 words: {OBJECTIVE} "
    "[overview.objective]",
    f"{S}:26:10: MC108 empty: fill in ({STORAGE}) [artifacts.exit-ticket.url]",
    f"{S}:27:18: MC108 empty: fill in (what the evidence shows) [artifacts.exit-ticket.description]",
    f"{S}:32:10: MC108 empty: fill in ({STORAGE}) [artifacts.sorted-responses.url]",
    f"{S}:33:18: MC108 empty: fill in (what the evidence shows) [artifacts.sorted-responses.description]",
    f"{S}:37:10: MC108 empty: fill in ({STORAGE}) [artifacts.next-lesson.url]",
    f"{S}:38:18: MC108 empty: fill in (what the evidence shows) [artifacts.next-lesson.description]",
    f"{S}:43:11: MC310 incomplete: the reflection question 'impact' has no answer; answer it in at most 400 words: {IMPACT} [reflection.impact]",
    f"{S}:47:16: MC108 not confirmed: set to true to confirm (the permissions of students and families needed for the evidence are in place) "
    "[attestation.permissions]",
    f"{S}:49:13: MC108 not confirmed: set to true to confirm (the evidence comes from the earner's own teaching) [attestation.own_work]",
]


@pytest.fixture(autouse=True)
def no_git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    """A copy of the seed catalog, without its submissions."""
    for folder in ("catalog", "rubrics", "schemas"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


@pytest.fixture
def scaffold(seed: Path, cli: Callable[..., Run]) -> Path:
    """The submission file `microcred new submission exit-tickets` writes, as written."""
    run = cli(
        "new", "submission", "exit-tickets", "--no-input", "--login", "jdoe", "--district", "dunmore", "--date", "2026-12-01", cwd=seed
    )
    assert run.code == 0, run.err
    return seed / S


def fill(path: Path, *edits: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def words(n: int) -> str:
    return " ".join(["word"] * n)


def filled(path: Path, impact: int) -> None:
    """Every blank of the scaffold filled in, the reflection with `impact` words."""
    url = "https://drive.dunmore.example.org/evidence/jdoe/"
    fill(
        path,
        ("  context: |\n", "  context: |\n    Grade 7 mathematics, 28 students, the third lesson of a unit on ratios.\n"),
        ("  objective: |\n", "  objective: |\n    Students compare ratios; the prompt asks which mix is stronger and why.\n"),
        ("  impact: |\n", f"  impact: |\n    {words(impact)}\n"),
        ("  permissions: false", "  permissions: true"),
        ("  own_work: false", "  own_work: true"),
    )
    for artifact in ("exit-ticket", "sorted-responses", "next-lesson"):
        text = path.read_text(encoding="utf-8")
        at = text.index(f"  {artifact}:\n")
        head, tail = text[:at], text[at:]
        tail = tail.replace("url: https://\n", f"url: {url}{artifact}.pdf\n", 1).replace(
            'description: ""', "description: What it shows.", 1
        )
        path.write_text(head + tail, encoding="utf-8")


def test_the_blank_scaffold_lists_each_blank_once(scaffold: Path, cli: Callable[..., Run]) -> None:
    run = cli("validate", S, cwd=scaffold.parents[2])
    assert (run.code, run.out.splitlines()) == (1, BLANK_SCAFFOLD)
    assert run.err == "1 file(s) checked: invalid, 11 error(s), 0 warning(s)\n"


def test_a_reflection_over_its_word_limit(scaffold: Path, cli: Callable[..., Run]) -> None:
    filled(scaffold, impact=578)
    run = cli("validate", S, cwd=scaffold.parents[2])
    assert (run.code, run.out) == (
        1,
        f"{S}:45:11: MC311 incomplete: the answer to the reflection question 'impact' has 578 words; the limit is 400 [reflection.impact]\n",
    )


def test_a_complete_submission_is_valid(scaffold: Path, cli: Callable[..., Run]) -> None:
    filled(scaffold, impact=400)
    run = cli("validate", "--strict", S, cwd=scaffold.parents[2])
    assert (run.code, run.out, run.err) == (0, "", "1 file(s) checked: valid, 0 error(s), 0 warning(s)\n")


def test_a_missing_work_example_and_an_unknown_answer(scaffold: Path, cli: Callable[..., Run]) -> None:
    filled(scaffold, impact=10)
    fill(scaffold, ("  next-lesson:\n", "  next-lessons:\n"), ("reflection:\n", "reflection:\n  extra: More thoughts.\n"))
    run = cli("validate", S, cwd=scaffold.parents[2])
    assert run.out.splitlines() == [
        f"{S}:24:1: MC312 incomplete: the required artifact 'next-lesson' (The next lesson's opening) has no link and description "
        "[artifacts.next-lesson]",
        f"{S}:38:3: MC313 incomplete: exit-tickets asks for no artifact 'next-lessons' [artifacts.next-lessons]",
        f"{S}:42:3: MC313 incomplete: exit-tickets asks no reflection question 'extra' [reflection.extra]",
    ]


def test_a_wrong_value_is_not_called_blank(scaffold: Path, cli: Callable[..., Run]) -> None:
    filled(scaffold, impact=10)
    fill(scaffold, ("url: https://drive.dunmore.example.org/evidence/jdoe/exit-ticket.pdf", "url: http://drive.example.org/a.pdf"))
    run = cli("validate", S, cwd=scaffold.parents[2])
    assert (
        run.out
        == f'{S}:28:10: MC105 "http://drive.example.org/a.pdf" is not in the expected form: An absolute https URL. [artifacts.exit-ticket.url]\n'
    )


def test_the_blank_credential_scaffold_says_what_each_field_is(seed: Path, cli: Callable[..., Run]) -> None:
    assert cli("new", "credential", "--no-input", "--id", "my-cred", cwd=seed).code == 0
    run = cli("validate", "catalog/credentials/my-cred.yml", "rubrics/my-cred.yml", cwd=seed)
    out = run.out.splitlines()
    places = [(line.split(":", 1)[0], line[line.rindex(" [") + 2 :]) for line in out]  # file and field
    assert {line.split(": ", 2)[1].split(" ", 1)[0] for line in out} == {"MC108"}
    assert len(places) == len(set(places)) == 32  # one problem per blank, the designer's name among them
    c = "catalog/credentials/my-cred.yml"
    for line in [
        f"{c}:12:8: MC108 empty: fill in (the credential's name as shown in the catalog and on the badge) [title]",
        f"{c}:17:7: MC108 empty: choose one of foundational, proficient, advanced (the tier that districts price the credential by) [type]",
        f"{c}:41:10: MC108 empty: fill in (where the resource is) [resources[0].url]",
        f"{c}:73:14: MC108 empty: choose at least one of pre-k, k-2, 3-5, 6-8, 9-12 (grade bands the credential suits) [grade_bands]",
        f"{c}:77:18: MC108 empty: fill in (typical hours of work to earn the credential, including classroom implementation) [estimated_hours]",
        "rubrics/my-cred.yml:32:12: MC108 empty: fill in (the criterion's name) [criteria[1].title]",
    ]:
        assert line in out


def test_thousands_of_unknown_answers_are_reported_quickly(scaffold: Path, cli: Callable[..., Run]) -> None:
    # Each problem is located in the file's text; composing the text once per problem took minutes here.
    filled(scaffold, impact=10)
    fill(scaffold, ("overview:\n", "overview:\n" + "".join(f"  q{i}: An answer.\n" for i in range(5_000))))
    started = time.monotonic()
    run = cli("validate", S, cwd=scaffold.parents[2])
    assert time.monotonic() - started < 60
    assert run.err == "1 file(s) checked: invalid, 5000 error(s), 0 warning(s)\n"
    shown = run.out.splitlines()
    assert shown[99] == f"{S}:113:3: MC313 incomplete: exit-tickets asks no overview question 'q99' [overview.q99]"
    assert shown[-1] == f"{S}:114:3: MC900 4,900 more problem(s) in this file, from here on, are not shown; fix those above and check again"
