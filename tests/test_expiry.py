"""Expiry and renewal with a frozen clock: the policy minted into new badges, reminders opened once, renewal closing them."""

from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path

import pytest

from fakegithub import BOT, REPOSITORY, TOKEN, serve
from microcred.badges import vc
from microcred.badges.urls import assertion_uuid
from microcred.catalog.validity import Validity, shorter
from support import FIXTURES, Run
from test_mint import KEY, SITE, add, decided, mint, mint_repo, pem

NOW = "2026-12-01T09:00:00Z"  # the day of the sample: kim's badge is near its end, lou's has expired
KIM, LOU = assertion_uuid(SITE, "alpha", "kim-alpha-1"), assertion_uuid(SITE, "alpha", "lou-alpha-1")
DEE = assertion_uuid(SITE, "alpha", "dee-alpha-1")


def expiry_repo(dest: Path) -> Path:
    """The mint fixture with fixtures/expiry over it, minted as of NOW with a signing key."""
    repo = mint_repo(dest)
    shutil.copytree(FIXTURES / "expiry", repo, dirs_exist_ok=True)
    (repo / "README.md").unlink()
    run = mint(repo, "--offline", "--now", NOW, env={"MICROCRED_SIGNING_KEY": pem(KEY)})
    assert run.code == 0, run.out + run.err
    return repo


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return expiry_repo(tmp_path_factory.mktemp("expiry") / "repo")


def assertion(repo: Path, uuid: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((repo / f"badges/assertions/{uuid}.json").read_text())
    return data


# -- the policy ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "issued", "expires"),
    [
        ("P2Y", "2025-01-10T15:04:05Z", "2027-01-10T15:04:05Z"),
        ("P1M", "2026-01-31T08:00:00Z", "2026-02-28T08:00:00Z"),
        ("P1Y6M", "2024-02-29T00:00:00+00:00", "2025-08-29T00:00:00+00:00"),
        ("P90D", "2026-10-01T12:00:00Z", "2026-12-30T12:00:00Z"),
        ("P2W", "2026-12-25T12:00:00Z", "2027-01-08T12:00:00Z"),
    ],
)
def test_a_validity_is_added_on_the_calendar(text: str, issued: str, expires: str) -> None:
    assert Validity.parse(text).until(issued) == expires


@pytest.mark.parametrize("text", ["P", "3Y", "P3y", "PT5H", "P1.5Y", "P-1Y", ""])
def test_other_forms_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not an ISO 8601 duration"):
        Validity.parse(text)


def test_the_shorter_validity_wins_and_words_name_it() -> None:
    assert shorter(Validity.parse("P3Y"), Validity.parse("P18M")) == Validity.parse("P18M")
    assert shorter(None, Validity.parse("P90D")) == Validity.parse("P90D")
    assert shorter(Validity.parse("P30D"), Validity.parse("P1M")) == Validity.parse("P1M")  # a month from 31 January 2000: 29 days
    assert Validity.parse("P1Y6M").words() == "1 year and 6 months"
    assert Validity.parse("P2Y1M1W3D").words() == "2 years, 1 month, 1 week and 3 days"


