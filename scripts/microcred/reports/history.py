"""The review and badge history of a catalog repository, read into plain data for the reports.

The thin I/O edge of the reports: records/ (one review record per merged submission, written by
mint), badges/assertions/ and badges/revocations.json (what was issued and what was withdrawn) and
submissions/ (the earner's hashed email when a badge document cannot say, and whether the work was
pre-approved by the earner's district). Everything after this is pure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..badges.urls import Urls, assertion_uuid, revoked_ids
from ..catalog.load import Refused, parse, read_text
from ..catalog.records import RECORDS_DIR, Record
from ..catalog.validate import UsageError

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MOMENT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
# The data of a repository file already parsed (by validation, Store.loaded), or None to parse it here.
Known = Callable[[str], Any]


class HistoryError(UsageError):
    """A record, badge or revocation list that cannot be read; the message names the file."""


@dataclass(frozen=True)
class Badge:
    """One credential badge issued for a merged submission."""

    submission: str
    credential: str
    version: str
    earner: str  # the GitHub login, public in the submission already
    district: str  # the earner's district when the submission was made
    earned_on: str  # YYYY-MM-DD: the UTC day of issuedOn, which is the record's merged_at
    recipient: str  # as the badge names the earner: "sha256$..." or a profile URL; never an email address
    assertion: str  # the assertion's URL as on the catalog's site (Urls.canonical), whichever site publishes it
    revoked: bool
    pre_approved: bool = False  # the submission records its district's pre-approval (pre_approval)
    pre_approved_on: str = ""  # its day, YYYY-MM-DD, when the submission gives it
    salt: str = ""  # the salt of a hashed recipient, to check an address against it
    expires: str = ""  # YYYY-MM-DD the badge expires, "" for never
    renews: str = ""  # the submission whose badge this one renews
    renewals: tuple[tuple[str, str], ...] = ()  # (earned_on, expires) of each renewal of it, oldest first
    page: str = ""  # the badge's page, on the site that publishes it (a badge site or the catalog's)


@dataclass(frozen=True)
class History:
    """Every review record (by credential, then submission) and every credential badge (by day, then submission).

    `documents` holds each credential badge's assertion as read, by its URL, so that the site's badge pages
    use the same read instead of parsing every assertion again.
    """

    records: tuple[Record, ...] = ()
    badges: tuple[Badge, ...] = ()
    documents: Mapping[str, dict[str, Any]] = dataclass_field(default_factory=dict, compare=False, repr=False)


def read_history(root: Path, site_url: str, sites: tuple[tuple[str, str], ...] = (), known: Known | None = None) -> History:
    """Read the history under `root`; an empty History when nothing was merged yet.

    `known`: the records and submissions a validation of the same tree has parsed already, not parsed again.

    A record whose assertion file is missing has no badge yet (mint writes both), so it counts
    for the review figures and not for earnings. Raises HistoryError for a file that cannot be read.
    """
    urls = Urls(site_url, sites)
    records = _records(root, known)
    revoked = _revoked(root, urls)
    badges, documents = [], {}
    for record in records:
        if not record.approved:
            continue
        uuid = assertion_uuid(site_url, record.credential, record.submission)
        url = urls.assertion(uuid)
        document = _json(root, urls.path(url))
        if document is None:
            continue
        documents[url] = document
        submission = _submission(root, f"submissions/{record.credential}/{record.submission}.yml", known)
        badges.append(
            Badge(
                submission=record.submission,
                credential=record.credential,
                version=record.version,
                earner=record.earner,
                district=record.district,
                earned_on=record.merged_at[:10],
                recipient=_recipient(record, document, submission),
                assertion=url,
                revoked=url in revoked or document.get("revoked") is True,
                pre_approved=isinstance(submission.get("pre_approval"), dict),
                pre_approved_on=_pre_approved_on(submission),
                salt=_salt(document, submission),
                expires=str(document.get("expires") or "")[:10],
                renews=str(submission.get("renews") or ""),
                page=urls.at(str(document.get("id"))).badge_page(uuid),
            )
        )
    badges.sort(key=lambda b: (b.earned_on, b.submission))
    return History(tuple(records), once(badges), documents)


def once(badges: list[Badge]) -> tuple[Badge, ...]:
    """The badges with a later standing badge for a version its earner already holds left out: a version counts once.

    Mint refuses such a badge; one minted before it did, or a hand-made one, must not be paid twice.
    """
    held: dict[tuple[str, str, str], int] = {}  # -> its place in kept
    kept: list[Badge] = []
    for badge in badges:
        key = (badge.earner.casefold(), badge.credential, badge.version)
        if not badge.revoked:
            if key in held:
                first = kept[held[key]]
                if badge.renews:  # a renewal counts as the badge it renews, from its own day to its own expiry
                    kept[held[key]] = replace(first, renewals=(*first.renewals, (badge.earned_on, badge.expires)))
                continue
            held[key] = len(kept)
        kept.append(badge)
    return tuple(kept)


def _records(root: Path, known: Known | None) -> list[Record]:
    folder = root / RECORDS_DIR
    paths = sorted(p for p in folder.glob("*/*") if p.suffix in (".yml", ".yaml")) if folder.is_dir() else []
    return [_record(root, path.relative_to(root).as_posix(), known) for path in paths]


def _parsed(root: Path, rel: str, known: Known | None) -> Any:
    data = known(rel) if known is not None else None
    if data is not None:
        return data
    try:
        return parse(read_text(root, rel))
    except Refused as err:
        raise HistoryError(f"{rel}:{err.line}:{err.column}: {err.message}") from None


def _record(root: Path, rel: str, known: Known | None = None) -> Record:
    data = _parsed(root, rel, known)
    try:
        record = Record.from_dict(data)
    except KeyError as err:
        raise HistoryError(f"{rel}: the review record has no {err.args[0]!r}; see schemas/record.schema.json") from None
    except (TypeError, AttributeError):
        raise HistoryError(f"{rel}: not a review record; see schemas/record.schema.json") from None
    moment = _MOMENT.fullmatch(str(record.merged_at))
    if moment is None or not is_day(moment.group(1)):
        raise HistoryError(f"{rel}: merged_at {record.merged_at!r} is not a moment in UTC (YYYY-MM-DDTHH:MM:SSZ)")
    for i, round_ in enumerate(record.rounds):
        for field in ("opened_on", "decided_on"):
            if not is_day(getattr(round_, field)):
                raise HistoryError(f"{rel}: rounds[{i}].{field} {getattr(round_, field)!r} is not a day (YYYY-MM-DD)")
        if round_.decided_on < round_.opened_on:
            raise HistoryError(f"{rel}: rounds[{i}] was decided on {round_.decided_on}, before it opened on {round_.opened_on}")
    return record


def parse_day(option: str, value: str | None) -> str | None:
    """A day given on the command line, checked: YYYY-MM-DD and on the calendar."""
    if value is not None and not is_day(value):
        raise UsageError(f"{option} {value}: not a date; give YYYY-MM-DD, for example 2026-07-01")
    return value


def valid_day(value: str | None) -> str:
    """--on: the day whose valid badges a report counts; today (UTC) when not given."""
    return parse_day("--on", value) or datetime.now(UTC).date().isoformat()


def period(start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """--from and --to, checked each and together."""
    start, end = parse_day("--from", start), parse_day("--to", end)
    if start and end and start > end:
        raise UsageError(f"--from {start} is after --to {end}; give a period that starts on or before its end")
    return start, end


def is_day(value: object) -> bool:
    """A day as YYYY-MM-DD, and on the calendar."""
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _json(root: Path, rel: str) -> dict[str, Any] | None:
    """A badge document as data; None when there is no such file."""
    path = root / rel
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, ValueError) as err:
        raise HistoryError(f"{rel}: not a readable JSON document ({err})") from None
    if not isinstance(data, dict):
        raise HistoryError(f"{rel}: not a badge document (a JSON object)")
    return data


def _revoked(root: Path, urls: Urls) -> frozenset[str]:
    """Ids of the assertions listed in badges/revocations.json (entries are ids or objects with an id)."""
    rel = urls.path(urls.revocations)
    data = _json(root, rel) or {}
    if not isinstance(data.get("revokedAssertions") or [], list):
        raise HistoryError(f"{rel}: revokedAssertions is not a list")
    return revoked_ids(data, urls)


def _recipient(record: Record, assertion: dict[str, Any], submission: dict[str, Any]) -> str:
    """How the badge names its earner; a revoked badge no longer does, so the submission says."""
    recipient = assertion.get("recipient")
    if isinstance(recipient, dict):
        identity = recipient.get("identity")
        if isinstance(identity, str) and (recipient.get("hashed") is True or recipient.get("type") == "url"):
            return identity
    email_hash = submission.get("earner", {}).get("email_hash") if isinstance(submission.get("earner"), dict) else None
    return email_hash if isinstance(email_hash, str) else f"https://github.com/{record.earner}"


def _pre_approved_on(submission: dict[str, Any]) -> str:
    given = submission.get("pre_approval")
    day = given.get("approved_on") if isinstance(given, dict) else None
    return day if isinstance(day, str) and is_day(day) else ""


def _salt(assertion: dict[str, Any], submission: dict[str, Any]) -> str:
    recipient = assertion.get("recipient")
    salt = recipient.get("salt") if isinstance(recipient, dict) else None
    earner = submission.get("earner")
    if not isinstance(salt, str) and isinstance(earner, dict):
        salt = earner.get("email_salt")
    return salt if isinstance(salt, str) else ""


def _submission(root: Path, rel: str, known: Known | None) -> dict[str, Any]:
    """A submission file as data; empty when it is gone (its badge still counts, without a pre-approval)."""
    data = known(rel) if known is not None else None
    if data is None:
        if not (root / rel).is_file():
            return {}
        data = _parsed(root, rel, None)
    return data if isinstance(data, dict) else {}
