"""The verdict of `verify`, the record of its checks, and what the 2.0 and 3.0 checks share.

A check that passes or fails adds a sentence to the `Report`; a revocation found makes the verdict
REVOKED whatever else failed; a badge past its expiry, with nothing else wrong, is EXPIRED; a check
that cannot go on raises fetch.Unverifiable, whose message becomes the last failed check. The issuer
is named in every verdict as far as the badge was read; when an issuer is expected, a badge of another one is not VALID.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..badges import did
from ..catalog.output import json_text
from .fetch import Fetcher, Unverifiable, normal_url, parse_json

SKEW = timedelta(minutes=10)  # tolerated clock difference for "issued in the future"


@dataclass(frozen=True)
class Verdict:
    """The outcome: VALID, REVOKED, EXPIRED (valid until its expiry, which has passed), INVALID (a proven problem) or UNVERIFIED
    (a document could not be read), the reasons, every check."""

    target: str
    verdict: str
    kind: str
    reasons: tuple[str, ...]
    checks: tuple[tuple[bool, str], ...]
    issuer: tuple[str | None, str | None] = (None, None)  # its id and its name, as far as the badge was read
    expected: str | None = None  # the issuer asked for, if any

    def issuer_line(self) -> str:
        """Who issued the badge: name and id, the id alone, or why it is not known."""
        issuer_id, name = self.issuer
        if issuer_id is None:
            return "Issuer: unknown (the badge was not read far enough to name it)."
        return f"Issuer: {name} ({issuer_id})." if name else f"Issuer: {issuer_id} (its name was not read)."

    def text(self) -> str:
        """The verdict line, the issuer, then the reasons, one per line."""
        lines = [f"{self.verdict}: {self.target}", self.issuer_line(), *self.reasons]
        return "".join(f"{'  ' if n else ''}{line}\n" for n, line in enumerate(lines))

    def as_json(self) -> str:
        """The verdict, the issuer, its reasons and every check, as JSON for machines."""
        checks = [{"ok": ok, "text": text} for ok, text in self.checks]
        issuer = {"id": self.issuer[0], "name": self.issuer[1]} if self.issuer[0] is not None else None
        data = {
            "checks": checks,
            "expected_issuer": self.expected,
            "issuer": issuer,
            "kind": self.kind,
            "reasons": list(self.reasons),
            "target": self.target,
            "verdict": self.verdict,
        }
        return json_text(data)


def _printable(value: str) -> str:
    """A value from a badge shown on one line: no control characters (a terminal would obey them), spaces collapsed."""
    return " ".join("".join(c if c.isprintable() else " " for c in value).split())


def issuer_address(issuer: str) -> str | None:
    """Where an issuer id points: its profile's address, or for a did:web the address of its DID document."""
    if issuer.startswith("did:web:"):
        try:
            return normal_url(did.document_url(issuer))
        except did.DidError:
            return None
    return normal_url(issuer)


def is_expected(expected: str, issuer: str) -> bool:
    """Whether `issuer` is the one `expected` names: that very id, or one a catalog site publishes under its badges/."""
    if issuer == expected:
        return True
    at, wanted = issuer_address(issuer), issuer_address(expected)
    if at is None or wanted is None:
        return False
    return at == wanted or at.startswith(f"{wanted.rstrip('/')}/badges/")


