"""An email address as Open Badges hashes a recipient: sha256$ of the address and a salt."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from pathlib import Path

from ..catalog.layout import discover
from ..catalog.schemas import SchemaSet
from ..catalog.store import Store
from ..catalog.validate import UsageError

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_SALT = re.compile(r"[0-9a-f]{16,64}")
SALT_BYTES = 16


def hash_email(email: str, salt: str | None = None) -> tuple[str, str]:
    """An Open Badges hashed recipient: ("sha256$" + hex(sha256(email + salt)), salt).

    The address is normalised (surrounding space removed, lower case); the salt
    is random unless given. Errors never repeat the address.
    """
    address = email.strip().lower()
    if not _EMAIL.fullmatch(address):
        raise UsageError("that is not an email address (name@example.org); nothing was written")
    if salt is None:
        salt = secrets.token_hex(SALT_BYTES)
    elif not _SALT.fullmatch(salt):
        raise UsageError("--salt: give 16 to 64 lower-case hexadecimal digits (0-9, a-f)")
    return "sha256$" + hashlib.sha256((address + salt).encode("utf-8")).hexdigest(), salt


def district_salt(root: Path, district: str) -> str | None:
    """The recipient salt a district's file gives, if any; a usage error for a district the catalog lacks."""
    store = Store(root, SchemaSet(root / "schemas"), discover(root))
    data = store.valid("district", district)
    if data is None:
        raise UsageError(f"--district {district}: no valid district file catalog/districts/{district}.yml")
    salt = data.get("recipient_salt")
    return salt if isinstance(salt, str) else None


def email_lines(email_hash: str, salt: str) -> str:
    """The two lines to paste under `earner:` in a submission."""
    return f"email_hash: {email_hash}\nemail_salt: {json.dumps(salt)}\n"
