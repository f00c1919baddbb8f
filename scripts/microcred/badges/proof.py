"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite: the embedded proof Open Badges 3.0 verifiers check.

A proof signs the SHA-256 of the proof's options and the SHA-256 of the credential, each canonicalised as RDF
(RDFC-1.0, PyLD's URDNA2015), with Ed25519; the signature is a base58btc multibase. Canonicalisation needs the
JSON-LD contexts the credential names: they are served from the pinned copies in `contexts/` (the W3C
credentials v2 context and the Open Badges 3.0.3 and extensions contexts, as their npm packages publish them), never fetched,
so that a proof is made and checked the same way with no network and a context that moved cannot break it.
As Digital Bazaar's "safe mode" does, a document with a term no context defines, or a type that is no IRI,
is neither signed nor accepted: expansion would drop it, and the proof would not cover what it says.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

CRYPTOSUITE = "eddsa-rdfc-2022"
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",  # 1EdTechJsonSchemaValidator2019
}
CONTEXTS = Path(__file__).parent / "contexts"
_ED25519_PUB = b"\xed\x01"  # the multicodec prefix of an Ed25519 public key
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class ProofError(Exception):
    """A document that cannot be signed or whose proof does not hold; the message says why."""


def base58btc(data: bytes) -> str:
    """The Bitcoin base58 alphabet, leading zero bytes as '1' (multibase 'z' without its prefix)."""
    number = int.from_bytes(data, "big")
    digits = ""
    while number:
        number, rest = divmod(number, 58)
        digits = _BASE58[rest] + digits
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + digits


def from_base58btc(text: str) -> bytes:
    number = 0
    for char in text:
        if char not in _BASE58:
            raise ProofError(f"{char!r} is not a base58btc digit")
        number = number * 58 + _BASE58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def multikey(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The `publicKeyMultibase` of an Ed25519 key, as a Multikey verification method publishes it."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return "z" + base58btc(_ED25519_PUB + public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def public_key(multibase: str) -> Ed25519PublicKey:
    """The Ed25519 key of a `publicKeyMultibase` value."""
    if not multibase.startswith("z"):
        raise ProofError("publicKeyMultibase is not base58btc (it must start with 'z')")
    raw = from_base58btc(multibase[1:])
    if not raw.startswith(_ED25519_PUB) or len(raw) != 34:
        raise ProofError("publicKeyMultibase is not an Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


@cache
def _context(url: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((CONTEXTS / CONTEXT_FILES[url]).read_text(encoding="utf-8"))
    return loaded


def document_loader(url: str, _options: object = None) -> dict[str, Any]:
    """PyLD's loader: the pinned contexts only; any other address is refused, never fetched."""
    if url not in CONTEXT_FILES:
        raise ProofError(f"the context {url} is not one this catalog holds ({', '.join(CONTEXT_FILES)})")
    return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(_context(url))}


_RELATIVE = "https://relative.invalid/"  # the base that shows a relative @type or @id after expansion


def unsafe(document: Mapping[str, Any]) -> list[str]:
    """The terms no context defines and the relative types or ids of a document: what a proof would not cover."""
    from pyld import jsonld

    dropped: list[str] = []
    try:
        expanded = jsonld.expand(
            copy.deepcopy(dict(document)), {"documentLoader": document_loader, "base": _RELATIVE}, on_property_dropped=dropped.append
        )
    except Exception as err:
        return [_cause(err)]
    found = [f"the term {term!r} is defined by no context" for term in dropped if term]

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            types = node.get("@type") if "@value" not in node else None  # a value's @type is its datatype
            for value in [types] if isinstance(types, str) else types or []:
                if isinstance(value, str) and value.startswith(_RELATIVE):
                    found.append(f"the type {value.removeprefix(_RELATIVE)!r} is defined by no context")
            if isinstance(node.get("@id"), str) and node["@id"].startswith(_RELATIVE):
                found.append(f"the id {node['@id'].removeprefix(_RELATIVE)!r} is not an absolute IRI")
            for value in node.values():
                walk(value)

    walk(expanded)
    return sorted(set(found))


def _cause(err: BaseException) -> str:
    """The loader's refusal inside PyLD's JsonLdError, or PyLD's own message."""
    cause: BaseException | None = err
    while cause is not None and not isinstance(cause, ProofError):
        cause = cause.__cause__
    return str(cause) if cause is not None else f"the document cannot be read as JSON-LD ({getattr(err, 'message', err)})"


def canonical(document: Mapping[str, Any]) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document."""
    from pyld import jsonld

    try:
        nquads: str = jsonld.normalize(
            copy.deepcopy(dict(document)),
            {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": document_loader, "safe": True},
        )
    except Exception as err:  # PyLD's JsonLdError, which wraps the loader's refusal
        raise ProofError(_cause(err)) from None
    return nquads


def _hash_data(document: Mapping[str, Any], options: Mapping[str, Any]) -> bytes:
    config = {"@context": document["@context"], **{k: v for k, v in options.items() if k != "proofValue"}}
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    return hashlib.sha256(canonical(config).encode()).digest() + hashlib.sha256(canonical(unsecured).encode()).digest()


def sign(document: Mapping[str, Any], key: Ed25519PrivateKey, verification_method: str, created: str) -> dict[str, Any]:
    """The document with an embedded `DataIntegrityProof` (assertionMethod) made at `created` (an XML Schema dateTime)."""
    problems = unsafe({k: v for k, v in document.items() if k != "proof"})
    if problems:
        raise ProofError("not signed: " + "; ".join(problems))
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(_hash_data(document, options))
    # A list, the proof set form, which the Open Badges 3.0 schema requires.
    return {**document, "proof": [{**options, "proofValue": "z" + base58btc(signature)}]}


def verify(document: Mapping[str, Any], resolve: Callable[[str], Ed25519PublicKey]) -> list[str]:
    """What is wrong with the document's `eddsa-rdfc-2022` proof, in words; empty when it holds.

    `resolve(verificationMethod)` gives the public key (from the issuer's DID document) or raises ProofError.
    """
    proof = document.get("proof")
    proofs = proof if isinstance(proof, list) else [proof]
    ours = [p for p in proofs if isinstance(p, dict) and p.get("type") == "DataIntegrityProof" and p.get("cryptosuite") == CRYPTOSUITE]
    if not ours:
        return [f"the credential has no DataIntegrityProof with the cryptosuite {CRYPTOSUITE}"]
    problems = unsafe({k: v for k, v in document.items() if k != "proof"})
    if problems:
        return problems
    for item in ours:
        method, value = item.get("verificationMethod"), item.get("proofValue")
        if item.get("proofPurpose") != "assertionMethod":
            problems.append(f"the proof's purpose is {item.get('proofPurpose')!r}, not 'assertionMethod'")
            continue
        if not isinstance(method, str) or not isinstance(value, str) or not value.startswith("z"):
            problems.append("the proof lacks a verificationMethod or a base58btc proofValue")
            continue
        try:
            key = resolve(method)
            signature = from_base58btc(value[1:])
            key.verify(signature, _hash_data({k: v for k, v in document.items() if k != "proof"}, item))
        except ProofError as err:
            problems.append(str(err))
        except InvalidSignature:
            problems.append(f"the Data Integrity proof's signature does not match the credential (key {method})")
    return problems
