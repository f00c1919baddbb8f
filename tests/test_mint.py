"""`microcred mint`: the badges of the fixtures/base catalog with fixtures/mint laid over it, in real git repositories.

dee earns alpha, beta (after a tie-break) and gamma, and with them the stack `basics`; eve (hashed
email, a district that grants CEUs) earns alpha on a resubmission. Offline the approvals are the
records in records/; online they are re-checked through a fake GitHub that real PyGithub talks to.
The mint-and-publish workflow's own commit step runs here too, against real clones. The signing key
is a test-only key made from fixed bytes here; no private key is stored anywhere.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fakegithub import REPOSITORY, TOKEN, serve
from microcred.badges import artwork, vc
from microcred.badges.revoke import revoke
from microcred.badges.urls import assertion_uuid
from microcred.catalog.records import Record, ReviewRecord, Round
from microcred.cli import main
from microcred.review import review
from microcred.verify.ob3check import SCHEMA
from support import FIXTURES, GIT_ENV, REFERENCE, ROOT, Run, git, golden, make_repo, needs_reference

GOLDEN = FIXTURES / "golden" / "badges"
SITE = "https://consortium.example.org/catalog/"
WORKFLOW = ROOT / ".github" / "workflows" / "mint-publish.yml"
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))  # test-only
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64)))  # test-only
RSA_PEM = (
    rsa.generate_private_key(public_exponent=65537, key_size=2048)  # test-only, made afresh each run
    .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    .decode()
)
ENVIRONMENT = (
    "MICROCRED_SIGNING_KEY",
    "MICROCRED_JWT_KEY",
    "MICROCRED_PSEUDONYM_KEY",
    "GITHUB_REPOSITORY",
    "GITHUB_TOKEN",
    "GITHUB_API_URL",
    "GITHUB_SERVER_URL",
)
NOW = ("--now", "2027-01-01T00:00:00Z")
ALL_MET = "- context: met\n- plan: met\n- impact: met"
DEE_ALPHA, EVE_ALPHA = "439663b4-c7de-55ab-973d-a22279709ac5", "eec06257-3127-5ffd-87ce-61075651f6dc"
DEE_BETA, DEE_GAMMA = "909a2e35-6cc9-5041-bea5-93c34a82025d", "d022ede1-3b8b-5329-8244-fb651c2fd333"
DEE_BASICS = "35a71a8e-7b66-52d7-ac22-15ce5f50190a"
MINTED = [
    f"minted badges/assertions/{DEE_ALPHA}.json for submissions/alpha/dee-alpha-1.yml; page {SITE}badges/earned/{DEE_ALPHA}/",
    f"minted badges/assertions/{EVE_ALPHA}.json for submissions/alpha/eve-alpha-1.yml; page {SITE}badges/earned/{EVE_ALPHA}/",
    f"minted badges/assertions/{DEE_BETA}.json for submissions/beta/dee-beta-1.yml; page {SITE}badges/earned/{DEE_BETA}/",
    f"minted badges/assertions/{DEE_GAMMA}.json for submissions/gamma/dee-gamma-1.yml; page {SITE}badges/earned/{DEE_GAMMA}/",
    f"minted badges/assertions/{DEE_BASICS}.json for the stack basics of dee; page {SITE}badges/earned/{DEE_BASICS}/",
]
NO_KEY = "microcred: MICROCRED_SIGNING_KEY is not set: Open Badges 2.0 only, no signed 3.0 credentials\n"


def pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


def mint(repo: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    """`microcred mint --root REPO ARGS` in-process, with only the given variables of the mint's environment set."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for name in ENVIRONMENT:
            patch.delenv(name, raising=False)
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["mint", "--root", str(repo), *args])
    return Run(code, out.getvalue(), err.getvalue())


def mint_repo(dest: Path, overlay: bool = True) -> Path:
    """The base catalog, with fixtures/mint over it (or only dee-alpha-1's record); a git repository without commits."""
    repo = make_repo(dest)
    if overlay:
        shutil.copytree(FIXTURES / "mint", repo, dirs_exist_ok=True)
        (repo / "README.md").unlink()
    else:
        (repo / "records/alpha").mkdir(parents=True)
        shutil.copyfile(FIXTURES / "mint/records/alpha/dee-alpha-1.yml", repo / "records/alpha/dee-alpha-1.yml")
    git(repo, "init", "-q", "-b", "main")  # no commit: no history, whatever folder the test runs in
    return repo


def snapshot(repo: Path) -> dict[str, bytes]:
    return {p.relative_to(repo).as_posix(): p.read_bytes() for p in sorted(repo.rglob("*")) if p.is_file() and ".git" not in p.parts}


def badge_files(repo: Path) -> list[str]:
    return sorted(rel for rel in snapshot(repo) if rel.startswith("badges/"))


@pytest.fixture(scope="module")
def minted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    repo = mint_repo(tmp_path_factory.mktemp("minted") / "repo")
    return repo, mint(repo, "--offline", *NOW, env={"MICROCRED_SIGNING_KEY": pem(KEY), "GITHUB_REPOSITORY": "example/catalog"})


def test_mint_writes_a_badge_for_every_approved_submission_and_the_stack(minted: tuple[Path, Run]) -> None:
    repo, run = minted
    assert (run.code, run.out.splitlines(), run.err) == (0, MINTED, "microcred: minted 5 badges (1 stack badges); skipped 0\n")
    names = [DEE_ALPHA, EVE_ALPHA, DEE_BETA, DEE_GAMMA, DEE_BASICS]
    expected = [f"badges/assertions/{n}.json" for n in names]  # no image per badge: baked on demand from the class artwork
    expected += [f"badges/classes/{c}.{s}" for c in ("alpha-1.0.0", "beta-1.0.0", "gamma-1.0.0", "stack-basics") for s in ("json", "png")]
    expected += [f"badges/credentials/{n}.jwt" for n in names]
    expected += ["badges/issuer-v3.json", "badges/issuer.json", "badges/keys.json", "badges/revocations.json"]
    assert badge_files(repo) == sorted(expected)


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("issuer.json", "badges/issuer.json"),
        ("revocations.json", "badges/revocations.json"),
        ("issuer-v3.json", "badges/issuer-v3.json"),
        ("keys.json", "badges/keys.json"),
        ("class-alpha-1.0.0.json", "badges/classes/alpha-1.0.0.json"),
        ("class-stack-basics.json", "badges/classes/stack-basics.json"),
        ("assertion-dee-alpha-1.json", f"badges/assertions/{DEE_ALPHA}.json"),
        ("assertion-eve-alpha-1.json", f"badges/assertions/{EVE_ALPHA}.json"),
        ("assertion-dee-beta-1.json", f"badges/assertions/{DEE_BETA}.json"),
        ("assertion-stack-basics-dee.json", f"badges/assertions/{DEE_BASICS}.json"),
    ],
)
def test_minted_documents_match_their_golden_files(minted: tuple[Path, Run], name: str, path: str) -> None:
    golden(GOLDEN / name, (minted[0] / path).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("name", "uuid"), [("credential-eve-alpha-1.json", EVE_ALPHA), ("credential-stack-basics-dee.json", DEE_BASICS)])
