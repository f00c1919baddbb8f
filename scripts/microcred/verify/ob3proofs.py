"""The checks of the 3.0 form outside verifiers read: the key a token's kid names, did:web, the Data Integrity proof,
the Bitstring Status List.

Each document is fetched as a verifier would (from the web, or from a site folder with --site); what cannot
be fetched is Unverifiable, what is fetched and wrong is a failed check.
"""

from __future__ import annotations

from typing import Any

from ..badges import did, jwk, proof, statuslist
from .fetch import Unverifiable, normal_url, origin, parse_json
from .verdict import Context, Report, listed


def key_set(ctx: Context, report: Report, kid: str, issuer: str) -> dict[str, Any]:
    """The one JWK the token's kid names, as a key set for vc.verify; it must sit on the issuer's own host."""
    if normal_url(kid) is None:
        raise Unverifiable(f"The token's key ({kid}) is not a web address, so the key cannot be found.")
    home = origin(did.document_url(issuer)) if issuer.startswith("did:web:") else origin(issuer)
    if origin(kid) != home:
        report.check(False, "", f"The token's key ({kid}) is not on the issuer's own host ({home}).")
        raise Unverifiable("The signing key is not the issuer's, so the signature proves nothing.")
    published = parse_json(ctx.fetcher.get(kid, "key named by the token's kid"), "key named by the token's kid")
    if "keys" in published or not isinstance(published.get("kty"), str):
        report.check(False, "", f"The token's kid ({kid}) does not lead to one JWK.")
        raise Unverifiable("The token's kid does not name one key, so the signature cannot be checked.")
    try:
        jwk.public_only(published)
    except jwk.JwkError as err:
        report.check(False, "", f"The published key {kid} is not a public key only: {err}.")
    return {"keys": [{**published, "kid": kid}]}


def did_document(ctx: Context, did_: str) -> dict[str, Any]:
    """The DID document of a did:web issuer, fetched where the did:web method puts it."""
    try:
        where = did.document_url(did_)
    except did.DidError as err:
        raise Unverifiable(f"The issuer's DID cannot be resolved: {err}.") from None
    return parse_json(ctx.fetcher.get(where, "issuer's DID document"), "issuer's DID document")


def check_proof(ctx: Context, report: Report, credential: dict[str, Any], issuer: str, what: str = "Its") -> bool:
    """The embedded eddsa-rdfc-2022 proof, its key resolved from the issuer's DID document; whether it holds."""
    methods = {str(p.get("verificationMethod", "")).split("#", 1)[0] for p in listed(credential.get("proof")) if isinstance(p, dict)}
    if methods != {issuer}:
        report.check(False, "", f"{what} Data Integrity proof is not made with a key of the issuer ({issuer}).")
        return False
    document = did_document(ctx, issuer)

    def resolve(method: str) -> Any:
        try:
            return proof.public_key(did.resolve(document, method))
        except did.DidError as err:
            raise proof.ProofError(str(err)) from None

    problems = proof.verify(credential, resolve)
    for problem in problems:
        report.check(False, "", f"{what} Data Integrity proof does not hold: {problem}.")
    if not problems:
        report.check(True, f"{what} Data Integrity proof (eddsa-rdfc-2022) verifies with the key in {did.document_url(issuer)}.", "")
    return not problems


def check_status(ctx: Context, report: Report, credential: dict[str, Any], issuer: str) -> None:
    """The credential's revocation entry in the issuer's signed Bitstring Status List."""
    entries = [e for e in listed(credential.get("credentialStatus")) if isinstance(e, dict) and e.get("type") == "BitstringStatusListEntry"]
    for entry in entries:
        url, index = entry.get("statusListCredential"), str(entry.get("statusListIndex", ""))
        if normal_url(url) is None or not index.isdigit():
            report.check(False, "", "Its credentialStatus names no status list address and index.")
            continue
        listed_ = parse_json(ctx.fetcher.get(str(url), "issuer's status list"), "issuer's status list")
        list_issuer = listed_.get("issuer")
        list_issuer = list_issuer.get("id") if isinstance(list_issuer, dict) else list_issuer
        if list_issuer != issuer:
            report.check(False, "", f"The status list {url} is not the issuer's own (its issuer is {list_issuer!r}).")
            continue
        if not check_proof(ctx, report, listed_, issuer, "The status list's"):
            continue  # a list the issuer did not sign says nothing; the failed check makes the verdict INVALID
        subject = listed_.get("credentialSubject")
        encoded = subject.get("encodedList") if isinstance(subject, dict) else None
        try:
            revoked = statuslist.is_set(statuslist.decode(str(encoded)), int(index))
        except statuslist.StatusListError as err:
            report.check(False, "", f"The status list {url} cannot be read: {err}.")
            continue
        if revoked and entry.get("statusPurpose") == "revocation":
            report.revoke(f"The issuer's status list {url} marks it revoked (entry {index}).", None)
        else:
            report.check(True, f"The issuer's status list {url} does not mark it revoked (entry {index}).", "")