def test_new_badges_carry_the_expiry_and_badges_minted_before_keep_none(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo")
    assert mint(repo, "--offline", "--now", NOW, env={"MICROCRED_SIGNING_KEY": pem(KEY)}).code == 0
    before = (repo / f"badges/assertions/{DEE}.json").read_bytes()
    shutil.copytree(FIXTURES / "expiry", repo, dirs_exist_ok=True)  # the policy arrives after dee's badge
    assert mint(repo, "--offline", "--now", NOW, env={"MICROCRED_SIGNING_KEY": pem(KEY)}).code == 0
    assert (repo / f"badges/assertions/{DEE}.json").read_bytes() == before
    assert "expires" not in json.loads(before)
    kim = assertion(repo, KIM)
    assert (kim["issuedOn"], kim["expires"]) == ("2025-01-10T15:04:05Z", "2027-01-10T15:04:05Z")
    payload = vc.unverified_payload((repo / f"badges/credentials/{KIM}.jwt").read_text())
    assert payload["validUntil"] == "2027-01-10T15:04:05Z"
    assert payload["exp"] == 1799593445  # 2027-01-10T15:04:05Z
    assert "validUntil" not in vc.unverified_payload((repo / f"badges/credentials/{DEE}.jwt").read_text())


# -- reminders -------------------------------------------------------------------------------------


def remind(repo: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    import io
    from contextlib import redirect_stdout

    from microcred.cli import main
    from test_mint import ENVIRONMENT

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for name in (*ENVIRONMENT, "MICROCRED_TODAY"):
            patch.delenv(name, raising=False)
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["remind", "--root", str(repo), *args])
    return Run(code, out.getvalue(), err.getvalue())


def test_a_dry_run_names_exactly_the_badge_near_its_end(sample: Path) -> None:
    run = remind(sample, "--dry-run", "--today", "2026-12-01")
    assert run.code == 0, run.err
    assert run.out.splitlines() == [
        f"would open an issue for {KIM} (alpha, @kim): expires 2027-01-10",
        "microcred: 1 badge(s) expiring from 2026-12-01 to 2027-01-30; dry run, nothing written",
    ]
    frozen = remind(sample, "--dry-run", env={"MICROCRED_TODAY": "2026-11-10"})  # 2027-01-10 is 61 days on
    assert frozen.out.splitlines() == ["microcred: 0 badge(s) expiring from 2026-11-10 to 2027-01-09; dry run, nothing written"]


def test_the_window_is_the_consortiums(sample: Path, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(sample, repo)
    consortium = repo / "catalog/consortium.yml"
    consortium.write_text(consortium.read_text() + "reminders:\n  days_before: 30\n")
    run = remind(repo, "--dry-run", "--today", "2026-12-01")
    assert run.out.splitlines() == ["microcred: 0 badge(s) expiring from 2026-12-01 to 2026-12-31; dry run, nothing written"]


def test_a_bad_day_is_a_usage_error(sample: Path) -> None:
    run = remind(sample, "--dry-run", "--today", "1 December")
    assert (run.code, run.err) == (2, "microcred: error: --today 1 December: give a day as YYYY-MM-DD, e.g. 2026-12-01\n")


def test_one_issue_across_two_runs_and_it_is_closed_once_the_renewal_is_minted(sample: Path, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(sample, repo)
    with serve() as fake:
        fake.issue("Unrelated", f"<!-- microcred-remind: {LOU} -->", [], "someone")  # no label: not ours, and lou is not due
        env = {"GITHUB_REPOSITORY": REPOSITORY, "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": fake.url}
        first = remind(repo, "--today", "2026-12-01", env=env)
        assert first.code == 0, first.err
        ours = [i for i in fake.issues.values() if i["login"] == BOT]
        assert len(ours) == 1
        issue = ours[0]
        assert first.out.splitlines()[0] == f"opened #{issue['number']} for {KIM} (alpha, @kim): expires 2027-01-10"
        assert issue["title"] == "Your badge Alpha expires on 2027-01-10"
        assert issue["labels"] == ["renewal-reminder"]
        assert issue["body"].startswith(f"<!-- microcred-remind: {KIM} -->\n@kim, your badge **Alpha** (issued 2025-01-10)")
        assert f"microcred new submission --renew {KIM}" in issue["body"]
        writes = len(fake.writes)
        second = remind(repo, "--today", "2026-12-02", env=env)
        assert second.code == 0, second.err
        assert second.out.splitlines() == ["microcred: 1 badge(s) expiring from 2026-12-02 to 2027-01-31; opened 0, closed 0"]
        assert len(fake.writes) == writes  # nothing written on a rerun
        renew(repo)
        third = remind(repo, "--today", "2026-12-20", env=env)
        assert third.out.splitlines() == [
            f"closed #{issue['number']}: {KIM} is renewed by kim-alpha-2",
            "microcred: 0 badge(s) expiring from 2026-12-20 to 2027-02-18; opened 0, closed 1",
        ]
        assert issue["state"] == "closed"
        fourth = remind(repo, "--today", "2026-12-21", env=env)
        assert "closed 0" in fourth.out and len([i for i in fake.issues.values() if i["login"] == BOT]) == 1


def renew(repo: Path) -> None:
    """kim renews: a renewal submission answering the renewal part, approved and minted on 2026-12-15."""
    add(repo, "kim-alpha-2", "alpha", "kim", decided("approved", "approved", "approved"))
    path = repo / "submissions/alpha/kim-alpha-2.yml"
    text = path.read_text().replace("login: kim\n", "login: kim\n")
    head, _, _ = text.partition("overview:")
    renewal = (
        "renews: kim-alpha-1\noverview: {}\nartifacts:\n  plan:\n"
        "    url: https://storage.north.example.org/evidence/kim/alpha-plan-2026.pdf\n"
        "    description: This year's alpha plan.\n"
        "reflection:\n  since: I plan every unit with alpha now, and my students explain the steps without prompting.\n"
        "attestation:\n  permissions: true\n  own_work: true\n"
    )
    path.write_text(head.replace('submitted_on: "2026-11-09"', 'submitted_on: "2026-12-01"') + renewal)
    record = repo / "records/alpha/kim-alpha-2.yml"
    record.write_text(record.read_text().replace("2026-10-20T15:04:05Z", "2026-12-15T10:00:00Z"))
    run = mint(repo, "--offline", "--now", "2026-12-15T12:00:00Z", env={"MICROCRED_SIGNING_KEY": pem(KEY)})
    assert run.code == 0, run.out + run.err


def test_the_renewed_badge_links_the_one_it_renews_which_stays_as_it_was(sample: Path, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(sample, repo)
    before = (repo / f"badges/assertions/{KIM}.json").read_bytes()
    renew(repo)
    renewed = assertion(repo, assertion_uuid(SITE, "alpha", "kim-alpha-2"))
    assert renewed["expires"] == "2028-12-15T10:00:00Z"
    link = {"type": "Evidence", "id": f"{SITE}badges/assertions/{KIM}.json", "name": "Renews the badge for kim-alpha-1", "genre": "Renewal"}
    assert renewed["evidence"][-1] == link  # type: ignore[index]
    twin = vc.unverified_payload((repo / f"badges/credentials/{assertion_uuid(SITE, 'alpha', 'kim-alpha-2')}.jwt").read_text())
    assert twin["evidence"][-1] == {**link, "type": ["Evidence"]}
    assert twin["validUntil"] == "2028-12-15T10:00:00Z"
    assert (repo / f"badges/assertions/{KIM}.json").read_bytes() == before


def test_a_day_after_expiry_is_not_due() -> None:
    from microcred.pullrequests.remind import Expiring, due

    badge = Expiring("u", "s", "alpha", "Alpha", "kim", "2025-01-10", "2027-01-10", None)
    assert due([badge], date(2027, 1, 11), 60) == []
    assert due([badge], date(2027, 1, 10), 60) == [badge]
    assert due([badge], date(2026, 11, 11), 60) == [badge]
    assert due([badge], date(2026, 11, 10), 60) == []


# -- everything knows about time -------------------------------------------------------------------


def test_the_expired_sample_reads_expired_in_verify_and_the_one_near_its_end_valid(sample: Path, tmp_path: Path) -> None:
    from microcred.cli import main

    for uuid, verdict, code in ((LOU, "EXPIRED", 1), (KIM, "VALID", 0)):
        for form in (f"badges/assertions/{uuid}.json", f"badges/credentials/{uuid}.jwt"):
            out = io.StringIO()
            with redirect_stdout(out):
                got = main(["verify", f"{SITE}{form}", "--site", str(sample), "--site-url", SITE, "--now", NOW, "--root", str(sample)])
            assert (got, out.getvalue().splitlines()[0]) == (code, f"{verdict}: {SITE}{form}"), out.getvalue()
            if verdict == "EXPIRED":
                assert "It expired on 2026-06-01T15:04:05Z." in out.getvalue() or "validUntil was 2026-06-01T15:04:05Z" in out.getvalue()


def test_the_expired_samples_page_says_so_and_the_one_near_its_end_gives_its_date(sample: Path) -> None:
    from microcred.catalog.validate import validate
    from microcred.reports.history import read_history
    from microcred.site.badgepages import environment, render_page
    from microcred.site.earned import read_earned

    catalog = validate(sample, model=True).catalog
    assert catalog is not None
    earned = {b.uuid: b for b in read_earned(sample, catalog, read_history(sample, SITE))}
    lou = render_page(environment(), earned[LOU], catalog.consortium, "Site", [], today="2026-12-01")
    assert '<p class="admonition-title">Expired</p>' in lou
    assert '<tr><th scope="row">Expired</th><td><time datetime="2026-06-01T15:04:05Z">1 June 2026</time></td></tr>' in lou
    assert '<tr><th scope="row">Status</th><td>Expired</td></tr>' in lou
    kim = render_page(environment(), earned[KIM], catalog.consortium, "Site", [], today="2026-12-01")
    assert 'admonition-title">Expired' not in kim
    assert '<tr><th scope="row">Expires</th><td><time datetime="2027-01-10T15:04:05Z">10 January 2027</time></td></tr>' in kim
    assert '<tr><th scope="row">Status</th><td>Issued</td></tr>' in kim
    on_the_day = render_page(environment(), earned[KIM], catalog.consortium, "Site", [], today="2027-01-10")
    assert '<tr><th scope="row">Status</th><td>Expired</td></tr>' in on_the_day


def test_find_my_badges_carries_the_expiry(sample: Path) -> None:
    from microcred.catalog.validate import validate
    from microcred.reports.history import read_history
    from microcred.site.earned import read_earned
    from microcred.site.findbadges import index_files

    catalog = validate(sample, model=True).catalog
    assert catalog is not None
    files = index_files(read_earned(sample, catalog, read_history(sample, SITE)), catalog)
    entries = [e for name, data in files.items() if name.startswith("login/") for es in json.loads(data).values() for e in es]
    assert {e["u"]: e.get("x") for e in entries if e["k"] == "credential" and e["i"] == "alpha"} == {
        KIM: "2027-01-10",
        LOU: "2026-06-01",
        DEE: "2028-10-20",  # minted with the policy in the sample: two years after 2026-10-20
    }
    stack = [e for e in entries if e["k"] == "stack"]
    assert stack and all("x" not in e for e in stack)  # a stack badge does not expire


# -- renewal ---------------------------------------------------------------------------------------


def new(repo: Path, *args: str) -> Run:
    from microcred.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["new", "submission", *args, "--no-input", "--date", "2026-12-01", "--root", str(repo)])
    return Run(code, out.getvalue(), err.getvalue())


def test_a_renewal_scaffold_asks_only_the_renewal_and_names_the_badge_it_renews(sample: Path, tmp_path: Path) -> None:
    import yaml

    repo = tmp_path / "repo"
    shutil.copytree(sample, repo)
    run = new(repo, "--renew", f"{SITE}badges/earned/{KIM}/")  # the page's address holds the badge's id
    assert run.code == 0, run.err
    data = yaml.safe_load((repo / "submissions/alpha/kim-alpha-2.yml").read_text())
    assert (data["renews"], data["earner"], data["overview"]) == ("kim-alpha-1", {"login": "kim", "district": "north"}, {})
    assert (list(data["artifacts"]), list(data["reflection"])) == (["plan"], ["since"])
    assert 'git commit -m "Renewal kim-alpha-2 of kim-alpha-1 for alpha"' in run.out
    # Filled in, it is complete: the overview and the impact reflection of a first submission are not asked.
    text = (repo / "submissions/alpha/kim-alpha-2.yml").read_text()
    text = text.replace("url: https://\n", "url: https://storage.north.example.org/evidence/kim/plan-2026.pdf\n")
    text = text.replace('description: ""', "description: This year's plan.").replace("since: |\n", "since: Every unit, now.\n")
    text = text.replace("permissions: false", "permissions: true").replace("own_work: false", "own_work: true")
    text = text.replace('reference: ""', "reference: N-2026-40").replace('approved_on: ""', 'approved_on: "2026-11-20"')
    (repo / "submissions/alpha/kim-alpha-2.yml").write_text(text)
    from microcred.catalog.validate import validate

    assert [f"{p.code} {p.message}" for p in validate(repo).problems if p.path.endswith("kim-alpha-2.yml")] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--renew", "nobody-alpha-1"],
            "--renew nobody-alpha-1: no minted badge of this catalog has that id; give the badge's id from its page",
        ),
        (["beta", "--renew", KIM], "--renew " + KIM + ": that badge is for 'alpha', not 'beta'"),
        ([], "give the micro-credential's id, or --renew BADGE"),
    ],
)
def test_a_renewal_of_no_badge_is_a_usage_error(sample: Path, tmp_path: Path, args: list[str], message: str) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(sample, repo)
    assert (new(repo, *args).code, new(repo, *args).err) == (2, f"microcred: error: {message}\n")


