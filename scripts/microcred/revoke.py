"""`microcred revoke`: withdraw a minted Open Badges 2.0 assertion, the way a static host can.

GitHub Pages cannot answer 410 Gone, so the hosted assertion is replaced by the document the
specification gives for that case, `{"@context", "id", "type", "revoked": true, "revocationReason"}`,
and the assertion is added to the issuer's revocation list (badges/revocations.json). Nothing else
changes: the baked PNG and the 3.0 credential stay as minted (an earner's downloaded copies cannot be
recalled anyway); every verifier fetches the hosted assertion, or reads the revocation list, and says
REVOKED. The change reaches the site when it is merged into main, like any other.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from .badges import CONTEXT, UUID, dump
from .files import write_atomic
from .validate import UsageError, repository_root

ASSERTIONS, LIST, ISSUER = "badges/assertions", "badges/revocations.json", "badges/issuer.json"


class RevokeError(Exception):
    """The assertion cannot be revoked (already revoked, or the badges are inconsistent)."""


@dataclass(frozen=True)
class Revoked:
    """What `revoke` wrote: the assertion's id and the files, relative to the repository."""

    assertion_id: str
    written: tuple[str, ...]


def assertion_uuid(root: Path, given: str) -> str:
    """The uuid of the assertion named by a uuid, a file under badges/assertions/ or its URL."""
    text = given.strip()
    if UUID.fullmatch(text.lower()):
        return text.lower()
    if urlsplit(text).scheme in ("http", "https"):
        path, where = urlsplit(text).path, "URL"
    else:
        try:
            path, where = Path(text).resolve().relative_to(root).as_posix(), "file"
        except ValueError:
            raise UsageError(f"{given}: not a file of the catalog repository {root}") from None
    folder, _, name = path.rpartition("/")
    stem, dot, suffix = name.partition(".")
    if not (folder.endswith(ASSERTIONS) and UUID.fullmatch(stem) and dot and suffix in ("json", "png")):
        raise UsageError(f"{given}: give an assertion's uuid, its file {ASSERTIONS}/UUID.json or its URL ({where} not understood)")
    return stem


def _load(path: Path, what: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise RevokeError(f"{what}: not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})") from None
    if not isinstance(data, dict):
        raise RevokeError(f"{what}: not a JSON object")
    return data


def _revocation_list(root: Path) -> dict[str, Any]:
    if (root / LIST).is_file():
        found = _load(root / LIST, LIST)
        if not isinstance(found.get("revokedAssertions", []), list):
            raise RevokeError(f"{LIST}: revokedAssertions is not a list")
        return found
    if not (root / ISSUER).is_file():
        raise RevokeError(f"{ISSUER} is missing, so the revocation list cannot be started; run `microcred mint` first")
    issuer = _load(root / ISSUER, ISSUER)
    issuer_id = str(issuer.get("id", ""))
    list_id = issuer.get("revocationList") if isinstance(issuer.get("revocationList"), str) else urljoin(issuer_id, "revocations.json")
    return {"@context": CONTEXT, "type": "RevocationList", "id": list_id, "issuer": issuer_id, "revokedAssertions": []}


def revoke(root: Path, assertion: str, reason: str) -> Revoked:
    """Replace the hosted assertion by its revoked form and list it in badges/revocations.json.

    Raises UsageError for an unknown assertion or an empty reason, RevokeError when it is already revoked.
    """
    why = reason.strip()
    if not why:
        raise UsageError("--reason: say why the badge is revoked; the reason is published with it")
    uuid = assertion_uuid(root, assertion)
    rel = f"{ASSERTIONS}/{uuid}.json"
    if not (root / rel).is_file():
        raise UsageError(f"{assertion}: no minted assertion {uuid} ({rel} does not exist)")
    doc = _load(root / rel, rel)
    assertion_id = doc.get("id")
    if not isinstance(assertion_id, str) or not assertion_id.endswith(f"/{rel}"):
        raise RevokeError(f"{rel}: its id {assertion_id!r} is not the URL of this file on the site")
    if doc.get("revoked") is True:
        raise RevokeError(f"{rel}: already revoked ({doc.get('revocationReason') or 'no reason given'}); nothing was changed")
    revocations = _revocation_list(root)
    entries = [e for e in revocations.get("revokedAssertions", []) if not (isinstance(e, dict) and e.get("id") == assertion_id)]
    entries.append({"id": assertion_id, "revocationReason": why})
    revocations["revokedAssertions"] = sorted(entries, key=lambda e: json.dumps(e.get("id", "") if isinstance(e, dict) else e))
    context = doc.get("@context", CONTEXT)
    gone = {"@context": context, "id": assertion_id, "type": "Assertion", "revoked": True, "revocationReason": why}
    # The list first: if the run stops in between, revoking again finishes the job instead of refusing it.
    write_atomic(root / LIST, dump(revocations))
    write_atomic(root / rel, dump(gone))
    return Revoked(assertion_id, (rel, LIST))


def add_parser(commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    """`microcred revoke ASSERTION --reason TEXT`."""
    sub = commands.add_parser(
        "revoke",
        parents=[common],
        help="revoke a minted badge: the hosted assertion says revoked, and the revocation list names it",
        description=(
            "Replace badges/assertions/UUID.json by the revoked form Open Badges 2.0 gives for static hosts "
            "(revoked: true and the reason) and add the assertion to badges/revocations.json. The baked image and "
            "the 3.0 credential stay; verifiers find the revocation. Commit the two files and merge them by pull request. "
            "Exit 0 when revoked, 1 when it already was, 2 for an unknown assertion or a usage error."
        ),
    )
    sub.add_argument("assertion", metavar="ASSERTION", help="the assertion's uuid, its file under badges/assertions/, or its URL")
    sub.add_argument("--reason", required=True, metavar="TEXT", help="why it is revoked; published in the badge and the list")
    sub.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Revoke, and say what was written and what comes next."""
    root = repository_root(args.root)
    try:
        done = revoke(root, args.assertion, args.reason)
    except RevokeError as err:
        print(f"microcred: error: {err}", file=sys.stderr)
        return 1
    print(f"revoked {done.assertion_id}")
    for rel in done.written:
        print(f"  wrote {rel}")
    print(
        "microcred: commit these files and merge them by pull request; the site shows the badge revoked after the next publish",
        file=sys.stderr,
    )
    return 0
