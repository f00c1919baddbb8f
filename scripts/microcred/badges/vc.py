"""Open Badges 3.0 credentials as VC-JWT: Ed25519 keys, their JWKs, signing and checking a compact JWS.

Tokens are signed RS256 with an RSA key (jwk.py), the form the 1EdTech validator accepts, or EdDSA with an
Ed25519 key, the form of the catalog's first 3.0 credentials, which keep verifying.

The JWT payload is the credential itself with the registered claims the OB 3.0 "JSON Web Token Proof
Format" (VC Data Model 2.0 style) names: `iss` = issuer.id, `jti` = id, `nbf` = validFrom,
`sub` = credentialSubject.id, `exp` = validUntil when there is one. A token made the VC-DM 1.1 way
(the credential under a `vc` claim) is still read by `credential_of`.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey, RSAPublicNumbers

from .jwk import RS256, read_pem

ALGORITHM = "EdDSA"
CLAIMS = ("iss", "jti", "nbf", "sub", "exp")  # the registered claims a token adds to the credential it carries
Key = Ed25519PrivateKey | Ed25519PublicKey


class VcError(Exception):
    """A key or a token that cannot be used; the message says why, in words."""


def load_private_key(pem: str) -> Ed25519PrivateKey:
    """The Ed25519 private key in a PEM text (PKCS#8, as `openssl genpkey -algorithm ed25519` writes it)."""
    try:
        key = read_pem(pem, "the signing key")
    except ValueError as err:
        raise VcError(str(err)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise VcError("the signing key is not an Ed25519 key (`openssl genpkey -algorithm ed25519` makes one)")
    return key


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _from_b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))  # JOSE drops the padding


def _public(key: Key) -> Ed25519PublicKey:
    return key.public_key() if isinstance(key, Ed25519PrivateKey) else key


def thumbprint(key: Key) -> str:
    """The RFC 7638 JWK thumbprint (SHA-256, base64url) of the key's public half."""
    raw = _public(key).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    # RFC 7638: the required members only, in lexicographic order, no whitespace.
    members = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}, separators=(",", ":"), sort_keys=True)
    return _b64url(hashlib.sha256(members.encode("ascii")).digest())


def public_jwk(key: Key) -> dict[str, str]:
    """The public JWK of a key (never the private part): OKP/Ed25519 with kid = its thumbprint."""
    raw = _public(key).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"alg": ALGORITHM, "crv": "Ed25519", "kid": thumbprint(key), "kty": "OKP", "use": "sig", "x": _b64url(raw)}


