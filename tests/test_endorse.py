"""`microcred endorse`: the districts' endorsements as Open Badges 2.0 Endorsements and signed 3.0 EndorsementCredentials.

North endorses alpha, beta and gamma through the stack `basics` (salary credit), South endorses alpha (a stipend).
The 3.0 credentials are checked with PyJWT, Digital Bazaar's libraries and the official endorsement schema.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import jsonschema
import jwt
import pytest

import independent
from microcred.badges import vc
from microcred.cli import main
from support import REFERENCE, Run, git, needs_reference
from test_issuing import ENV, NOW, SITE
from test_mint import mint_repo, snapshot

DID = "did:web:consortium.example.org:catalog:badges"
ENDORSED = [
    "badges/endorsements/north/alpha-1.0.0.json",
    "badges/endorsements/north/beta-1.0.0.json",
    "badges/endorsements/north/gamma-1.0.0.json",
    "badges/endorsements/south/alpha-1.0.0.json",
]


def endorse(repo: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for name in ("MICROCRED_SIGNING_KEY", "MICROCRED_JWT_KEY"):
            patch.delenv(name, raising=False)
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["endorse", "--root", str(repo), *args])
    return Run(code, out.getvalue(), err.getvalue())


def _committed(dest: Path) -> Path:
    repo = mint_repo(dest)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "catalog")
    return repo


@pytest.fixture(scope="module")
def endorsed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    repo = _committed(tmp_path_factory.mktemp("endorsed") / "repo")
    return repo, endorse(repo, *NOW, env=ENV)


def _json(repo: Path, rel: str) -> Any:
    return json.loads((repo / rel).read_text(encoding="utf-8"))


def test_each_district_endorses_each_credential_it_endorses(endorsed: tuple[Path, Run]) -> None:
    repo, run = endorsed
    assert (run.code, run.out.splitlines(), run.err) == (0, [f"endorsed {rel}" for rel in ENDORSED], "microcred: endorsed 4; revoked 0\n")
    commit = git(repo, "log", "-1", "--format=%h", "--", "catalog/districts/south.yml").strip()
    south = _json(repo, "badges/endorsements/south/alpha-1.0.0.json")
    assert south == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Endorsement",
        "id": f"{SITE}badges/endorsements/south/alpha-1.0.0.json",
        "claim": {
            "id": f"{SITE}badges/classes/alpha-1.0.0.json",
            "endorsementComment": (
                "South District endorses Alpha (version 1.0.0) for its teachers: a teacher who earns it receives 1 CEU and $200 stipend "
                "(stipend paid for at most 8 micro-credentials a school year; no pre-approval needed). "
                f"Stated in the district file catalog/districts/south.yml at commit {commit}."
            ),
        },
        "issuer": f"{SITE}badges/endorsements/south/issuer.json",
        "issuedOn": "2026-12-01T12:00:00Z",
        "verification": {"type": "hosted"},
    }
    issuer = _json(repo, "badges/endorsements/south/issuer.json")
    assert (issuer["type"], issuer["id"], issuer["name"]) == ("Profile", south["issuer"], "South District")
    assert (repo / "badges/classes/alpha-1.0.0.json").is_file()  # the class an endorsement names is published


def test_the_3_0_endorsement_is_signed_by_the_districts_did_and_verifies_independently(endorsed: tuple[Path, Run], tmp_path: Path) -> None:
    repo, _ = endorsed
    token = (repo / "badges/endorsements/north/beta-1.0.0.jwt").read_text(encoding="ascii")
    header = jwt.get_unverified_header(token)
    public = _json(repo, header["kid"].removeprefix(SITE))
    claims = jwt.decode(token, jwt.PyJWK(public).key, algorithms=["RS256"], options={"verify_aud": False})
    assert claims["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert claims["iss"] == f"{DID}:endorsements:north" == claims["issuer"]["id"]
    assert claims["credentialSubject"]["id"] == f"{SITE}badges/classes/beta-1.0.0.json"
    assert "$400 added to base salary" in claims["credentialSubject"]["endorsementComment"]
    signed = {k: v for k, v in claims.items() if k not in vc.CLAIMS}
    document = _json(repo, "badges/endorsements/north/did.json")
    assert document["id"] == claims["iss"]
    assert independent.data_integrity(signed, document, tmp_path) == {"verified": True, "errors": []}
    status_url = signed["credentialStatus"]["statusListCredential"]
    assert status_url == f"{SITE}badges/endorsements/north/status/1.json"
    listed = _json(repo, status_url.removeprefix(SITE))
    assert independent.status(signed, document, {status_url: listed}, tmp_path) == {"verified": True, "revoked": False, "errors": []}


@needs_reference("ob_v3p0_endorsementcredential_schema.json")
def test_the_3_0_endorsements_match_the_official_schema(endorsed: tuple[Path, Run]) -> None:
    repo, _ = endorsed
    schema = json.loads((REFERENCE / "ob_v3p0_endorsementcredential_schema.json").read_text(encoding="utf-8"))
    for rel in ENDORSED:
        credential = vc.unverified_payload((repo / rel.replace(".json", ".jwt")).read_text(encoding="ascii"))
        assert credential["credentialSchema"][0]["id"] == schema["$id"]
        assert [e.message for e in jsonschema.Draft201909Validator(schema).iter_errors(credential)] == [], rel


def test_verify_reads_an_endorsement(endorsed: tuple[Path, Run]) -> None:
    repo, _ = endorsed
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["verify", str(repo / "badges/endorsements/south/alpha-1.0.0.jwt"), "--site", str(repo), "--root", str(repo)])
    assert (code, out.getvalue().splitlines()[0]) == (0, f"VALID: {repo}/badges/endorsements/south/alpha-1.0.0.jwt"), out.getvalue()


def test_a_second_run_writes_nothing(endorsed: tuple[Path, Run]) -> None:
    repo, _ = endorsed
    before = snapshot(repo)
    again = endorse(repo, "--now", "2026-12-01T13:00:00Z", env=ENV)
    assert (again.code, again.out) == (0, "")
    assert snapshot(repo) == before


def test_an_endorsement_the_district_no_longer_makes_is_revoked(tmp_path: Path) -> None:
    repo = _committed(tmp_path / "repo")
    assert endorse(repo, *NOW, env=ENV).code == 0
    district = repo / "catalog/districts/south.yml"
    district.write_text(district.read_text(encoding="utf-8").replace("credentials: [alpha]", "credentials: []"), encoding="utf-8")
    run = endorse(repo, "--now", "2026-12-01T13:00:00Z", env=ENV)
    assert (run.code, run.out) == (0, "revoked badges/endorsements/south/alpha-1.0.0.json: the district no longer endorses it\n")
    why = "no longer endorsed: catalog/districts/south.yml does not endorse this version any more"
    url = f"{SITE}badges/endorsements/south/alpha-1.0.0.json"
    assert _json(repo, "badges/endorsements/south/alpha-1.0.0.json") == {
        "@context": "https://w3id.org/openbadges/v2",
        "id": url,
        "type": "Endorsement",
        "revoked": True,
        "revocationReason": why,
    }
    assert {"id": url, "revocationReason": why} in _json(repo, "badges/revocations.json")["revokedAssertions"]
    signed = {
        k: v
        for k, v in vc.unverified_payload((repo / "badges/endorsements/south/alpha-1.0.0.jwt").read_text()).items()
        if k not in vc.CLAIMS
    }
    status_url = signed["credentialStatus"]["statusListCredential"]
    document, listed = _json(repo, "badges/endorsements/south/did.json"), _json(repo, status_url.removeprefix(SITE))
    assert independent.status(signed, document, {status_url: listed}, tmp_path) == {"verified": True, "revoked": True, "errors": []}
    north = vc.unverified_payload((repo / "badges/endorsements/north/alpha-1.0.0.jwt").read_text())
    assert north["credentialStatus"]["statusListCredential"].startswith(f"{SITE}badges/endorsements/north/")


def test_without_the_keys_only_the_2_0_endorsements(tmp_path: Path) -> None:
    repo = _committed(tmp_path / "repo")
    run = endorse(repo, *NOW)
    assert run.code == 0 and run.out.splitlines() == [f"endorsed {rel}" for rel in ENDORSED]
    assert "microcred: MICROCRED_SIGNING_KEY and MICROCRED_JWT_KEY are not both set: 2.0 endorsements only\n" in run.err
    assert not list((repo / "badges/endorsements").rglob("*.jwt"))
