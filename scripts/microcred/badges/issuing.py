"""The Open Badges 3.0 form that verifiers and wallets outside the catalog accept, and the files it publishes.

A credential is issued by the catalog's `did:web` (did.py), carries a `credentialSchema` naming the official
AchievementCredential schema and a `credentialStatus` entry in a Bitstring Status List (statuslist.py), is
signed with an embedded Data Integrity proof (`eddsa-rdfc-2022`, the Ed25519 key; proof.py), and is then
wrapped as an RS256 VC-JWT whose `kid` is the address of the RSA key's JWK (jwk.py, vc.py). One file, the
token, per badge.

Published beside the badges: `badges/did.json` (every Ed25519 key ever used), `badges/keys/<kid>.json`
(one public JWK each) and `badges/keys.json` (all of them), `badges/status/N.json` (a signed list) and
`badges/status/N.allocated` (its taken entries). A district's endorsements (endorsements.py) are issued by
the district's own did:web under `badges/endorsements/<district>/`, with status lists of their own there.
A list's bits are derived, on every run, from the revocation list: a revoked badge's credential names its
entry, so revoking (2.0) and the 3.0 bit can never disagree once mint has run, and revoking needs no key.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from . import did, jwk, proof, statuslist, vc
from .files import WriteOnce
from .ob2 import dump
from .urls import Urls

EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"  # defines the schema validator's type
SCHEMAS = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
SCHEMA = {"id": f"{SCHEMAS}ob_v3p0_achievementcredential-jsonschema1.json", "type": "1EdTechJsonSchemaValidator2019"}
File = tuple[str, bytes]


@dataclass(frozen=True)
class Keys:
    """The two signing keys of the 3.0 form, from the environment's secrets."""

    proof: Ed25519PrivateKey  # the Data Integrity proof; published in did.json
    jwt: RSAPrivateKey  # the RS256 VC-JWT; published as a JWK


def xsd_time(moment: datetime) -> str:
    """An aware moment as the XML Schema dateTime in UTC that credentials and proofs carry."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Sealed:
    """A credential's token, written once, and the shared files its status entry changes (written over)."""

    token: File
    updates: tuple[File, ...]


class StatusLists:
    """One issuer's signed status lists in one folder under badges/: entries taken, bits following revocation.

    Needs only the Ed25519 key, so `revoke` can sign them again where that key is at hand.
    """

    def __init__(self, files: WriteOnce, urls: Urls, key: Ed25519PrivateKey, now: datetime, issuer: str, folder: str = "status") -> None:
        self.files, self.urls, self.key, self.now = files, urls, key, xsd_time(now)
        self.issuer, self.folder = issuer, f"{urls.base}{folder}/"
        self.method = did.method_id(issuer, vc.thumbprint(key))

    def url(self, number: int) -> str:
        return f"{self.folder}{number}.json"

    def _allocated(self, number: int) -> str:
        return self.urls.path(f"{self.folder}{number}.allocated")

    def number(self, url: str) -> int | None:
        """The number of one of these lists from its address; None for another address."""
        name = url.removeprefix(self.folder).removesuffix(".json") if url.startswith(self.folder) else ""
        return int(name) if name.isdigit() and url == self.url(int(name)) else None

    def take(self, credential_id: str) -> tuple[dict[str, Any], list[File]]:
        """A status entry for a new credential, and the files that record it (a new list when one is opened)."""
        number = 1
        while self.files.exists(self._allocated(number + 1)):
            number += 1
        raw = self.files.read(self._allocated(number))
        taken = statuslist.decode(raw.decode("ascii").strip()) if raw is not None else statuslist.empty()
        if all(byte == 0xFF for byte in taken):  # full: the next list, never a larger one
            number, taken = number + 1, statuslist.empty()
        index = statuslist.allocate(credential_id, taken)
        assert index is not None  # the list has a free entry
        updates: list[File] = [(self._allocated(number), (statuslist.encode(taken) + "\n").encode("ascii"))]
        if not self.files.exists(self.urls.path(self.url(number))):
            updates.append((self.urls.path(self.url(number)), self.document(number, statuslist.empty())))
        return statuslist.entry(self.url(number), index), updates

    def sync(self, tokens: Iterable[str]) -> list[File]:
        """The lists whose bits differ from the entries of the revoked credentials (their tokens' repository paths), signed again."""
        bits: dict[int, bytearray] = {}
        for rel in sorted(set(tokens)):
            entry = self._entry(rel)
            if entry is not None:
                statuslist.set_bit(bits.setdefault(entry[0], statuslist.empty()), entry[1])
        out = []
        number = 1
        while self.files.exists(self.urls.path(self.url(number))):
            wanted = bits.get(number, statuslist.empty())
            current = _json(self.files, self.urls.path(self.url(number)))
            subject = current.get("credentialSubject") if isinstance(current, dict) else None
            if not isinstance(subject, dict) or subject.get("encodedList") != statuslist.encode(wanted):
                out.append((self.urls.path(self.url(number)), self.document(number, wanted)))
            number += 1
        return out

    def _entry(self, rel: str) -> tuple[int, int] | None:
        """(list number, index) of a token's status entry in these lists; None for a token without one, or elsewhere."""
        raw = self.files.read(rel)
        status = vc.credential_of(vc.unverified_payload(raw.decode("ascii"))).get("credentialStatus") if raw else None
        if not isinstance(status, dict) or status.get("type") != "BitstringStatusListEntry":
            return None
        number, index = self.number(str(status.get("statusListCredential"))), str(status.get("statusListIndex"))
        return (number, int(index)) if number is not None and index.isdigit() else None

    def document(self, number: int, bits: bytearray) -> bytes:
        """List N signed with these bits, valid from this run."""
        listed = statuslist.list_credential(self.url(number), self.issuer, bits, self.now)
        return dump(proof.sign(listed, self.key, self.method, self.now))


