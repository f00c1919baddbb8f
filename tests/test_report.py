"""`microcred report`: earnings per district and review figures from a seeded history, and the site pages made from them.

The seeded history (tests/fixtures/history) has three districts:
- north: salary credit 200/400/600 by type, CEUs 0.1 per estimated hour, stipend $100 capped at 2 a school year
  starting July 1, and $30 for preparation when pre-approved; endorses the stack basics (alpha, beta, gamma) plus
  delta and epsilon; recognises south.
- south: stipend $200, cap 8, school year from August 15; endorses alpha and zeta; recognises nobody.
- west: 1 recertification hour per estimated hour, stipend $50 without cap and $20 for preparation, school year from
  August 15; endorses alpha and delta; recognises north.
Estimated hours: alpha 10, beta 15, gamma 20, delta 10, epsilon 5, zeta 10. Types: alpha, delta, zeta foundational;
beta, epsilon proficient; gamma advanced.
Badges (earned = merged day): dee (north, email hashed) alpha 06-10, gamma 06-20 (09:00), beta 06-20 (15:00),
delta 07-05, epsilon 07-20; eve (south, no email) alpha 09-01, beta 09-10 (revoked), zeta 09-15; fay (west) alpha 08-01.
All in 2026. Pre-approved submissions (pre_approval): dee's alpha, beta, gamma and delta (not epsilon), eve's alpha, fay's alpha.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from microcred.badges.urls import assertion_url
from microcred.catalog.records import Record
from microcred.catalog.validate import validate
from microcred.reports.earnings import school_year
from microcred.reports.history import Badge, History, HistoryError, once, read_history
from microcred.site.build import run_mkdocs, write_generated
from microcred.site.pages import render
from support import FIXTURES, ROOT, Run, golden, make_repo

GOLDEN = FIXTURES / "golden" / "reports"
SITE = "https://consortium.example.org/catalog/"
DEE = {  # the recipient of each of dee's badges: sha256 of the address and the submission's salt
    "alpha": "sha256$0599311d4fde600fef764537d77d59cbdf11e8dd4edb8df2f6e8b31c311aab57",
    "beta": "sha256$9a9d77528d25b6373626a021892dd1dfdd2f7627d2887f17d2a02d190299d8c8",
    "gamma": "sha256$7c054faffa4a32831796f39b9b96f874649df796d3ae8d603be8da97e250e707",
    "delta": "sha256$f9e6e952fdf454e5a0828d5c8d101b7857e186a3dcc999a8ee1a5b3727813f64",
    "epsilon": "sha256$827c62b5f73210b8c68d52f0d47307eb2e1adf2b53448497aeeceb740a3adb8b",
}
PRIVATE = re.compile(r"\b(dee|eve|fay)\b|sha256\$|rv-[0-9a-f]{12}|github\.com/")


@pytest.fixture
def history(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "history", FIXTURES / "history")


def _url(credential: str, submission: str) -> str:
    return assertion_url(SITE, credential, submission)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _badge(
    earned: str, year: str, earner: str, recipient: str, district: str, credential: str, type_: str, *award: str, note: str = ""
) -> dict[str, str]:
    salary, ceus, stipend, preparation, hours = award
    return {
        "row_type": "badge",
        "earned_on": earned,
        "school_year": year,
        "earner": earner,
        "recipient": recipient,
        "earner_district": district,
        "credential": credential,
        "version": "1.0.0",
        "type": type_,
        "badges": "1",
        "salary_credit": salary,
        "ceus": ceus,
        "stipend": stipend,
        "preparation": preparation,
        "recertification_hours": hours,
        "note": note,
        "assertion": _url(credential, f"{earner}-{credential}-1"),
        "credit": "",
    }


def _total(row_type: str, earner: str, badges: int, *award: str) -> dict[str, str]:
    salary, ceus, stipend, preparation, hours = award
    blank = dict.fromkeys(
        ("earned_on", "school_year", "recipient", "earner_district", "credential", "version", "type", "note", "assertion", "credit"), ""
    )
    return blank | {
        "row_type": row_type,
        "earner": earner,
        "badges": str(badges),
        "salary_credit": salary,
        "ceus": ceus,
        "stipend": stipend,
        "preparation": preparation,
        "recertification_hours": hours,
    }


def test_earnings_csv_with_caps_across_a_school_year_boundary(history: Path, cli: Callable[..., Run]) -> None:
    run = cli("report", "earnings", "--district", "north", "--format", "csv", cwd=history)
    assert (run.code, run.err) == (0, "")
    assert _rows(run.out) == [
        # 2025-26 (before July 1): alpha, then on 06-20 beta before gamma by credential id, though gamma was merged
        # first that day; the cap of 2 is reached with beta, so gamma gets no stipend, and no preparation pay though
        # pre-approved (the cap counts micro-credentials: preparation is paid with the stipend or not at all).
        # CEUs: 0.1 x hours: alpha 10 -> 1, beta 15 -> 1.5, gamma 20 -> 2
        _badge("2026-06-10", "2025-26", "dee", DEE["alpha"], "north", "alpha", "foundational", "200", "1", "100", "30", "0"),
        _badge("2026-06-20", "2025-26", "dee", DEE["beta"], "north", "beta", "proficient", "400", "1.5", "100", "30", "0"),
        _badge(
            "2026-06-20",
            "2025-26",
            "dee",
            DEE["gamma"],
            "north",
            "gamma",
            "advanced",
            "600",
            "2",
            "0",
            "0",
            "0",
            note="annual cap of 2 reached for 2025-26: no stipend or preparation pay",
        ),
        # 2026-27 starts on July 1: the cap starts again, delta and epsilon are paid (epsilon: 5 hours -> 0.5 CEU);
        # epsilon was not pre-approved: no preparation pay.
        _badge("2026-07-05", "2026-27", "dee", DEE["delta"], "north", "delta", "foundational", "200", "1", "100", "30", "0"),
        _badge(
            "2026-07-20",
            "2026-27",
            "dee",
            DEE["epsilon"],
            "north",
            "epsilon",
            "proficient",
            "400",
            "0.5",
            "100",
            "0",
            "0",
            note="not pre-approved: no preparation pay",
        ),
        # eve teaches in south, which north recognises; her beta is revoked and zeta is not endorsed by north.
        # Her alpha was pre-approved by south, not by north: no preparation pay from north.
        # fay teaches in west, which north does not recognise.
        _badge(
            "2026-09-01",
            "2026-27",
            "eve",
            "https://github.com/eve",
            "south",
            "alpha",
            "foundational",
            "200",
            "1",
            "100",
            "0",
            "0",
            note="through reciprocity: no preparation pay",
        ),
        # dee: 200 + 400 + 600 + 200 + 400 = 1800; CEUs 1 + 1.5 + 2 + 1 + 0.5 = 6; stipends 4 x 100 = 400;
        # preparation: alpha, beta, delta 3 x 30 = 90
        _total("earner-total", "dee", 5, "1800", "6", "400", "90", "0"),
        _total("earner-total", "eve", 1, "200", "1", "100", "0", "0"),
        _total("total", "", 6, "2000", "7", "500", "90", "0"),
    ]
    assert "@" not in run.out  # earners are named by login and as the badge names them, never by an email address


def test_school_years_turn_on_the_district_start_day() -> None:
    assert [school_year(day, "08-15") for day in ("2026-08-14", "2026-08-15", "2027-01-01")] == ["2025-26", "2026-27", "2026-27"]
    assert [school_year(day, "07-01") for day in ("1999-06-30", "1999-07-01")] == ["1998-99", "1999-00"]
    assert [school_year(day, "01-01") for day in ("2026-01-01", "2026-12-31")] == ["2026", "2026"]  # a calendar year


def test_a_badge_before_the_period_still_takes_its_place_under_the_cap(history: Path, cli: Callable[..., Run]) -> None:
    run = cli("report", "earnings", "--district", "north", "--from", "2026-06-20", "--to", "2026-07-31", "--format", "csv", cwd=history)
    rows = _rows(run.out)
    assert [(r["row_type"], r["credential"], r["stipend"], r["preparation"], r["note"]) for r in rows] == [
        ("badge", "beta", "100", "30", ""),
        # alpha (06-10) is not listed, yet it used the first place of 2025-26: gamma is still the third
        ("badge", "gamma", "0", "0", "annual cap of 2 reached for 2025-26: no stipend or preparation pay"),
        ("badge", "delta", "100", "30", ""),
        ("badge", "epsilon", "100", "0", "not pre-approved: no preparation pay"),
        ("earner-total", "", "300", "60", ""),
        ("total", "", "300", "60", ""),
    ]
    # 400 + 600 + 200 + 400 = 1600; CEUs 1.5 + 2 + 1 + 0.5 = 5
    assert (rows[-1]["badges"], rows[-1]["salary_credit"], rows[-1]["ceus"]) == ("4", "1600", "5")


def test_reciprocity_runs_one_way(history: Path, cli: Callable[..., Run]) -> None:
    west = _rows(cli("report", "earnings", "--district", "west", "--format", "csv", cwd=history).out)
    # west recognises north: dee's alpha and delta count (school year from August 15: both in 2025-26), with fay's alpha;
    # eve's alpha does not (south is not recognised). Hours: 1 per estimated hour, 10 each; $50 each, no cap.
    # Preparation ($20): fay's pre-approved alpha only; dee's were pre-approved by north, which commits west to nothing.
    columns = ("earner", "credential", "school_year", "stipend", "preparation", "recertification_hours", "note")
    assert [tuple(r[c] for c in columns) for r in west] == [
        ("dee", "alpha", "2025-26", "50", "0", "10", "through reciprocity: no preparation pay"),
        ("dee", "delta", "2025-26", "50", "0", "10", "through reciprocity: no preparation pay"),
        ("fay", "alpha", "2025-26", "50", "20", "10", ""),
        ("dee", "", "", "100", "0", "20", ""),
        ("fay", "", "", "50", "20", "10", ""),
        ("", "", "", "150", "20", "30", ""),
    ]
    south = _rows(cli("report", "earnings", "--district", "south", "--format", "csv", cwd=history).out)
    # south recognises nobody: only eve's alpha and zeta (2026-27 from August 15), $200 each; south pays no
    # preparation, so eve's pre-approved alpha gets none, and no note says so
    assert [(r["row_type"], r["earner"], r["credential"], r["school_year"], r["stipend"], r["preparation"], r["note"]) for r in south] == [
        ("badge", "eve", "alpha", "2026-27", "200", "0", ""),
        ("badge", "eve", "zeta", "2026-27", "200", "0", ""),
        ("earner-total", "eve", "", "", "400", "0", ""),
        ("total", "", "", "", "400", "0", ""),
    ]


def test_preparation_is_read_from_the_submissions_pre_approval(history: Path) -> None:
    badges = {b.submission: b.pre_approved for b in read_history(history, SITE).badges}
    assert badges == {
        "dee-alpha-1": True,
        "dee-beta-1": True,
        "dee-gamma-1": True,
        "dee-delta-1": True,
        "dee-epsilon-1": False,
        "eve-alpha-1": True,
        "eve-beta-1": False,
        "eve-zeta-1": False,
        "fay-alpha-1": True,
    }


def test_a_badge_past_the_cap_says_every_reason_it_is_not_paid(history: Path, cli: Callable[..., Run]) -> None:
    submission = history / "submissions/gamma/dee-gamma-1.yml"
    text = submission.read_text()
    submission.write_text(text.replace('pre_approval:\n  reference: N-2026-0013\n  approved_on: "2026-05-18"\n', ""))
    rows = _rows(cli("report", "earnings", "--district", "north", "--to", "2026-06-30", "--format", "csv", cwd=history).out)
    assert [(r["credential"], r["stipend"], r["preparation"], r["note"]) for r in rows] == [
        ("alpha", "100", "30", ""),
        ("beta", "100", "30", ""),
        ("gamma", "0", "0", "annual cap of 2 reached for 2025-26; not pre-approved: no preparation pay"),
        ("", "200", "60", ""),
        ("", "200", "60", ""),
    ]


def test_revoked_badge_is_left_out(history: Path) -> None:
    badges = {b.submission: b for b in read_history(history, SITE).badges}
    assert badges["eve-beta-1"].revoked
    assert badges["eve-beta-1"].recipient == "https://github.com/eve"  # the revoked document names nobody: the submission does
    assert not any(b.revoked for key, b in badges.items() if key != "eve-beta-1")
    # The revocation list alone is enough.
    assertion = history / "badges/assertions" / _url("beta", "eve-beta-1").rpartition("/")[2]
    assertion.write_text(
        json.dumps({"id": _url("beta", "eve-beta-1"), "recipient": {"type": "url", "hashed": False, "identity": "https://github.com/eve"}})
    )
    assert {b.submission: b for b in read_history(history, SITE).badges}["eve-beta-1"].revoked


def test_the_history_read_from_what_validation_parsed_is_the_one_read_from_the_files(history: Path) -> None:
    result = validate(history, model=True)
    assert result.store is not None
    parsed: list[str] = []

    def known(rel: str) -> object:
        parsed.append(rel)
        return result.store.loaded(rel) if result.store is not None else None

    assert read_history(history, SITE, known=known) == read_history(history, SITE)
    records = sorted(str(p.relative_to(history)) for p in (history / "records").glob("*/*.yml"))
    assert records and set(records) <= set(parsed)  # asked for, and so not parsed a second time
    assert all(result.store.loaded(rel) is not None for rel in records)


def test_a_version_held_twice_counts_once() -> None:
    """A second standing badge for the version an earner holds (minted before mint refused it) is not counted again."""

    def badge(submission: str, earner: str, version: str, day: str, revoked: bool = False) -> Badge:
        return Badge(submission, "alpha", version, earner, "north", day, "", f"{SITE}badges/assertions/{submission}.json", revoked)

    first, revoked = badge("dee-alpha-1", "dee", "1.0.0", "2026-10-01"), badge("dee-alpha-0", "dee", "1.0.0", "2026-09-01", True)
    later, other = badge("dee-alpha-2", "DEE", "1.0.0", "2026-11-01"), badge("dee-alpha-3", "dee", "2.0.0", "2026-12-01")
    assert once([revoked, first, later, other]) == (revoked, first, other)


def test_a_record_without_a_minted_badge_pays_nothing_yet(history: Path, cli: Callable[..., Run]) -> None:
    (history / "badges/assertions" / _url("zeta", "eve-zeta-1").rpartition("/")[2]).unlink()
    rows = _rows(cli("report", "earnings", "--district", "south", "--format", "csv", cwd=history).out)
    assert [r["credential"] for r in rows if r["row_type"] == "badge"] == ["alpha"]


def test_earnings_json(history: Path, cli: Callable[..., Run]) -> None:
    run = cli("report", "earnings", "--district", "south", "--to", "2026-09-10", "--format", "json", cwd=history)
    assert json.loads(run.out) == {
        "district": "south",
        "from": None,
        "to": "2026-09-10",
        "school_year_start": "08-15",
        "annual_cap": 8,
        "preparation": None,
        "badges": [
            {
                "earned_on": "2026-09-01",
                "school_year": "2026-27",
                "earner": "eve",
                "recipient": "https://github.com/eve",
                "earner_district": "south",
                "credential": "alpha",
                "version": "1.0.0",
                "type": "foundational",
                "salary_credit": 0,
                "ceus": 0,
                "stipend": 200,
                "preparation": 0,
                "recertification_hours": 0,
                "note": "",
                "assertion": _url("alpha", "eve-alpha-1"),
                "credit": "",
            }
        ],
        "earners": [
            {"earner": "eve", "badges": 1, "salary_credit": 0, "ceus": 0, "stipend": 200, "preparation": 0, "recertification_hours": 0}
        ],
        "total": {"badges": 1, "salary_credit": 0, "ceus": 0, "stipend": 200, "preparation": 0, "recertification_hours": 0},
    }


def test_earnings_give_the_credit_in_the_districts_units(history: Path, cli: Callable[..., Run]) -> None:
    with (history / "catalog/districts/south.yml").open("a", encoding="utf-8") as district:
        district.write("credit:\n  system: TNCompass\n  units:\n    - {unit: pdp, amount: 6, area: Professional Learning}\n")
    rows = _rows(cli("report", "earnings", "--district", "south", "--format", "csv", cwd=history).out)
    assert {r["row_type"]: r["credit"] for r in rows} == {"badge": "6 PDPs (Professional Learning)", "earner-total": "", "total": ""}
    text = cli("report", "earnings", "--district", "south", cwd=history).out
    assert "HR files for each badge 6 PDPs per micro-credential, filed under Professional Learning in TNCompass." in text


def test_earnings_markdown(history: Path, cli: Callable[..., Run]) -> None:
    run = cli("report", "earnings", "--district", "north", cwd=history)
    golden(GOLDEN / "earnings-north.md", run.out)
    empty = cli("report", "earnings", "--district", "north", "--from", "2027-01-01", cwd=history)
    assert empty.out.endswith("\n\nNo badge was earned in this period.\n")
    empty = cli("report", "earnings", "--district", "north", "--to", "2026-01-01", cwd=history)
    assert empty.out.endswith("\n\nNo badge was earned in this period.\n")


def test_earnings_before_any_badge(repo: Path, cli: Callable[..., Run]) -> None:
    # No period asked for: nothing was earned at all yet, which "in this period" would not say.
    run = cli("report", "earnings", "--district", "south", cwd=repo)
    assert (run.code, run.out.rpartition("\n\n")[2]) == (0, "No badge that South District recognises has been earned yet.\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--district", "nowhere"], "--district nowhere: no such district; the districts are north, south, west"),
        (["--district", "north", "--from", "2026-7-1"], "--from 2026-7-1: not a date; give YYYY-MM-DD, for example 2026-07-01"),
        (["--district", "north", "--to", "2026-02-30"], "--to 2026-02-30: not a date; give YYYY-MM-DD, for example 2026-07-01"),
        (
            ["--district", "north", "--from", "2026-09-01", "--to", "2026-08-01"],
            "--from 2026-09-01 is after --to 2026-08-01; give a period that starts on or before its end",
        ),
    ],
)
def test_earnings_usage_errors(args: list[str], message: str, history: Path, cli: Callable[..., Run]) -> None:
    run = cli("report", "earnings", *args, cwd=history)
    assert (run.code, run.out, run.err) == (2, "", f"microcred: error: {message}\n")


def test_reviews_usage_errors(history: Path, cli: Callable[..., Run]) -> None:
    run = cli("report", "reviews", "--target-days", "0", cwd=history)
    assert (run.code, run.err) == (2, "microcred: error: --target-days 0: give a whole number of days, 1 or more\n")
    with pytest.raises(SystemExit) as exit_:
        cli("report", "earnings", cwd=history)
    assert exit_.value.code == 2


def test_reviews_csv(history: Path, cli: Callable[..., Run]) -> None:
    run = cli("report", "reviews", "--format", "csv", cwd=history)
    rows = _rows(run.out)
    columns: tuple[str, ...] = ("scope", "credential", "submissions", "rounds", "first_try_pass_rate", "resubmission_rate", "tiebreak_rate")
    columns += ("score_pairs", "percent_agreement", "kappa", "median_days", "p90_days", "within_target", "within_target_rate")
    # The figures of test_quality.py's hand count: per credential, then overall.
    assert [tuple(r[c] for c in columns) for r in rows] == [
        ("credential", "alpha", "3", "4", "0.6667", "0.3333", "0.0000", "6", "0.6667", "0.2500", "13", "30", "2", "0.5000"),
        ("credential", "beta", "2", "3", "0.5000", "0.5000", "0.0000", "3", "0.6667", "0.4000", "11", "20", "2", "0.6667"),
        ("credential", "delta", "1", "1", "1.0000", "0.0000", "0.0000", "2", "1.0000", "n/a", "14", "14", "1", "1.0000"),
        ("credential", "epsilon", "1", "1", "1.0000", "0.0000", "0.0000", "0", "n/a", "n/a", "3", "3", "1", "1.0000"),
        ("credential", "gamma", "1", "1", "1.0000", "0.0000", "1.0000", "9", "0.7778", "-0.1250", "7", "7", "1", "1.0000"),
        ("credential", "zeta", "1", "1", "1.0000", "0.0000", "0.0000", "0", "n/a", "n/a", "10", "10", "1", "1.0000"),
        # kappa 2/7 = 0.2857; 1 of 11 rounds a tie-break = 0.0909; 8 of 11 within 14 days = 0.7273
        ("overall", "", "9", "11", "0.7778", "0.2222", "0.0909", "20", "0.7500", "0.2857", "10", "20", "8", "0.7273"),
    ]
    assert {r["target_days"] for r in rows} == {"14"}
    assert not PRIVATE.search(run.out)


def test_the_target_is_the_consortiums_else_14_days(history: Path, cli: Callable[..., Run]) -> None:
    consortium = history / "catalog/consortium.yml"
    consortium.write_text(consortium.read_text().replace("target_days: 14", "target_days: 10"))
    overall = _rows(cli("report", "reviews", "--format", "csv", cwd=history).out)[-1]
    # days 3 6 7 7 10 10 | 11 14 16 20 30: 6 of 11 within 10
    assert (overall["target_days"], overall["within_target"], overall["within_target_rate"]) == ("10", "6", "0.5455")
    consortium.write_text(consortium.read_text().replace("  target_days: 10\n", ""))
    overall = _rows(cli("report", "reviews", "--format", "csv", cwd=history).out)[-1]
    assert (overall["target_days"], overall["within_target"]) == ("14", "8")


def test_reviews_markdown_and_json(history: Path, cli: Callable[..., Run]) -> None:
    golden(GOLDEN / "reviews.md", cli("report", "reviews", cwd=history).out)
    text = cli("report", "reviews", "--format", "json", "--target-days", "7", cwd=history).out
    data = json.loads(text)
    assert data["target_days"] == 7
    assert data["overall"]["turnaround_days"] == {"median": 10, "p90": 20, "within_target": {"count": 4, "of": 11, "rate": 0.3636}}
    # Day figures are written alike: a whole number as an integer (10, not 10.0), as the 90th percentile is.
    assert '"median": 10,\n' in text
    assert '"p90": 20,\n' in text
    assert {type(f["turnaround_days"]["median"]) for f in [data["overall"], *data["credentials"]]} == {int}
    assert data["overall"]["agreement"] == {"count": 15, "of": 20, "rate": 0.75, "kappa": 0.2857}
    assert data["credentials"][2]["agreement"] == {"count": 2, "of": 2, "rate": 1.0, "kappa": None}  # delta


def test_the_documented_example_lists_the_sample_badges(tmp_path: Path, cli: Callable[..., Run]) -> None:
    """The README's and the guide's `report earnings` example gives rows with this repository's sample history."""
    commands = [
        line
        for doc in ("README.md", "docs/guides/reports.md")
        for line in (ROOT / doc).read_text(encoding="utf-8").splitlines()
        if line.startswith("microcred report earnings ")
    ]
    assert len(commands) == 2
    sample = tmp_path / "sample"
    for name in ("catalog", "rubrics", "schemas", "records", "badges", "submissions"):
        shutil.copytree(ROOT / name, sample / name)
    for command in commands:
        words = shlex.split(command, comments=True)
        args = words[1 : words.index(">")] if ">" in words else words[1:]  # the guide saves the CSV to a file
        assert args[:7] == ["report", "earnings", "--district", "cedar-ridge", "--from", "2025-07-01", "--to"], command
        run = cli(*args, cwd=sample)
        assert run.code == 0, run.err
        rows = _rows(run.out)
        # nsato (cedar-ridge, every submission pre-approved): $200 and $75 each; obello (bayview, through reciprocity,
        # no pre-approval from cedar-ridge): $200 alone. 4 x $200 + 3 x $75 = $800 + $225 = $1,025.
        assert [(r["row_type"], r["earner"], r["earner_district"], r["stipend"], r["preparation"]) for r in rows] == [
            ("badge", "nsato", "cedar-ridge", "200", "75"),
            ("badge", "obello", "bayview", "200", "0"),
            ("badge", "nsato", "cedar-ridge", "200", "75"),
            ("badge", "nsato", "cedar-ridge", "200", "75"),
            ("earner-total", "nsato", "", "600", "225"),
            ("earner-total", "obello", "", "200", "0"),
            ("total", "", "", "800", "225"),
        ]


