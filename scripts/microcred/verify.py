"""`microcred verify`: check a badge as a verifier would, from a URL or a file: VALID, REVOKED or INVALID.

Open Badges 2.0 (hosted JSON, or a PNG baked with it): each linked document resolves to its own id on
the issuer's origin and has the fields the specification requires; revocation in the hosted document or
the issuer's list. Open Badges 3.0 (a VC-JWT): the signature against the issuer's published keys.json,
the claims, the official schema when it is at hand, the validity dates. The checks follow the site's
in-browser verifier (docs/assets/javascripts/verify.js), in the same order and words.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from . import vc
from .fetch import (
    MAX_TARGET,
    TIMEOUT,
    Fetched,
    Fetcher,
    Missing,
    Unverifiable,
    normal_url,
    origin,
    parse_json,
    png_payload,
    read_file,
)
from .validate import UsageError, find_root

OB2_CONTEXTS = ("https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json")
SCHEMA = "ob_v3p0_achievementcredential_schema.json"
JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SKEW = timedelta(minutes=10)  # tolerated clock difference for "issued in the future"


@dataclass(frozen=True)
class Verdict:
    """The outcome: VALID, REVOKED or INVALID, the reasons that decided it, and every check made."""

    target: str
    verdict: str
    kind: str
    reasons: tuple[str, ...]
    checks: tuple[tuple[bool, str], ...]

    def text(self) -> str:
        """The verdict line, then the reasons, one per line."""
        return "".join([f"{self.verdict}: {self.target}\n", *(f"  {reason}\n" for reason in self.reasons)])

    def as_json(self) -> str:
        """The verdict, its reasons and every check, as JSON for machines."""
        checks = [{"ok": ok, "text": text} for ok, text in self.checks]
        data = {"checks": checks, "kind": self.kind, "reasons": list(self.reasons), "target": self.target, "verdict": self.verdict}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@dataclass
class _Report:
    """The checks of one run, in order: what passed, what failed, and a revocation when found."""

    kind: str = "unknown"
    checks: list[tuple[bool, str]] = field(default_factory=list)
    revoked: str | None = None

    def check(self, ok: object, yes: str, no: str) -> bool:
        self.checks.append((bool(ok), yes if ok else no))
        return bool(ok)

    def revoke(self, how: str, reason: object) -> None:
        self.checks.append((True, how))
        self.revoked = f"Revoked: {reason}" if isinstance(reason, str) and reason.strip() else "Revoked: the issuer gave no reason."

    def verdict(self, target: str) -> Verdict:
        failed = tuple(text for ok, text in self.checks if not ok)
        if self.revoked:
            verdict, reasons = "REVOKED", (self.revoked, *failed)
        else:
            verdict, reasons = ("INVALID", failed) if failed else ("VALID", tuple(text for _, text in self.checks))
        return Verdict(target, verdict, self.kind, reasons, tuple(self.checks))


def _listed(value: object) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _id_of(value: object) -> str | None:
    found = value.get("id") if isinstance(value, dict) else value
    return found if isinstance(found, str) else None


def _has_type(doc: dict[str, Any], names: tuple[str, ...]) -> bool:
    return any(kind in names for kind in _listed(doc.get("type")))


def _date(value: object) -> datetime | None:
    if not isinstance(value, str) or not DATE_TIME.fullmatch(value):
        return None
    try:
        return datetime.fromisoformat(re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", value))
    except ValueError:
        return None


def _hash_matches(identity: str, salt: object, email: str) -> bool:
    algorithm, _, digest = identity.partition("$")
    if algorithm.lower() not in ("sha256", "md5"):
        return False
    salted = [address + (salt if isinstance(salt, str) else "") for address in {email.strip(), email.strip().lower()}]
    return any(hashlib.new(algorithm.lower(), s.encode(), usedforsecurity=False).hexdigest() == digest.lower() for s in salted)


@dataclass(frozen=True)
class _Context:
    fetcher: Fetcher
    now: datetime
    email: str | None
    schema: dict[str, Any] | None


def _fetch_document(ctx: _Context, report: _Report, url: str, what: str, types: tuple[str, ...]) -> tuple[dict[str, Any], str]:
    """A linked badge class or issuer profile: an OB 2.0 document of the expected type at its own id."""
    fetched = ctx.fetcher.get(url, what)
    if fetched.status == 410:
        raise Unverifiable(f"The {what} at {url} is gone (410).")
    doc = parse_json(fetched, what)
    report.check(
        any(c in OB2_CONTEXTS for c in _listed(doc.get("@context"))),
        f"The {what} is an Open Badges 2.0 document.",
        f"The {what} is not an Open Badges 2.0 document (@context).",
    )
    if not _has_type(doc, types):
        kinds = ", ".join(map(str, _listed(doc.get("type")))) or "missing"
        raise Unverifiable(f"The document at {url} is not a {what} (its type is {kinds}).")
    report.check(
        normal_url(doc.get("id")) == normal_url(fetched.url),
        f"The {what}'s id is the address it was fetched from.",
        f"The {what}'s id ({doc.get('id') if _text(doc.get('id')) else 'missing'}) is not the address it was fetched from ({fetched.url}).",
    )
    return doc, fetched.url


def _check_recipient(ctx: _Context, report: _Report, recipient: object) -> None:
    fields = recipient if isinstance(recipient, dict) else {}
    if not report.check(
        _text(fields.get("type")) and _text(fields.get("identity")) and isinstance(fields.get("hashed"), bool),
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
            same = _hash_matches(identity, recipient.get("salt"), ctx.email) if hashed else identity.strip().lower() == given
            report.check(same, "The recipient is the email address given.", "The recipient is not the email address given.")


def _check_dates(ctx: _Context, report: _Report, doc: dict[str, Any]) -> None:
    issued = _date(doc.get("issuedOn"))
    if report.check(issued, "It has a valid issue date.", "Its issue date (issuedOn) is missing or is not an ISO 8601 date and time."):
        assert issued is not None
        report.check(issued <= ctx.now + SKEW, "It was issued in the past.", "Its issue date is in the future.")
    if "expires" in doc:
        expires = _date(doc["expires"])
        if report.check(expires, "It has a valid expiry date.", "Its expiry date (expires) is not an ISO 8601 date and time."):
            assert expires is not None
            report.check(expires > ctx.now, "It has not expired.", f"It expired on {doc['expires']}.")
            if issued:
                report.check(expires > issued, "It expires after it was issued.", "It expires before it was issued.")


def _check_scope(report: _Report, assertion_id: str, issuer_id: str, policy: object) -> None:
    """Hosted verification scope: the issuer's origin unless its verification policy names other places."""
    rules = policy if isinstance(policy, dict) else {}
    starts = [s for s in _listed(rules.get("startsWith")) if _text(s)]
    origins = [o.lower() for o in _listed(rules.get("allowedOrigins")) if _text(o)]
    host = urlsplit(assertion_id).netloc.lower()
    if starts:
        report.check(
            any(assertion_id.startswith(s) for s in starts),
            "The badge is hosted where the issuer's verification policy allows (startsWith).",
            f"The badge is not hosted where the issuer allows: its address does not start with {' or '.join(starts)}.",
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


def _check_ob2(ctx: _Context, report: _Report, fetched: Fetched) -> None:
    """A hosted assertion as fetched from its address, then its badge class, issuer and revocation list."""
    report.kind = "Open Badges 2.0 assertion"
    if fetched.status == 410:
        gone = parse_json(fetched, "badge") if fetched.body.strip().startswith(b"{") else {}
        return report.revoke("The badge address answers 410 Gone: the issuer has withdrawn it.", gone.get("revocationReason"))
    doc = parse_json(fetched, "badge")
    if _has_type(doc, ("VerifiableCredential",)):
        raise Unverifiable("This is an Open Badges 3.0 credential without its VC-JWT proof: give the .jwt file.")
    report.check(
        any(c in OB2_CONTEXTS for c in _listed(doc.get("@context"))),
        "It is an Open Badges 2.0 document.",
        "It is not an Open Badges 2.0 document: its @context is not https://w3id.org/openbadges/v2.",
    )
    if not _has_type(doc, ("Assertion",)):
        kind = "not an assertion"
        kind = "an issuer profile" if _has_type(doc, ("Issuer", "Profile")) else kind
        kind = "a badge class" if _has_type(doc, ("BadgeClass",)) else kind
        raise Unverifiable(f"This document is {kind}: give the address of the earned badge (the assertion) instead.")
    report.check(
        normal_url(doc.get("id")) == normal_url(fetched.url),
        "Its id is the address it was fetched from.",
        f"Its id ({doc.get('id') if _text(doc.get('id')) else 'missing'}) is not the address it was fetched from ({fetched.url}).",
    )
    if doc.get("revoked") is True:
        return report.revoke("The issuer has marked this badge as revoked.", doc.get("revocationReason"))
    assertion_id = str(doc["id"]) if _text(doc.get("id")) else fetched.url
    _check_recipient(ctx, report, doc.get("recipient"))
    verification = doc.get("verification")
    kinds = [str(k) for k in _listed(verification.get("type"))] if isinstance(verification, dict) else []
    report.check(
        "hosted" in kinds or "HostedBadge" in kinds,
        "It uses hosted verification.",
        f"It uses {', '.join(kinds)} verification, which is not checked here (only hosted badges)."
        if kinds
        else "It does not say how it is verified (verification with type HostedBadge is required).",
    )
    _check_dates(ctx, report, doc)
    badge_url = _id_of(doc.get("badge"))
    if normal_url(badge_url) is None:
        raise Unverifiable("It does not name its badge class by web address (badge).")
    assert badge_url is not None
    badge, badge_at = _fetch_document(ctx, report, badge_url, "badge class", ("BadgeClass",))
    missing = [
        k for k in ("name", "description", "image", "criteria", "issuer") if not (_text(badge.get(k)) or _text(_id_of(badge.get(k))))
    ]
    missing = [k for k in missing if not (k == "criteria" and isinstance(badge.get(k), dict) and _text(badge[k].get("narrative")))]
    has = "The badge class has a name, description, image, criteria and issuer."
    report.check(not missing, has, f"The badge class lacks {', '.join(missing)}.")
    issuer_url = _id_of(badge.get("issuer"))
    if normal_url(issuer_url) is None:
        raise Unverifiable("The badge class does not name its issuer by web address.")
    assert issuer_url is not None
    issuer, issuer_at = _fetch_document(ctx, report, issuer_url, "issuer profile", ("Issuer", "Profile"))
    lacking = [k for k in ("name", "url", "email") if not _text(issuer.get(k))]
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
    hit = _revocation_entry(ctx, issuer.get("revocationList"), lambda entry: normal_url(_id_of(entry)) == normal_url(assertion_id))
    if hit is not None:
        return report.revoke("The issuer's revocation list names this badge.", hit.get("revocationReason"))
    report.check(True, "The issuer's revocation list does not name this badge.", "")
    return None


def _revocation_entry(ctx: _Context, list_url: object, matches: Any) -> dict[str, Any] | None:
    url = _id_of(list_url)
    if normal_url(url) is None:
        raise Unverifiable("The issuer's revocation list is not a web address, so revocation cannot be checked.")
    assert url is not None
    entries = parse_json(ctx.fetcher.get(url, "issuer's revocation list"), "issuer's revocation list").get("revokedAssertions", [])
    if not isinstance(entries, list):
        raise Unverifiable("The issuer's revocation list is malformed (revokedAssertions is not a list), so revocation cannot be checked.")
    return next(({"id": e} if isinstance(e, str) else e for e in entries if matches(e)), None)


def _check_ob3(ctx: _Context, report: _Report, token: str) -> None:
    """A VC-JWT: the issuer's keys.json beside its profile, the signature, claims, schema, dates, revocation."""
    report.kind = "Open Badges 3.0 credential"
    try:
        unverified = vc.unverified_payload(token)
    except vc.VcError as err:
        raise Unverifiable(f"The credential is not a readable VC-JWT: {err}.") from None
    issuer = vc.issuer_id(vc.credential_of(unverified)) or unverified.get("iss")
    if normal_url(issuer) is None:
        raise Unverifiable("The credential's issuer id is not a web address, so the issuer's keys cannot be found.")
    keys_url = urljoin(str(issuer), "keys.json")
    keys = parse_json(ctx.fetcher.get(keys_url, "issuer's key set"), "issuer's key set")
    try:
        payload = vc.verify(token, keys)
    except vc.VcError as err:
        raise Unverifiable(f"The signature does not verify: {err}.") from None
    report.check(True, f"Its signature verifies with key {vc.header(token)['kid']} of {keys_url}.", "")
    credential = vc.credential_of(payload)
    for problem in vc.claim_problems(payload):
        report.check(False, "", f"The JWT claims disagree with the credential: {problem}.")
    report.check(
        {"VerifiableCredential"} <= set(map(str, _listed(credential.get("type"))))
        and bool({"OpenBadgeCredential", "AchievementCredential"} & set(map(str, _listed(credential.get("type"))))),
        "It is an Open Badges 3.0 credential.",
        "Its type is not VerifiableCredential with OpenBadgeCredential (or AchievementCredential).",
    )
    if ctx.schema is None:
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
        report.check(False, "", f"{problem[:1].upper()}{problem[1:]}.")
    if ctx.email is not None:
        _check_ob3_email(ctx, report, credential)
    # This catalog gives a 3.0 credential the uuid of its 2.0 assertion and revokes both in one list.
    number = UUID.search(str(credential.get("id", "")))
    try:
        hit = number and _revocation_entry(ctx, urljoin(str(issuer), "revocations.json"), lambda e: number.group() in str(_id_of(e)))
    except Missing:
        report.check(True, "The issuer publishes no revocation list.", "")
        return
    if hit:
        report.revoke("The issuer's revocation list names this badge.", hit.get("revocationReason"))
    elif number:
        report.check(True, "The issuer's revocation list does not name this badge.", "")


def _check_ob3_email(ctx: _Context, report: _Report, credential: dict[str, Any]) -> None:
    subject = credential.get("credentialSubject")
    found = [i for i in _listed(subject.get("identifier") if isinstance(subject, dict) else None) if isinstance(i, dict)]
    emails = [i for i in found if i.get("identityType") == "emailAddress" and isinstance(i.get("identityHash"), str)]
    assert ctx.email is not None
    same = any(
        _hash_matches(i["identityHash"] if "$" in i["identityHash"] else f"sha256${i['identityHash']}", i.get("salt"), ctx.email)
        if i.get("hashed") is True
        else i["identityHash"].strip().lower() == ctx.email.strip().lower()
        for i in emails
    )
    other = "The recipient is not the email address given." if emails else "The credential names no email address for its recipient."
    report.check(same, "The recipient is the email address given.", other)


def _dispatch(ctx: _Context, report: _Report, fetched: Fetched) -> None:
    body = fetched.body
    if body.startswith(b"\x89PNG\r\n\x1a\n"):
        found = png_payload(body)
        if found is None:
            raise Unverifiable("The image holds no Open Badges payload (no iTXt chunk 'openbadges').")
        report.check(True, f"The image holds an Open Badges payload ({found[0]}).", "")
        text = found[1].strip()
        if JWS.fullmatch(text):
            return _check_ob3(ctx, report, text)
        if urlsplit(text).scheme in ("http", "https"):  # the baked form may be the assertion's URL
            return _check_ob2(ctx, report, ctx.fetcher.get(text, "badge"))
        return _hosted(ctx, report, Fetched(fetched.url, text.encode("utf-8"), "", 200), embedded=True)
    text = body.decode("utf-8", errors="replace").strip()
    if JWS.fullmatch(text):
        return _check_ob3(ctx, report, text)
    return _hosted(ctx, report, fetched, embedded=not fetched.url.startswith(("http://", "https://")))


def _hosted(ctx: _Context, report: _Report, fetched: Fetched, *, embedded: bool) -> None:
    """A document read from a file or an image: the hosted copy at its id is what counts."""
    if not embedded:
        return _check_ob2(ctx, report, fetched)
    doc = parse_json(fetched, "badge")
    hosted = _id_of(doc)
    if (
        normal_url(hosted) == normal_url(fetched.url)
        or urlsplit(str(hosted)).scheme not in ("http", "https")
        or _has_type(doc, ("VerifiableCredential",))
    ):
        return _check_ob2(ctx, report, fetched)
    report.check(True, f"The hosted copy at {hosted} is checked (hosted verification).", "")
    return _check_ob2(ctx, report, ctx.fetcher.get(str(hosted), "badge"))


def verify(target: str, *, now: datetime, email: str | None = None, schema_dir: Path | None = None, timeout: float = TIMEOUT) -> Verdict:
    """Verify a badge at a URL or in a file (JSON, baked PNG or .jwt); never raises for bad input."""
    report = _Report()
    try:
        schema = None
        if schema_dir is not None and (schema_dir / SCHEMA).is_file():
            schema = json.loads((schema_dir / SCHEMA).read_text(encoding="utf-8"))
        is_url = urlsplit(target).scheme in ("http", "https")
        fetcher = Fetcher(files=not is_url, timeout=timeout)
        ctx = _Context(fetcher, now, email, schema)
        if is_url:
            fetched = fetcher.get(target, "badge", (), MAX_TARGET)
            if fetched.media.startswith("text/html"):
                raise Unverifiable(f"The badge at {target} is not a JSON document: it was served as {fetched.media}.")
        else:
            fetched = read_file(Path(target), "badge", MAX_TARGET)
        _dispatch(ctx, report, fetched)
    except Unverifiable as err:
        report.check(False, "", str(err))
    except Exception as err:  # a verifier meets hostile input: a verdict, never a traceback
        report.check(False, "", f"The check stopped on an unexpected error ({type(err).__name__}: {err}).")
    return report.verdict(target)


def reference_dir(root: str | None) -> Path | None:
    """../shared/reference/openbadges beside the repository (--root, the current one, or this package's)."""
    candidates = [Path(root).resolve()] if root else []
    with contextlib.suppress(UsageError):
        candidates.append(find_root(Path.cwd().resolve()))
    candidates.append(Path(__file__).resolve().parents[2])  # an editable install: the repository itself
    folders = [c.parent / "shared" / "reference" / "openbadges" for c in candidates]
    return next((folder for folder in folders if (folder / SCHEMA).is_file()), None)


def add_parser(commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    """`microcred verify URL|FILE [--email ADDRESS] [--format text|json]`."""
    sub = commands.add_parser(
        "verify",
        parents=[common],
        help="verify an Open Badges 2.0 assertion (URL, JSON or baked PNG) or a 3.0 credential (.jwt)",
        description=(
            "Check a badge as a verifier would and print VALID, REVOKED or INVALID with the reasons. "
            "2.0: each linked document resolves to its own id on the issuer's site, required fields, recipient, "
            "revocation, expiry. 3.0: the VC-JWT signature against the issuer's keys.json, the claims, the official "
            "schema when ../shared/reference/openbadges is at hand, validFrom and validUntil. "
            "Exit 0 when valid, 1 when revoked or invalid, 2 on a usage error."
        ),
    )
    sub.add_argument("target", metavar="URL|FILE", help="the badge: an https:// address, or a .json, .png or .jwt file")
    sub.add_argument("--email", metavar="ADDRESS", help="check that the badge was issued to this email address")
    sub.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    sub.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Verify, print the verdict, and exit 0 only for a valid badge."""
    if args.email is not None and "@" not in args.email:
        raise UsageError("--email: give an email address (name@example.org)")
    found = verify(args.target, now=datetime.now(UTC), email=args.email, schema_dir=reference_dir(args.root))
    sys.stdout.write(found.as_json() if args.format == "json" else found.text())
    return 0 if found.verdict == "VALID" else 1
