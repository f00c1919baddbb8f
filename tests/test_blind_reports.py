"""Reports under blind review: a relayed badge counts for its district through the private binding, or is counted as unattributed.

The history fixture (see test_report.py) with blind review on and two of its badges turned into relayed ones, as mint
leaves them: dee's alpha (north, a salted email hash) and eve's alpha (south, her profile). Their records, submissions
and assertion files are named by the opaque id, and the bindings are in the intake repository of a second fake GitHub.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from fakegithub import FakeGitHub, serve
from microcred.badges.urls import assertion_url
from microcred.catalog.blind import Binding, opaque_id, public_copy
from support import FIXTURES, Run, make_repo

SITE = "https://consortium.example.org/catalog/"
INTAKE, READER, SECRET = "consortium/intake", "intake-reader", "s" * 32
ROSTER = FIXTURES / "roster" / "north.csv"
RELAYED = {"dee": ("north", 7), "eve": ("south", 9)}  # login -> district, intake pull request
WARNING = "microcred: warning: 2 badges relayed for blind review are not attributed to a district, so no district's figures count them: "
HOW = "; run it with MICROCRED_INTAKE_TOKEN (a token that reads the intake repository) and MICROCRED_BLIND_KEY (the consortium's secret) set\n"
Cli = Callable[..., Run]


def opaque(login: str) -> str:
    return opaque_id(SECRET.encode(), login, "alpha", RELAYED[login][1])


def uuid(submission: str) -> str:
    return assertion_url(SITE, "alpha", submission).rsplit("/", 1)[1].removesuffix(".json")


def bindings() -> dict[str, Binding]:
    return {login: Binding(opaque(login), login, district, "alpha", number) for login, (district, number) in RELAYED.items()}


def blind(repo: Path) -> Path:
    """Turn blind review on and dee's and eve's alpha into relayed badges, as the relay and mint leave them."""
    with (repo / "catalog/consortium.yml").open("a", encoding="utf-8") as consortium:
        consortium.write(f"blind_review:\n  intake: {INTAKE}\n  relay: relay-bot[bot]\n")
    for login in RELAYED:
        old, new = f"{login}-alpha-1", opaque(login)
        record = (repo / f"records/alpha/{old}.yml").read_text(encoding="utf-8")
        record = record.replace(f"submission: {old}", f"submission: {new}").replace(f"earner: {login}", f"earner: {new}")
        record = record.replace(f"district: {RELAYED[login][0]}", f"district: {new}")
        (repo / f"records/alpha/{new}.yml").write_text(record, encoding="utf-8")
        (repo / f"records/alpha/{old}.yml").unlink()
        submission = yaml.safe_load((repo / f"submissions/alpha/{old}.yml").read_text(encoding="utf-8"))
        text = yaml.safe_dump(public_copy(submission, new), sort_keys=False)
        (repo / f"submissions/alpha/{new}.yml").write_text(text, encoding="utf-8")
        (repo / f"submissions/alpha/{old}.yml").unlink()
        (repo / f"badges/assertions/{uuid(old)}.json").rename(repo / f"badges/assertions/{uuid(new)}.json")
    return repo


def renamed(text: str) -> str:
    """What an open report says, with each relayed badge's address and id as the blind history has them."""
    for login in RELAYED:
        text = text.replace(uuid(f"{login}-alpha-1"), uuid(opaque(login)))
    return text


@pytest.fixture
def open_history(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "open", FIXTURES / "history")


@pytest.fixture
def history(tmp_path: Path) -> Path:
    return blind(make_repo(tmp_path / "blind", FIXTURES / "history"))


@pytest.fixture
def intake() -> Iterator[FakeGitHub]:
    host = FakeGitHub(repository=INTAKE, private=True, tokens={READER: "intake-reader"}, read_tokens=frozenset({READER}))
    for binding in bindings().values():
        host.file("main", binding.path, binding.to_yaml())
    with serve(host):
        yield host


def env(monkeypatch: pytest.MonkeyPatch, url: str | None) -> None:
    for name in ("MICROCRED_INTAKE_TOKEN", "MICROCRED_BLIND_KEY", "GITHUB_API_URL"):
        monkeypatch.delenv(name, raising=False)
    if url is not None:
        monkeypatch.setenv("GITHUB_API_URL", url)
        monkeypatch.setenv("MICROCRED_INTAKE_TOKEN", READER)
        monkeypatch.setenv("MICROCRED_BLIND_KEY", SECRET)


@pytest.mark.parametrize("district", ["north", "south"])
def test_earnings_count_a_relayed_badge_for_its_district_through_the_binding(
    history: Path, open_history: Path, intake: FakeGitHub, cli: Cli, monkeypatch: pytest.MonkeyPatch, district: str
) -> None:
    """With the intake token the report is the open flow's, row for row; the public records still name the opaque id."""
    env(monkeypatch, None)
    expected = cli("report", "earnings", "--district", district, "--format", "csv", cwd=open_history)
    env(monkeypatch, intake.url)
    run = cli("report", "earnings", "--district", district, "--format", "csv", cwd=history)
    assert (run.code, run.out, run.err) == (0, renamed(expected.out), "")
    assert f"{opaque('eve')}" in (history / f"records/alpha/{opaque('eve')}.yml").read_text(encoding="utf-8")
    assert [r.path for r in intake.requests if "contents" in r.path] == [
        f"/repos/{INTAKE}/contents/{b.path}" for b in sorted(bindings().values(), key=lambda b: b.id)
    ]  # one read per relayed badge, nothing written
    assert intake.writes == []