def test_days_to_a_decision_are_worded_as_the_records_measure_them(history: Path) -> None:
    # Records' rounds run from opened_on to decided_on; mint sets opened_on when the pull request opened (round 1)
    # or when the round's head was pushed: not when the submission file says it was submitted.
    measured = (
        "from the day a round opened to the day it was decided, as the review records give them (`opened_on` to `decided_on`): "
        "the first round opens the day the pull request was opened, a later round the day its new head commit was pushed."
    )
    assert measured in _pages(history)["catalog/health.md"]
    assert measured in (ROOT / "docs/guides/reports.md").read_text(encoding="utf-8")


def test_empty_history(repo: Path, cli: Callable[..., Run]) -> None:
    assert cli("report", "reviews", cwd=repo).out == "# Review quality and turnaround\n\nNo reviews recorded yet.\n"
    run = cli("report", "earnings", "--district", "south", "--format", "csv", cwd=repo)
    assert _rows(run.out) == [_total("total", "", 0, "0", "0", "0", "0", "0")]


def test_unreadable_history_names_the_file(history: Path) -> None:
    record = history / "records/alpha/dee-alpha-1.yml"
    record.write_text(record.read_text().replace('merged_at: "2026-06-10T12:00:00Z"\n', ""))
    with pytest.raises(
        HistoryError, match=r"^records/alpha/dee-alpha-1.yml: the review record has no 'merged_at'; see schemas/record.schema.json$"
    ):
        read_history(history, SITE)
    record.write_text("rounds: [unclosed\n")
    with pytest.raises(HistoryError, match=r"^records/alpha/dee-alpha-1.yml:1:9: the list that starts here with \[ is not closed"):
        read_history(history, SITE)
    record.unlink()
    (history / "badges/revocations.json").write_text("{")
    with pytest.raises(HistoryError, match=r"^badges/revocations.json: not a readable JSON document"):
        read_history(history, SITE)


