"""RSA signing keys for RS256 VC-JWTs, the form the 1EdTech validator accepts, and the JWKs that publish them.

Each public key is published twice, never with a private member: in the key set `badges/keys.json` beside
the Ed25519 keys, and alone at `badges/keys/<thumbprint>.json`, the https address a token's `kid` names, so a
verifier that dereferences the `kid` finds exactly one JWK. Keys are only ever added.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

MIN_BITS = 2048
RS256 = "RS256"


class JwkError(Exception):
    """A key that cannot be used or published; the message says why, in words."""


def _b64url_int(number: int) -> str:
    raw = number.to_bytes(max(1, (number.bit_length() + 7) // 8), "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def read_pem(pem: str, what: str) -> object:
    """The private key of an unencrypted PEM text; ValueError saying why not, in words naming `what`, never the key."""
    text = pem.strip()
    if "-----BEGIN" not in text:
        raise ValueError(f"{what} is not a PEM text (expected a '-----BEGIN PRIVATE KEY-----' block)")
    try:
        return serialization.load_pem_private_key(text.encode("utf-8") + b"\n", password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as err:
        # The message of cryptography may quote nothing secret, but keep ours short and stable.
        raise ValueError(f"{what} cannot be read as an unencrypted PEM private key ({type(err).__name__})") from None


def load_rsa_key(pem: str) -> RSAPrivateKey:
    """The RSA private key of a PEM text (PKCS#8 or PKCS#1, as `openssl genpkey -algorithm RSA` writes it)."""
    try:
        key = read_pem(pem, "the key")
    except ValueError as err:
        raise JwkError(str(err)) from None
    if not isinstance(key, RSAPrivateKey):
        raise JwkError("the key is not an RSA key (`openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072` makes one)")
    if key.key_size < MIN_BITS:
        raise JwkError(f"the RSA key has {key.key_size} bits; RS256 needs at least {MIN_BITS}")
    return key


def _public(key: RSAPrivateKey | RSAPublicKey) -> RSAPublicKey:
    return key.public_key() if isinstance(key, RSAPrivateKey) else key


def thumbprint(key: RSAPrivateKey | RSAPublicKey) -> str:
    """The RFC 7638 thumbprint (SHA-256, base64url) of the public key: members e, kty, n in that order."""
    numbers = _public(key).public_numbers()
    members = json.dumps({"e": _b64url_int(numbers.e), "kty": "RSA", "n": _b64url_int(numbers.n)}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(members.encode("ascii")).digest()).rstrip(b"=").decode("ascii")


def public_jwk(key: RSAPrivateKey | RSAPublicKey, kid: str | None = None) -> dict[str, str]:
    """The public JWK (never a private member), its `kid` the thumbprint unless an address is given."""
    numbers = _public(key).public_numbers()
    return {
        "alg": RS256,
        "e": _b64url_int(numbers.e),
        "kid": kid or thumbprint(key),
        "kty": "RSA",
        "n": _b64url_int(numbers.n),
        "use": "sig",
    }


PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})


def public_only(jwk: dict[str, Any]) -> dict[str, Any]:
    """The JWK as given when it holds no private member; a JwkError otherwise."""
    leaked = sorted(PRIVATE_MEMBERS & set(jwk))
    if leaked:
        raise JwkError(f"the JWK {jwk.get('kid')!r} holds private members ({', '.join(leaked)}); only public keys are published")
    return jwk