def test_signed_credentials_decode_to_their_golden_payloads(minted: tuple[Path, Run], name: str, uuid: str) -> None:
    repo = minted[0]
    token = (repo / f"badges/credentials/{uuid}.jwt").read_text(encoding="ascii")
    payload = vc.verify(token, json.loads((repo / "badges/keys.json").read_text()))
    golden(GOLDEN / name, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


# -- Open Badges 2.0: the fields and types the specification requires, and hosted verification -------


def _text(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _hosted(repo: Path, url: object, suffix: str) -> bool:
    """A URL under the site's badges/ that the repository publishes."""
    return isinstance(url, str) and url.startswith(f"{SITE}badges/") and url.endswith(suffix) and (repo / url.removeprefix(SITE)).is_file()


def _problems(repo: Path, doc: dict[str, object]) -> list[str]:
    found = []
    kind = doc.get("type")

    def need(ok: bool, what: str) -> None:
        if not ok:
            found.append(f"{kind} {doc.get('id')}: {what}")

    need(doc.get("@context") == "https://w3id.org/openbadges/v2", "@context")
    need(_hosted(repo, doc.get("id"), ".json"), "id is a hosted URL")
    if doc.get("id"):
        need(json.loads((repo / str(doc["id"]).removeprefix(SITE)).read_text()) == doc, "id resolves to this document")
    if kind == "Issuer":
        need(all(_text(doc.get(k)) for k in ("name", "url", "email")), "name, url, email")
        need(_hosted(repo, doc.get("revocationList"), ".json"), "revocationList")
    elif kind == "RevocationList":
        need(_hosted(repo, doc.get("issuer"), ".json") and isinstance(doc.get("revokedAssertions"), list), "issuer, revokedAssertions")
    elif kind == "BadgeClass":
        need(_text(doc.get("name")) and _text(doc.get("description")), "name, description")
        need(_hosted(repo, doc.get("image"), ".png") and _hosted(repo, doc.get("issuer"), ".json"), "image, issuer")
        criteria = doc.get("criteria")
        need(isinstance(criteria, dict) and _text(criteria.get("id")) and _text(criteria.get("narrative")), "criteria")
        for a in doc.get("alignment", []):  # type: ignore[attr-defined]
            need(_text(a.get("targetName")) and _text(a.get("targetUrl")), "alignment targetName, targetUrl")
        need(all(_text(t) for t in doc.get("tags", [])), "tags are text")  # type: ignore[attr-defined]
    elif kind == "Assertion":
        recipient = doc.get("recipient")
        need(isinstance(recipient, dict) and recipient.get("type") in ("email", "url") and _text(recipient.get("identity")), "recipient")
        need(isinstance(recipient, dict) and isinstance(recipient.get("hashed"), bool), "recipient.hashed is a boolean")
        need(_hosted(repo, doc.get("badge"), ".json") and "image" not in doc, "badge, and no image beside the class's")
        need(doc.get("verification") == {"type": "HostedBadge"}, "hosted verification")
        need(isinstance(doc.get("issuedOn"), str) and str(doc["issuedOn"]).endswith("Z"), "issuedOn")
        need(_text(doc.get("narrative")), "narrative")
        evidence = doc.get("evidence")
        need(isinstance(evidence, list) and bool(evidence), "evidence")
        for e in evidence if isinstance(evidence, list) else []:
            need(e.get("type") == "Evidence" and (_text(e.get("id")) or _text(e.get("narrative")) or _text(e.get("name"))), "evidence item")
    else:
        need(False, "an unknown type")
    return found


def test_every_2_0_document_has_the_required_fields_and_resolves_to_itself(minted: tuple[Path, Run]) -> None:
    repo = minted[0]
    documents = [json.loads((repo / rel).read_text()) for rel in badge_files(repo) if rel.endswith(".json")]
    documents = [d for d in documents if "@context" in d and d.get("@context") == "https://w3id.org/openbadges/v2"]
    assert len(documents) == 11
    assert [p for d in documents for p in _problems(repo, d)] == []


def test_a_badge_minted_in_the_2_0_form_only_is_baked_on_demand_byte_for_byte(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo")
    assert mint(repo, "--offline", *NOW).code == 0
    before = snapshot(repo)
    for name in (DEE_ALPHA, EVE_ALPHA, DEE_BETA, DEE_GAMMA, DEE_BASICS):
        text = (repo / f"badges/assertions/{name}.json").read_text(encoding="utf-8")
        assert not (repo / f"badges/assertions/{name}.png").exists()
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            assert main(["bake", "--root", str(repo), name, "-o", str(tmp_path / f"{name}.png")]) == 0
        assert err.getvalue() == f"wrote {tmp_path / f'{name}.png'}: the 2.0 assertion {name} baked into its badge image\n"
        baked = (tmp_path / f"{name}.png").read_bytes()
        assert artwork.baked(baked) == text
        klass = json.loads(text)["badge"].removeprefix(SITE).removesuffix(".json") + ".png"
        assert artwork.bake((repo / klass).read_bytes(), text) == baked  # the class artwork, plus the chunk
    assert snapshot(repo) == before


@needs_reference(SCHEMA)
def test_every_3_0_credential_verifies_and_matches_the_official_schema(minted: tuple[Path, Run]) -> None:
    repo = minted[0]
    schema = json.loads((REFERENCE / SCHEMA).read_text())
    validator = jsonschema.Draft201909Validator(schema)
    keys = json.loads((repo / "badges/keys.json").read_text())
    tokens = sorted((repo / "badges/credentials").glob("*.jwt"))
    assert len(tokens) == 5
    for path in tokens:
        payload = vc.verify(path.read_text(), keys)
        assert [e.message for e in validator.iter_errors(payload)] == [], path.name
        assert vc.claim_problems(payload) == []
        assert path.stem in payload["id"] and payload["credentialSubject"]["type"] == ["AchievementSubject"]


def stat_snapshot(repo: Path) -> dict[str, tuple[int, int, int]]:
    """Every path outside .git with its inode, modification time and size: any write, even of the same bytes, changes it."""
    found = {}
    for path in sorted(repo.rglob("*")):
        if ".git" not in path.relative_to(repo).parts:
            info = path.stat()
            found[path.relative_to(repo).as_posix()] = (info.st_ino, info.st_mtime_ns, info.st_size if path.is_file() else 0)
    return found


def test_a_second_run_writes_nothing(minted: tuple[Path, Run], tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(minted[0], repo)
    before, stats = snapshot(repo), stat_snapshot(repo)
    run = mint(repo, "--offline", *NOW, env={"MICROCRED_SIGNING_KEY": pem(KEY), "GITHUB_REPOSITORY": "example/catalog"})
    assert (run.code, run.out, run.err) == (0, "", "microcred: minted 0 badges (0 stack badges); skipped 0\n")
    assert snapshot(repo) == before
    assert stat_snapshot(repo) == stats  # no file rewritten, added or removed, no folder touched


# -- what cannot be minted -------------------------------------------------------------------------


def submission_text(ident: str, credential: str, login: str, district: str, version: str = "1.0.0") -> str:
    return (
        (FIXTURES / "mint/submissions/gamma/dee-gamma-1.yml")
        .read_text()
        .replace("dee-gamma-1", ident)
        .replace("credential: gamma", f"credential: {credential}")
        .replace("login: dee", f"login: {login}")
        .replace("district: north", f"district: {district}")
        .replace("1.0.0", version)
    )


def add(repo: Path, ident: str, credential: str, login: str, *rounds: Round, district: str = "north", version: str = "1.0.0") -> None:
    """A submission and, with rounds, its review record."""
    (repo / f"submissions/{credential}").mkdir(parents=True, exist_ok=True)
    (repo / f"submissions/{credential}/{ident}.yml").write_text(submission_text(ident, credential, login, district, version))
    if rounds:
        record = Record(ident, credential, version, login, district, 30, "2026-10-01", "2026-10-20T15:04:05Z", rounds)
        (repo / f"records/{credential}").mkdir(parents=True, exist_ok=True)
        (repo / record.path).write_text(record.to_yaml())


def decided(outcome: str, *verdicts: str) -> Round:
    scores = {"context": "met", "plan": "met", "impact": "met"}
    reviews = tuple(ReviewRecord(f"rv-00000000000{i}", v, "2026-10-10", scores) for i, v in enumerate(verdicts, start=1))
    return Round("ab" * 20, "2026-10-01", "2026-10-12", outcome, False, reviews)


def test_submissions_that_cannot_be_minted_are_reported_and_skipped(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo")
    add(repo, "fay-alpha-1", "alpha", "fay")
    add(repo, "gus-alpha-1", "alpha", "gus", decided("approved", "approved", "approved"), decided("not-yet", "not-yet", "not-yet"))
    add(repo, "hal-alpha-1", "alpha", "hal", decided("approved", "approved"))
    add(repo, "ivy-beta-1", "beta", "ivy", decided("approved", "approved", "approved"))
    text = (repo / "submissions/beta/ivy-beta-1.yml").read_text()
    (repo / "submissions/beta/ivy-beta-1.yml").write_text(text.replace("attestation:\n  permissions: true\n  own_work: true\n", ""))
    add(repo, "jo-alpha-1", "alpha", "jo", decided("approved", "approved", "approved"), version="2.0.0")
    add(repo, "kim-alpha-1", "alpha", "kim", decided("approved", "approved", "approved"))
    (repo / "submissions/alpha/kim-alpha-1.yml").write_text(submission_text("kim-alpha-1", "alpha", "kim", "south"))
    add(repo, "lu-zeta-1", "zeta", "lu")
    run = mint(repo, "--offline", *NOW)
    assert run.code == 1
    assert run.out.splitlines() == [
        *MINTED,
        "submissions/alpha/fay-alpha-1.yml: not minted: no review record records/alpha/fay-alpha-1.yml; mint online, where the pull request's reviews are read",
        "submissions/alpha/gus-alpha-1.yml: not minted: the last review round (2026-10-12) is not-yet, not approved",
        "submissions/alpha/hal-alpha-1.yml: not minted: the deciding round has 1 approving review(s); a badge needs at least 2",
        "submissions/alpha/jo-alpha-1.yml: not minted: alpha has no version 2.0.0 in the catalog or in the history of this branch (now 1.0.0)",
        "submissions/alpha/kim-alpha-1.yml: not minted: records/alpha/kim-alpha-1.yml is invalid (7:11: MC225 the submission says district 'south', the record 'north')",
        "submissions/beta/ivy-beta-1.yml: not minted: the file is invalid (1:1: MC101 missing required field 'attestation')",
        "submissions/zeta/lu-zeta-1.yml: not minted: the file is invalid (2:13: MC221 no micro-credential 'zeta' to submit for)",
    ]
    assert run.err == NO_KEY + "microcred: minted 5 badges (1 stack badges); skipped 7\n"
    again = mint(repo, "--offline", *NOW)  # nothing lost: the same ones are found again, the minted ones left alone
    assert (again.code, again.out.splitlines()) == (1, run.out.splitlines()[5:])


def test_a_version_held_and_another_earners_email_hash_are_not_minted(tmp_path: Path) -> None:
    """dee holds alpha already; max put eve's hash and salt in his submission; mo's badge is minted, once."""
    repo = mint_repo(tmp_path / "repo")
    approved = decided("approved", "approved", "approved")
    add(repo, "dee-alpha-2", "alpha", "dee", approved)
    add(repo, "max-beta-1", "beta", "max", approved)
    eve = yaml.safe_load((repo / "submissions/alpha/eve-alpha-1.yml").read_text())["earner"]
    text = (repo / "submissions/beta/max-beta-1.yml").read_text()
    hashed = f'  email_hash: {eve["email_hash"]}\n  email_salt: "{eve["email_salt"]}"\n'
    (repo / "submissions/beta/max-beta-1.yml").write_text(text.replace("  district: north\n", "  district: north\n" + hashed))
    add(repo, "mo-beta-1", "beta", "mo", approved)
    add(repo, "mo-beta-2", "beta", "mo", approved)
    run = mint(repo, "--offline", *NOW)
    mo = assertion_uuid(SITE, "beta", "mo-beta-1")
    assert (run.code, run.out.splitlines()) == (
        1,
        [
            *MINTED[:3],
            f"minted badges/assertions/{mo}.json for submissions/beta/mo-beta-1.yml; page {SITE}badges/earned/{mo}/",
            *MINTED[3:],
            "submissions/alpha/dee-alpha-2.yml: not minted: dee already holds alpha 1.0.0 (the badge for dee-alpha-1)",
            "submissions/beta/max-beta-1.yml: not minted: its email hash is the recipient of the badge for eve-alpha-1, another earner's",
            "submissions/beta/mo-beta-2.yml: not minted: mo already holds beta 1.0.0 (the badge for mo-beta-1)",
        ],
    )
    again = mint(repo, "--offline", *NOW)  # held before this run: refused the same way
    assert again.out.splitlines() == run.out.splitlines()[6:]


def test_a_record_merged_after_now_is_refused(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo", overlay=False)
    run = mint(repo, "--offline", "--now", "2026-10-20T15:00:00Z")
    message = "the review record says it was merged at 2026-10-20T15:04:05Z, later than now (2026-10-20T15:00:00Z)"
    assert (run.code, run.out) == (1, f"submissions/alpha/dee-alpha-1.yml: not minted: {message}\n")


def test_a_revoked_badge_is_never_minted_again_and_completes_no_stack(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo")
    (repo / "badges").mkdir()
    entry = {"id": f"{SITE}badges/assertions/{DEE_GAMMA}.json", "revocationReason": "Issued in error."}
    listed = {"@context": "https://w3id.org/openbadges/v2", "type": "RevocationList", "revokedAssertions": [entry]}
    (repo / "badges/revocations.json").write_text(json.dumps(listed))
    run = mint(repo, "--offline", *NOW)
    assert (run.code, run.out.splitlines(), run.err) == (0, MINTED[:3], NO_KEY + "microcred: minted 3 badges (0 stack badges); skipped 0\n")
    assert not (repo / f"badges/assertions/{DEE_GAMMA}.json").exists()


# -- never rewritten, never half-written ----------------------------------------------------------


def _clean_run(tmp_path: Path) -> tuple[dict[str, bytes], list[str]]:
    """A run from scratch, with every file's target in the order it was renamed into place."""
    repo = mint_repo(tmp_path / "clean")
    renamed: list[str] = []
    real = os.replace

    def counting(source: Any, target: Any) -> None:
        renamed.append(Path(target).relative_to(repo).as_posix())
        real(source, target)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "replace", counting)
        assert mint(repo, "--offline", *NOW, env={"MICROCRED_SIGNING_KEY": pem(KEY)}).code == 0
    return snapshot(repo), renamed


def test_every_file_is_written_by_a_rename(tmp_path: Path) -> None:
    clean, renamed = _clean_run(tmp_path)
    assert sorted(renamed) == sorted(rel for rel in clean if rel.startswith("badges/"))  # each once, none written in place
    assert renamed[-1] == f"badges/assertions/{DEE_BASICS}.json"  # a badge's assertion last: its presence means minted
    assert renamed.index(f"badges/credentials/{DEE_ALPHA}.jwt") < renamed.index(f"badges/assertions/{DEE_ALPHA}.json")


@pytest.mark.parametrize("failing", [*range(1, 22, 2), 22])
def test_a_run_stopped_by_a_failing_write_leaves_no_half_file_and_the_next_run_finishes_it(tmp_path: Path, failing: int) -> None:
    """The n-th rename fails (a full disk, a killed runner): every file is whole or absent, and a second run equals a clean one."""
    clean, renamed = _clean_run(tmp_path)
    assert len(renamed) == 22
    repo = mint_repo(tmp_path / "repo")
    real, calls = os.replace, []

    def flaky(source: Any, target: Any) -> None:
        calls.append(target)
        if len(calls) == failing:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        real(source, target)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "replace", flaky)
        stopped = mint(repo, "--offline", *NOW, env={"MICROCRED_SIGNING_KEY": pem(KEY)})
    assert (stopped.code, stopped.err) == (2, f"microcred: error: {calls[-1]}: No space left on device\n")
    left = snapshot(repo)
    badge_files_left = sorted(rel for rel in left if rel.startswith("badges/"))
    assert badge_files_left == sorted(renamed[: failing - 1])  # what was renamed before, nothing else: no temporary file
    assert all(left[rel] == clean[rel] for rel in badge_files_left)  # and each of them whole
    again = mint(repo, "--offline", *NOW, env={"MICROCRED_SIGNING_KEY": pem(KEY)})
    assert again.code == 0
    assert snapshot(repo) == clean


def test_an_interrupted_run_is_finished_by_the_next_and_nothing_is_overwritten(minted: tuple[Path, Run], tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(minted[0], repo)
    (repo / f"badges/assertions/{DEE_BETA}.json").unlink()  # stopped before the assertion, the last file of a badge
    (repo / f"badges/assertions/{DEE_GAMMA}.json").unlink()
    (repo / f"badges/credentials/{DEE_GAMMA}.jwt").write_bytes(b"something else")
    (repo / "badges/classes/.microcred-x1y2z3.tmp").write_bytes(b"half a file")
    before = snapshot(repo)
    run = mint(repo, "--offline", *NOW, env={"MICROCRED_SIGNING_KEY": pem(KEY), "GITHUB_REPOSITORY": "example/catalog"})
    assert run.code == 1
    assert run.out.splitlines() == [
        MINTED[2],
        f"submissions/gamma/dee-gamma-1.yml: not minted: badges/credentials/{DEE_GAMMA}.jwt exists with other content; "
        "it is left as it is, and nothing more was written for this badge",
    ]
    after = snapshot(repo)
    assert after[f"badges/assertions/{DEE_BETA}.json"] == minted[0].joinpath(f"badges/assertions/{DEE_BETA}.json").read_bytes()
    assert after[f"badges/credentials/{DEE_GAMMA}.jwt"] == b"something else"
    assert set(after) == set(before) - {"badges/classes/.microcred-x1y2z3.tmp"} | {f"badges/assertions/{DEE_BETA}.json"}
    assert all(after[rel] == data for rel, data in before.items() if rel in after)


def test_a_changed_catalog_never_rewrites_what_was_minted(minted: tuple[Path, Run], tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(minted[0], repo)
    consortium = repo / "catalog/consortium.yml"
    consortium.write_text(consortium.read_text().replace("name: Test Consortium", "name: Test Consortium of Districts"))
    credential = repo / "catalog/credentials/alpha.yml"
    credential.write_text(credential.read_text().replace("title: Alpha", "title: Alpha, Renamed"))
    before = snapshot(repo)
    run = mint(repo, "--offline", *NOW, env={"MICROCRED_SIGNING_KEY": pem(KEY)})
    assert run.code == 0
    assert run.out.splitlines() == [
        "warning: badges/issuer.json differs from what catalog/consortium.yml says now; minted files are never rewritten, so it stays",
        "warning: badges/issuer-v3.json differs from what catalog/consortium.yml says now; minted files are never rewritten, so it stays",
        "warning: badges/classes/alpha-1.0.0.json differs from what alpha 1.0.0 in the catalog says now; minted files are never rewritten, so it stays",
    ]
    assert snapshot(repo) == before
    add(repo, "fay-alpha-1", "alpha", "fay", decided("approved", "approved", "approved"))
    later = mint(repo, "--offline", *NOW, env={"MICROCRED_SIGNING_KEY": pem(KEY)})
    fay = "badges/assertions/526693bb-e99c-5c89-90d5-8b1fdc84fffe.json"
    assert later.out.splitlines()[0] == f"minted {fay} for submissions/alpha/fay-alpha-1.yml; page {SITE}badges/earned/{fay[18:-5]}/"
    after = snapshot(repo)
    assert {rel: after[rel] for rel in before} == before  # what was minted stays byte for byte, the class included
    assert json.loads(after[fay])["badge"] == f"{SITE}badges/classes/alpha-1.0.0.json"


def test_keys_are_only_ever_added(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo", overlay=False)
    assert mint(repo, "--offline", *NOW, env={"MICROCRED_SIGNING_KEY": pem(KEY)}).code == 0
    add(repo, "eve-alpha-1", "alpha", "eve", decided("approved", "approved", "approved"), district="south")
    assert mint(repo, "--offline", *NOW, env={"MICROCRED_SIGNING_KEY": pem(OTHER_KEY)}).code == 0
    keys = json.loads((repo / "badges/keys.json").read_text())
    assert [k["kid"] for k in keys["keys"]] == sorted([vc.thumbprint(KEY), vc.thumbprint(OTHER_KEY)])
    for name in (DEE_ALPHA, EVE_ALPHA):  # the credential signed with the retired key still verifies
        assert vc.verify((repo / f"badges/credentials/{name}.jwt").read_text(), keys)["id"].endswith(f"{name}.jwt")


def test_without_a_signing_key_only_2_0_is_minted(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo", overlay=False)
    run = mint(repo, "--offline", *NOW)
    assert (run.code, run.err) == (0, NO_KEY + "microcred: minted 1 badges (0 stack badges); skipped 0\n")
    assert not (repo / "badges/credentials").exists() and not (repo / "badges/keys.json").exists()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "GITHUB_API_URL is not set; minting online needs it (or use --offline to mint from the records in records/)"),
        (
            {"GITHUB_API_URL": "http://127.0.0.1:9"},
            "GITHUB_REPOSITORY is not set; minting online needs it (or use --offline to mint from the records in records/)",
        ),
        (
            {"GITHUB_API_URL": "http://127.0.0.1:9", "GITHUB_REPOSITORY": "o/r"},
            "GITHUB_TOKEN is not set; minting online needs it (or use --offline to mint from the records in records/)",
        ),
        (
            {"GITHUB_API_URL": "http://127.0.0.1:9", "GITHUB_REPOSITORY": "o/r", "GITHUB_TOKEN": "t"},
            "MICROCRED_PSEUDONYM_KEY is not set; minting online needs it (or use --offline to mint from the records in records/)",
        ),
        (
            {"MICROCRED_SIGNING_KEY": "not a key"},
            "MICROCRED_SIGNING_KEY: the signing key is not a PEM text (expected a '-----BEGIN PRIVATE KEY-----' block)",
        ),
    ],
)
def test_usage_errors_name_the_variable(tmp_path: Path, env: dict[str, str], message: str) -> None:
    repo = mint_repo(tmp_path / "repo", overlay=False)
    run = mint(repo, *NOW, env=env)
    assert (run.code, run.out, run.err) == (2, "", f"microcred: error: {message}\n")
    assert not (repo / "badges").exists()


def test_an_invalid_consortium_file_mints_nothing(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo", overlay=False)
    (repo / "catalog/reviewers.yml").write_text("reviewers: []\n")
    run = mint(repo, "--offline", *NOW)
    message = "the catalog has errors (catalog/reviewers.yml:1:12: MC108 empty: add at least one (the roster, one entry per person))"
    assert (run.code, run.err) == (2, f"microcred: error: {message}; run `microcred validate`; nothing was minted\n")
    assert not (repo / "badges").exists()


def test_an_invalid_file_holds_back_only_the_badges_that_read_it(tmp_path: Path) -> None:
    """beta's rubric lost its file: beta's badge and the stack it belongs to wait, the others are minted."""
    repo = mint_repo(tmp_path / "repo")
    (repo / "rubrics/beta.yml").unlink()
    run = mint(repo, "--offline", *NOW)
    reason = "catalog/credentials/beta.yml is invalid (38:9: MC201 no rubric 'beta' (expected rubrics/beta.yml)); "
    assert (run.code, run.out.splitlines()) == (
        1,
        [
            MINTED[0],
            MINTED[1],
            MINTED[3],
            f"submissions/beta/dee-beta-1.yml: not minted: {reason}the first run after it is fixed mints this badge",
        ],
    )
    assert not (repo / "badges/classes/beta").exists()
    (repo / "rubrics/beta.yml").write_text((FIXTURES / "base/rubrics/beta.yml").read_text())
    again = mint(repo, "--offline", *NOW)
    assert (again.code, again.out.splitlines()) == (0, [MINTED[2], MINTED[4]])


# -- git: an older version from history, and two clones minting at once ------------------------------


def test_a_submission_for_an_older_version_gets_that_versions_class(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo", overlay=False)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "merge dee-alpha-1")
    added = git(repo, "rev-parse", "HEAD").strip()
    credential = repo / "catalog/credentials/alpha.yml"
    credential.write_text(
        credential.read_text().replace("version: 1.0.0", "version: 1.1.0").replace("title: Alpha", "title: Alpha Revised")
    )
    git(repo, "commit", "-qam", "alpha 1.1.0")
    run = mint(repo, "--offline", *NOW, env={"GITHUB_REPOSITORY": "example/catalog"})
    assert (run.code, run.out) == (0, MINTED[0] + "\n")
    klass = json.loads((repo / "badges/classes/alpha-1.0.0.json").read_text())
    assert klass["name"] == "Alpha"  # as it was at 1.0.0
    assertion = json.loads((repo / f"badges/assertions/{DEE_ALPHA}.json").read_text())
    assert [e.get("id") for e in assertion["evidence"][:2]] == [
        "https://github.com/example/catalog/pull/7",
        f"https://github.com/example/catalog/blob/{added}/submissions/alpha/dee-alpha-1.yml",
    ]


def test_a_version_that_existed_only_inside_a_merged_branch_is_no_version(tmp_path: Path) -> None:
    """A branch passes alpha through 1.1.0 ("Alpha Hidden") and ends at 1.2.0: main never held 1.1.0, so nothing is minted from it."""
    repo = mint_repo(tmp_path / "repo", overlay=False)
    credential = repo / "catalog/credentials/alpha.yml"
    original = credential.read_text()
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "alpha 1.0.0 and dee-alpha-1")
    git(repo, "checkout", "-qb", "revise")
    credential.write_text(original.replace("version: 1.0.0", "version: 1.1.0").replace("title: Alpha", "title: Alpha Hidden"))
    git(repo, "commit", "-qam", "alpha 1.1.0")
    hidden = git(repo, "rev-parse", "HEAD").strip()
    credential.write_text(original.replace("version: 1.0.0", "version: 1.2.0").replace("title: Alpha", "title: Alpha Two"))
    git(repo, "commit", "-qam", "alpha 1.2.0")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "revise", "-m", "Merge pull request #8 from revise")
    add(repo, "fay-alpha-1", "alpha", "fay", decided("approved", "approved", "approved"), version="1.1.0")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "merge fay-alpha-1")
    assert hidden in git(repo, "log", "--format=%H", "--", "catalog/credentials/alpha.yml").split()  # git still has it
    run = mint(repo, "--offline", *NOW)
    fay = "submissions/alpha/fay-alpha-1.yml: not minted: alpha has no version 1.1.0 in the catalog or in the history of this branch (now 1.2.0)"
    assert (run.code, run.out.splitlines()) == (1, [MINTED[0], fay])
    assert json.loads((repo / "badges/classes/alpha-1.0.0.json").read_text())["name"] == "Alpha"  # as main held it
    # Every published version has its class once it is on main, earned or not; the hidden one never.
    assert json.loads((repo / "badges/classes/alpha-1.2.0.json").read_text())["name"] == "Alpha Two"
    assert sorted(p.name for p in (repo / "badges/classes").glob("alpha-*.json")) == ["alpha-1.0.0.json", "alpha-1.2.0.json"]


# -- the mint-and-publish workflow: its commit step run as written, against real clones ---------------


def workflow() -> dict[str, Any]:
    return dict(yaml.safe_load(WORKFLOW.read_text(encoding="utf-8")))


def step(name: str) -> dict[str, Any]:
    (found,) = [s for s in workflow()["jobs"]["mint-publish"]["steps"] if s.get("name") == name]
    return dict(found)


def test_the_workflow_mints_commits_builds_and_deploys_in_one_run_never_cancelled_never_looping() -> None:
    flow = workflow()
    job = flow["jobs"]["mint-publish"]
    assert flow[True] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}  # YAML reads the key `on` as true
    assert (flow["permissions"], flow["concurrency"]) == ({}, {"group": "mint", "cancel-in-progress": False})
    # The loop guard: GitHub's contains() is a substring test, and the mint's own commit says the marker.
    assert job["if"] == (
        "${{ !(contains(github.event.head_commit.message, '[microcred mint]') "
        "&& github.event.head_commit.committer.email == '41898282+github-actions[bot]@users.noreply.github.com') }}"
    )
    names = [s.get("name") or s["uses"].split("@")[0] for s in job["steps"]]
    assert names == [
        "actions/checkout",
        "actions/setup-python",
        "Install",
        "Mint",
        "Commit the badges to main",
        "Restore the badge pages of the last build",
        "Build the site",
        "Save the badge pages for the next build",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
        "Publish the badge sites",
        "Fail when a submission was not minted",
    ]
    assert "microcred mint || status=$?" in step("Mint")["run"]
    assert step("Build the site")["run"] == "microcred build"
    # The page cache: saved by the run that built from it, restored from the last save, pinned as every action is.
    restore, save = step("Restore the badge pages of the last build"), step("Save the badge pages for the next build")
    assert restore["uses"].split("@")[0] == "actions/cache/restore" and save["uses"].split("@")[0] == "actions/cache/save"
    from microcred.site.pagecache import CACHE

    assert restore["with"]["path"] == save["with"]["path"] == CACHE
    assert restore["with"]["key"] == save["with"]["key"] and restore["with"]["restore-keys"] == "badge-pages-"
    assert job["steps"][0]["with"] == {"fetch-depth": 0, "persist-credentials": False}
    assert step("Install")["run"].splitlines() == [
        "python -m pip install --require-hashes --no-deps -r requirements.lock",
        "python -m pip install --no-deps --no-build-isolation .",
    ]


def test_the_lock_pins_every_dependency_by_hash() -> None:
    """What the minting job installs is the lock alone: each of the project's dependencies in it, every entry with hashes."""
    text = (ROOT / "requirements.lock").read_text()
    entries = re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+)((?: \\\n +--hash=sha256:[0-9a-f]{64})+)", text, re.MULTILINE)
    pinned = {name for name, _, _ in entries}
    assert len(entries) == len(re.findall(r"^[a-z0-9]", text, re.MULTILINE))  # no entry without a hash
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    build = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    names = {re.split(r"[<>=!~\[ ;]", d, maxsplit=1)[0].lower().replace("_", "-") for d in [*declared, *build]}
    assert names <= pinned, f"not in requirements.lock: {sorted(names - pinned)}; make the lock again (its first lines say how)"


def test_the_deploy_key_is_removed_when_the_push_fails(tmp_path: Path) -> None:
    seed = mint_repo(tmp_path / "seed", overlay=False)
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "catalog")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(seed), str(clone))
    (clone / "badges").mkdir()
    (clone / "badges/new.json").write_text("{}")
    runner = tmp_path / "runner"
    done = commit_step(clone, tmp_path / "no-such-remote", runner, deploy_key="-----BEGIN OPENSSH PRIVATE KEY-----\ntest\n")
    assert done.returncode != 0  # the ssh remote is mapped to a folder that does not exist: push and pull fail
    assert sorted(p.name for p in runner.iterdir()) == ["commit.sh"]  # neither the key nor known_hosts is left


def commit_step(clone: Path, origin: Path, runner: Path, deploy_key: str = "") -> subprocess.CompletedProcess[str]:
    """The workflow's "Commit the badges to main" step, as GitHub runs it (bash -e), pushing to `origin` over its https URL."""
    found = step("Commit the badges to main")
    values = {"DEPLOY_KEY": deploy_key, "PUSH_TOKEN": "token", "REPOSITORY": "consortium/catalog", "SERVER_URL": "https://github.example"}
    env = {name: values[name] if "${{" in str(value) else str(value) for name, value in found["env"].items()}
    runner.mkdir(exist_ok=True)
    env |= {
        "PATH": os.environ["PATH"],
        "HOME": str(runner),
        "RUNNER_TEMP": str(runner),
        "GITHUB_RUN_ID": "77",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        # The step pushes to https://x-access-token:TOKEN@github.example/consortium/catalog.git: git sends that to `origin`.
        "GIT_CONFIG_COUNT": "2",
        "GIT_CONFIG_KEY_0": f"url.{origin}.insteadOf",
        "GIT_CONFIG_VALUE_0": "https://x-access-token:token@github.example/consortium/catalog.git",
        "GIT_CONFIG_KEY_1": f"url.{origin}.insteadOf",  # with a deploy key, the ssh address: never reached either
        "GIT_CONFIG_VALUE_1": "git@github.example:consortium/catalog.git",
    }
    script = runner / "commit.sh"
    script.write_text(found["run"], encoding="utf-8")
    return subprocess.run(["bash", "--noprofile", "--norc", "-e", str(script)], cwd=clone, env=env, capture_output=True, text=True)


def _merge_and_mint(clone: Path, files: list[str]) -> None:
    """A merged pull request in a clone that has not seen the other's, then the workflow's Mint step (offline here)."""
    for rel in files:
        (clone / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURES / "mint" / rel, clone / rel)
    git(clone, "add", "-A")
    git(clone, "commit", "-qm", f"Merge pull request: {files[0]}")
    done = subprocess.run(
        [sys.executable, "-m", "microcred", "mint", "--offline", *NOW, "--root", str(clone)],
        env={**GIT_ENV, "HOME": str(clone)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_two_merges_minted_at_once_in_two_clones_lose_nothing(tmp_path: Path) -> None:
    seed = mint_repo(tmp_path / "seed", overlay=False)
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "catalog")
    git(tmp_path, "clone", "-q", "--bare", str(seed), "origin.git")
    origin = tmp_path / "origin.git"
    merges = {
        "a": ["submissions/alpha/eve-alpha-1.yml", "records/alpha/eve-alpha-1.yml"],
        "b": ["submissions/beta/dee-beta-1.yml", "records/beta/dee-beta-1.yml"],
    }
    for name in merges:  # both clones start from the same main, before either pushes
        git(tmp_path, "clone", "-q", str(origin), name)

    def run(name: str) -> subprocess.CompletedProcess[str]:
        _merge_and_mint(tmp_path / name, merges[name])
        return commit_step(tmp_path / name, origin, tmp_path / f"runner-{name}")

    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(run, merges))
    assert [d.returncode for d in done] == [0, 0], [d.stderr for d in done]
    # Whichever pushed second was refused, rebased onto the other's commit and pushed again.
    assert sorted(d.stdout for d in done) == ["pushed the minted badges (attempt 1)\n", "pushed the minted badges (attempt 2)\n"]
    subjects = git(origin, "log", "--format=%s", "main").splitlines()
    assert subjects[:4:2] == ["Mint badges [microcred mint] [skip ci]"] * 2  # the loop guard's marker, on both mint commits
    git(tmp_path, "clone", "-q", str(origin), "main")
    final = tmp_path / "main"
    for name in (DEE_ALPHA, EVE_ALPHA, DEE_BETA):
        assert json.loads((final / f"badges/assertions/{name}.json").read_text())["id"].endswith(f"/{name}.json")
    before = snapshot(final)
    assert len([rel for rel in before if rel.startswith("badges/swept/")]) == 2  # each run's stamp: two names, no conflict
    run_again = mint(final, "--offline", *NOW)
    assert (run_again.code, run_again.out) == (0, "")  # everything merged is minted, once
    after = snapshot(final)
    swept = [rel for rel in after if rel.startswith("badges/swept/")]
    assert len(swept) == 1 and {k: v for k, v in after.items() if k not in swept} == {k: v for k, v in before.items() if "/swept/" not in k}
    stamped = commit_step(final, origin, tmp_path / "runner-c")  # the stamp of the state neither run saw
    assert (stamped.returncode, stamped.stdout) == (0, "pushed the minted badges (attempt 1)\n")
    assert mint(final, "--offline", *NOW).err.endswith("nothing new since the last sweep (its stamp is in badges/swept/)\n")
    nothing = commit_step(final, origin, tmp_path / "runner-d")
    assert (nothing.returncode, nothing.stdout) == (0, "nothing new to commit\n")
    assert git(origin, "log", "--format=%s", "main").splitlines()[1:] == subjects


# -- online: the approval re-checked through the GitHub API (a fake GitHub that real PyGithub talks to) ------


def merge_branch(repo: Path, branch: str, files: dict[str, str], number: int) -> tuple[str, str]:
    """A pull request's branch adding `files`, merged into main with a merge commit as GitHub does: (its head, the merge)."""
    git(repo, "checkout", "-qb", branch)
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", f"Submit {branch}")
    head = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", branch, "-m", f"Merge pull request #{number} from {branch}")
    return head, git(repo, "rev-parse", "HEAD").strip()


def base_of(repo: Path, merge: str) -> str:
    """The pull request's base: main before its merge."""
    return git(repo, "rev-parse", f"{merge}^1").strip()


def merge_dee(repo: Path) -> tuple[str, str]:
    """The catalog without records, then dee's submission merged by pull request #5: its head and merge commit."""
    shutil.rmtree(repo / "records")
    dee = (repo / "submissions/alpha/dee-alpha-1.yml").read_text()
    (repo / "submissions/alpha/dee-alpha-1.yml").unlink()
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "The catalog")
    return merge_branch(repo, "dee-alpha-1", {"submissions/alpha/dee-alpha-1.yml": dee}, 5)


