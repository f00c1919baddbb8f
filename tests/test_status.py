"""Bitstring Status Lists, did:web and RS256 keys: made here, checked here and by implementations not ours."""

from __future__ import annotations

import base64
import gzip
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import independent
from microcred.badges import did, jwk, proof, statuslist, vc

ROOT = Path(__file__).resolve().parents[1]
SITE = "https://three-rivers.github.io/catalog/"
DID = did.did_web(SITE)
METHOD = did.method_id(DID, "key-1")
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
LIST_URL = f"{SITE}badges/status/1.json"
CREATED = "2026-03-04T05:06:07Z"


# -- status lists ---------------------------------------------------------------------------------


def test_an_empty_list_is_16_kib_of_zeros_and_encodes_deterministically() -> None:
    bits = statuslist.empty()
    assert len(bits) * 8 == statuslist.LENGTH == 131_072
    text = statuslist.encode(bits)
    assert text == statuslist.encode(statuslist.empty())  # gzip with a fixed mtime: byte-identical lists
    assert text.startswith("u") and "=" not in text
    assert gzip.decompress(base64.urlsafe_b64decode(text[1:] + "=" * (-len(text[1:]) % 4))) == bytes(16384)
    assert statuslist.decode(text) == bits


def test_entry_zero_is_the_first_bytes_most_significant_bit() -> None:
    bits = statuslist.empty()
    statuslist.set_bit(bits, 0)
    statuslist.set_bit(bits, 9)
    statuslist.set_bit(bits, statuslist.LENGTH - 1)
    assert bits[0] == 0x80 and bits[1] == 0x40 and bits[-1] == 0x01
    assert [statuslist.is_set(bits, i) for i in (0, 1, 8, 9, statuslist.LENGTH - 1)] == [True, False, False, True, True]
    with pytest.raises(statuslist.StatusListError, match="statusListIndex 131072 is outside the list of 131072 entries"):
        statuslist.is_set(bits, statuslist.LENGTH)
    with pytest.raises(statuslist.StatusListError, match="statusListIndex -1 is outside"):
        statuslist.set_bit(bits, -1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("zabc", "the encodedList is not multibase base64url (it must start with 'u')"),
        ("u" + base64.urlsafe_b64encode(b"not gzip").decode().rstrip("="), "the encodedList is not a gzip-compressed bitstring"),
        (
            "u" + base64.urlsafe_b64encode(gzip.compress(bytes(100))).decode().rstrip("="),
            "the list holds 800 entries, fewer than the 131072",
        ),
        ("u" + base64.urlsafe_b64encode(gzip.compress(bytes(17 * 1024 * 1024))).decode().rstrip("="), "inflates past 16777216 bytes"),
    ],
)
def test_a_malformed_list_is_refused(text: str, message: str) -> None:
    with pytest.raises(statuslist.StatusListError, match=message.replace("(", r"\(").replace(")", r"\)")):
        statuslist.decode(text)


def test_allocation_scatters_indexes_and_never_reuses_one() -> None:
    taken = statuslist.empty()
    ids = [f"{SITE}badges/credentials/{n:05d}.jwt" for n in range(2000)]
    indexes = [statuslist.allocate(i, taken) for i in ids]
    assert len(set(indexes)) == 2000 and None not in indexes
    assert sum(bin(b).count("1") for b in taken) == 2000
    # One earner's consecutive badges do not sit together, nor in the order they were minted.
    first = [i for i in indexes[:10] if i is not None]
    assert sorted(first) != first and max(first) - min(first) > 10 * 1000
    # The same id and the same taken entries give the same index, on any machine.
    again = statuslist.empty()
    assert [statuslist.allocate(i, again) for i in ids] == indexes


