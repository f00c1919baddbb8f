"""The issuer as `did:web`: its DID, where its DID document is published, and the document itself.

The DID names the site's `badges/` folder, so the document sits at `badges/did.json`, which mint writes like
every other badge file and the site publishes as it is, whether the site is served from a domain's root or
from a path (GitHub Pages project sites): `did:web:HOST:PATH:badges` resolves to
`https://HOST/PATH/badges/did.json`. Keys are only ever added, so proofs made with a retired key still verify.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, unquote, urlsplit

CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]


class DidError(Exception):
    """A DID or an address that did:web cannot express; the message says why."""


def did_web(site_url: str) -> str:
    """The DID whose document is `badges/did.json` under the site's base URL (which ends with '/')."""
    parts = urlsplit(site_url)
    if parts.scheme != "https" or not parts.hostname:
        raise DidError(f"did:web needs an https site address, not {site_url}")
    host = quote(parts.netloc, safe="")  # a port's colon is percent-encoded
    segments = [quote(unquote(s), safe="") for s in parts.path.split("/") if s]
    return ":".join(["did", "web", host, *segments, "badges"])


def document_url(did: str) -> str:
    """Where a did:web DID's document is fetched (the did:web method's rule)."""
    if not did.startswith("did:web:"):
        raise DidError(f"{did} is not a did:web DID")
    host, *path = did.removeprefix("did:web:").split("#", 1)[0].split(":")
    if not host:
        raise DidError(f"{did} names no host")
    where = "/".join(unquote(s) for s in path) if path else ".well-known"
    return f"https://{unquote(host)}/{where}/did.json"


def method_id(did: str, fragment: str) -> str:
    return f"{did}#{fragment}"


def document(did: str, keys: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The DID document: one Multikey verification method per (fragment, publicKeyMultibase), all for assertions."""
    methods = [
        {"id": method_id(did, fragment), "type": "Multikey", "controller": did, "publicKeyMultibase": multibase}
        for fragment, multibase in sorted(dict(keys).items())
    ]
    return {"@context": CONTEXT, "id": did, "verificationMethod": methods, "assertionMethod": [m["id"] for m in methods]}


def published_keys(doc: object) -> list[tuple[str, str]]:
    """(fragment, publicKeyMultibase) of the Multikey methods a DID document already publishes."""
    methods = doc.get("verificationMethod") if isinstance(doc, dict) else None
    out = []
    for method in methods if isinstance(methods, list) else []:
        if isinstance(method, dict) and isinstance(method.get("id"), str) and isinstance(method.get("publicKeyMultibase"), str):
            out.append((method["id"].rpartition("#")[2], method["publicKeyMultibase"]))
    return out


def resolve(doc: object, method: str) -> str:
    """The publicKeyMultibase of `method` in a DID document, if the document lists it for assertions."""
    if not isinstance(doc, dict):
        raise DidError("the DID document is not a JSON object")
    did = method.split("#", 1)[0]
    if doc.get("id") != did:
        raise DidError(f"the DID document is for {doc.get('id')!r}, not {did}")
    allowed = doc.get("assertionMethod")
    if not isinstance(allowed, list) or method not in allowed:
        raise DidError(f"{method} is not an assertion key of {did}")
    for item in doc.get("verificationMethod") or []:
        if isinstance(item, dict) and item.get("id") == method and isinstance(item.get("publicKeyMultibase"), str):
            value: str = item["publicKeyMultibase"]
            return value
    raise DidError(f"{did} lists {method} but publishes no key for it")