class Issuing:
    """One run's 3.0 issuing over the repository's published files."""

    def __init__(self, files: WriteOnce, urls: Urls, keys: Keys, now: datetime) -> None:
        self.files, self.urls, self.keys, self.moment = files, urls, keys, now
        self.did = did.did_web(urls.site_url)
        self.kid = self.urls.key(jwk.thumbprint(keys.jwt))
        self.lists = StatusLists(files, urls, keys.proof, now, self.did)

    def publish_keys(self, published_jwks: Iterable[dict[str, Any]]) -> list[File]:
        """did.json with this run's Ed25519 key added, and the RSA key's JWK alone and in the key set (keys only grow)."""
        public = jwk.public_jwk(self.keys.jwt)
        key_set = vc.jwks([*(jwk.public_only(dict(k)) for k in published_jwks), public, self.keys.proof])
        return [
            self.did_document(self.did, self.urls.path(self.urls.did_document)),
            (self.urls.path(self.kid), dump(public)),
            (self.urls.path(self.urls.keys), dump(key_set)),
        ]

    def did_document(self, did_: str, rel: str) -> File:
        """A DID document at `rel` with the keys it already lists and this run's Ed25519 key."""
        known = did.published_keys(_json(self.files, rel))
        return rel, dump(did.document(did_, [*known, (vc.thumbprint(self.keys.proof), proof.multikey(self.keys.proof))]))

    def seal(self, credential: dict[str, Any], lists: StatusLists | None = None, schema: dict[str, str] = SCHEMA) -> Sealed:
        """One credential issued by the lists' issuer: its token, and the status files its entry changes."""
        lists = lists or self.lists
        entry, updates = lists.take(str(credential["id"]))
        issued = {
            **credential,
            "@context": [*credential["@context"], EXTENSIONS],
            "issuer": {**credential["issuer"], "id": lists.issuer},
            "credentialSchema": [schema],
            "credentialStatus": entry,
        }
        signed = proof.sign(issued, self.keys.proof, lists.method, str(credential["validFrom"]))
        token = vc.sign(signed, self.keys.jwt, kid=self.kid).encode("ascii")
        return Sealed((self.urls.path(str(credential["id"])), token), tuple(updates))


def _json(files: WriteOnce, rel: str) -> Any:
    raw = files.read(rel)
    return None if raw is None else json.loads(raw)
