"""`microcred mint --offline`: the badges of the fixtures/base catalog with fixtures/mint laid over it, in real repositories.

dee earns alpha, beta (after a tie-break) and gamma, and with them the stack `basics`; eve (hashed
email, a district that grants CEUs) earns alpha on a resubmission. The signing key is a test-only key
made from fixed bytes here; no private key is stored anywhere.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import jsonschema
import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fakegithub import REPOSITORY, TOKEN, serve
from microcred import artwork, review, vc
from microcred.cli import main
from microcred.records import Record, ReviewRecord, Round
from support import FIXTURES, GIT_ENV, ROOT, Run, git, golden, make_repo

GOLDEN = FIXTURES / "golden" / "badges"
SITE = "https://consortium.example.org/catalog/"
REFERENCE = ROOT.parent / "shared" / "reference" / "openbadges"
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))  # test-only
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64)))  # test-only
ENVIRONMENT = (
    "MICROCRED_SIGNING_KEY",
    "MICROCRED_PSEUDONYM_KEY",
    "GITHUB_REPOSITORY",
    "GITHUB_TOKEN",
    "GITHUB_API_URL",
    "GITHUB_SERVER_URL",
)
NOW = ("--now", "2027-01-01T00:00:00Z")
DEE_ALPHA, EVE_ALPHA = "439663b4-c7de-55ab-973d-a22279709ac5", "eec06257-3127-5ffd-87ce-61075651f6dc"
DEE_BETA, DEE_GAMMA = "909a2e35-6cc9-5041-bea5-93c34a82025d", "d022ede1-3b8b-5329-8244-fb651c2fd333"
DEE_BASICS = "35a71a8e-7b66-52d7-ac22-15ce5f50190a"
MINTED = [
    f"minted badges/assertions/{DEE_ALPHA}.json for submissions/alpha/dee-alpha-1.yml",
    f"minted badges/assertions/{EVE_ALPHA}.json for submissions/alpha/eve-alpha-1.yml",
    f"minted badges/assertions/{DEE_BETA}.json for submissions/beta/dee-beta-1.yml",
    f"minted badges/assertions/{DEE_GAMMA}.json for submissions/gamma/dee-gamma-1.yml",
    f"minted badges/assertions/{DEE_BASICS}.json for the stack basics of dee",
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
    expected = [f"badges/assertions/{n}.{s}" for n in names for s in ("json", "png")]
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
        need(_hosted(repo, doc.get("badge"), ".json") and _hosted(repo, doc.get("image"), ".png"), "badge, image")
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


def test_baked_images_hold_their_assertion_byte_for_byte(minted: tuple[Path, Run]) -> None:
    repo = minted[0]
    for name in (DEE_ALPHA, EVE_ALPHA, DEE_BETA, DEE_GAMMA, DEE_BASICS):
        text = (repo / f"badges/assertions/{name}.json").read_text(encoding="utf-8")
        baked = (repo / f"badges/assertions/{name}.png").read_bytes()
        assert artwork.baked(baked) == text
        klass = json.loads(text)["badge"].removeprefix(SITE).removesuffix(".json") + ".png"
        assert artwork.bake((repo / klass).read_bytes(), text) == baked  # the class artwork, plus the chunk


@pytest.mark.skipif(not REFERENCE.is_dir(), reason=f"the Open Badges reference schemas are not at {REFERENCE}")
def test_every_3_0_credential_verifies_and_matches_the_official_schema(minted: tuple[Path, Run]) -> None:
    repo = minted[0]
    schema = json.loads((REFERENCE / "ob_v3p0_achievementcredential_schema.json").read_text())
    validator = jsonschema.Draft201909Validator(schema)
    keys = json.loads((repo / "badges/keys.json").read_text())
    tokens = sorted((repo / "badges/credentials").glob("*.jwt"))
    assert len(tokens) == 5
    for path in tokens:
        payload = vc.verify(path.read_text(), keys)
        assert [e.message for e in validator.iter_errors(payload)] == [], path.name
        assert vc.claim_problems(payload) == []
        assert path.stem in payload["id"] and payload["credentialSubject"]["type"] == ["AchievementSubject"]


def test_a_second_run_changes_nothing(minted: tuple[Path, Run], tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(minted[0], repo)
    before = snapshot(repo)
    run = mint(repo, "--offline", *NOW, env={"MICROCRED_SIGNING_KEY": pem(KEY), "GITHUB_REPOSITORY": "example/catalog"})
    assert (run.code, run.out, run.err) == (0, "", "microcred: minted 0 badges (0 stack badges); skipped 0\n")
    assert snapshot(repo) == before


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
        "submissions/alpha/jo-alpha-1.yml: not minted: alpha has no version 2.0.0 in the catalog or its git history (now 1.0.0)",
        "submissions/alpha/kim-alpha-1.yml: not minted: records/alpha/kim-alpha-1.yml is invalid (7:11: MC225 the submission says district 'south', the record 'north')",
        "submissions/beta/ivy-beta-1.yml: not minted: the file is invalid (1:1: MC101 missing required field 'attestation')",
        "submissions/zeta/lu-zeta-1.yml: not minted: the file is invalid (2:13: MC221 no micro-credential 'zeta' to submit for)",
    ]
    assert run.err == NO_KEY + "microcred: minted 5 badges (1 stack badges); skipped 7\n"
    again = mint(repo, "--offline", *NOW)  # nothing lost: the same ones are found again, the minted ones left alone
    assert (again.code, again.out.splitlines()) == (1, run.out.splitlines()[5:])


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


def test_an_interrupted_run_is_finished_by_the_next_and_nothing_is_overwritten(minted: tuple[Path, Run], tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(minted[0], repo)
    (repo / f"badges/assertions/{DEE_BETA}.json").unlink()  # stopped before the assertion, the last file of a badge
    (repo / f"badges/assertions/{DEE_GAMMA}.json").unlink()
    (repo / f"badges/assertions/{DEE_GAMMA}.png").write_bytes(b"\x89PNG something else")
    (repo / "badges/classes/.mint-x1y2z3.tmp").write_bytes(b"half a file")
    before = snapshot(repo)
    run = mint(repo, "--offline", *NOW, env={"MICROCRED_SIGNING_KEY": pem(KEY), "GITHUB_REPOSITORY": "example/catalog"})
    assert run.code == 1
    assert run.out.splitlines() == [
        MINTED[2],
        f"submissions/gamma/dee-gamma-1.yml: not minted: badges/assertions/{DEE_GAMMA}.png exists with other content; "
        "it is left as it is, and nothing more was written for this badge",
    ]
    after = snapshot(repo)
    assert after[f"badges/assertions/{DEE_BETA}.json"] == minted[0].joinpath(f"badges/assertions/{DEE_BETA}.json").read_bytes()
    assert after[f"badges/assertions/{DEE_GAMMA}.png"] == b"\x89PNG something else"
    assert set(after) == set(before) - {"badges/classes/.mint-x1y2z3.tmp"} | {f"badges/assertions/{DEE_BETA}.json"}
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
    ]
    assert snapshot(repo) == before


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
        ({}, "GITHUB_REPOSITORY is not set; minting online needs it (or use --offline to mint from the records in records/)"),
        (
            {"GITHUB_REPOSITORY": "o/r"},
            "GITHUB_TOKEN is not set; minting online needs it (or use --offline to mint from the records in records/)",
        ),
        (
            {"GITHUB_REPOSITORY": "o/r", "GITHUB_TOKEN": "t"},
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


def test_an_invalid_catalog_mints_nothing(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo", overlay=False)
    (repo / "rubrics/alpha.yml").unlink()
    run = mint(repo, "--offline", *NOW)
    message = "the catalog has errors (catalog/credentials/alpha.yml:38:9: MC201 no rubric 'alpha' (expected rubrics/alpha.yml))"
    assert (run.code, run.err) == (2, f"microcred: error: {message}; run `microcred validate`; nothing was minted\n")
    assert not (repo / "badges").exists()


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


def _publish(clone: Path, env: dict[str, str], ready: threading.Barrier) -> int:
    """What the workflow does in a clone: mint, commit, push; on a rejected push, rebase and push again."""
    done = subprocess.run(
        [sys.executable, "-m", "microcred", "mint", "--offline", *NOW, "--root", str(clone)], env=env, capture_output=True
    )
    assert done.returncode == 0, done.stderr
    git(clone, "add", "-A", "badges")
    git(clone, "commit", "-qm", "Mint badges")
    ready.wait(timeout=60)
    for attempt in range(5):
        if subprocess.run(["git", "push", "-q", "origin", "main"], cwd=clone, env=env, capture_output=True).returncode == 0:
            return attempt
        git(clone, "pull", "-q", "--rebase", "origin", "main")
    raise AssertionError("the push never went through")


def test_two_clones_minting_at_once_lose_nothing(tmp_path: Path) -> None:
    seed = mint_repo(tmp_path / "seed", overlay=False)
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "catalog")
    git(tmp_path, "clone", "-q", "--bare", str(seed), "origin.git")
    clones = []
    for name, files in (
        ("a", ["submissions/alpha/eve-alpha-1.yml", "records/alpha/eve-alpha-1.yml"]),
        ("b", ["submissions/beta/dee-beta-1.yml", "records/beta/dee-beta-1.yml"]),
    ):
        git(tmp_path, "clone", "-q", str(tmp_path / "origin.git"), name)
        for rel in files:
            (tmp_path / name / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(FIXTURES / "mint" / rel, tmp_path / name / rel)
        git(tmp_path / name, "add", "-A")
        git(tmp_path / name, "commit", "-qm", f"Merge {files[0]}")  # the merged pull request
        clones.append(tmp_path / name)
    env = {**GIT_ENV, "HOME": str(tmp_path)}
    ready = threading.Barrier(2)
    with ThreadPoolExecutor(2) as pool:
        attempts = sorted(pool.map(lambda clone: _publish(clone, env, ready), clones))
    assert attempts == [0, 1]  # one push was refused, rebased and pushed again
    git(tmp_path, "clone", "-q", str(tmp_path / "origin.git"), "main")
    final = tmp_path / "main"
    for name in (DEE_ALPHA, EVE_ALPHA, DEE_BETA):
        assert (
            artwork.baked((final / f"badges/assertions/{name}.png").read_bytes()) == (final / f"badges/assertions/{name}.json").read_text()
        )
    run = mint(final, "--offline", *NOW)
    assert (run.code, run.out) == (0, "")  # everything merged is minted
    assert git(final, "status", "--porcelain") == ""


# -- online: the approval re-checked through the GitHub API (a fake GitHub that real PyGithub talks to) ------


def test_online_mint_rechecks_the_approval_and_keeps_the_record(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo", overlay=False)
    shutil.rmtree(repo / "records")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Merge pull request #5")
    merge = git(repo, "rev-parse", "HEAD").strip()
    add(repo, "eve-alpha-1", "alpha", "eve", district="south")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Pushed without a pull request")
    pushed = git(repo, "rev-parse", "HEAD").strip()
    add(repo, "gus-alpha-1", "alpha", "gus", district="south")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Merge pull request #6")
    merge6 = git(repo, "rev-parse", "HEAD").strip()
    with serve() as fake:
        fake.pull(5, "dee", ["a" * 40], {"submissions/alpha/dee-alpha-1.yml": "added"}, state="closed")
        fake.pulls[5].merged_at, fake.pulls[5].merge_commit_sha = "2026-10-20T15:04:05Z", merge
        fake.review(5, "ann", "APPROVED", body="- context: met\n- plan: met\n- impact: met", at="2026-10-08T10:00:00Z")
        fake.review(5, "bob", "APPROVED", body="context: met\nplan: met", at="2026-10-09T10:00:00Z")
        fake.pull(6, "gus", ["b" * 40], {"submissions/alpha/gus-alpha-1.yml": "added"}, state="closed")
        fake.pulls[6].merged_at, fake.pulls[6].merge_commit_sha = "2026-10-21T15:04:05Z", merge6
        fake.review(6, "ann", "APPROVED", body="- context: met\n- plan: met\n- impact: met", at="2026-10-08T10:00:00Z")
        env = {"GITHUB_REPOSITORY": REPOSITORY, "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": fake.url, "MICROCRED_PSEUDONYM_KEY": "k" * 32}
        run = mint(repo, *NOW, env=env)
        again = mint(repo, *NOW, env=env)
    reason = f"no merged pull request added it (commit {pushed[:7]}); badges are minted for approved pull requests only"
    assert (run.code, run.out.splitlines()) == (
        1,
        [
            MINTED[0],
            f"submissions/alpha/eve-alpha-1.yml: not minted: {reason}",
            "submissions/alpha/gus-alpha-1.yml: not minted: pull request #6 was merged at bbbbbbb without an approval there (last round: no decision)",
        ],
    )
    assert (again.code, again.out.splitlines()) == (1, run.out.splitlines()[1:])
    record = Record.from_dict(yaml.safe_load((repo / "records/alpha/dee-alpha-1.yml").read_text()))
    ann, bob = (review.pseudonym(b"k" * 32, "test-consortium", login) for login in ("ann", "bob"))
    assert record.rounds == (
        Round("a" * 40, "2026-10-01", "2026-10-09", "approved", False, (
            ReviewRecord(ann, "approved", "2026-10-08", {"context": "met", "plan": "met", "impact": "met"}),
            ReviewRecord(bob, "approved", "2026-10-09", {"context": "met", "plan": "met"}),
        )),
    )  # fmt: skip
    assertion = json.loads((repo / f"badges/assertions/{DEE_ALPHA}.json").read_text())
    assert [e.get("id") for e in assertion["evidence"][:2]] == [
        f"https://github.com/{REPOSITORY}/pull/5",
        f"https://github.com/{REPOSITORY}/blob/{merge}/submissions/alpha/dee-alpha-1.yml",
    ]