def test_online_mint_rechecks_each_approval_through_the_api_and_keeps_the_record(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo", overlay=False)
    head5, merge5 = merge_dee(repo)
    add(repo, "eve-alpha-1", "alpha", "eve", district="south")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Pushed to main without a pull request")
    pushed = git(repo, "rev-parse", "HEAD").strip()
    gus = submission_text("gus-alpha-1", "alpha", "gus", "south")
    head6, merge6 = merge_branch(repo, "gus-alpha-1", {"submissions/alpha/gus-alpha-1.yml": gus}, 6)
    scores = "- context: met\n- plan: met\n- impact: met"
    with serve() as fake:
        fake.pull(5, "dee", [head5], {"submissions/alpha/dee-alpha-1.yml": "added"}, state="closed")
        fake.pulls[5].merged_at, fake.pulls[5].merge_commit_sha, fake.pulls[5].base = "2026-10-20T15:04:05Z", merge5, base_of(repo, merge5)
        fake.review(5, "ann", "APPROVED", body=scores, at="2026-10-08T10:00:00Z")
        fake.review(5, "bob", "APPROVED", body="context: met\nplan: met\nimpact: met", at="2026-10-09T10:00:00Z")
        fake.pull(6, "gus", [head6], {"submissions/alpha/gus-alpha-1.yml": "added"}, state="closed")
        fake.pulls[6].merged_at, fake.pulls[6].merge_commit_sha, fake.pulls[6].base = "2026-10-21T15:04:05Z", merge6, base_of(repo, merge6)
        fake.review(6, "ann", "APPROVED", body=scores, at="2026-10-08T10:00:00Z")
        fake.review(6, "zed", "APPROVED", body=scores, at="2026-10-09T10:00:00Z")  # not on the roster: does not count
        env = {"GITHUB_REPOSITORY": REPOSITORY, "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": fake.url, "MICROCRED_PSEUDONYM_KEY": "k" * 32}
        run = mint(repo, *NOW, env=env)
        asked = [r.path for r in fake.requests if r.path.endswith("/pulls") and "/commits/" in r.path]
        fake.requests.clear()
        again = mint(repo, *NOW, env=env)
        asked_again = [r.path for r in fake.requests if r.path.endswith("/pulls") and "/commits/" in r.path]
    reason = f"no merged pull request added it (commit {pushed[:7]}); badges are minted for approved pull requests only"
    assert (run.code, run.out.splitlines()) == (
        1,
        [
            MINTED[0],
            f"submissions/alpha/eve-alpha-1.yml: not minted: {reason}",
            f"submissions/alpha/gus-alpha-1.yml: not minted: pull request #6 was merged at {head6[:7]} without an approval there (last round: no decision)",
        ],
    )
    assert asked == [f"/repos/{REPOSITORY}/commits/{sha}/pulls" for sha in (merge5, pushed, merge6)]  # the merge that added each
    assert (again.code, again.out.splitlines()) == (1, run.out.splitlines()[1:])
    assert asked_again == [f"/repos/{REPOSITORY}/commits/{sha}/pulls" for sha in (pushed, merge6)]  # minted: not asked again
    assert not (repo / "records/alpha/eve-alpha-1.yml").exists() and not (repo / "records/alpha/gus-alpha-1.yml").exists()
    text = (repo / "records/alpha/dee-alpha-1.yml").read_text()
    record = Record.from_dict(yaml.safe_load(text))
    assert record.to_yaml() == text
    ann, bob = (review.pseudonym(b"k" * 32, "test-consortium", login) for login in ("ann", "bob"))
    assert record == Record(
        "dee-alpha-1", "alpha", "1.0.0", "dee", "north", 5, "2026-10-01", "2026-10-20T15:04:05Z",
        (
            Round(head5, "2026-10-01", "2026-10-09", "approved", False, (
                ReviewRecord(ann, "approved", "2026-10-08", {"context": "met", "plan": "met", "impact": "met"}),
                ReviewRecord(bob, "approved", "2026-10-09", {"context": "met", "plan": "met", "impact": "met"}),
            )),
        ),
    )  # fmt: skip
    assertion = json.loads((repo / f"badges/assertions/{DEE_ALPHA}.json").read_text())
    assert assertion["issuedOn"] == "2026-10-20T15:04:05Z"
    assert [e.get("id") for e in assertion["evidence"][:2]] == [
        f"https://github.com/{REPOSITORY}/pull/5",
        f"https://github.com/{REPOSITORY}/blob/{merge5}/submissions/alpha/dee-alpha-1.yml",
    ]
    assert assertion["evidence"][0]["narrative"] == (
        'Approved by 2 of 2 reviewers, against the public rubric "Alpha rubric". Results given by the approving reviewers:\n'
        "\n"
        "- Context is clear: Demonstrated (2 of 2)\n"
        "- Plan is sound: Demonstrated (2 of 2)\n"
        "- Impact is shown: Demonstrated (2 of 2)\n"
    )


def test_online_mint_refuses_a_pull_request_that_is_not_the_earners_own(tmp_path: Path) -> None:
    """eve opened dee's pull request; gus's holds a commit under bob's address, so bob's objection was never counted."""
    repo = mint_repo(tmp_path / "repo", overlay=False)
    head5, merge5 = merge_dee(repo)
    gus = submission_text("gus-alpha-1", "alpha", "gus", "south")
    head6, merge6 = merge_branch(repo, "gus-alpha-1", {"submissions/alpha/gus-alpha-1.yml": gus}, 6)
    spoofed = "1a2b3c4" + "0" * 33
    with serve() as fake:
        for number, author, head, merge in ((5, "eve", head5, merge5), (6, "gus", head6, merge6)):
            files = {f"submissions/alpha/{'dee' if number == 5 else 'gus'}-alpha-1.yml": "added"}
            fake.pull(
                number,
                author,
                [head],
                files,
                state="closed",
                merged_at="2026-10-20T15:04:05Z",
                merge_commit_sha=merge,
                base=base_of(repo, merge),
            )
            fake.review(number, "ann", "APPROVED", body=ALL_MET, at="2026-10-08T10:00:00Z")
            fake.review(number, "cy", "APPROVED", body=ALL_MET, at="2026-10-09T10:00:00Z")
        fake.commit(spoofed, "bob", "gus")
        fake.pulls[6].commits.insert(0, spoofed)
        fake.review(6, "bob", "CHANGES_REQUESTED", body="- plan: not yet", at="2026-10-10T10:00:00Z")
        env = {"GITHUB_REPOSITORY": REPOSITORY, "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": fake.url, "MICROCRED_PSEUDONYM_KEY": "k" * 32}
        run = mint(repo, *NOW, env=env)
    assert (run.code, run.out.splitlines()) == (
        1,
        [
            "submissions/alpha/dee-alpha-1.yml: not minted: pull request #5 was opened by eve, not by the earner dee",
            "submissions/alpha/gus-alpha-1.yml: not minted: pull request #6: commit 1a2b3c4 is attributed to another account than the earner (gus); "
            "a submission's commits are the earner's own",
        ],
    )
    assert not (repo / "records").exists() and not (repo / "badges/assertions").exists()


def test_online_mint_applies_the_gates_rules_to_what_the_api_shows(tmp_path: Path) -> None:
    """Each pull request was merged with two approvals, and each must still not mint:

    #5 brought a second file beside the submission; in #6 an approval scores a criterion as not yet met; in #7
    one approver was added to the roster only after the pull request's base (the gate never counted her); #8
    has a committed record that says something else than its reviews on GitHub; zoe (#9) is in no district's list.
    """
    repo = mint_repo(tmp_path / "repo", overlay=False)
    shutil.rmtree(repo / "records")
    (repo / "submissions/alpha/dee-alpha-1.yml").unlink()
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "The catalog")
    pulls = {}
    for number, login in ((5, "hal"), (6, "ida"), (7, "jo"), (8, "kit"), (9, "zoe")):
        rel = f"submissions/alpha/{login}-alpha-1.yml"
        extra = {"catalog/districts/north.yml": (repo / "catalog/districts/north.yml").read_text() + "# changed\n"} if number == 5 else {}
        if number == 7:  # the roster after #7's base: dan qualified only then
            roster = repo / "catalog/reviewers.yml"
            base7 = git(repo, "rev-parse", "HEAD").strip()
            roster.write_text(
                roster.read_text()
                + "  - login: dan\n    name: Dan D\n    roles: [assessor]\n    district: south\n    credentials: [alpha]\n"
            )
            git(repo, "commit", "-qam", "Dan qualifies")
        head, merge = merge_branch(
            repo, f"{login}-alpha-1", {rel: submission_text(f"{login}-alpha-1", "alpha", login, "south"), **extra}, number
        )
        pulls[number] = (login, rel, head, merge, base7 if number == 7 else base_of(repo, merge), list(extra))
    record = repo / "records/alpha/kit-alpha-1.yml"
    with serve() as fake:
        for number, (login, rel, head, merge, base, extra) in pulls.items():
            files = {rel: "added", **dict.fromkeys(extra, "modified")}
            fake.pull(number, login, [head], files, state="closed", merged_at="2026-10-20T15:04:05Z", merge_commit_sha=merge, base=base)
            fake.review(number, "ann", "APPROVED", body=ALL_MET, at="2026-10-08T10:00:00Z")
            second = {6: ("cy", "- context: met\n- plan: met\n- impact: not yet"), 7: ("dan", ALL_MET)}.get(number, ("cy", ALL_MET))
            fake.review(number, second[0], "APPROVED", body=second[1], at="2026-10-09T10:00:00Z")
        env = {"GITHUB_REPOSITORY": REPOSITORY, "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": fake.url, "MICROCRED_PSEUDONYM_KEY": "k" * 32}
        first = mint(repo, *NOW, env=env).out.splitlines()
        kit = assertion_uuid(SITE, "alpha", "kit-alpha-1")
        assert first[0] == f"minted badges/assertions/{kit}.json for {pulls[8][1]}; page {SITE}badges/earned/{kit}/"
        shutil.rmtree(repo / "badges/assertions")  # kit's badge not minted yet, and a record that says otherwise
        record.write_text(record.read_text().replace('reviewed_on: "2026-10-09"', 'reviewed_on: "2026-10-19"'))
        run = mint(repo, *NOW, env=env)
    assert (run.code, run.out.splitlines()) == (
        1,
        [
            "submissions/alpha/hal-alpha-1.yml: not minted: pull request #5: the pull request changes 1 file besides its submission "
            "('catalog/districts/north.yml'); a submission comes alone in its pull request",
            "submissions/alpha/ida-alpha-1.yml: not minted: the approving scores of "
            f"{review.pseudonym(b'k' * 32, 'test-consortium', 'cy')} do not meet the earning rule of alpha (version 1.0.0 of alpha); "
            "an approval must score what earns the badge",
            "submissions/alpha/jo-alpha-1.yml: not minted: pull request #7 was merged at "
            f"{pulls[7][2][:7]} without an approval there (last round: no decision)",
            "submissions/alpha/kit-alpha-1.yml: not minted: records/alpha/kit-alpha-1.yml differs from the reviews of pull request #8 on GitHub; "
            "a maintainer must compare them (the record stays as it is)",
            "submissions/alpha/zoe-alpha-1.yml: not minted: pull request #9: zoe is not listed in catalog/earners.yml on the default branch, "
            "so their district is not known",
        ],
    )


