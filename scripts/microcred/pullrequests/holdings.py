"""Who the earner is and what they already hold: the district the maintainers bind them to, badges that stand.

check-pr refuses a submission whose district is not the one catalog/earners.yml lists its earner under (MC307),
a second submission for a version its earner holds (MC305) and an email hash that stands for another earner
(MC306); the gate and mint apply the binding again, and mint refuses the other two for what is merged anyway.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from ..badges.urls import Urls, assertion_url, revoked_ids
from ..catalog.load import Document
from ..catalog.model import earners_of
from ..catalog.problems import Problem
from ..catalog.store import Store
from ..catalog.validate import git_or_none


class Base(Protocol):
    """The side of a pull request these checks read: the repository, the base ref, and files at a commit."""

    @property
    def root(self) -> Path: ...

    @property
    def ref(self) -> str: ...

    def show(self, commit: str, rel: str) -> Any: ...


def earned(pr: Base, credential: str, login: str) -> bool:
    """Whether `login` holds a badge for `credential` on the base ref: minted for a submission of theirs, not revoked."""
    return bool(held_badges(pr, credential, login))


def held_badges(pr: Base, credential: str, login: str) -> list[dict[str, Any]]:
    """The submissions of `login` for `credential` on the base ref whose badge is minted and not revoked."""
    consortium = pr.show(pr.ref, "catalog/consortium.yml")
    site_url = consortium.get("site_url") if isinstance(consortium, dict) else None
    try:
        urls: Urls | None = Urls.of_data(consortium) if isinstance(consortium, dict) else None
    except (KeyError, TypeError, AttributeError):
        urls = None
    revoked = revoked_ids(pr.show(pr.ref, "badges/revocations.json"), urls)  # JSON is YAML: the safe loader reads it
    held = []
    for data in naming(pr, login, f"submissions/{credential}/"):
        earner = data.get("earner")
        if data.get("credential") != credential or not isinstance(earner, dict) or not isinstance(site_url, str):
            continue
        if str(earner.get("login", "")).lower() == login.lower():
            url = assertion_url(site_url, credential, str(data.get("id")))
            assertion = pr.show(pr.ref, Urls(site_url).path(url))
            if isinstance(assertion, dict) and assertion.get("revoked") is not True and url not in revoked:
                held.append(data)
    return held


def naming(pr: Base, text: str, folder: str) -> Iterator[dict[str, Any]]:
    """The submissions on the base ref under `folder` whose text holds `text`: git grep narrows, so only those are parsed."""
    found = git_or_none(pr.root, "grep", "-l", "-z", "-i", "-F", "-e", text, pr.ref, "--", folder)
    for entry in (found or "").split("\0"):
        data = pr.show(pr.ref, entry.removeprefix(f"{pr.ref}:")) if entry else None
        if isinstance(data, dict):
            yield data


def holdings(pr: Base, doc: Document) -> Iterator[Problem]:
    """One earner holds a credential version once, and an email hash stands for one earner only.

    Otherwise an earner could collect a second badge for what they hold, or put another teacher's hash and salt
    in their submission so that the badge reads as that teacher's to anyone who checks the address.
    """
    data, login = doc.data, doc.data["earner"]["login"]
    badges = list(held_badges(pr, data["credential"], login))
    renewing = data.get("renews") in {held.get("id") for held in badges}  # a renewal of a badge held: a version earned again
    for held in badges:
        if held.get("version") == data["version"] and held.get("id") != data["id"] and not renewing:
            name = f"{data['credential']} {data['version']}"
            message = f"{login} already holds {name} (the badge for {held.get('id')}); a version is earned once"
            yield doc.problem("MC305", message, ("version",))
    email_hash = data["earner"].get("email_hash")
    if email_hash:
        for other in naming(pr, email_hash, "submissions/"):
            earner = other.get("earner")
            owner = earner.get("login") if isinstance(earner, dict) else None
            if (
                isinstance(earner, dict)
                and isinstance(owner, str)
                and owner.lower() != login.lower()
                and earner.get("email_hash") == email_hash
            ):
                message = f"this email hash stands for {owner} in {other.get('id')}; hash your own address with `microcred hash-email`"
                yield doc.problem("MC306", message, ("earner", "email_hash"))
                return


def bound(store: Store, doc: Document) -> Iterator[Problem]:
    """The earner's district is the one catalog/earners.yml lists them under, not what the submission declares."""
    login, district = doc.data["earner"]["login"], doc.data["earner"]["district"]
    data = store.valid("earners", "earners")
    where = ("earner", "district")
    if data is None:
        message = f"no valid catalog/earners.yml says which district {login} teaches in; a maintainer keeps that list"
        yield doc.problem("MC307", message, where)
        return
    districts = earners_of(data)
    if login.casefold() not in districts:
        message = f"{login} is not listed in catalog/earners.yml; ask {district} to have a maintainer add your login under it"
        yield doc.problem("MC307", message, where)
    elif districts[login.casefold()] != district:
        yield doc.problem("MC307", f"catalog/earners.yml lists {login} under {districts[login.casefold()]}, not {district}", where)
    salt = (store.valid("district", district) or {}).get("recipient_salt")
    given = doc.data["earner"].get("email_salt")
    if salt and given and given != salt:
        # With the district's one salt, an address gives one hash, so MC306 sees another earner's address reused.
        message = f"{district} hashes its earners' addresses with its own salt: run `microcred hash-email --district {district}`"
        yield doc.problem("MC306", message, ("earner", "email_salt"))
