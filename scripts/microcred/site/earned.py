"""Every earned badge as plain data for its page: read from what was published, never from an email address.

A badge is found by its assertion (`badges/assertions/<uuid>.json`). What its page shows comes from the
published documents and the review record: the assertion (or, once revoked, the 3.0 credential beside it),
the badge class, the record in records/ for the rubric results, the number of reviewers and the pull request.
The earner is named as the badge names them: a GitHub profile, or a salted email hash.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..badges import ob2
from ..badges.approval import NotMintable, Versions
from ..badges.urls import UUID, Urls, assertion_uuid
from ..catalog.model import Catalog
from ..catalog.records import Record
from ..catalog.validate import UsageError
from ..reports.history import History

EARNED = "badges/earned"  # a badge's page: <site_url>badges/earned/<uuid>/
_STACK_CLASS = re.compile(r"classes/stack-([a-z0-9-]+)\.json$")
_PROFILE = re.compile(r"https://github\.com/([A-Za-z0-9-]+)")
_JWS = re.compile(r"([A-Za-z0-9_-]+={0,2})\.([A-Za-z0-9_-]+={0,2})\.[A-Za-z0-9_-]*={0,2}")  # header, payload; the signature unread


class EarnedError(UsageError):
    """A published badge document that cannot be read; the message names the file."""


@dataclass(frozen=True)
class Result:
    """One rubric criterion as the approving reviewers scored it."""

    criterion: str
    level: str  # the level's label; "not scored" when no approving reviewer scored it
    count: int
    of: int


@dataclass(frozen=True)
class Member:
    """A member badge that a stack badge lists."""

    title: str
    page: str | None  # the member badge's page, when the evidence names an assertion of this site


@dataclass(frozen=True)
class Earned:
    """One earned badge, as its page shows it."""

    uuid: str
    kind: str  # "credential" or "stack"
    item: str  # the credential's or the stack's id
    title: str
    version: str | None
    issued_on: str  # the moment, as the badge says (ISO 8601)
    recipient: str  # "sha256$..." or a GitHub profile URL: what the badge publishes
    salt: str | None
    revoked: bool
    reason: str | None
    site_url: str
    expires: str | None = None
    login: str | None = None  # only when the badge names its earner by GitHub profile
    results: tuple[Result, ...] = ()
    reviewers: int = 0
    approvals: int = 0
    pull_request: int | None = None
    pull_request_url: str | None = None
    members: tuple[Member, ...] = ()
    baked: bool = False  # badges/assertions/<uuid>.png exists
    credential: bool = False  # badges/credentials/<uuid>.jwt exists
    district: str | None = field(default=None, compare=False)  # for counts only; never shown
    own: str | None = None  # the badge site that publishes its assertion, credential and page; None for the catalog's

    @property
    def urls(self) -> Urls:
        return Urls(self.site_url, own=self.own)

    @property
    def home(self) -> str:
        """The site its page is on."""
        return self.urls.own_site

    @property
    def page(self) -> str:
        return self.urls.badge_page(self.uuid)

    @property
    def assertion(self) -> str:
        return self.urls.assertion(self.uuid)

    @property
    def artwork(self) -> str:
        """The badge class's artwork: the same image for every earner of it."""
        if self.kind == "stack":
            return self.urls.stack_class(self.item).removesuffix(".json") + ".png"
        return self.urls.badge_class(self.item, self.version or "").removesuffix(".json") + ".png"

    @property
    def artwork_path(self) -> str:
        """The artwork's path under the site's root, for the page to fetch from wherever the site is served."""
        return self.artwork.removeprefix(self.site_url)

    @property
    def catalog_page(self) -> str:
        return self.urls.stack_page(self.item) if self.kind == "stack" else self.urls.credential_page(self.item)

    @property
    def day(self) -> str:
        return self.issued_on[:10]

    @property
    def hashed(self) -> bool:
        return self.recipient.startswith("sha256$")


def _json(path: Path, rel: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, ValueError) as err:
        raise EarnedError(f"{rel}: not a readable JSON document ({err})") from None


