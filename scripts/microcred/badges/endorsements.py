"""District endorsements as badges: what each district gives for each micro-credential it endorses, signed.

For every district and every published micro-credential version it endorses (directly or through a stack),
mint publishes under `badges/endorsements/<district>/`:

- `<credential>-<version>.json`, an Open Badges 2.0 `Endorsement` of the BadgeClass, hosted and issued by the
  district's 2.0 profile `issuer.json`;
- with both signing keys, `<credential>-<version>.jwt`, an Open Badges 3.0 `EndorsementCredential` issued by
  the district's own `did:web` (its `did.json` lists the consortium's key: the consortium signs for its
  member districts, whose endorsements are the district files its maintainers merged), with a status list
  of the district's own in `status/`.

The endorsement comment says what the district gives for the credential and names the version of the district
file (its last commit). An endorsement the district file no longer makes is revoked: its hosted 2.0 document
takes the revoked form, the revocation list names it, and the 3.0 status bit follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..catalog.district import District
from ..catalog.incentives import award, conditions
from ..catalog.model import Catalog, Consortium, Credential
from ..catalog.words import join_and
from .ob2 import CONTEXT, Document
from .ob3 import CONTEXT as CONTEXT_3
from .urls import Urls

SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential-jsonschema1.json",
    "type": "1EdTechJsonSchemaValidator2019",
}


@dataclass(frozen=True)
class Endorsement:
    """One district's endorsement of one credential version, and where its documents live."""

    district: District
    credential: Credential
    urls: Urls

    @property
    def folder(self) -> str:
        return f"{self.urls.base}endorsements/{self.district.id}/"

    @property
    def hosted(self) -> str:
        return f"{self.folder}{self.credential.id}-{self.credential.version}.json"

    @property
    def token(self) -> str:
        return f"{self.folder}{self.credential.id}-{self.credential.version}.jwt"

    @property
    def profile(self) -> str:
        return f"{self.folder}issuer.json"


def district_did(consortium_did: str, district_id: str) -> str:
    """The district's did:web: its document is `badges/endorsements/<district>/did.json`."""
    return f"{consortium_did}:endorsements:{district_id}"


def current(catalog: Catalog) -> list[Endorsement]:
    """Every endorsement the catalog makes now: each district and each published credential it endorses, sorted."""
    urls = Urls(catalog.consortium.site_url)
    out = []
    for district in catalog.districts.values():
        for credential_id in catalog.endorsed(district):
            credential = catalog.credentials.get(credential_id)
            if credential is not None and credential.status == "published":
                out.append(Endorsement(district, credential, urls))
    return out


def comment(endorsement: Endorsement, district_version: str) -> str:
    """What the district says of the credential: what it gives, on what conditions, and which district file says so."""
    d, c = endorsement.district, endorsement.credential
    gives = award(d, c).phrases()
    given = f"a teacher who earns it receives {join_and(gives)}" if gives else "it recognises it without a set incentive"
    return (
        f"{d.name} endorses {c.title} (version {c.version}) for its teachers: {given} "
        f"({'; '.join(conditions(d))}). Stated in the district file catalog/districts/{d.id}.yml at {district_version}."
    )


def profile(district: District, consortium: Consortium, endorsement: Endorsement) -> Document:
    """The district's Open Badges 2.0 profile, the issuer of its 2.0 endorsements."""
    doc: Document = {"@context": CONTEXT, "type": "Profile", "id": endorsement.profile, "name": district.name}
    doc["url"] = district.url or endorsement.urls.site_url + f"catalog/districts/{district.id}/"
    doc["email"] = district.contact_email or consortium.email
    return doc


def hosted(endorsement: Endorsement, text: str, issued_on: str) -> Document:
    """The Open Badges 2.0 Endorsement of the credential version's BadgeClass."""
    return {
        "@context": CONTEXT,
        "type": "Endorsement",
        "id": endorsement.hosted,
        "claim": {
            "id": endorsement.urls.badge_class(endorsement.credential.id, endorsement.credential.version),
            "endorsementComment": text,
        },
        "issuer": endorsement.profile,
        "issuedOn": issued_on,
        "verification": {"type": "hosted"},
    }


def credential(endorsement: Endorsement, text: str, issued_on: str) -> dict[str, Any]:
    """The unsigned Open Badges 3.0 EndorsementCredential (issuing.py adds issuer id, schema, status and proofs)."""
    d, c = endorsement.district, endorsement.credential
    return {
        "@context": CONTEXT_3,
        "id": endorsement.token,
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": f"{d.name} endorses {c.title}",
        "issuer": {"id": "", "type": ["Profile"], "name": d.name, "url": d.url or endorsement.urls.site_url},
        "validFrom": issued_on,
        "credentialSubject": {
            "id": endorsement.urls.badge_class(c.id, c.version),
            "type": ["EndorsementSubject"],
            "endorsementComment": text,
        },
    }