# -- reports ---------------------------------------------------------------------------------------


def counted(repo: Path, district: str, on: str) -> list[str]:
    from microcred.catalog.validate import validate
    from microcred.reports.earnings import earnings
    from microcred.reports.history import read_history

    catalog = validate(repo, model=True).catalog
    assert catalog is not None
    report = earnings(catalog, catalog.districts[district], read_history(repo, SITE).badges, on=on)
    return [line.badge.submission for line in report.lines]


def test_reports_count_a_badge_only_while_it_is_valid_for_the_district(sample: Path, tmp_path: Path) -> None:
    assert counted(sample, "south", "2026-05-31") == ["lou-alpha-1", "eve-alpha-1"]  # lou's expires 2026-06-01
    assert counted(sample, "south", "2026-06-01") == ["eve-alpha-1"]
    assert "kim-alpha-1" in counted(sample, "north", "2026-12-01")
    repo = tmp_path / "repo"
    shutil.copytree(sample, repo)
    north = repo / "catalog/districts/north.yml"
    north.write_text(north.read_text() + "valid_for: P1Y\n")  # north counts a badge for a year only
    assert "kim-alpha-1" in counted(repo, "north", "2026-01-09")
    assert "kim-alpha-1" not in counted(repo, "north", "2026-01-10")
    renew(repo)  # renewed on 2026-12-15: counted again, for a year from then
    assert "kim-alpha-1" not in counted(repo, "north", "2026-12-14")
    assert "kim-alpha-1" in counted(repo, "north", "2027-12-14")
    assert "kim-alpha-1" not in counted(repo, "north", "2027-12-15")
    assert "kim-alpha-2" not in counted(repo, "north", "2027-01-01")  # the renewal is not paid a second time