@dataclass
class Report:
    """The checks of one run, in order: what passed, what failed, and a revocation when found."""

    kind: str = "unknown"
    checks: list[tuple[bool, str]] = field(default_factory=list)
    revoked: str | None = None
    unreachable: str | None = None  # why a document could not be read, when nothing else was proven wrong
    expected: str | None = None  # the issuer asked for (--issuer): a badge of another one is not VALID
    issuer_id: str | None = None
    issuer_name: str | None = None
    expired: str | None = None  # "It expired on …": a failed check, and the verdict when it is the only one

    def name_issuer(self, issuer_id: object, name: object = None) -> None:
        """Record who the badge says issued it; the first time, check it against the issuer expected."""
        if not has_text(issuer_id):
            return
        assert isinstance(issuer_id, str)
        first, self.issuer_id = self.issuer_id is None, _printable(issuer_id)
        if has_text(name):
            assert isinstance(name, str)
            self.issuer_name = _printable(name)
        if first and self.expected is not None:
            self.check(
                is_expected(self.expected, issuer_id),
                f"The issuer is the one expected ({self.expected}).",
                f"The badge's issuer is {self.issuer_id}, not the one expected ({self.expected}).",
            )

    def check(self, ok: object, yes: str, no: str) -> bool:
        self.checks.append((bool(ok), yes if ok else no))
        return bool(ok)

    def revoke(self, how: str, reason: object) -> None:
        self.checks.append((True, how))
        self.revoked = f"Revoked: {reason}" if isinstance(reason, str) and reason.strip() else "Revoked: the issuer gave no reason."

    def expire(self, text: str) -> None:
        self.checks.append((False, text))
        self.expired = text

    def verdict(self, target: str) -> Verdict:
        failed = tuple(text for ok, text in self.checks if not ok)
        if self.revoked:
            verdict, reasons = "REVOKED", (self.revoked, *failed)
        elif self.expired and failed == (self.expired,) and not self.unreachable:
            verdict, reasons = "EXPIRED", (self.expired, "Nothing else was found wrong: it was valid until then.")
        elif failed:
            verdict, reasons = "INVALID", failed
        elif self.unreachable:  # never INVALID for what could not be read
            verdict, reasons = "UNVERIFIED", (self.unreachable, "Nothing was found wrong with what could be read; try again later.")
        else:
            verdict, reasons = "VALID", tuple(text for _, text in self.checks)
        issuer = (self.issuer_id, self.issuer_name)
        return Verdict(target, verdict, self.kind, reasons, tuple(self.checks), issuer, self.expected)


def listed(value: object) -> list[Any]:
    """A JSON-LD value as a list: none, one or many."""
    return [] if value is None else value if isinstance(value, list) else [value]


def has_text(value: object) -> bool:
    """A string with something other than spaces in it."""
    return isinstance(value, str) and bool(value.strip())


def id_of(value: object) -> str | None:
    """The id of a linked document, given by its URL or embedded with an id."""
    found = value.get("id") if isinstance(value, dict) else value
    return found if isinstance(found, str) else None


def has_type(doc: dict[str, Any], names: tuple[str, ...]) -> bool:
    """Whether the document's type (one or a list) is one of `names`."""
    return any(kind in names for kind in listed(doc.get("type")))


def hash_matches(identity: str, salt: object, email: str) -> bool:
    """Whether a hashed recipient identity (sha256$… or md5$…, salted or not) is this email address, in any case."""
    algorithm, _, digest = identity.partition("$")
    if algorithm.lower() not in ("sha256", "md5"):
        return False
    salted = [address + (salt if isinstance(salt, str) else "") for address in {email.strip(), email.strip().lower()}]
    return any(hashlib.new(algorithm.lower(), s.encode(), usedforsecurity=False).hexdigest() == digest.lower() for s in salted)


@dataclass(frozen=True)
class Context:
    """What every check of one run may use: the fetcher, the time, the email address given, the 3.0 schema."""

    fetcher: Fetcher
    now: datetime
    email: str | None
    schema: dict[str, Any] | None


def revocation_entry(ctx: Context, list_url: object, matches: Callable[[Any], bool]) -> dict[str, Any] | None:
    """The first entry of the issuer's revocation list that `matches`, or None; unreadable lists are Unverifiable."""
    url = id_of(list_url)
    if normal_url(url) is None:
        raise Unverifiable("The issuer's revocation list is not a web address, so revocation cannot be checked.")
    assert url is not None
    entries = parse_json(ctx.fetcher.get(url, "issuer's revocation list"), "issuer's revocation list").get("revokedAssertions", [])
    if not isinstance(entries, list):
        raise Unverifiable("The issuer's revocation list is malformed (revokedAssertions is not a list), so revocation cannot be checked.")
    return next(({"id": e} if isinstance(e, str) else e for e in entries if matches(e)), None)
