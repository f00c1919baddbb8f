"""What earners already hold: one badge per earner and credential version, and one earner per email hash.

Mint refuses a second badge for a version its earner holds unrevoked (a resubmission that was approved
replaces nothing: the first badge stands), and a recipient hash that another login's badge already
carries, so that no badge reads as someone else's to whoever checks an address against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .approval import NotMintable


@dataclass
class Holdings:
    versions: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (login, credential, version) -> submission id
    hashes: dict[str, tuple[str, str]] = field(default_factory=dict)  # email hash -> (login, submission id)

    def add(self, submission: Mapping[str, Any]) -> None:
        login = str(submission["earner"]["login"]).casefold()
        key = (login, submission["credential"], submission["version"])
        if submission.get("renews") and submission["renews"] == self.versions.get(key):
            self.versions[key] = submission["id"]  # a renewal stands for the badge it renews from now on
        self.versions.setdefault(key, submission["id"])
        if email_hash := submission["earner"].get("email_hash"):
            self.hashes.setdefault(email_hash, (login, submission["id"]))

    def refuse(self, submission: Mapping[str, Any]) -> None:
        """Raise NotMintable when the submission's earner holds its version, or its hash stands for someone else."""
        earner = submission["earner"]
        login = str(earner["login"]).casefold()
        held = self.versions.get((login, submission["credential"], submission["version"]))
        if held is not None and held != submission["id"] and submission.get("renews") != held:
            raise NotMintable(f"{earner['login']} already holds {submission['credential']} {submission['version']} (the badge for {held})")
        owner = self.hashes.get(earner.get("email_hash") or "")
        if owner is not None and owner[0] != login:
            raise NotMintable(f"its email hash is the recipient of the badge for {owner[1]}, another earner's")
