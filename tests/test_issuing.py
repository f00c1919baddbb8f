"""The 3.0 form outside verifiers accept, as `mint` writes it with both keys set, checked by implementations not ours.

The tokens are checked with PyJWT and only the JWK found at the kid's address; the embedded Data Integrity
proof and the status lists with Digital Bazaar's libraries and the DID document mint publishes; the
credential against the official schema.
"""

from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import independent
from microcred.badges import artwork, did, jwk, proof, statuslist, vc
from microcred.badges.revoke import revoke
from microcred.cli import main
from microcred.verify.fetch import SiteFolder
from microcred.verify.verdict import Verdict
from microcred.verify.verify import verify
from support import REFERENCE, Run, needs_reference
from test_mint import DEE_ALPHA, DEE_BASICS, DEE_BETA, DEE_GAMMA, EVE_ALPHA, KEY, mint, mint_repo, pem, snapshot

SITE = "https://consortium.example.org/catalog/"
DID = "did:web:consortium.example.org:catalog:badges"
NAMES = (DEE_ALPHA, EVE_ALPHA, DEE_BETA, DEE_GAMMA, DEE_BASICS)
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # test-only, made afresh each run
RSA_PEM = RSA_KEY.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
# Before today, so that the Digital Bazaar checks, which read the real clock, find the lists already valid.
NOW, LATER = ("--now", "2026-12-01T12:00:00Z"), ("--now", "2026-12-01T13:00:00Z")
ENV = {"MICROCRED_SIGNING_KEY": pem(KEY), "MICROCRED_JWT_KEY": RSA_PEM, "GITHUB_REPOSITORY": "example/catalog"}


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    repo = mint_repo(tmp_path_factory.mktemp("issued") / "repo")
    return repo, mint(repo, "--offline", *NOW, env=ENV)


def _token(repo: Path, name: str) -> str:
    return (repo / f"badges/credentials/{name}.jwt").read_text(encoding="ascii")


def _json(repo: Path, rel: str) -> Any:
    return json.loads((repo / rel).read_text(encoding="utf-8"))


def _published(repo: Path, url: str) -> Any:
    assert url.startswith(SITE), url
    return _json(repo, url.removeprefix(SITE))


def test_every_credential_is_an_rs256_token_whose_kid_is_one_published_jwk(issued: tuple[Path, Run]) -> None:
    repo, run = issued
    assert run.code == 0, run.err
    for name in NAMES:
        token = _token(repo, name)
        header = jwt.get_unverified_header(token)
        assert set(header) == {"alg", "kid", "typ"} and (header["alg"], header["typ"]) == ("RS256", "JWT")
        assert header["kid"].startswith(f"{SITE}badges/keys/") and header["kid"].endswith(".json")
        published = _published(repo, header["kid"])
        assert published["kty"] == "RSA" and not {"d", "p", "q", "dp", "dq", "qi"} & set(published)
        claims = jwt.decode(token, jwt.PyJWK(published).key, algorithms=["RS256"], options={"verify_aud": False})
        assert claims["iss"] == DID == claims["issuer"]["id"]
        assert claims["jti"] == claims["id"] == f"{SITE}badges/credentials/{name}.jwt"
        assert "exp" not in claims and claims["nbf"] == vc.numeric_date(claims["validFrom"], "validFrom")
    key_set = _json(repo, "badges/keys.json")
    assert {k["kty"] for k in key_set["keys"]} == {"RSA", "OKP"}  # both keys, public halves only


