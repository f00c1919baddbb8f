"""The static index behind "Find my badges": an earner's email is hashed in their browser, never sent.

Open Badges hashes a recipient as "sha256$" + hex(sha256(email + salt)) with a salt per badge, so the browser
must try every salt: `salts.bin` lists each distinct salt once, with the first two bytes of every identity
hashed with it, in a compact binary form (about 20 bytes a badge). A salt whose hash starts like one of them
names a shard by the first three hex digits of that hash (`email/abc.json`, 4,096 shards at most), which holds
the full identities and their badges: one lookup downloads the salts and a shard or two. Badges that name their
earner by GitHub profile are found by login instead (`login/abc.json`, sharded by the login's SHA-256).

The index holds only what the badges already publish: salts, salted hashes, logins given as profiles, titles,
days and ids. Revoked badges are left out: their assertions no longer name the earner.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..catalog.model import Catalog
from ..catalog.validate import UsageError
from .earned import Earned

RECIPIENTS = "badges/recipients"  # under the site: salts.bin, stacks.json, email/, login/
SHARD = 3  # hex digits of a shard's name
PREFIX = 2  # bytes of each identity listed beside its salt
_HASH = re.compile(r"sha256\$([0-9a-f]{64})")
_SALT = re.compile(r"[0-9a-f]{1,254}")


class RecipientIndexError(UsageError):
    """A published badge whose recipient cannot go into the index; the message names the badge."""


def _entry(badge: Earned) -> dict[str, Any]:
    entry = {"u": badge.uuid, "k": badge.kind, "i": badge.item, "t": badge.title, "d": badge.day}
    entry |= {"x": badge.expires[:10]} if badge.expires else {}  # the day it expires, when it does
    return entry | ({"p": badge.page} if badge.own else {})  # a badge site's page, elsewhere than this site


def _salt_bytes(salt: str) -> bytes:
    """A salt's hex digits as bytes, an odd one padded with a zero nibble; its length in digits goes first."""
    return bytes([len(salt)]) + bytes.fromhex(salt + "0" * (len(salt) % 2))


def salts_file(pairs: Iterable[tuple[str, str]]) -> bytes:
    """Each distinct salt, then how many identity prefixes follow (1-255) and the prefixes; records in salt order."""
    by_salt: dict[str, set[bytes]] = {}
    for salt, digest in pairs:
        by_salt.setdefault(salt, set()).add(bytes.fromhex(digest[: 2 * PREFIX]))
    out = bytearray(b"MCS1")
    for salt in sorted(by_salt):
        prefixes = sorted(by_salt[salt])
        for start in range(0, len(prefixes), 255):
            chunk = prefixes[start : start + 255]
            out += _salt_bytes(salt) + bytes([len(chunk)]) + b"".join(chunk)
    return bytes(out)


def _dump(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")


def index_files(badges: Iterable[Earned], catalog: Catalog) -> dict[str, bytes]:
    """Every file of the index, by its path under RECIPIENTS. Same badges, same bytes."""
    emails: dict[str, dict[str, list[dict[str, Any]]]] = {}
    logins: dict[str, dict[str, list[dict[str, Any]]]] = {}
    pairs: list[tuple[str, str]] = []
    for badge in sorted(badges, key=lambda b: (b.issued_on, b.kind == "stack", b.uuid)):  # a stack after its last member
        if badge.revoked:
            continue
        if badge.login:
            login = badge.login.lower()
            shard = hashlib.sha256(login.encode("utf-8")).hexdigest()[:SHARD]
            logins.setdefault(shard, {}).setdefault(login, []).append(_entry(badge))
            continue
        found = _HASH.fullmatch(badge.recipient)
        if found is None:
            continue  # an md5 or other recipient: nothing the browser could compare
        if badge.salt is None or not _SALT.fullmatch(badge.salt):
            raise RecipientIndexError(
                f"badges/assertions/{badge.uuid}.json: its recipient's salt is not hexadecimal digits, as mint writes it"
            )
        pairs.append((badge.salt, found.group(1)))
        emails.setdefault(found.group(1)[:SHARD], {}).setdefault(badge.recipient, []).append(_entry(badge))
    stacks = [
        {
            "id": s.id,
            "t": s.title,
            "m": [{"i": m, "t": catalog.credentials[m].title if m in catalog.credentials else m} for m in s.members],
        }
        for s in sorted(catalog.stacks.values(), key=lambda s: s.id)
    ]
    files = {"salts.bin": salts_file(pairs), "stacks.json": _dump({"stacks": stacks})}
    files |= {f"email/{shard}.json": _dump(entries) for shard, entries in sorted(emails.items())}
    files |= {f"login/{shard}.json": _dump(entries) for shard, entries in sorted(logins.items())}
    return files


def write_index(site: Path, badges: Iterable[Earned], catalog: Catalog) -> int:
    """Write the index under site/badges/recipients/; the number of files."""
    files = index_files(badges, catalog)
    for rel, data in files.items():
        path = site / RECIPIENTS / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return len(files)