# -- the sample data: the seed catalog's badges are what mint and revoke write -------------------------


def seed_copy(dest: Path, badges: bool) -> Path:
    for name in ("catalog", "rubrics", "schemas", "submissions", "records", *(["badges"] if badges else [])):
        shutil.copytree(ROOT / name, dest / name)
    return dest


def test_minting_the_sample_catalog_again_changes_nothing(tmp_path: Path) -> None:
    repo = seed_copy(tmp_path / "seed", badges=True)
    before, stats = snapshot(repo), stat_snapshot(repo)
    run = mint(repo, "--offline", *NOW)
    assert (run.code, run.out) == (0, "")
    assert (snapshot(repo), stat_snapshot(repo)) == (before, stats)


def _same_claims(rel: str, data: bytes) -> Any:
    """What a sample file says apart from its signatures, keys and times (made with keys nobody keeps, at another time)."""
    if rel.endswith(".jwt"):
        found = {k: v for k, v in vc.unverified_payload(data.decode()).items() if k not in ("proof", "validFrom", "nbf")}
    else:
        found = json.loads(data)
        found.pop("proof", None)
        found.pop("validFrom", None)
        found.pop("issuedOn", None)
    text = json.dumps(_as_minted_now(rel, found), sort_keys=True)
    return re.sub(r"at (commit [0-9a-f]+|a state not yet committed)\.", "at COMMIT.", text)


