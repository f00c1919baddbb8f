"""`microcred revoke`: withdraw a minted Open Badges 2.0 assertion, the way a static host can.

GitHub Pages cannot answer 410 Gone, so the hosted assertion is replaced by the document the
specification gives for that case, `{"@context", "id", "type", "revoked": true, "revocationReason"}`,
and the assertion is added to the issuer's revocation list (badges/revocations.json). Nothing else
changes: the baked PNG and the 3.0 credential stay as minted (an earner's downloaded copies cannot be
recalled anyway); every verifier fetches the hosted assertion, or reads the revocation list, and says
REVOKED. The change reaches the site when it is merged into main, like any other.

A stack badge claims that its earner holds every member badge, so revoking a member revokes, in the
same run, every stack badge (not already revoked) that names it among its evidence.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..catalog.validate import UsageError, repository_root
from .files import WriteOnce, write_atomic
from .ob2 import CONTEXT, dump
from .urls import UUID, Urls, revoked_ids

ASSERTIONS, LIST, ISSUER, STATUS = "badges/assertions", "badges/revocations.json", "badges/issuer.json", "badges/status"
SIGNING_KEY = "MICROCRED_SIGNING_KEY"


class RevokeError(Exception):
    """The assertion cannot be revoked (already revoked, or the badges are inconsistent)."""


@dataclass(frozen=True)
class Revoked:
    """What `revoke` wrote: the assertion's id, the files (relative to the repository), the stack badges revoked with it."""

    assertion_id: str
    written: tuple[str, ...]
    stacks: tuple[str, ...] = ()  # the ids of the stack badges it was a member of


def assertion_uuid(root: Path, given: str) -> str:
    """The uuid of the assertion named by a uuid, its file (under badges/assertions/, or its bare name) or its URL."""
    text = given.strip()
    if UUID.fullmatch(text.lower()):
        return text.lower()
    stem, dot, suffix = text.partition(".")
    if "/" not in text and UUID.fullmatch(stem) and suffix in ("json", "png"):  # the file's name, wherever one stands
        return stem
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
        raise UsageError(
            f"{given}: {where} not understood; give the assertion's uuid (UUID), its file ({ASSERTIONS}/UUID.json, or UUID.json) "
            f"or its URL (…/{ASSERTIONS}/UUID.json)"
        )
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


def _assertion(root: Path, rel: str) -> tuple[dict[str, Any], str]:
    """A minted assertion and its id, which must be the URL of its file on the site."""
    doc = _load(root / rel, rel)
    assertion_id = doc.get("id")
    if not isinstance(assertion_id, str) or not assertion_id.endswith(f"/{rel}"):
        raise RevokeError(f"{rel}: its id {assertion_id!r} is not the URL of this file on the site")
    return doc, assertion_id


def _stacks_holding(root: Path, member_id: str) -> list[tuple[str, dict[str, Any], str]]:
    """The stack badges, not revoked, whose evidence names the member badge: (file, document, id), by file."""
    found = []
    for path in sorted((root / ASSERTIONS).glob("*.json")):
        rel = f"{ASSERTIONS}/{path.name}"
        doc = _load(path, rel)
        evidence = doc.get("evidence")
        evidence = evidence if isinstance(evidence, list) else []
        members = [e.get("id") for e in evidence if isinstance(e, dict) and e.get("genre") == "Badge"]
        if doc.get("revoked") is not True and member_id in members:
            found.append((rel, *_assertion(root, rel)))
    return found


def gone(doc: dict[str, Any], doc_id: str, why: str, kind: str = "Assertion") -> bytes:
    """The revoked form Open Badges 2.0 gives for a host that cannot answer 410 Gone (an assertion, or an endorsement)."""
    context = doc.get("@context", CONTEXT)
    return dump({"@context": context, "id": doc_id, "type": kind, "revoked": True, "revocationReason": why})


def with_revoked(root: Path, reasons: dict[str, str]) -> bytes:
    """The revocation list with each id of `reasons` listed once, with its reason, entries sorted by id."""
    revocations = _revocation_list(root)
    entries = [e for e in revocations.get("revokedAssertions", []) if not (isinstance(e, dict) and e.get("id") in reasons)]
    entries += [{"id": doc_id, "revocationReason": why} for doc_id, why in reasons.items()]
    revocations["revokedAssertions"] = sorted(entries, key=lambda e: json.dumps(e.get("id", "") if isinstance(e, dict) else e))
    return dump(revocations)


