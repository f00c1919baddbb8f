"""Where a catalog's badges live: their ids, their addresses under the site's `badges/` folder, and the revoked ones.

Ids are name-based UUIDs derived from the submission (or the stack and earner), so an id is known before
minting and the same inputs give the same address wherever the site is published.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")  # an assertion's name


def assertion_uuid(site_url: str, credential: str, submission: str) -> str:
    """The assertion id of a submission's badge: a name-based UUID, so it is known before minting."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{site_url}submissions/{credential}/{submission}"))


def stack_uuid(site_url: str, stack: str, login: str) -> str:
    """The assertion id of an earner's stack badge (GitHub logins compare case-insensitively, so lower case)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{site_url}stacks/{stack}/{login.lower()}"))


@dataclass(frozen=True)
class Urls:
    """Where each document is published: `badges/...` under the site's base URL, and the catalog's pages."""

    site_url: str  # ends with "/"

    @property
    def base(self) -> str:
        return f"{self.site_url}badges/"

    @property
    def issuer(self) -> str:
        return f"{self.base}issuer.json"

    @property
    def revocations(self) -> str:
        return f"{self.base}revocations.json"

    @property
    def issuer_v3(self) -> str:
        return f"{self.base}issuer-v3.json"

    @property
    def keys(self) -> str:
        return f"{self.base}keys.json"

    @property
    def did_document(self) -> str:
        return f"{self.base}did.json"

    def key(self, kid: str) -> str:
        """The address of one published public JWK, which an RS256 token's kid names."""
        return f"{self.base}keys/{kid}.json"

    def badge_class(self, credential: str, version: str) -> str:
        return f"{self.base}classes/{credential}-{version}.json"

    def stack_class(self, stack: str) -> str:
        return f"{self.base}classes/stack-{stack}.json"

    def assertion(self, name: str) -> str:
        return f"{self.base}assertions/{name}.json"

    def credential(self, name: str) -> str:
        return f"{self.base}credentials/{name}.jwt"

    def credential_upgraded(self, name: str) -> str:
        """The 3.0 form written by `mint --upgrade` beside a credential of the first form."""
        return f"{self.base}credentials/upgraded/{name}.jwt"

    def badge_page(self, name: str) -> str:
        """The earned badge's page on the site: what a person reads, where the assertion is what a verifier reads."""
        return f"{self.base}earned/{name}/"

    def credential_page(self, credential: str) -> str:
        return f"{self.site_url}catalog/credentials/{credential}/"

    def stack_page(self, stack: str) -> str:
        return f"{self.site_url}catalog/stacks/{stack}/"

    def path(self, url: str) -> str:
        """The repository path of a badge URL (badges/... is published as it is)."""
        assert url.startswith(self.base), url
        return "badges/" + url.removeprefix(self.base)


def image(url: str) -> str:
    """The PNG beside a JSON document."""
    return url.removesuffix(".json") + ".png"


def assertion_url(site_url: str, credential: str, submission: str) -> str:
    """Where mint publishes the assertion of a submission's badge."""
    return Urls(site_url).assertion(assertion_uuid(site_url, credential, submission))


def revoked_ids(revocations: object) -> frozenset[str]:
    """The assertion ids a revocation list names (its entries are ids, or objects with an id); none when it is no list."""
    entries = revocations.get("revokedAssertions") if isinstance(revocations, dict) else None
    ids = (e.get("id") if isinstance(e, dict) else e for e in (entries if isinstance(entries, list) else ()))
    return frozenset(i for i in ids if isinstance(i, str))