def _payload(root: Path, rel: str) -> dict[str, Any]:
    """The 3.0 credential's claims, read without checking its signature (the page's own check does that).

    Decoded here rather than by `vc.unverified_payload`, whose header check (PyJWT's) decodes all three segments
    character by character: two thirds of the time a badge took to read. Anything not a compact JWS of a JSON
    header and payload reads as no credential, as before.
    """
    path = root / rel
    if not path.is_file():
        return {}
    try:
        found = _JWS.fullmatch(path.read_text(encoding="ascii").strip())
        if found is None:
            return {}
        header, payload = (json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))) for part in found.groups())
    except (OSError, ValueError):  # UnicodeError and binascii.Error are ValueErrors
        return {}
    return payload if isinstance(header, dict) and isinstance(payload, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _review(evidence: Any) -> str | None:
    """The pull request's address, from the review evidence when the badge names it."""
    for item in evidence if isinstance(evidence, list) else []:
        genre = item.get("genre") if isinstance(item, dict) else None
        if genre == "Review" and isinstance(item.get("id"), str) and item["id"].startswith("https://"):
            return str(item["id"])
    return None


def _recipient(document: dict[str, Any], payload: dict[str, Any]) -> tuple[str | None, str | None]:
    """The identity and salt the badge publishes: the assertion's recipient, else the 3.0 credential's identifier."""
    recipient = document.get("recipient")
    recipient = recipient if isinstance(recipient, dict) else {}
    if _text(recipient.get("identity")) and (recipient.get("hashed") is True or recipient.get("type") == "url"):
        return recipient["identity"], _text(recipient.get("salt"))
    subject = payload.get("credentialSubject")
    for ident in subject.get("identifier", []) if isinstance(subject, dict) else []:
        if isinstance(ident, dict) and _text(ident.get("identityHash")):
            return ident["identityHash"], _text(ident.get("salt"))
    return None, None


class Reader:
    """Reads every earned badge of a repository once."""

    def __init__(self, root: Path, catalog: Catalog, history: History) -> None:
        self.root, self.catalog = root, catalog
        self.urls = Urls.of(catalog.consortium)
        self.versions = Versions(root, catalog)
        self.records: dict[str, Record] = {}
        self.classes: dict[str, Any] = {}  # badge class documents by path
        self.by_assertion = {b.assertion: b for b in history.badges}
        self.documents = history.documents  # the assertions the history read already: each is parsed once
        for record in history.records:
            if record.approved:
                url = self.urls.assertion(_uuid(self.urls.site_url, record))
                self.records[url] = record
        revocations = self.urls.path(self.urls.revocations)
        listed = _json(root / revocations, revocations) if (root / revocations).is_file() else {}
        entries = listed.get("revokedAssertions") if isinstance(listed, dict) else None
        self.reasons: dict[str, str] = {}
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                self.reasons[self.urls.canonical(entry["id"])] = _text(entry.get("revocationReason")) or ""
            elif isinstance(entry, str):
                self.reasons[self.urls.canonical(entry)] = ""

    def all(self) -> list[Earned]:
        folder = self.root / "badges/assertions"
        names = sorted(p.stem for p in folder.glob("*.json") if UUID.fullmatch(p.stem)) if folder.is_dir() else []
        found = (self.one(name) for name in names)
        return [badge for badge in found if badge is not None]

    def one(self, name: str) -> Earned | None:
        """The badge of one assertion; None when nothing says what it was (a foreign or unreadable document)."""
        url = self.urls.assertion(name)
        rel = self.urls.path(url)
        document = self.documents.get(url) or _json(self.root / rel, rel)
        if not isinstance(document, dict):
            raise EarnedError(f"{rel}: not a badge document (a JSON object)")
        payload = _payload(self.root, self.urls.path(self.urls.credential(name)))
        revoked = document.get("revoked") is True or url in self.reasons
        reason = _text(document.get("revocationReason")) or self.reasons.get(url) or None
        identity, salt = _recipient(document, payload)
        record, history = self.records.get(url), self.by_assertion.get(url)
        common: dict[str, Any] = {
            "uuid": name,
            "revoked": revoked,
            "reason": reason if revoked else None,
            "site_url": self.urls.site_url,
            "own": self.urls.at(str(document.get("id") or url)).own,
            "expires": _text(document.get("expires")) or _text(payload.get("validUntil")),
            "baked": (self.root / rel.removesuffix(".json")).with_suffix(".png").is_file(),
            "credential": (self.root / self.urls.path(self.urls.credential(name))).is_file(),
            "pull_request_url": _review(document.get("evidence")) or _review(payload.get("evidence")),
        }
        if record is not None:
            identity = identity or (history.recipient if history else None)
            return self._credential(record, identity or f"https://github.com/{record.earner}", salt, common)
        achievement = (
            payload.get("credentialSubject", {}).get("achievement", {}) if isinstance(payload.get("credentialSubject"), dict) else {}
        )
        badge_class = str(document.get("badge") or (achievement.get("id") if isinstance(achievement, dict) else "") or "")
        stack = _STACK_CLASS.search(badge_class)
        if stack is None or identity is None:
            return None
        issued = _text(document.get("issuedOn")) or _text(payload.get("awardedDate")) or _text(payload.get("validFrom")) or ""
        known = self.catalog.stacks.get(stack.group(1))
        title = known.title if known else _text(document.get("name")) or _text(payload.get("name")) or stack.group(1)
        evidence = document.get("evidence") if isinstance(document.get("evidence"), list) else payload.get("evidence")
        members = []
        for item in evidence if isinstance(evidence, list) else []:
            if isinstance(item, dict) and item.get("genre") == "Badge":
                found = UUID.search(str(item.get("id", "")))
                member = self.urls.at(str(item["id"]))  # a member on any of this catalog's sites has a page
                ours = str(item["id"]).startswith(member.own_base)
                page = member.badge_page(found.group()) if found and ours else None
                members.append(Member(_text(item.get("name")) or "a member badge", page))
        return Earned(
            kind="stack",
            item=stack.group(1),
            title=title,
            version=None,
            issued_on=issued,
            recipient=identity,
            salt=salt,
            login=_login(identity),
            members=tuple(members),
            **common,
        )

    def _credential(self, record: Record, identity: str, salt: str | None, common: dict[str, Any]) -> Earned:
        class_rel = self.urls.path(self.urls.badge_class(record.credential, record.version))
        if class_rel not in self.classes:  # read once for all its earners
            self.classes[class_rel] = _json(self.root / class_rel, class_rel) if (self.root / class_rel).is_file() else {}
        badge_class = self.classes[class_rel]
        known = self.catalog.credentials.get(record.credential)
        title = _text(badge_class.get("name")) if isinstance(badge_class, dict) else None
        last = record.rounds[-1]
        try:
            _, rubric = self.versions.get(record.credential, record.version)
            results = tuple(
                Result(r.criterion.title, r.level.label if r.level else "not scored", r.count, r.of) for r in ob2.results(rubric, last)
            )
        except NotMintable:  # the version is gone from the catalog and its history: the record's own words
            scores = [r.scores for r in last.reviews if r.verdict == "approved"]
            keys = sorted({k for s in scores for k in s})
            results = tuple(Result(k, scores[0].get(k, "not scored"), sum(k in s for s in scores), len(scores)) for k in keys)
        return Earned(
            kind="credential",
            item=record.credential,
            title=title or (known.title if known else record.credential),
            version=record.version,
            issued_on=record.merged_at,
            recipient=identity,
            salt=salt,
            login=_login(identity),
            results=results,
            reviewers=len(last.reviews),
            approvals=ob2.approvals(last),
            pull_request=record.pull_request or None,
            district=record.district,
            **common,
        )


def _uuid(site_url: str, record: Record) -> str:
    return assertion_uuid(site_url, record.credential, record.submission)


def _login(identity: str) -> str | None:
    found = _PROFILE.fullmatch(identity)
    return found.group(1) if found else None


def read_earned(root: Path, catalog: Catalog, history: History) -> list[Earned]:
    """Every earned badge under `root`, by uuid."""
    return Reader(root, catalog, history).all()
