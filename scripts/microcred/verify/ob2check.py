"""`verify` for an Open Badges 2.0 hosted assertion: the checks a verifier makes, in order.

The assertion as fetched from its address, then its badge class and its issuer profile (each an OB 2.0
document of its type, at its own id), the hosted verification scope (the issuer's origin unless its
policy says otherwise), the dates, the recipient when an email address is given, and revocation: in
the hosted document itself (a static host's 410 stand-in) or in the issuer's revocation list.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from .fetch import Fetched, Unverifiable, normal_url, origin, parse_json
from .verdict import SKEW, Context, Report, has_text, has_type, hash_matches, id_of, listed, revocation_entry

OB2_CONTEXTS = ("https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json")
ENCODED = re.compile(r"%(2e|2f|5c)", re.IGNORECASE)  # what a server may decode into a dot segment or a slash
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})")


def _date(value: object) -> datetime | None:
    if not isinstance(value, str) or not DATE_TIME.fullmatch(value):
        return None
    try:
        return datetime.fromisoformat(re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", value))
    except ValueError:
        return None


def _fetch_document(ctx: Context, report: Report, url: str, what: str, types: tuple[str, ...]) -> tuple[dict[str, Any], str]:
    """A linked badge class or issuer profile: an OB 2.0 document of the expected type at its own id."""
    fetched = ctx.fetcher.get(url, what)
    if fetched.status == 410:
        raise Unverifiable(f"The {what} at {url} is gone (410).")
    doc = parse_json(fetched, what)
    report.check(
        any(c in OB2_CONTEXTS for c in listed(doc.get("@context"))),
        f"The {what} is an Open Badges 2.0 document.",
        f"The {what} is not an Open Badges 2.0 document (@context).",
    )
    if not has_type(doc, types):
        kinds = ", ".join(map(str, listed(doc.get("type")))) or "missing"
        raise Unverifiable(f"The document at {url} is not a {what} (its type is {kinds}).")
    said = doc.get("id") if has_text(doc.get("id")) else "missing"
    report.check(
        normal_url(doc.get("id")) == normal_url(fetched.url),
        f"The {what}'s id is the address it was fetched from.",
        f"The {what}'s id ({said}) is not the address it was fetched from ({fetched.url}).",
    )
    return doc, fetched.url


def _check_recipient(ctx: Context, report: Report, recipient: object) -> None:
    fields = recipient if isinstance(recipient, dict) else {}
    if not report.check(
        has_text(fields.get("type")) and has_text(fields.get("identity")) and isinstance(fields.get("hashed"), bool),
        "It names its recipient.",
        "It does not name its recipient properly (recipient type, identity and hashed are required).",
    ):
        return
    assert isinstance(recipient, dict)
    identity, hashed = str(recipient["identity"]), bool(recipient["hashed"])
    if hashed:
        report.check(
            re.fullmatch(r"(?i)sha256\$[0-9a-f]{64}|md5\$[0-9a-f]{32}", identity),
            "The recipient's identity is a well-formed hash.",
            "The recipient's identity says it is hashed but is not a sha256$… or md5$… hash.",
        )
        if "salt" in recipient:
            report.check(isinstance(recipient["salt"], str), "The recipient's salt is a string.", "The recipient's salt is not a string.")
    if ctx.email is not None:
        if recipient["type"] != "email":
            report.check(False, "", f"The badge's recipient is identified by {recipient['type']}, not by an email address.")
        else:
            given = ctx.email.strip().lower()
            same = hash_matches(identity, recipient.get("salt"), ctx.email) if hashed else identity.strip().lower() == given
            report.check(same, "The recipient is the email address given.", "The recipient is not the email address given.")


def _check_dates(ctx: Context, report: Report, doc: dict[str, Any]) -> None:
    issued = _date(doc.get("issuedOn"))
    if report.check(issued, "It has a valid issue date.", "Its issue date (issuedOn) is missing or is not an ISO 8601 date and time."):
        assert issued is not None
        report.check(issued <= ctx.now + SKEW, "It was issued in the past.", "Its issue date is in the future.")
    if "expires" in doc:
        expires = _date(doc["expires"])
        if report.check(expires, "It has a valid expiry date.", "Its expiry date (expires) is not an ISO 8601 date and time."):
            assert expires is not None
            if expires > ctx.now:
                report.check(True, "It has not expired.", "")
            else:
                report.expire(f"It expired on {doc['expires']}.")
            if issued:
                report.check(expires > issued, "It expires after it was issued.", "It expires before it was issued.")


def _as_sent(url: str) -> str:
    """The address a browser or a server reads: backslashes as slashes and dot segments resolved (RFC 3986 5.2.4)."""
    parts = urlsplit(url.replace("\\", "/"))
    return urljoin(f"{parts.scheme}://{parts.netloc}/", parts._replace(scheme="", netloc="").geturl())


def _check_scope(report: Report, assertion_id: str, issuer_id: str, policy: object) -> None:
    """Hosted verification scope: the issuer's origin unless its verification policy names other places."""
    rules = policy if isinstance(policy, dict) else {}
    starts = [s for s in listed(rules.get("startsWith")) if has_text(s)]
    origins = [o.lower() for o in listed(rules.get("allowedOrigins")) if has_text(o)]
    host = urlsplit(assertion_id).netloc.lower()
    if starts:
        # Compared as the address is served: ".../badges/assertions/../../other/x.json" is not under the prefix.
        at = normal_url(_as_sent(assertion_id)) or ""
        report.check(
            any(at.startswith(normal_url(s) or s) for s in starts),
            "The badge is hosted where the issuer's verification policy allows (startsWith).",
            f"The badge is not hosted where the issuer allows: its address {at or assertion_id} does not start with {' or '.join(starts)}.",
        )
        if ENCODED.search(urlsplit(assertion_id).path):
            report.check(
                False,
                "",
                f"The badge's address {assertion_id} holds an encoded '.', '/' or '\\' (%2e, %2f, %5c), "
                "which a server may read as another place than the issuer allows.",
            )
    if origins:
        report.check(
            host in origins,
            "The badge is hosted on a site the issuer allows (allowedOrigins).",
            f"The badge is hosted on {host}, which the issuer does not allow ({', '.join(origins)}).",
        )
    if not starts and not origins:
        report.check(
            origin(assertion_id) is not None and origin(assertion_id) == origin(issuer_id),
            "The badge is hosted on the issuer's own site.",
            f"The badge is hosted on {origin(assertion_id)}, not on the issuer's site ({origin(issuer_id) or 'unknown'}), "
            "and the issuer does not allow other sites.",
        )