def test_a_full_list_allocates_nothing() -> None:
    taken = bytearray(b"\xff" * (statuslist.LENGTH // 8))
    taken[100] = 0xFE  # one entry left: 807
    assert statuslist.allocate("anything", taken) == 807
    assert statuslist.allocate("anything else", taken) is None


def test_the_entry_and_list_credential_name_each_other() -> None:
    assert statuslist.entry(LIST_URL, 42) == {
        "id": f"{LIST_URL}#42",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "42",
        "statusListCredential": LIST_URL,
    }
    made = statuslist.list_credential(LIST_URL, DID, statuslist.empty(), CREATED)
    assert proof.unsafe(made) == []
    assert made["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert made["credentialSubject"]["id"] == f"{LIST_URL}#list"
    assert made["credentialSubject"]["statusPurpose"] == "revocation"


# -- did:web ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("site", "expected", "where"),
    [
        (SITE, "did:web:three-rivers.github.io:catalog:badges", "https://three-rivers.github.io/catalog/badges/did.json"),
        ("https://badges.example.org/", "did:web:badges.example.org:badges", "https://badges.example.org/badges/did.json"),
        ("https://example.org:8443/a b/", "did:web:example.org%3A8443:a%20b:badges", "https://example.org:8443/a b/badges/did.json"),
    ],
)
def test_the_did_resolves_to_the_badges_folder(site: str, expected: str, where: str) -> None:
    assert did.did_web(site) == expected
    assert did.document_url(expected) == where
    assert did.document_url(expected + "#key-1") == where


def test_did_web_needs_https_and_a_did_web_did() -> None:
    with pytest.raises(did.DidError, match=r"did:web needs an https site address, not http://127\.0\.0\.1:8000/"):
        did.did_web("http://127.0.0.1:8000/")
    with pytest.raises(did.DidError, match="did:key:z6Mk is not a did:web DID"):
        did.document_url("did:key:z6Mk")
    assert did.document_url("did:web:example.org") == "https://example.org/.well-known/did.json"


def test_the_did_document_lists_every_key_for_assertions_and_resolves_them() -> None:
    old = Ed25519PrivateKey.from_private_bytes(bytes(32))
    doc = did.document(DID, [("key-2", proof.multikey(KEY)), ("key-1", proof.multikey(old))])
    assert [m["id"] for m in doc["verificationMethod"]] == [f"{DID}#key-1", f"{DID}#key-2"] == doc["assertionMethod"]
    assert did.published_keys(doc) == [("key-1", proof.multikey(old)), ("key-2", proof.multikey(KEY))]
    assert did.resolve(doc, f"{DID}#key-2") == proof.multikey(KEY)
    with pytest.raises(did.DidError, match="#key-3 is not an assertion key of"):
        did.resolve(doc, f"{DID}#key-3")
    with pytest.raises(did.DidError, match="the DID document is for 'did:web:elsewhere'"):
        did.resolve({**doc, "id": "did:web:elsewhere"}, f"{DID}#key-1")


# -- RS256 ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key: Any) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


def test_an_rsa_key_loads_from_pem_and_small_or_other_keys_are_refused(rsa_key: rsa.RSAPrivateKey) -> None:
    assert jwk.load_rsa_key(_pem(rsa_key)).private_numbers() == rsa_key.private_numbers()
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - the key refused
    with pytest.raises(jwk.JwkError, match="the RSA key has 1024 bits; RS256 needs at least 2048"):
        jwk.load_rsa_key(_pem(small))
    with pytest.raises(jwk.JwkError, match="the key is not an RSA key"):
        jwk.load_rsa_key(_pem(KEY))
    with pytest.raises(jwk.JwkError, match="not a PEM text"):
        jwk.load_rsa_key("secret")


def test_the_public_jwk_has_no_private_member_and_a_standard_thumbprint(rsa_key: rsa.RSAPrivateKey) -> None:
    published = jwk.public_jwk(rsa_key)
    assert set(published) == {"alg", "e", "kid", "kty", "n", "use"}
    assert published["kid"] == jwk.thumbprint(rsa_key)
    # RFC 7638 section 3.1's example key and thumbprint.
    n = int.from_bytes(
        base64.urlsafe_b64decode(
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw=="
        ),
        "big",
    )
    example = rsa.RSAPublicNumbers(65537, n).public_key()
    assert jwk.thumbprint(example) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    with pytest.raises(jwk.JwkError, match=r"holds private members \(d, p\)"):
        jwk.public_only({**published, "d": "x", "p": "y"})
    assert jwk.public_only(published) == published


def test_an_rs256_token_names_its_key_by_address_and_pyjwt_verifies_it(rsa_key: rsa.RSAPrivateKey) -> None:
    credential = {
        "id": f"{SITE}badges/credentials/1.jwt",
        "issuer": {"id": DID},
        "validFrom": CREATED,
        "credentialSubject": {"id": "urn:x"},
    }
    kid = f"{SITE}badges/keys/{jwk.thumbprint(rsa_key)}.json"
    token = vc.sign(credential, rsa_key, kid=kid)
    assert token == vc.sign(credential, rsa_key, kid=kid)  # PKCS#1 v1.5 signs deterministically
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "kid": kid, "typ": "JWT"}
    # PyJWT on its own, with only the JWK a verifier finds at the kid's address:
    public = jwt.PyJWK(jwk.public_jwk(rsa_key)).key
    claims = jwt.decode(token, public, algorithms=["RS256"], options={"verify_aud": False})
    assert (claims["iss"], claims["jti"], claims["sub"], claims["nbf"]) == (DID, credential["id"], "urn:x", 1772600767)
    assert vc.verify(token, {"keys": [jwk.public_jwk(rsa_key)]})["jti"] == credential["id"]
    with pytest.raises(vc.VcError, match="needs the address of its key as kid"):
        vc.sign(credential, rsa_key)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(vc.VcError, match="bad signature"):
        vc.verify(token, {"keys": [jwk.public_jwk(other, kid=jwk.thumbprint(rsa_key))]})


# -- Digital Bazaar's status check ------------------------------------------------------------------


def _signed_list(bits: bytearray) -> dict[str, Any]:
    return proof.sign(statuslist.list_credential(LIST_URL, DID, bits, CREATED), KEY, METHOD, CREATED)


def _credential(index: int) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": f"{SITE}badges/credentials/1.jwt",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": DID, "type": ["Profile"], "name": "Three Rivers"},
        "validFrom": CREATED,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {"id": f"{SITE}badges/classes/a-1.0.0.json", "type": ["Achievement"]},
        },
        "credentialStatus": statuslist.entry(LIST_URL, index),
    }


def _check(credential: dict[str, Any], listed: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    return independent.status(credential, did.document(DID, [("key-1", proof.multikey(KEY))]), {LIST_URL: listed}, tmp_path)


def test_digital_bazaar_reads_the_revocation_bit_of_a_signed_list(tmp_path: Path) -> None:
    bits = statuslist.empty()
    statuslist.set_bit(bits, 4242)
    listed = _signed_list(bits)
    assert _check(_credential(4242), listed, tmp_path) == {"verified": True, "revoked": True, "errors": []}
    assert _check(_credential(4243), listed, tmp_path) == {"verified": True, "revoked": False, "errors": []}


def test_digital_bazaar_refuses_a_list_whose_bits_were_changed(tmp_path: Path) -> None:
    listed = _signed_list(statuslist.empty())
    forged = statuslist.empty()
    statuslist.set_bit(forged, 7)
    listed["credentialSubject"]["encodedList"] = statuslist.encode(forged)
    outcome = _check(_credential(7), listed, tmp_path)
    assert outcome["verified"] is False and outcome["revoked"] is None