def jwks(keys: Iterable[Key | Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """A JWK Set of public keys, sorted by kid, each kid once.

    Items may be keys or JWKs already published (e.g. the entries of an existing keys.json), so that
    retired keys stay listed and credentials signed with them still verify.
    """
    by_kid: dict[str, dict[str, Any]] = {}
    for item in keys:
        if isinstance(item, Mapping):
            jwk = dict(item)
            if "d" in jwk:
                raise VcError("a JWK in the key set holds a private key ('d'); only public keys may be published")
            kid = jwk.get("kid")
            if not isinstance(kid, str) or not kid:
                raise VcError("a JWK in the key set has no 'kid'")
        else:
            jwk = public_jwk(item)
        by_kid.setdefault(str(jwk["kid"]), jwk)
    return {"keys": [by_kid[kid] for kid in sorted(by_kid)]}


def numeric_date(value: str, field: str) -> int:
    """An ISO 8601 date-time with a time zone as seconds since the epoch (a JWT NumericDate)."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):  # fromisoformat accepts "Z" from Python 3.11 on
        raise VcError(f"{field} is not an ISO 8601 date-time: {value!r}") from None
    if moment.tzinfo is None:
        raise VcError(f"{field} has no time zone: {value!r}")
    return int(moment.timestamp())


def claims(credential: Mapping[str, Any]) -> dict[str, Any]:
    """The registered JWT claims OB 3.0 derives from a credential (iss, jti, nbf, sub, exp)."""
    issuer = issuer_id(credential)
    if issuer is None:
        raise VcError("the credential has no issuer id")
    if not isinstance(credential.get("id"), str):
        raise VcError("the credential has no id")
    if not isinstance(credential.get("validFrom"), str):
        raise VcError("the credential has no validFrom")
    found: dict[str, Any] = {
        "iss": issuer,
        "jti": credential["id"],
        "nbf": numeric_date(credential["validFrom"], "validFrom"),
    }
    subject = credential.get("credentialSubject")
    if isinstance(subject, Mapping) and isinstance(subject.get("id"), str):
        found["sub"] = subject["id"]
    if isinstance(credential.get("validUntil"), str):
        found["exp"] = numeric_date(credential["validUntil"], "validUntil")
    return found


def sign(payload: Mapping[str, Any], key: Ed25519PrivateKey | RSAPrivateKey, *, kid: str | None = None) -> str:
    """A compact JWS of the credential with its JWT claims added; the same input gives the same token.

    RS256 for an RSA key, EdDSA for an Ed25519 key (both sign deterministically). `kid` defaults to the
    Ed25519 key's thumbprint; an RSA key's `kid` is the address of its published JWK (jwk.py).
    """
    if isinstance(key, RSAPrivateKey):
        if not kid:
            raise VcError("an RS256 token needs the address of its key as kid")
        algorithm, kid_ = RS256, kid
    else:
        algorithm, kid_ = ALGORITHM, kid or thumbprint(key)
    body = {**payload, **claims(payload)}
    # Sorted keys and no whitespace: byte-identical tokens from run to run (Ed25519 is deterministic too).
    encoded = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    headers = {"alg": algorithm, "kid": kid_, "typ": "JWT"}
    import jwt  # here, not at the top: only the commands that sign or verify load PyJWT

    return jwt.api_jws.encode(encoded, key, algorithm=algorithm, headers=headers, sort_headers=True)


def header(token: str) -> dict[str, Any]:
    """The JOSE header of a compact JWS, read without checking anything."""
    if not isinstance(token, str) or token.count(".") != 2:
        raise VcError("malformed token: a compact JWS has three parts separated by '.'")
    import jwt  # see sign()

    try:
        found = jwt.get_unverified_header(token)
    except jwt.exceptions.PyJWTError:
        raise VcError("malformed token: its header is not base64url-encoded JSON") from None
    return dict(found)


def _names(kid: str) -> set[str]:
    """What a JWK's own kid may be for a token's kid: itself, a URL's #fragment, or a key file's name."""
    return {kid, kid.rpartition("#")[2], kid.rpartition("/")[2].removesuffix(".json")}


def _find_key(kid: str, keys: Mapping[str, Any], algorithm: str) -> Ed25519PublicKey | RSAPublicKey:
    listed = keys.get("keys") if isinstance(keys, Mapping) else None
    if not isinstance(listed, list):
        raise VcError("the key set has no 'keys' list")
    names = _names(kid)
    for jwk in listed:
        if not isinstance(jwk, Mapping) or jwk.get("kid") not in names:
            continue
        if algorithm == RS256:
            if jwk.get("kty") != "RSA" or not isinstance(jwk.get("n"), str) or not isinstance(jwk.get("e"), str):
                raise VcError(f"key {kid!r} in the key set is not an RSA public key")
            try:
                n, e = (int.from_bytes(_from_b64url(jwk[m]), "big") for m in ("n", "e"))
                return RSAPublicNumbers(e, n).public_key()
            except ValueError:
                raise VcError(f"key {kid!r} in the key set has an invalid 'n' or 'e'") from None
        if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or not isinstance(jwk.get("x"), str):
            raise VcError(f"key {kid!r} in the key set is not an Ed25519 public key")
        try:
            return Ed25519PublicKey.from_public_bytes(_from_b64url(jwk["x"]))
        except ValueError:
            raise VcError(f"key {kid!r} in the key set has an invalid 'x'") from None
    raise VcError(f"unknown key: no key {kid!r} in the issuer's key set")


def verify(token: str, keys: Mapping[str, Any]) -> dict[str, Any]:
    """The payload of a token whose RS256 or EdDSA signature a key of the JWK Set `keys` verifies.

    Only the signature is checked here; the claims and dates are the caller's (see `claim_problems`).
    Raises VcError for a malformed token, another algorithm, an unknown kid or a bad signature.
    """
    found = header(token.strip())
    algorithm = found.get("alg")
    if algorithm not in (RS256, ALGORITHM):
        raise VcError(f"wrong algorithm: the token is signed with {algorithm!r}, expected {RS256!r} or {ALGORITHM!r}")
    kid = found.get("kid")
    if not isinstance(kid, str) or not kid:
        raise VcError("the token's header names no key ('kid')")
    public = _find_key(kid, keys, str(algorithm))
    import jwt  # see sign()

    try:
        raw = jwt.api_jws.decode(token.strip(), public, algorithms=[str(algorithm)])
    except jwt.exceptions.InvalidSignatureError:
        raise VcError(f"bad signature: the token was not signed by key {kid!r} or was changed after signing") from None
    except jwt.exceptions.PyJWTError as err:
        raise VcError(f"malformed token: {err}") from None
    try:
        payload = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise VcError("malformed token: its payload is not JSON") from None
    if not isinstance(payload, dict):
        raise VcError("malformed token: its payload is not a JSON object")
    return payload


def credential_of(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The credential a verified payload carries: the payload itself, or its `vc` claim (VC-DM 1.1 style)."""
    inner = payload.get("vc")
    return dict(inner) if isinstance(inner, Mapping) else dict(payload)


def claim_problems(payload: Mapping[str, Any]) -> list[str]:
    """Where the JWT claims disagree with the credential they carry (OB 3.0 "Verify a Credential")."""
    credential = credential_of(payload)
    try:
        expected = claims(credential)
    except VcError as err:
        return [str(err)]
    problems = []
    for name in CLAIMS:
        if name in expected and payload.get(name) != expected[name]:
            problems.append(f"claim {name!r} is {payload.get(name)!r}, but the credential says {expected[name]!r}")
        elif name not in expected and name in ("iss", "jti", "nbf") and name not in payload:
            problems.append(f"claim {name!r} is missing")
    if "exp" in payload and "exp" not in expected:
        problems.append("claim 'exp' is set, but the credential has no validUntil")
    return problems


def unverified_payload(token: str) -> dict[str, Any]:
    """The payload of a compact JWS before its signature is checked: only to find whose keys to fetch."""
    header(token)
    body = token.strip().split(".")[1]
    try:
        payload = json.loads(_from_b64url(body))
    except (ValueError, UnicodeDecodeError):
        raise VcError("malformed token: its payload is not base64url-encoded JSON") from None
    if not isinstance(payload, dict):
        raise VcError("malformed token: its payload is not a JSON object")
    return payload


def issuer_id(credential: Mapping[str, Any]) -> str | None:
    """The credential's issuer id, whether the issuer is a profile object or a bare IRI."""
    issuer = credential.get("issuer")
    found = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return found if isinstance(found, str) else None


def schema_problems(credential: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    """Where the credential breaks the OB 3.0 JSON Schema (draft 2019-09), each with its JSON path."""
    # Imported here: jsonschema is needed only when the reference schema is at hand.
    jsonschema: Any = importlib.import_module("jsonschema")
    validator = jsonschema.Draft201909Validator(dict(schema))
    errors = sorted(validator.iter_errors(dict(credential)), key=lambda err: (list(map(str, err.absolute_path)), err.message))
    return [f"schema: {err.json_path}: {err.message}" for err in errors]


def date_problems(credential: Mapping[str, Any], now: datetime, skew: timedelta = timedelta(minutes=10)) -> list[str]:
    """validFrom must have come (allowing some clock skew) and validUntil must not have passed."""
    problems = []
    for field in ("validFrom", "validUntil"):
        value = credential.get(field)
        if value is None and field == "validUntil":
            continue
        if not isinstance(value, str):
            problems.append(f"the credential has no {field}" if value is None else f"{field} is not a string")
            continue
        try:
            moment = datetime.fromtimestamp(numeric_date(value, field), tz=now.tzinfo)
        except VcError as err:
            problems.append(str(err))
            continue
        if field == "validFrom" and moment > now + skew:
            problems.append(f"it is not valid yet: validFrom is {value}")
        if field == "validUntil" and moment <= now:
            problems.append(f"it has expired: validUntil was {value}")
    return problems