def check(ctx: Context, report: Report, fetched: Fetched) -> None:
    """A hosted assertion as fetched from its address, then its badge class, issuer and revocation list."""
    report.kind = "Open Badges 2.0 assertion"
    if fetched.status == 410:
        gone = parse_json(fetched, "badge") if fetched.body.strip().startswith(b"{") else {}
        return report.revoke("The badge address answers 410 Gone: the issuer has withdrawn it.", gone.get("revocationReason"))
    doc = parse_json(fetched, "badge")
    if has_type(doc, ("VerifiableCredential",)):
        raise Unverifiable("This is an Open Badges 3.0 credential without its VC-JWT proof: give the .jwt file.")
    report.check(
        any(c in OB2_CONTEXTS for c in listed(doc.get("@context"))),
        "It is an Open Badges 2.0 document.",
        "It is not an Open Badges 2.0 document: its @context is not https://w3id.org/openbadges/v2.",
    )
    if not has_type(doc, ("Assertion",)):
        kind = "not an assertion"
        kind = "an issuer profile" if has_type(doc, ("Issuer", "Profile")) else kind
        kind = "a badge class" if has_type(doc, ("BadgeClass",)) else kind
        raise Unverifiable(f"This document is {kind}: give the address of the earned badge (the assertion) instead.")
    report.check(
        normal_url(doc.get("id")) == normal_url(fetched.url),
        "Its id is the address it was fetched from.",
        f"Its id ({doc.get('id') if has_text(doc.get('id')) else 'missing'}) is not the address it was fetched from ({fetched.url}).",
    )
    if doc.get("revoked") is True:
        return report.revoke("The issuer has marked this badge as revoked.", doc.get("revocationReason"))
    assertion_id = str(doc["id"]) if has_text(doc.get("id")) else fetched.url
    _check_recipient(ctx, report, doc.get("recipient"))
    verification = doc.get("verification")
    kinds = [str(k) for k in listed(verification.get("type"))] if isinstance(verification, dict) else []
    report.check(
        "hosted" in kinds or "HostedBadge" in kinds,
        "It uses hosted verification.",
        f"It uses {', '.join(kinds)} verification, which is not checked here (only hosted badges)."
        if kinds
        else "It does not say how it is verified (verification with type HostedBadge is required).",
    )
    _check_dates(ctx, report, doc)
    badge_url = id_of(doc.get("badge"))
    if normal_url(badge_url) is None:
        raise Unverifiable("It does not name its badge class by web address (badge).")
    assert badge_url is not None
    badge, badge_at = _fetch_document(ctx, report, badge_url, "badge class", ("BadgeClass",))
    required = ("name", "description", "image", "criteria", "issuer")
    missing = [k for k in required if not (has_text(badge.get(k)) or has_text(id_of(badge.get(k))))]
    missing = [k for k in missing if not (k == "criteria" and isinstance(badge.get(k), dict) and has_text(badge[k].get("narrative")))]
    has = "The badge class has a name, description, image, criteria and issuer."
    report.check(not missing, has, f"The badge class lacks {', '.join(missing)}.")
    issuer_url = id_of(badge.get("issuer"))
    if normal_url(issuer_url) is None:
        raise Unverifiable("The badge class does not name its issuer by web address.")
    assert issuer_url is not None
    report.name_issuer(issuer_url)
    issuer, issuer_at = _fetch_document(ctx, report, issuer_url, "issuer profile", ("Issuer", "Profile"))
    report.name_issuer(issuer_at, issuer.get("name"))
    lacking = [k for k in ("name", "url", "email") if not has_text(issuer.get(k))]
    has = "The issuer profile has a name, a website and an email address."
    report.check(not lacking, has, f"The issuer profile lacks {', '.join(lacking)}.")
    _check_scope(report, assertion_id, issuer_at, issuer.get("verification"))
    report.check(
        origin(badge_at) == origin(issuer_at),
        "The badge class is on the issuer's site.",
        f"The badge class is on {origin(badge_at)}, not on the issuer's site ({origin(issuer_at)}).",
    )
    if "revocationList" not in issuer:
        report.check(True, "The issuer publishes no revocation list.", "")
        return None
    hit = revocation_entry(ctx, issuer.get("revocationList"), lambda entry: normal_url(id_of(entry)) == normal_url(assertion_id))
    if hit is not None:
        return report.revoke("The issuer's revocation list names this badge.", hit.get("revocationReason"))
    report.check(True, "The issuer's revocation list does not name this badge.", "")
    return None