def test_report_commands_take_the_day(sample: Path) -> None:
    from microcred.cli import main

    def report(*args: str) -> str:
        out = io.StringIO()
        with redirect_stdout(out), redirect_stderr(io.StringIO()):
            assert main(["report", "earnings", "--district", "south", "--format", "csv", "--root", str(sample), *args]) == 0
        return out.getvalue()

    assert "earner-total,,,lou," in report("--on", "2026-05-31")
    assert ",lou," not in report("--on", "2026-06-01")
    assert ",lou," not in report()  # today: after 2026-06-01 whenever the test runs


def test_the_transcript_lists_a_badge_only_while_it_is_valid(sample: Path) -> None:
    from microcred.catalog.validate import validate
    from microcred.reports.history import read_history
    from microcred.reports.roster import Employee
    from microcred.reports.transcript import transcript

    catalog = validate(sample, model=True).catalog
    assert catalog is not None
    history = read_history(sample, SITE)
    staff = [Employee(2, "lou@south.example.org", "E-7", "Lou Example", "", "lou")]

    def listed(on: str) -> list[str]:
        found = transcript(catalog, catalog.districts["south"], history.badges, history.records, staff, on=on)
        return [e.badge.submission for e in found.entries]

    assert (listed("2026-05-31"), listed("2026-06-01")) == (["lou-alpha-1"], [])


