"""`verify` for an Open Badges 3.0 credential as a VC-JWT: key, signature, claims, schema, dates, recipient, revocation.

The issuer's keys are its keys.json beside its profile; the official AchievementCredential schema is
checked when the reference folder is at hand. This catalog gives a 3.0 credential the uuid of its 2.0
assertion and revokes both with one entry of the issuer's revocation list.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from ..badges import did, vc
from ..badges.urls import UUID
from . import ob3proofs
from .fetch import Missing, Unverifiable, normal_url, parse_json
from .verdict import SKEW, Context, Report, hash_matches, id_of, listed, revocation_entry

SCHEMA = "ob_v3p0_achievementcredential_schema.json"  # in the reference folder


def check(ctx: Context, report: Report, token: str) -> None:
    """A VC-JWT: the issuer's keys.json beside its profile, the signature, claims, schema, dates, revocation."""
    report.kind = "Open Badges 3.0 credential"
    try:
        unverified = vc.unverified_payload(token)
    except vc.VcError as err:
        raise Unverifiable(f"The credential is not a readable VC-JWT: {err}.") from None
    issuer = vc.issuer_id(vc.credential_of(unverified)) or unverified.get("iss")
    profile = vc.credential_of(unverified).get("issuer")
    report.name_issuer(issuer, profile.get("name") if isinstance(profile, dict) else None)
    by_did = isinstance(issuer, str) and issuer.startswith("did:web:")
    if by_did:  # the form outside verifiers read: the kid is the address of one JWK
        keys_url = str(vc.header(token).get("kid"))
        keys = ob3proofs.key_set(ctx, report, keys_url, str(issuer))
    elif normal_url(issuer) is None:
        raise Unverifiable("The credential's issuer id is not a web address, so the issuer's keys cannot be found.")
    else:
        keys_url = urljoin(str(issuer), "keys.json")
        keys = parse_json(ctx.fetcher.get(keys_url, "issuer's key set"), "issuer's key set")
    try:
        payload = vc.verify(token, keys)
    except vc.VcError as err:
        raise Unverifiable(f"The signature does not verify: {err}.") from None
    if by_did:
        report.check(True, f"Its signature ({vc.header(token)['alg']}) verifies with the key published at {keys_url}.", "")
    else:
        report.check(True, f"Its signature verifies with key {vc.header(token)['kid']} of {keys_url}.", "")
    credential = vc.credential_of(payload)
    for problem in vc.claim_problems(payload):
        report.check(False, "", f"The JWT claims disagree with the credential: {problem}.")
    types = set(map(str, listed(credential.get("type"))))
    endorsement = "EndorsementCredential" in types
    report.check(
        "VerifiableCredential" in types and (endorsement or bool({"OpenBadgeCredential", "AchievementCredential"} & types)),
        "It is an Open Badges 3.0 endorsement." if endorsement else "It is an Open Badges 3.0 credential.",
        "Its type is not VerifiableCredential with OpenBadgeCredential (or AchievementCredential, or EndorsementCredential).",
    )
    if endorsement:
        report.check(True, "Schema not checked: the endorsement schema is checked by the tests, not here.", "")
    elif ctx.schema is None:
        report.check(True, "Schema not checked: reference schema not found.", "")
    else:
        try:
            problems = vc.schema_problems(credential, ctx.schema)
        except ImportError:  # jsonschema comes with the test extras; the check is optional like the schema itself
            problems = None
            report.check(True, "Schema not checked: the jsonschema package is not installed.", "")
        if problems == []:
            report.check(True, "It matches the Open Badges 3.0 AchievementCredential schema.", "")
        for problem in (problems or [])[:10]:
            report.check(False, "", problem)
        if problems and len(problems) > 10:
            report.check(False, "", f"… and {len(problems) - 10} more schema problems.")
    for problem in vc.date_problems(credential, ctx.now, SKEW):
        said = f"{problem[:1].upper()}{problem[1:]}."
        if problem.startswith("it has expired"):
            report.expire(said)
        else:
            report.check(False, "", said)
    if ctx.email is not None:
        _check_email(ctx, report, credential)
    if by_did:
        signed = {k: v for k, v in credential.items() if k not in vc.CLAIMS}
        ob3proofs.check_proof(ctx, report, signed, str(issuer))
        ob3proofs.check_status(ctx, report, signed, str(issuer))
        if report.revoked:  # a status list has no reasons; this catalog's revocation list beside the DID document does
            number = UUID.search(str(credential.get("id", "")))
            try:
                where = urljoin(did.document_url(str(issuer)), "revocations.json")
                name = number.group() if number else None
                hit = revocation_entry(ctx, where, lambda e: name is not None and name in str(id_of(e))) if name else None
            except (Unverifiable, did.DidError):
                hit = None
            if hit and isinstance(hit.get("revocationReason"), str) and hit["revocationReason"].strip():
                report.revoked = f"Revoked: {hit['revocationReason']}"
        return
    # This catalog gives a 3.0 credential the uuid of its 2.0 assertion and revokes both in one list.
    number = UUID.search(str(credential.get("id", "")))
    try:
        hit = number and revocation_entry(ctx, urljoin(str(issuer), "revocations.json"), lambda e: number.group() in str(id_of(e)))
    except Missing:
        report.check(True, "The issuer publishes no revocation list.", "")
        return
    if hit:
        report.revoke("The issuer's revocation list names this badge.", hit.get("revocationReason"))
    elif number:
        report.check(True, "The issuer's revocation list does not name this badge.", "")


def _check_email(ctx: Context, report: Report, credential: dict[str, Any]) -> None:
    subject = credential.get("credentialSubject")
    found = [i for i in listed(subject.get("identifier") if isinstance(subject, dict) else None) if isinstance(i, dict)]
    emails = [i for i in found if i.get("identityType") == "emailAddress" and isinstance(i.get("identityHash"), str)]
    assert ctx.email is not None
    same = any(
        hash_matches(i["identityHash"] if "$" in i["identityHash"] else f"sha256${i['identityHash']}", i.get("salt"), ctx.email)
        if i.get("hashed") is True
        else i["identityHash"].strip().lower() == ctx.email.strip().lower()
        for i in emails
    )
    other = "The recipient is not the email address given." if emails else "The credential names no email address for its recipient."
    report.check(same, "The recipient is the email address given.", other)