MINIMAL = ("id", "type", "achievementType", "name", "description", "criteria", "image", "version", "creditsAvailable")


def _as_minted_now(rel: str, claims: Any) -> Any:
    """A sample badge of the earlier form as mint writes it now (the sample's minted files are kept as they are).

    Now an assertion names no image (its class's artwork is the image), no baked PNG is stored per badge, and a 3.0
    credential embeds its achievement minimally and gives the review's results once, in the subject's narrative.
    """
    if rel.startswith("badges/assertions/") and rel.endswith(".json"):
        claims.pop("image", None)
    if rel.startswith("badges/credentials/") and rel.endswith(".jwt"):
        subject = claims["credentialSubject"]
        subject.pop("result", None)
        achievement = subject["achievement"]
        subject["achievement"] = {k: achievement[k] for k in MINIMAL if k in achievement} | {
            "criteria": {"id": achievement["criteria"]["id"]}
        }
        for item in claims["evidence"]:
            if item.get("genre") == "Review":
                item.pop("narrative", None)
    return claims


def test_the_sample_badges_are_what_mint_revoke_and_endorse_write_from_the_sample_records(tmp_path: Path) -> None:
    repo = seed_copy(tmp_path / "seed", badges=False)
    env = {"MICROCRED_SIGNING_KEY": pem(KEY), "MICROCRED_JWT_KEY": RSA_PEM}
    run = mint(repo, "--offline", *NOW, env=env)
    assert (run.code, len(run.out.splitlines())) == (0, 6)
    published = json.loads((ROOT / "badges/revocations.json").read_text())["revokedAssertions"]
    assertions = [e for e in published if "/assertions/" in e["id"]]
    assert len(assertions) == 1  # one sample badge is revoked
    for entry in assertions:
        revoke(repo, entry["id"], entry["revocationReason"])
    assert mint(repo, "--offline", *NOW, env=env).code == 0  # the status list follows the revocation
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            assert main(["endorse", "--root", str(repo), *NOW]) == 0
    ours, theirs = snapshot(repo), {rel: data for rel, data in snapshot(ROOT).items() if rel.startswith("badges/")}

    def named(rel: str) -> str:  # a published JWK is named by its key's thumbprint
        return re.sub(r"^badges/keys/[^/]+\.json$", "badges/keys/KID.json", rel)

    earlier = {rel for rel in theirs if rel.startswith("badges/assertions/") and rel.endswith(".png")}  # kept, no longer made
    assert len(earlier) == 6
    assert sorted(named(rel) for rel in ours if rel.startswith("badges/")) == sorted(named(rel) for rel in theirs if rel not in earlier)
    keyed = ("badges/keys.json", "badges/did.json", "badges/keys/", "/did.json", ".allocated")
    for rel, data in theirs.items():
        if rel.endswith((".jwt", ".json")) and ("/status/" in rel or rel.endswith(".jwt") or "/endorsements/" in rel):
            if not rel.endswith("/did.json"):
                assert _same_claims(rel, data) == _same_claims(rel, ours[rel]), rel
        elif rel in earlier:  # the earlier form's baked image: its assertion, baked into the class artwork
            assert json.loads(artwork.baked(data) or "{}")["id"] == json.loads(theirs[rel.removesuffix(".png") + ".json"])["id"], rel
            klass = json.loads(artwork.baked(data) or "{}").get("badge", "")
            assert data == artwork.bake(
                theirs["badges/" + klass.split("/badges/", 1)[1].removesuffix(".json") + ".png"], artwork.baked(data) or ""
            ), rel
        elif rel.endswith(".png"):  # artwork may differ between Pillow versions: the same payload
            assert artwork.baked(data) == artwork.baked(ours[rel]), rel
        elif rel.startswith("badges/assertions/"):
            assert _as_minted_now(rel, json.loads(data)) == json.loads(ours[rel]), rel
        elif not any(part in rel for part in keyed):
            assert data.decode() == ours[rel].decode(), rel