def test_renewals_due_are_counted_per_quarter_from_todays_on(sample: Path, tmp_path: Path) -> None:
    from microcred.reports.earnings import renewals_due
    from microcred.reports.history import read_history

    badges = read_history(sample, SITE).badges  # kim 2027-01-10, eve 2028-09-30, dee 2028-10-20, lou 2026-06-01 (past)
    assert renewals_due(badges, "2026-12-01") == [("2027 Q1", 1), ("2028 Q3", 1), ("2028 Q4", 1)]
    assert renewals_due(badges, "2026-05-01") == [("2026 Q2", 1), ("2027 Q1", 1), ("2028 Q3", 1), ("2028 Q4", 1)]
    repo = tmp_path / "repo"
    shutil.copytree(sample, repo)
    renew(repo)  # kim's renewal expires 2028-12-15
    assert renewals_due(read_history(repo, SITE).badges, "2026-12-01") == [("2028 Q3", 1), ("2028 Q4", 2)]


def test_the_health_page_shows_the_renewals_due_per_quarter_as_counts(sample: Path) -> None:
    from microcred.catalog.validate import validate
    from microcred.reports.history import read_history
    from microcred.site.pages import _environment, _report_pages

    catalog = validate(sample, model=True).catalog
    assert catalog is not None
    (_path, template, context), *_ = _report_pages(catalog, read_history(sample, SITE), today="2026-12-01")
    text = _environment().get_template(template).render(consortium=catalog.consortium, **context)
    section = text[text.index("## Renewals due") : text.index("## How the figures")]
    assert section.splitlines()[4:9] == [
        "| Quarter | Badges expiring |",
        "| --- | ---: |",
        "| 2027 Q1 | 1 |",
        "| 2028 Q3 | 1 |",
        "| 2028 Q4 | 1 |",
    ]
    assert "reminded on GitHub 60 days before" in section and "kim" not in section and "sha256" not in section