def _pages(root: Path) -> dict[str, str]:
    catalog = validate(root, model=True).catalog
    assert catalog is not None
    return render(catalog, {}, read_history(root, catalog.consortium.site_url))


def test_health_and_district_pages(history: Path) -> None:
    pages = _pages(history)
    golden(GOLDEN / "health.md", pages["catalog/health.md"])
    golden(GOLDEN / "north.md", pages["catalog/reports/north.md"])
    for district in ("north", "south", "west"):
        assert f"[The badges this district recognises](../reports/{district}.md)" in pages[f"catalog/districts/{district}.md"]
    assert "[catalog health](catalog/health.md)" in pages["index.md"]
    for path in ["catalog/health.md", *(f"catalog/reports/{d}.md" for d in ("north", "south", "west"))]:
        assert not PRIVATE.search(pages[path]), path
    # west: dee's alpha and delta and fay's alpha, all 2025-26, 2 earners: 3 x $50 stipend, 3 x 10 recertification hours;
    # dee's two come through reciprocity (north)
    west = pages["catalog/reports/west.md"]
    # preparation: fay's pre-approved alpha only ($20); dee's two come through reciprocity
    assert (
        "| School year | Badges | Earners | Stipend | Preparation | Recertification hours |\n| --- | ---: | ---: | ---: | ---: | ---: |\n"
        "| 2025-26 | 3 | 2 | $150 | $20 | 30 |\n"
    ) in west
    assert (
        "| Micro-credential | Type | Badges | Own teachers | Through reciprocity |\n| --- | --- | ---: | ---: | ---: |\n"
        "| [Alpha](../credentials/alpha.md) | Foundational | 2 | 1 | 1 |\n| [Delta](../credentials/delta.md) | Foundational | 1 | 0 | 1 |\n"
    ) in west
    desc = "Alpha: 1 by its own teachers, 1 through reciprocity; Delta: 0 by its own teachers, 1 through reciprocity."
    assert f'<desc id="badges-per-credential-desc">{desc}</desc>' in west
    # south honours no other district: one count per micro-credential, one series
    south = pages["catalog/reports/south.md"]
    assert "| Micro-credential | Type | Badges |\n| --- | --- | ---: |\n| [Alpha](../credentials/alpha.md) | Foundational | 1 |\n" in south
    assert '<desc id="badges-per-credential-desc">Alpha: 1 badge; Zeta: 1 badge.</desc>' in south
    assert "reciprocity" not in south
    assert _pages(history) == pages  # deterministic