def revoke(root: Path, assertion: str, reason: str) -> Revoked:
    """Replace the hosted assertion by its revoked form and list it in badges/revocations.json.

    The stack badges it is a member of are revoked with it, with the reason
    "a member badge was revoked: <its id>: <reason>".
    Raises UsageError for an unknown assertion or an empty reason, RevokeError when it is already revoked.
    """
    why = reason.strip()
    if not why:
        raise UsageError("--reason: say why the badge is revoked; the reason is published with it")
    uuid = assertion_uuid(root, assertion)
    rel = f"{ASSERTIONS}/{uuid}.json"
    if not (root / rel).is_file():
        raise UsageError(f"{assertion}: no minted assertion {uuid} ({rel} does not exist)")
    doc, assertion_id = _assertion(root, rel)
    if doc.get("revoked") is True:
        raise RevokeError(f"{rel}: already revoked ({doc.get('revocationReason') or 'no reason given'}); nothing was changed")
    stacks = _stacks_holding(root, assertion_id)
    because = f"a member badge was revoked: {assertion_id}: {why}"
    revocations = with_revoked(root, {assertion_id: why} | {stack_id: because for _, _, stack_id in stacks})
    # The list first and the member last: if the run stops in between, revoking the member again finishes
    # the job (a stack already replaced is left as it is) instead of refusing it.
    write_atomic(root / LIST, revocations)
    for stack_rel, stack_doc, stack_id in stacks:
        write_atomic(root / stack_rel, gone(stack_doc, stack_id, because))
    write_atomic(root / rel, gone(doc, assertion_id, why))
    return Revoked(assertion_id, (rel, *(stack_rel for stack_rel, _, _ in stacks), LIST), tuple(stack_id for _, _, stack_id in stacks))


def status_lists(root: Path, assertion_id: str, pem: str) -> list[str]:
    """The 3.0 status lists signed again with the revocation's bits, when the signing key is at hand; the files written.

    Without the key (a maintainer's machine) they follow when mint next runs, which signs them in the workflow.
    """
    if not pem.strip() or not (root / STATUS).is_dir():
        if (root / STATUS).is_dir():
            print(f"microcred: the 3.0 status lists follow when mint next runs ({SIGNING_KEY} is not set here)", file=sys.stderr)
        return []
    from . import vc  # the signing libraries only for a run that signs
    from .did import did_web
    from .issuing import StatusLists

    try:
        key = vc.load_private_key(pem)
    except vc.VcError as err:
        raise UsageError(f"{SIGNING_KEY}: {err}") from None
    # The catalog's site, which publishes the status lists, even for a badge of a badge site: the issuer's.
    urls = Urls(str(_load(root / ISSUER, ISSUER).get("id", assertion_id)).removesuffix("badges/issuer.json"))
    names = [found.group() for found in map(UUID.search, revoked_ids(_revocation_list(root))) if found]
    tokens = [urls.path(url) for name in names for url in (urls.credential(name), urls.credential_upgraded(name))]
    lists = StatusLists(WriteOnce(root), urls, key, datetime.now(UTC), did_web(urls.site_url))
    written = []
    for rel, data in lists.sync(tokens):
        write_atomic(root / rel, data)
        written.append(rel)
    return written


def add_parser(commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser, brief: str) -> None:
    """`microcred revoke ASSERTION --reason TEXT`."""
    sub = commands.add_parser(
        "revoke",
        parents=[common],
        help=brief,
        description=(
            "Replace badges/assertions/UUID.json by the revoked form Open Badges 2.0 gives for static hosts "
            "(revoked: true and the reason) and add the assertion to badges/revocations.json. The baked image and "
            "the 3.0 credential stay; verifiers find the revocation. A stack badge the assertion is a member of is revoked "
            "with it. With MICROCRED_SIGNING_KEY set, the 3.0 status lists are signed again with the revoked bits; "
            "without it, mint does so on its next run. Commit the files and merge them by pull request. "
            "Exit 0 when revoked, 1 when it already was, 2 for an unknown assertion or a usage error."
        ),
    )
    sub.add_argument(
        "assertion", metavar="ASSERTION", help="the assertion's uuid, its file (badges/assertions/UUID.json, or UUID.json), or its URL"
    )
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
    for stack_id in done.stacks:
        print(f"revoked {stack_id} too: the stack badge it is a member of")
    for rel in [*done.written, *status_lists(root, done.assertion_id, os.environ.get(SIGNING_KEY, ""))]:
        print(f"  wrote {rel}")
    print(
        "microcred: commit these files and merge them by pull request; the site shows the badge revoked after the next publish",
        file=sys.stderr,
    )
    return 0
