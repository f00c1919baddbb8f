"""VC-JWT primitives: Ed25519 keys and JWKs (RFC 8037 vectors), deterministic signing, every rejection."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from microcred.badges import vc
from microcred.verify.ob3check import SCHEMA
from support import REFERENCE, needs_reference

# RFC 8037 appendix A.1: the Ed25519 example key, its public x (A.2) and its JWK thumbprint (A.3).
RFC8037_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
RFC8037_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
RFC8037_KID = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


KEY = Ed25519PrivateKey.from_private_bytes(_b64(RFC8037_D))
OTHER = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))

CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    "id": "https://three-rivers.example.org/microcredentials/badges/credentials/7d3f2a9c.jwt",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "https://three-rivers.example.org/microcredentials/badges/issuer-v3.json", "type": ["Profile"]},
    "validFrom": "2026-09-20T15:04:05Z",
    "name": "Exit tickets",
    "credentialSubject": {"id": "https://github.com/dee", "type": ["AchievementSubject"]},
}


def _pem(key: object, password: bytes | None = None) -> str:
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    raw = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)  # type: ignore[attr-defined]
    return str(raw.decode("ascii"))


def _parts(token: str) -> tuple[dict[str, object], dict[str, object]]:
    head, body, _ = token.split(".")
    return json.loads(_b64(head)), json.loads(_b64(body))


def test_load_private_key_reads_pkcs8_pem() -> None:
    key = vc.load_private_key(_pem(KEY))
    assert vc.public_jwk(key)["x"] == RFC8037_X


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the signing key is not a PEM text (expected a '-----BEGIN PRIVATE KEY-----' block)"),
        (
            "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
            "the signing key is not a PEM text (expected a '-----BEGIN PRIVATE KEY-----' block)",
        ),
        (
            "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----",
            "the signing key cannot be read as an unencrypted PEM private key (ValueError)",
        ),
        (_pem(KEY, b"secret"), "the signing key cannot be read as an unencrypted PEM private key (TypeError)"),
        (
            _pem(ec.generate_private_key(ec.SECP256R1())),
            "the signing key is not an Ed25519 key (`openssl genpkey -algorithm ed25519` makes one)",
        ),
    ],
    ids=["empty", "not-pem", "garbage", "encrypted", "ec-key"],
)
def test_load_private_key_refuses(text: str, message: str) -> None:
    with pytest.raises(vc.VcError) as caught:
        vc.load_private_key(text)
    assert str(caught.value) == message


def test_public_jwk_matches_rfc8037_and_its_thumbprint() -> None:
    assert vc.public_jwk(KEY) == {"alg": "EdDSA", "crv": "Ed25519", "kid": RFC8037_KID, "kty": "OKP", "use": "sig", "x": RFC8037_X}
    assert vc.public_jwk(KEY.public_key()) == vc.public_jwk(KEY)
    assert "d" not in vc.public_jwk(KEY)


def test_jwks_sorted_deduplicated_and_keeps_published_keys() -> None:
    retired = {"kty": "OKP", "crv": "Ed25519", "x": "AAAA", "kid": "zz-retired"}
    keys = vc.jwks([retired, KEY, OTHER, KEY, vc.public_jwk(KEY)])
    assert [jwk["kid"] for jwk in keys["keys"]] == sorted([RFC8037_KID, vc.thumbprint(OTHER), "zz-retired"])
    assert keys["keys"][-1] == retired


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"kty": "OKP", "kid": "a", "d": "secret"}, "a JWK in the key set holds a private key ('d'); only public keys may be published"),
        ({"kty": "OKP"}, "a JWK in the key set has no 'kid'"),
    ],
)
def test_jwks_refuses(item: dict[str, str], message: str) -> None:
    with pytest.raises(vc.VcError) as caught:
        vc.jwks([item])
    assert str(caught.value) == message


def test_sign_is_deterministic_with_the_ob3_header_and_claims() -> None:
    token = vc.sign(CREDENTIAL, KEY)
    assert token == vc.sign(dict(reversed(list(CREDENTIAL.items()))), KEY)
    head, body = _parts(token)
    assert head == {"alg": "EdDSA", "kid": RFC8037_KID, "typ": "JWT"}
    assert body == {
        **CREDENTIAL,
        "iss": "https://three-rivers.example.org/microcredentials/badges/issuer-v3.json",
        "jti": "https://three-rivers.example.org/microcredentials/badges/credentials/7d3f2a9c.jwt",
        "nbf": 1789916645,
        "sub": "https://github.com/dee",
    }
    assert vc.verify(token, vc.jwks([KEY])) == body
    assert vc.claim_problems(body) == []


def test_sign_adds_exp_from_valid_until_and_accepts_a_kid_url() -> None:
    token = vc.sign({**CREDENTIAL, "validUntil": "2030-01-01T00:00:00+00:00"}, KEY, kid=f"https://x.example/keys.json#{RFC8037_KID}")
    head, body = _parts(token)
    assert head["kid"] == f"https://x.example/keys.json#{RFC8037_KID}"
    assert body["exp"] == 1893456000
    assert vc.verify(token, vc.jwks([OTHER, KEY]))["exp"] == 1893456000


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"issuer": None}, "the credential has no issuer id"),
        ({"id": 3}, "the credential has no id"),
        ({"validFrom": None}, "the credential has no validFrom"),
        ({"validFrom": "yesterday"}, "validFrom is not an ISO 8601 date-time: 'yesterday'"),
        ({"validFrom": "2026-09-20T15:04:05"}, "validFrom has no time zone: '2026-09-20T15:04:05'"),
    ],
)
def test_sign_refuses_a_credential_without_its_claims(change: dict[str, object], message: str) -> None:
    with pytest.raises(vc.VcError) as caught:
        vc.sign({**CREDENTIAL, **change}, KEY)
    assert str(caught.value) == message


def test_tampered_token_has_a_bad_signature() -> None:
    head, body, signature = vc.sign(CREDENTIAL, KEY).split(".")
    claims = json.loads(_b64(body))
    claims["credentialSubject"]["id"] = "https://github.com/mallory"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(vc.VcError) as caught:
        vc.verify(f"{head}.{forged}.{signature}", vc.jwks([KEY]))
    assert str(caught.value) == f"bad signature: the token was not signed by key '{RFC8037_KID}' or was changed after signing"


def test_wrong_key_is_an_unknown_kid_or_a_bad_signature() -> None:
    token = vc.sign(CREDENTIAL, OTHER)
    with pytest.raises(vc.VcError) as caught:
        vc.verify(token, vc.jwks([KEY]))
    assert str(caught.value) == f"unknown key: no key '{vc.thumbprint(OTHER)}' in the issuer's key set"
    # A key set that lists another public key under the signer's kid.
    impostor = {**vc.public_jwk(KEY), "kid": vc.thumbprint(OTHER)}
    with pytest.raises(vc.VcError) as caught:
        vc.verify(token, {"keys": [impostor]})
    assert str(caught.value) == f"bad signature: the token was not signed by key '{vc.thumbprint(OTHER)}' or was changed after signing"


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("", "malformed token: a compact JWS has three parts separated by '.'"),
        ("a.b", "malformed token: a compact JWS has three parts separated by '.'"),
        ("!!.e30.AA", "malformed token: its header is not base64url-encoded JSON"),
        (
            jwt.encode({"iss": "x"}, "secret-secret-secret-secret-1234", algorithm="HS256"),
            "wrong algorithm: the token is signed with 'HS256', expected 'RS256' or 'EdDSA'",
        ),
        ("eyJhbGciOiJub25lIn0.e30.", "wrong algorithm: the token is signed with 'none', expected 'RS256' or 'EdDSA'"),
        (jwt.encode({"iss": "x"}, KEY, algorithm="EdDSA"), "the token's header names no key ('kid')"),
        (
            jwt.api_jws.encode(b"[1]", KEY, algorithm="EdDSA", headers={"kid": RFC8037_KID}),
            "malformed token: its payload is not a JSON object",
        ),
        (jwt.api_jws.encode(b"\xff", KEY, algorithm="EdDSA", headers={"kid": RFC8037_KID}), "malformed token: its payload is not JSON"),
    ],
    ids=["empty", "two-parts", "bad-header", "hs256", "none", "no-kid", "array", "not-json"],
)
def test_verify_rejects_malformed_tokens(token: str, message: str) -> None:
    with pytest.raises(vc.VcError) as caught:
        vc.verify(token, vc.jwks([KEY]))
    assert str(caught.value) == message


def test_verify_rejects_a_key_set_without_usable_keys() -> None:
    token = vc.sign(CREDENTIAL, KEY)
    for keys, message in [
        ({}, "the key set has no 'keys' list"),
        ({"keys": [{"kid": RFC8037_KID, "kty": "RSA"}]}, f"key '{RFC8037_KID}' in the key set is not an Ed25519 public key"),
        (
            {"keys": [{"kid": RFC8037_KID, "kty": "OKP", "crv": "Ed25519", "x": "AAAA"}]},
            f"key '{RFC8037_KID}' in the key set has an invalid 'x'",
        ),
    ]:
        with pytest.raises(vc.VcError) as caught:
            vc.verify(token, keys)
        assert str(caught.value) == message


def test_claim_problems_and_the_vc_claim_of_vcdm_1_1() -> None:
    payload = {**CREDENTIAL, **vc.claims(CREDENTIAL)}
    assert vc.claim_problems({**payload, "sub": "https://github.com/mallory", "exp": 1}) == [
        "claim 'sub' is 'https://github.com/mallory', but the credential says 'https://github.com/dee'",
        "claim 'exp' is set, but the credential has no validUntil",
    ]
    assert vc.claim_problems({key: value for key, value in payload.items() if key != "jti"}) == [
        "claim 'jti' is None, but the credential says 'https://three-rivers.example.org/microcredentials/badges/credentials/7d3f2a9c.jwt'"
    ]
    wrapped = {**vc.claims(CREDENTIAL), "vc": CREDENTIAL}
    assert vc.credential_of(wrapped) == CREDENTIAL
    assert vc.claim_problems(wrapped) == []
    assert vc.claim_problems({"vc": {}}) == ["the credential has no issuer id"]


def test_unverified_payload_and_issuer_id() -> None:
    token = vc.sign(CREDENTIAL, KEY)
    assert vc.unverified_payload(token)["iss"] == CREDENTIAL["issuer"]["id"]  # type: ignore[index]
    assert vc.issuer_id({"issuer": "https://x.example/issuer"}) == "https://x.example/issuer"
    assert vc.issuer_id({"issuer": {"name": "no id"}}) is None
    with pytest.raises(vc.VcError) as caught:
        vc.unverified_payload("eyJhbGciOiJFZERTQSJ9.bm90IGpzb24.AA")
    assert str(caught.value) == "malformed token: its payload is not base64url-encoded JSON"


def test_date_problems() -> None:
    now = datetime(2026, 9, 20, 15, 0, tzinfo=UTC)
    assert vc.date_problems(CREDENTIAL, now) == []  # 4 minutes early: within the clock skew
    assert vc.date_problems(CREDENTIAL, now - timedelta(hours=1)) == ["it is not valid yet: validFrom is 2026-09-20T15:04:05Z"]
    assert vc.date_problems({**CREDENTIAL, "validUntil": "2026-09-20T15:00:00Z"}, now) == [
        "it has expired: validUntil was 2026-09-20T15:00:00Z"
    ]
    assert vc.date_problems({"validFrom": None, "validUntil": 5}, now) == ["the credential has no validFrom", "validUntil is not a string"]


@needs_reference(SCHEMA)
def test_schema_problems_name_their_path() -> None:
    schema = json.loads((REFERENCE / SCHEMA).read_text(encoding="utf-8"))
    assert vc.schema_problems({**CREDENTIAL, "validFrom": 3}, schema) == [
        "schema: $.credentialSubject: 'achievement' is a required property",
        "schema: $.validFrom: 3 is not of type 'string'",
    ]