def test_pages_before_any_review(repo: Path) -> None:
    pages = _pages(repo)
    assert "No reviews recorded yet: the figures appear here once the first submission is merged." in pages["catalog/health.md"]
    assert "<svg" not in pages["catalog/health.md"]
    assert "\nNo badge that North District recognises has been earned yet.\n" in pages["catalog/reports/north.md"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's catalog and docs, with a history of two alder-creek submissions, built by mkdocs --strict."""
    repo = tmp_path_factory.mktemp("site")
    for name in ("catalog", "rubrics", "schemas", "docs"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("catalog", "index.md") if name == "docs" else None)
    shutil.copyfile(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    catalog = validate(repo, model=True).catalog
    assert catalog is not None
    reviews = [{"reviewer": f"rv-{c * 12}", "verdict": "approved", "reviewed_on": "2026-09-05", "scores": {}} for c in "ab"]
    round_ = {"head": "0" * 40, "opened_on": "2026-09-01", "decided_on": "2026-09-10", "outcome": "approved", "tiebreak": False}
    record = {"version": "1.0.0", "earner": "jo", "district": "alder-creek", "pull_request": 0, "submitted_on": "2026-09-01"}
    record |= {"merged_at": "2026-09-12T10:00:00Z", "rounds": [round_ | {"reviews": reviews}]}
    records, badges = [], []
    for credential in ("exit-tickets", "hinge-questions"):
        sid = f"jo-{credential}-1"
        records.append(Record.from_dict(record | {"submission": sid, "credential": credential}))
        url = assertion_url(catalog.consortium.site_url, credential, sid)
        badges.append(Badge(sid, credential, "1.0.0", "jo", "alder-creek", "2026-09-12", "https://github.com/jo", url, False))
    write_generated(repo / "docs", render(catalog, {}, History(tuple(records), tuple(badges))))
    run_mkdocs(repo, repo / "site", lambda _message: None)
    return repo / "site"


def test_pages_build_strictly_with_their_charts(site: Path) -> None:
    health = (site / "catalog/health/index.html").read_text()
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="turnaround-title turnaround-desc"' in health
    assert "<p><svg" not in health  # kept as a block, not wrapped in a paragraph
    cedar = (site / "catalog/reports/cedar-ridge/index.html").read_text()
    assert "Badges Cedar Ridge School District recognises, per school year" in cedar  # recognises alder-creek: both count
    assert (site / "guides/reports/index.html").is_file()
    for page in (health, cedar):
        assert not re.search(r"\bjo\b|github\.com/jo|rv-", page)


def test_chart_text_is_escaped_and_long_labels_keep_their_full_text() -> None:
    from microcred.site.charts import Group, Series, bars

    long = "Questions & Wait Time <in> Whole-Class Discussion"
    svg = bars("c", "Rates & <more>", "A & B.", [Group(long, (50.0,), ("50.0%",))], [Series("Pass", "#1d4e89")], maximum=100)
    assert '<title id="c-title">Rates &amp; &lt;more&gt;</title>' in svg
    assert (
        "<title>Questions &amp; Wait Time &lt;in&gt; Whole-Class Discussion</title>Questions &amp; Wait Time &lt;in&gt; Whole-…</text>"
        in svg
    )
    assert '<rect x="228" y="8" width="166" height="14" fill="#1d4e89"' in svg  # half of the 332-pixel bar area
    assert "\n\n" not in svg  # a blank line would end the raw HTML block in Markdown