def test_catalog_text_in_a_reminder_mentions_nobody_and_links_nothing(sample: Path) -> None:
    from dataclasses import replace

    from microcred.catalog.validate import validate
    from microcred.pullrequests.remind import Expiring, body

    catalog = validate(sample, model=True).catalog
    assert catalog is not None
    hostile = "Alpha @everyone [click](https://evil.example) <img src=x> *bold*"
    text = body(replace(Expiring(KIM, "kim-alpha-1", "alpha", "", "kim", "2025-01-10", "2027-01-10", None), title=hostile), catalog)
    line = text.splitlines()[1]
    assert line == (
        r"@kim, your badge **Alpha \@everyone \[click\]\(https://evil.example\) \<img src=x\> \*bold\*** "
        "(issued 2025-01-10) expires on **2027-01-10**."
    )


def test_credential_and_district_pages_state_the_validity(sample: Path, tmp_path: Path) -> None:
    from microcred.catalog.validate import validate
    from microcred.site.pages import render

    repo = tmp_path / "repo"
    shutil.copytree(sample, repo)
    north = repo / "catalog/districts/north.yml"
    north.write_text(north.read_text() + "valid_for: P18M\n")
    catalog = validate(repo, model=True).catalog
    assert catalog is not None
    pages = render(catalog)
    credential = next(text for path, text in pages.items() if path.endswith("credentials/alpha.md"))
    assert "| Valid for | 2 years from the day the badge is issued; renewed with a shorter submission |" in credential
    beta = next(text for path, text in pages.items() if path.endswith("credentials/beta.md"))
    assert "Valid for" not in beta
    district = next(text for path, text in pages.items() if path.endswith("districts/north.md"))
    assert "Counts a badge for 18 months from the day it is issued, or until it expires if that is sooner." in district
    south = next(text for path, text in pages.items() if path.endswith("districts/south.md"))
    assert "Counts a badge for" not in south


def test_without_a_token_remind_asks_nothing_and_says_what_is_missing(sample: Path) -> None:
    run = remind(sample, "--today", "2026-12-01", env={"GITHUB_REPOSITORY": REPOSITORY})
    assert (run.code, run.out, run.err) == (2, "", "microcred: error: GITHUB_TOKEN not set: remind talks to GitHub (or give --dry-run)\n")