def test_without_the_token_the_unattributed_badges_are_counted_and_the_way_to_count_them_said(
    history: Path, open_history: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    env(monkeypatch, None)
    run = cli("report", "earnings", "--district", "south", "--format", "json", cwd=history)
    assert (run.code, run.err) == (0, WARNING + "MICROCRED_INTAKE_TOKEN and MICROCRED_BLIND_KEY are not set" + HOW)
    assert [b["earner"] for b in yaml.safe_load(run.out)["badges"]] == ["eve"]  # her zeta; her relayed alpha is not counted
    opened = cli("report", "earnings", "--district", "south", "--format", "json", cwd=open_history)
    assert [b["earner"] for b in yaml.safe_load(opened.out)["badges"]] == ["eve", "eve"]


def test_a_forged_binding_is_not_used(history: Path, intake: FakeGitHub, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone who can write the intake repository moves eve's badge to dee: the HMAC under the secret does not match."""
    env(monkeypatch, None)
    unattributed = cli("report", "earnings", "--district", "north", "--format", "csv", cwd=history).out
    forged = Binding(opaque("eve"), "dee", "north", "alpha", RELAYED["eve"][1])
    intake.file("main", forged.path, forged.to_yaml())
    del intake.contents["main", bindings()["dee"].path]  # and dee's is gone
    env(monkeypatch, intake.url)
    run = cli("report", "earnings", "--district", "north", "--format", "csv", cwd=history)
    assert (run.code, run.out) == (0, unattributed)  # neither relayed badge is counted
    why = {
        opaque("dee"): f"MC353 no binding for {opaque('dee')} in the intake repository: only the relay opens submissions",
        opaque("eve"): f"MC354 the binding {opaque('eve')} does not match its opaque id: its login, credential and attempt give another",
    }
    assert run.err == WARNING + "; ".join(why[k] for k in sorted(why)) + "\n"


def test_the_transcript_matches_a_relayed_badge_to_its_employee_through_the_binding(
    history: Path, open_history: Path, intake: FakeGitHub, cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """dee's relayed badge by her salted email hash, eve's by her login: HR's rows are the open flow's."""
    roster = Path(shutil.copyfile(ROSTER, tmp_path / "staff.csv"))
    roster.write_text(
        roster.read_text(encoding="utf-8").replace("Dee@North.example.org,TN-880041,,", "Dee@North.example.org,TN-880041,dee,")
    )
    args = ("report", "transcript", "--district", "north", "--roster", str(roster))
    env(monkeypatch, None)
    expected = cli(*args, cwd=open_history)
    assert uuid("dee-alpha-1") in expected.out and uuid("eve-alpha-1") in expected.out
    env(monkeypatch, intake.url)
    run = cli(*args, cwd=history)
    assert (run.code, run.out, run.err) == (0, renamed(expected.out), expected.err)
    env(monkeypatch, None)
    run = cli(*args, cwd=history)
    assert run.code == 0 and uuid(opaque("dee")) not in run.out and uuid(opaque("eve")) not in run.out
    assert run.err.endswith(WARNING + "MICROCRED_INTAKE_TOKEN and MICROCRED_BLIND_KEY are not set" + HOW)


def test_the_site_counts_a_relayed_badge_on_its_districts_report_page(
    history: Path, open_history: Path, intake: FakeGitHub, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The build attributes as the reports do: the district pages (counts only) are the open flow's, and say nobody's name."""
    from microcred.site.build import generate

    for repo in (history, open_history):
        (repo / "mkdocs.yml").write_text(f"site_name: Badges\nsite_url: {SITE}\n", encoding="utf-8")
        shutil.copytree(FIXTURES.parent.parent / "docs", repo / "docs", ignore=shutil.ignore_patterns("catalog", "index.md"))
    env(monkeypatch, None)
    generate(open_history, lambda _message: None)
    pages = {d: (open_history / f"docs/catalog/reports/{d}.md").read_text(encoding="utf-8") for d in ("north", "south", "west")}
    generate(history, lambda _message: None)
    assert capsys.readouterr().err == WARNING + "MICROCRED_INTAKE_TOKEN and MICROCRED_BLIND_KEY are not set" + HOW
    assert (history / "docs/catalog/reports/south.md").read_text(encoding="utf-8") != pages["south"]
    env(monkeypatch, intake.url)
    generate(history, lambda _message: None)
    assert capsys.readouterr().err == ""
    for d, page in pages.items():
        shown = (history / f"docs/catalog/reports/{d}.md").read_text(encoding="utf-8")
        assert shown == page and "dee" not in shown and "eve" not in shown, d


def test_an_intake_repository_that_cannot_be_read_is_said_not_a_traceback(
    history: Path, intake: FakeGitHub, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    intake.fail = ("GET", "/contents/", 403)
    env(monkeypatch, intake.url)
    run = cli("report", "earnings", "--district", "south", "--format", "csv", cwd=history)
    first = sorted(b.id for b in bindings().values())[0]
    assert (run.code, run.err) == (
        0,
        WARNING + f"the intake repository {INTAKE} could not be read: "
        f"GET /repos/{INTAKE}/contents/bindings/{first}.yml?ref=main answered HTTP 403: Forbidden\n",
    )