def test_the_embedded_proof_verifies_with_the_published_did_document(issued: tuple[Path, Run], tmp_path: Path) -> None:
    repo, _ = issued
    document = _json(repo, "badges/did.json")
    assert document["id"] == DID and did.document_url(DID) == f"{SITE}badges/did.json"
    for name in NAMES:
        credential = vc.unverified_payload(_token(repo, name))
        signed = {k: v for k, v in credential.items() if k not in ("iss", "jti", "nbf", "sub", "exp")}
        assert signed["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
        assert proof.verify(signed, lambda method: proof.public_key(did.resolve(document, method))) == []
        assert independent.data_integrity(signed, document, tmp_path) == {"verified": True, "errors": []}


@needs_reference("ob_v3p0_achievementcredential_schema.json")
def test_the_credentials_name_and_match_the_official_schema(issued: tuple[Path, Run]) -> None:
    repo, _ = issued
    schema = json.loads((REFERENCE / "ob_v3p0_achievementcredential_schema.json").read_text(encoding="utf-8"))
    for name in NAMES:
        credential = vc.unverified_payload(_token(repo, name))
        assert credential["credentialSchema"] == [{"id": schema["$id"], "type": "1EdTechJsonSchemaValidator2019"}]
        errors = [e.message for e in jsonschema.Draft201909Validator(schema).iter_errors(credential)]
        assert errors == [], name


def test_status_entries_are_distinct_and_the_signed_list_says_not_revoked(issued: tuple[Path, Run], tmp_path: Path) -> None:
    repo, _ = issued
    statuses = [vc.unverified_payload(_token(repo, name))["credentialStatus"] for name in NAMES]
    assert {s["statusListCredential"] for s in statuses} == {f"{SITE}badges/status/1.json"}
    assert len({s["statusListIndex"] for s in statuses}) == len(NAMES)
    taken = statuslist.decode((repo / "badges/status/1.allocated").read_text(encoding="ascii").strip())
    assert [statuslist.is_set(taken, int(s["statusListIndex"])) for s in statuses] == [True] * len(NAMES)
    assert sum(bin(b).count("1") for b in taken) == len(NAMES)
    document = _json(repo, "badges/did.json")
    listed = _json(repo, "badges/status/1.json")
    for name in NAMES:
        credential = vc.unverified_payload(_token(repo, name))
        assert independent.status(credential, document, {f"{SITE}badges/status/1.json": listed}, tmp_path) == {
            "verified": True,
            "revoked": False,
            "errors": [],
        }


def test_a_second_run_writes_nothing(issued: tuple[Path, Run], tmp_path: Path) -> None:
    repo, _ = issued
    before = snapshot(repo)
    again = mint(repo, "--offline", *LATER, env=ENV)
    assert again.code == 0 and again.out == ""
    assert snapshot(repo) == before


def test_revoking_sets_the_bit_of_the_badge_and_of_the_stack_it_belonged_to(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo")
    assert mint(repo, "--offline", *NOW, env=ENV).code == 0
    revoke(repo, DEE_ALPHA, "Evidence was not the earner's own.")  # no key needed: the bits follow on the next run
    assert mint(repo, "--offline", *LATER, env=ENV).code == 0
    document, listed = _json(repo, "badges/did.json"), _json(repo, "badges/status/1.json")
    assert listed["validFrom"] == "2026-12-01T13:00:00Z"
    outcome = {}
    for name in (DEE_ALPHA, DEE_BASICS, DEE_BETA, EVE_ALPHA):
        credential = vc.unverified_payload(_token(repo, name))
        outcome[name] = independent.status(credential, document, {f"{SITE}badges/status/1.json": listed}, tmp_path)["revoked"]
    assert outcome == {DEE_ALPHA: True, DEE_BASICS: True, DEE_BETA: False, EVE_ALPHA: False}


def test_a_jwt_key_needs_the_signing_key_and_must_be_rsa(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo")
    alone = mint(repo, "--offline", *NOW, env={"MICROCRED_JWT_KEY": RSA_PEM})
    assert (alone.code, alone.err) == (
        2,
        "microcred: error: MICROCRED_JWT_KEY is set but MICROCRED_SIGNING_KEY is not: a 3.0 credential carries both signatures\n",
    )
    wrong = mint(repo, "--offline", *NOW, env={"MICROCRED_SIGNING_KEY": pem(KEY), "MICROCRED_JWT_KEY": pem(KEY)})
    assert wrong.code == 2 and wrong.err.startswith("microcred: error: MICROCRED_JWT_KEY: the key is not an RSA key")
    assert not (repo / "badges").exists()


# -- microcred verify on the new form ---------------------------------------------------------------


def _verify(repo: Path, target: Path) -> Verdict:
    return verify(str(target), now=datetime(2026, 12, 2, tzinfo=UTC), schema_dir=REFERENCE, site=SiteFolder(SITE, repo))


def test_verify_checks_the_kid_the_proof_the_status_list_and_the_schema(issued: tuple[Path, Run]) -> None:
    repo, _ = issued
    for name in NAMES:
        outcome = _verify(repo, repo / f"badges/credentials/{name}.jwt")
        assert outcome.verdict == "VALID", outcome.text()
        said = [text for _, text in outcome.checks]
        kid = jwt.get_unverified_header(_token(repo, name))["kid"]
        assert f"Its signature (RS256) verifies with the key published at {kid}." in said
        assert "" not in said
        assert f"Its Data Integrity proof (eddsa-rdfc-2022) verifies with the key in {SITE}badges/did.json." in said
        assert f"The status list's Data Integrity proof (eddsa-rdfc-2022) verifies with the key in {SITE}badges/did.json." in said
        entry = vc.unverified_payload(_token(repo, name))["credentialStatus"]["statusListIndex"]
        assert f"The issuer's status list {SITE}badges/status/1.json does not mark it revoked (entry {entry})." in said
        if REFERENCE.is_dir():
            assert "It matches the Open Badges 3.0 AchievementCredential schema." in said


def _copy(issued: tuple[Path, Run], tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(issued[0], repo, ignore=shutil.ignore_patterns(".git"))
    return repo


def _reseal(repo: Path, name: str, change: Any) -> Path:
    """The credential's token made again with the catalog's own RSA key after `change(payload)`: the JWT holds, the proof need not."""
    token = _token(repo, name)
    payload = vc.unverified_payload(token)
    change(payload)
    signed = {k: v for k, v in payload.items() if k not in vc.CLAIMS}
    out = repo / "forged.jwt"
    out.write_text(vc.sign(signed, RSA_KEY, kid=jwt.get_unverified_header(token)["kid"]), encoding="ascii")
    return out


def test_a_changed_credential_under_a_valid_jwt_fails_its_data_integrity_proof(issued: tuple[Path, Run], tmp_path: Path) -> None:
    repo = _copy(issued, tmp_path)
    forged = _reseal(repo, DEE_ALPHA, lambda p: p["credentialSubject"]["achievement"].update(name="Something never earned"))
    outcome = _verify(repo, forged)
    assert outcome.verdict == "INVALID"
    assert (
        f"Its Data Integrity proof does not hold: the Data Integrity proof's signature does not match the credential (key {DID}#"
        in outcome.text()
    )


def test_a_wrong_key_a_private_member_and_a_missing_kid_are_caught(issued: tuple[Path, Run], tmp_path: Path) -> None:
    repo = _copy(issued, tmp_path)
    kid = jwt.get_unverified_header(_token(repo, DEE_ALPHA))["kid"]
    key_file = repo / kid.removeprefix(SITE)
    original = key_file.read_text(encoding="utf-8")
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file.write_text(json.dumps(jwk.public_jwk(other)), encoding="utf-8")
    wrong = _verify(repo, repo / f"badges/credentials/{DEE_ALPHA}.jwt")
    assert wrong.verdict == "INVALID" and f"bad signature: the token was not signed by key {kid!r}" in wrong.text()
    numbers = RSA_KEY.private_numbers()
    key_file.write_text(json.dumps({**json.loads(original), "d": jwk._b64url_int(numbers.d)}), encoding="utf-8")
    leaked = _verify(repo, repo / f"badges/credentials/{DEE_ALPHA}.jwt")
    assert leaked.verdict == "INVALID" and f"The published key {kid} is not a public key only" in leaked.text()
    key_file.unlink()
    missing = _verify(repo, repo / f"badges/credentials/{DEE_ALPHA}.jwt")
    assert missing.verdict != "VALID" and kid in missing.text()


def test_a_revoked_badge_reads_revoked_through_the_status_list_alone(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo")
    assert mint(repo, "--offline", *NOW, env=ENV).code == 0
    revoke(repo, DEE_ALPHA, "Evidence was not the earner's own.")
    assert mint(repo, "--offline", *LATER, env=ENV).code == 0
    (repo / "badges/revocations.json").unlink()  # nothing but the status list can tell
    outcome = _verify(repo, repo / f"badges/credentials/{DEE_ALPHA}.jwt")
    assert outcome.verdict == "REVOKED", outcome.text()
    said = " ".join(text for _, text in outcome.checks)
    assert f"The issuer's status list {SITE}badges/status/1.json marks it revoked" in said
    assert _verify(repo, repo / f"badges/credentials/{DEE_BETA}.jwt").verdict == "VALID"


def test_a_status_list_not_signed_by_the_issuer_is_not_read(issued: tuple[Path, Run], tmp_path: Path) -> None:
    repo = _copy(issued, tmp_path)
    listed = _json(repo, "badges/status/1.json")
    bits = statuslist.empty()
    index = int(vc.unverified_payload(_token(repo, DEE_BETA))["credentialStatus"]["statusListIndex"])
    statuslist.set_bit(bits, index)
    listed["credentialSubject"]["encodedList"] = statuslist.encode(bits)
    (repo / "badges/status/1.json").write_text(json.dumps(listed), encoding="utf-8")
    outcome = _verify(repo, repo / f"badges/credentials/{DEE_BETA}.jwt")
    assert outcome.verdict == "INVALID"
    assert "The status list's Data Integrity proof does not hold" in outcome.text()


def test_revoke_with_the_signing_key_sets_the_bit_in_the_same_change(
    issued: tuple[Path, Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _copy(issued, tmp_path)
    monkeypatch.setenv("MICROCRED_SIGNING_KEY", pem(KEY))
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["revoke", "--root", str(repo), DEE_GAMMA, "--reason", "Withdrawn at the earner's request."])
    assert code == 0, err.getvalue()
    assert "  wrote badges/status/1.json\n" in out.getvalue()
    document, listed = _json(repo, "badges/did.json"), _json(repo, "badges/status/1.json")
    credential = vc.unverified_payload(_token(repo, DEE_GAMMA))
    assert independent.status(credential, document, {f"{SITE}badges/status/1.json": listed}, tmp_path) == {
        "verified": True,
        "revoked": True,
        "errors": [],
    }


def test_revoke_without_the_key_says_the_lists_follow_on_the_next_mint(
    issued: tuple[Path, Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _copy(issued, tmp_path)
    monkeypatch.delenv("MICROCRED_SIGNING_KEY", raising=False)
    before = (repo / "badges/status/1.json").read_bytes()
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert main(["revoke", "--root", str(repo), DEE_GAMMA, "--reason", "Withdrawn."]) == 0
    assert "microcred: the 3.0 status lists follow when mint next runs (MICROCRED_SIGNING_KEY is not set here)\n" in err.getvalue()
    assert (repo / "badges/status/1.json").read_bytes() == before


# -- baking on demand -------------------------------------------------------------------------------


def test_bake_writes_the_badge_image_with_the_credential_that_verify_reads(issued: tuple[Path, Run], tmp_path: Path) -> None:
    repo, _ = issued
    before = snapshot(repo)
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "mine.png"
    with redirect_stdout(out), redirect_stderr(err):
        assert main(["bake", "--root", str(repo), f"badges/assertions/{DEE_ALPHA}.json", "-o", str(target)]) == 0
    assert err.getvalue() == f"wrote {target}: the 3.0 credential {DEE_ALPHA} baked into its badge image\n"
    assert artwork.baked(target.read_bytes(), artwork.KEYWORD_3) == _token(repo, DEE_ALPHA).strip()
    assert artwork.baked(target.read_bytes()) is None  # no 2.0 chunk in a 3.0 image
    assert _verify(repo, target).verdict == "VALID"
    assert snapshot(repo) == before
    with redirect_stdout(out), redirect_stderr(err):
        assert main(["bake", "--root", str(repo), DEE_ALPHA, "-o", str(target)]) == 2
        assert main(["bake", "--root", str(repo), "00000000-0000-0000-0000-000000000000"]) == 2
    assert f"microcred: error: {target} exists; give another --output\n" in err.getvalue()
    zero = "00000000-0000-0000-0000-000000000000"
    assert f"no badge {zero}: neither badges/credentials/{zero}.jwt nor badges/assertions/{zero}.json exists" in err.getvalue()


# -- badges minted before: kept byte for byte, upgraded beside ----------------------------------------


def test_upgrade_keeps_every_minted_file_and_adds_the_new_form_beside(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo")
    first = {"MICROCRED_SIGNING_KEY": pem(KEY), "GITHUB_REPOSITORY": "example/catalog"}
    assert mint(repo, "--offline", *NOW, env=first).code == 0
    before = snapshot(repo)
    plain = mint(repo, "--offline", *LATER, env=ENV)  # the new keys alone change nothing already minted
    assert plain.code == 0 and plain.out == ""
    assert {rel: data for rel, data in snapshot(repo).items() if rel in before and rel != "badges/keys.json"} == {
        rel: data for rel, data in before.items() if rel != "badges/keys.json"
    }
    run = mint(repo, "--offline", "--upgrade", *LATER, env=ENV)
    assert run.code == 0, run.err
    assert run.out.splitlines() == [
        f"upgraded badges/credentials/upgraded/{name}.jwt beside badges/credentials/{name}.jwt" for name in sorted(NAMES)
    ]
    after = snapshot(repo)
    assert all(after[rel] == data for rel, data in before.items() if rel != "badges/keys.json")
    old_keys = {k["kid"] for k in json.loads(before["badges/keys.json"])["keys"]}
    assert old_keys < {k["kid"] for k in _json(repo, "badges/keys.json")["keys"]}  # keys only grow
    for name in NAMES:
        assert _verify(repo, repo / f"badges/credentials/{name}.jwt").verdict == "VALID"  # the first form still verifies
        upgraded = _verify(repo, repo / f"badges/credentials/upgraded/{name}.jwt")
        assert upgraded.verdict == "VALID", upgraded.text()
        old, new = (vc.unverified_payload((repo / f"badges/credentials/{p}{name}.jwt").read_text()) for p in ("", "upgraded/"))
        assert new["credentialSubject"] == old["credentialSubject"] and new["issuer"]["id"] == DID
    again = mint(repo, "--offline", "--upgrade", *LATER, env=ENV)
    assert (again.code, again.out) == (0, "")
    revoke(repo, DEE_ALPHA, "Evidence was not the earner's own.")
    assert mint(repo, "--offline", *LATER, env=ENV).code == 0
    assert _verify(repo, repo / f"badges/credentials/upgraded/{DEE_ALPHA}.jwt").verdict == "REVOKED"
    assert _verify(repo, repo / f"badges/credentials/upgraded/{DEE_BETA}.jwt").verdict == "VALID"


def test_upgrade_needs_both_keys(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo")
    run = mint(repo, "--offline", "--upgrade", *NOW, env={"MICROCRED_SIGNING_KEY": pem(KEY)})
    assert (run.code, run.err) == (
        2,
        "microcred: error: --upgrade needs MICROCRED_SIGNING_KEY and MICROCRED_JWT_KEY: the new form carries both signatures\n",
    )
    assert not (repo / "badges").exists()  # refused before anything was written


# -- the sample catalog's own credentials, by implementations not ours ---------------------------------

SAMPLE = Path(__file__).resolve().parents[1]
SAMPLE_SITE = "https://three-rivers.example.org/microcredentials/"
SAMPLE_REVOKED = "ccc304c4-2444-5abb-b870-1110b12f851b"


def test_every_sample_credential_passes_independent_checks(tmp_path: Path) -> None:
    """PyJWT with the kid's JWK, Digital Bazaar's Data Integrity and status checks, the official schema."""
    document = json.loads((SAMPLE / "badges/did.json").read_text(encoding="utf-8"))
    assert document["id"] == did.did_web(SAMPLE_SITE)
    schema = json.loads((REFERENCE / "ob_v3p0_achievementcredential_schema.json").read_text()) if REFERENCE.is_dir() else None
    tokens = sorted((SAMPLE / "badges/credentials").glob("*.jwt"))
    assert len(tokens) == 6
    for path in tokens:
        token = path.read_text(encoding="ascii")
        header = jwt.get_unverified_header(token)
        assert set(header) == {"alg", "kid", "typ"} and header["alg"] == "RS256"
        public = json.loads((SAMPLE / header["kid"].removeprefix(SAMPLE_SITE)).read_text(encoding="utf-8"))
        claims = jwt.decode(token, jwt.PyJWK(public).key, algorithms=["RS256"], options={"verify_aud": False})
        signed = {k: v for k, v in claims.items() if k not in vc.CLAIMS}
        assert independent.data_integrity(signed, document, tmp_path) == {"verified": True, "errors": []}, path.name
        status_url = signed["credentialStatus"]["statusListCredential"]
        listed = json.loads((SAMPLE / status_url.removeprefix(SAMPLE_SITE)).read_text(encoding="utf-8"))
        outcome = independent.status(signed, document, {status_url: listed}, tmp_path)
        assert outcome == {"verified": True, "revoked": path.stem == SAMPLE_REVOKED, "errors": []}, path.name
        if schema is not None:
            assert [e.message for e in jsonschema.Draft201909Validator(schema).iter_errors(claims)] == [], path.name
