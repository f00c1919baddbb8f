"""Blind review, pure: the opaque id of a relayed submission, its binding to the earner, and the public copy.

With `blind_review` in catalog/consortium.yml, earners submit in a private intake repository and a relay copies
each checked submission into the public catalog under an opaque id: an HMAC-SHA256 of the earner's login, the
credential and the attempt (the intake pull request's number) under the consortium's secret, so that it is
stable for a resubmission and cannot be guessed or recomputed without the secret. The binding of the id to the
earner (login, district, email hash) is kept in the intake repository alone; the gate and mint read it there.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .load import Refused, parse
from .yamltext import scalar

ID_LENGTH = 24  # hex digits: 96 bits, beyond guessing, short enough for a path
OPAQUE = re.compile(rf"[0-9a-f]{{{ID_LENGTH}}}")
BINDINGS = "bindings"  # the intake repository's folder of bindings, one file per opaque id
BRANCH = "blind/"  # the relay's branches in the public repository: blind/<opaque id>
KEY, INTAKE_TOKEN, RELAY_TOKEN = "MICROCRED_BLIND_KEY", "MICROCRED_INTAKE_TOKEN", "MICROCRED_RELAY_TOKEN"


class BindingError(Exception):
    """A binding that is missing, unreadable or does not match its opaque id; the message says which."""


def opaque_id(key: bytes, login: str, credential: str, attempt: int) -> str:
    """The public name of one attempt at a credential: HMAC-SHA256(key, login | credential | attempt), truncated."""
    message = f"{login.casefold()}|{credential}|{attempt}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:ID_LENGTH]


@dataclass(frozen=True)
class Binding:
    """Who stands behind an opaque id: kept in the intake repository, never in the public one."""

    id: str
    login: str
    district: str
    credential: str
    attempt: int  # the intake pull request's number
    email_hash: str | None = None
    email_salt: str | None = None

    @property
    def path(self) -> str:
        return binding_path(self.id)

    def earner(self) -> dict[str, str]:
        """The submission's `earner` as the intake submission had it, for minting the badge to its earner."""
        found = {"login": self.login, "district": self.district}
        if self.email_hash and self.email_salt:
            found |= {"email_hash": self.email_hash, "email_salt": self.email_salt}
        return found

    def to_yaml(self) -> str:
        lines = [
            "# Written by `microcred relay`: who stands behind a relayed submission. Never published.",
            f"id: {self.id}",
            f"login: {scalar(self.login)}",
            f"district: {scalar(self.district)}",
            f"credential: {scalar(self.credential)}",
            f"attempt: {self.attempt}",
        ]
        if self.email_hash and self.email_salt:
            lines += [f"email_hash: {scalar(self.email_hash)}", f"email_salt: {scalar(self.email_salt)}"]
        return "\n".join(lines) + "\n"


def binding_path(opaque: str) -> str:
    return f"{BINDINGS}/{opaque}.yml"


def read_binding(raw: bytes, opaque: str, key: bytes) -> Binding:
    """The binding of `opaque` from its file's bytes; BindingError when it cannot be read or its HMAC does not match."""
    where = f"the binding {opaque}"
    try:
        data = parse(raw.decode("utf-8"))
    except (UnicodeDecodeError, Refused):
        raise BindingError(f"{where} cannot be read") from None
    fields = {"login": str, "district": str, "credential": str, "attempt": int}
    if not isinstance(data, dict) or any(not isinstance(data.get(name), kind) for name, kind in fields.items()):
        raise BindingError(f"{where} lacks one of login, district, credential and attempt")
    hashed = data.get("email_hash"), data.get("email_salt")
    binding = Binding(
        opaque, data["login"], data["district"], data["credential"], data["attempt"], *(h if isinstance(h, str) else None for h in hashed)
    )
    if data.get("id") != opaque or not hmac.compare_digest(opaque_id(key, binding.login, binding.credential, binding.attempt), opaque):
        raise BindingError(f"{where} does not match its opaque id: its login, credential and attempt give another")
    return binding


def public_copy(submission: Mapping[str, Any], opaque: str) -> dict[str, Any]:
    """The submission as the public catalog gets it: named by the opaque id, nothing of the earner in it.

    The earner goes (their login, district and email hash are in the binding) and so does `resubmission`, whose
    `of` names the earlier submission by its intake id; what is left is what reviewers score.
    """
    kept: dict[str, Any] = {"id": opaque, "blind": opaque}
    for name, value in submission.items():
        if name not in ("id", "earner", "resubmission"):
            kept[name] = value
    return kept


def is_blind(submission: Mapping[str, Any]) -> bool:
    """Whether a submission is a relayed one, named by an opaque id instead of its earner."""
    return "blind" in submission and "earner" not in submission
