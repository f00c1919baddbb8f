"""Where a catalog's badges live: their ids, their addresses under the site's `badges/` folder, and the revoked ones.

Ids are name-based UUIDs derived from the submission (or the stack and earner), so an id is known before
minting and the same inputs give the same address wherever the site is published.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..catalog.model import Consortium

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")  # an assertion's name


def assertion_uuid(site_url: str, credential: str, submission: str) -> str:
    """The assertion id of a submission's badge: a name-based UUID, so it is known before minting."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{site_url}submissions/{credential}/{submission}"))


def stack_uuid(site_url: str, stack: str, login: str) -> str:
    """The assertion id of an earner's stack badge (GitHub logins compare case-insensitively, so lower case)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{site_url}stacks/{stack}/{login.lower()}"))


@dataclass(frozen=True)
class Urls:
    """Where each document is published: `badges/...` under the site's base URL, and the catalog's pages.

    A catalog with badge sites (consortium.yml's `badge_sites`) publishes each badge, its assertion, 3.0
    credential and page, on the site in effect on the day it was minted; everything else (the issuer, classes,
    keys, status and revocation lists) stays on the catalog's site. The repository holds every badge under
    `badges/` alike: the build sorts them out by their ids. `own` is the site of the badge at hand, `on` and
    `at` give it.
    """

    site_url: str  # ends with "/"
    sites: tuple[tuple[str, str], ...] = ()  # (first day, site URL) of each badge site, in the order of their days
    own: str | None = None  # the site of the badge at hand; the catalog's when None

    @classmethod
    def of(cls, consortium: Consortium) -> Urls:
        return cls(consortium.site_url, tuple((site.since, site.url) for site in consortium.badge_sites))

    @classmethod
    def of_data(cls, consortium: Mapping[str, Any]) -> Urls:
        """From consortium.yml as read, unchecked: a missing or odd field raises KeyError or TypeError."""
        return cls(str(consortium["site_url"]), tuple((str(s["from"]), str(s["url"])) for s in consortium.get("badge_sites") or ()))

    def on(self, moment: str) -> Urls:
        """The addresses of a badge minted at `moment` (ISO 8601, UTC): on the last site whose first day has come."""
        own = next((url for since, url in reversed(self.sites) if since <= moment[:10]), None)
        return replace(self, own=own)

    def at(self, url: str) -> Urls:
        """The addresses of the badge whose published id is `url`."""
        return replace(self, own=next((site for _, site in self.sites if url.startswith(f"{site}badges/")), None))

    @property
    def bases(self) -> tuple[str, ...]:
        """Every site whose `badges/` holds this catalog's badges: the catalog's first."""
        return (self.site_url, *(url for _, url in self.sites))

    @property
    def base(self) -> str:
        return f"{self.site_url}badges/"

    @property
    def own_site(self) -> str:
        """The site of the badge at hand: its assertion, credential and page are under its `badges/`."""
        return self.own or self.site_url

    @property
    def own_base(self) -> str:
        return f"{self.own_site}badges/"

    def canonical(self, url: str) -> str:
        """A badge address as on the catalog's site, so that ids compare whichever site publishes them."""
        own = self.at(url).own
        return self.base + url.removeprefix(f"{own}badges/") if own else url

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
        return f"{self.own_base}assertions/{name}.json"

    def credential(self, name: str) -> str:
        return f"{self.own_base}credentials/{name}.jwt"

    def credential_upgraded(self, name: str) -> str:
        """The 3.0 form written by `mint --upgrade` beside a credential of the first form."""
        return f"{self.own_base}credentials/upgraded/{name}.jwt"

    def badge_page(self, name: str) -> str:
        """The earned badge's page on the site: what a person reads, where the assertion is what a verifier reads."""
        return f"{self.own_base}earned/{name}/"

    def credential_page(self, credential: str) -> str:
        return f"{self.site_url}catalog/credentials/{credential}/"

    def stack_page(self, stack: str) -> str:
        return f"{self.site_url}catalog/stacks/{stack}/"

    def path(self, url: str) -> str:
        """The repository path of a badge URL on any of the sites (badges/... is published as it is)."""
        url = self.canonical(url)
        assert url.startswith(self.base), url
        return "badges/" + url.removeprefix(self.base)


def image(url: str) -> str:
    """The PNG beside a JSON document."""
    return url.removesuffix(".json") + ".png"


def assertion_url(site_url: str, credential: str, submission: str) -> str:
    """Where mint publishes the assertion of a submission's badge."""
    return Urls(site_url).assertion(assertion_uuid(site_url, credential, submission))


def revoked_ids(revocations: object, urls: Urls | None = None) -> frozenset[str]:
    """The assertion ids a revocation list names (its entries are ids, or objects with an id); none when it is no list.

    With `urls`, each id as on the catalog's site (Urls.canonical), to compare with `urls.assertion(uuid)`.
    """
    entries = revocations.get("revokedAssertions") if isinstance(revocations, dict) else None
    ids = (e.get("id") if isinstance(e, dict) else e for e in (entries if isinstance(entries, list) else ()))
    return frozenset(i if urls is None else urls.canonical(i) for i in ids if isinstance(i, str))
