"""The Open Badges 3.0 form that verifiers and wallets outside the catalog accept, and the files it publishes.

A credential is issued by the catalog's `did:web` (did.py), carries a `credentialSchema` naming the official
AchievementCredential schema and a `credentialStatus` entry in a Bitstring Status List (statuslist.py), is
signed with an embedded Data Integrity proof (`eddsa-rdfc-2022`, the Ed25519 key; proof.py), and is then
wrapped as an RS256 VC-JWT whose `kid` is the address of the RSA key's JWK (jwk.py, vc.py). One file, the
token, per badge.

Published beside the badges: `badges/did.json` (every Ed25519 key ever used), `badges/keys/<kid>.json`
(one public JWK each) and `badges/keys.json` (all of them), `badges/status/N.json` (a signed list) and
`badges/status/N.allocated` (its taken entries). A list's bits are derived, on every run, from the
revocation list: a revoked badge's credential names its entry, so revoking (2.0) and the 3.0 bit can never
disagree once mint has run, and revoking needs no signing key.
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
SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential-jsonschema1.json",
    "type": "1EdTechJsonSchemaValidator2019",
}
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


class Issuing:
    """One run's 3.0 issuing over the repository's published files."""

    def __init__(self, files: WriteOnce, urls: Urls, keys: Keys, now: datetime) -> None:
        self.files, self.urls, self.keys = files, urls, keys
        self.now = xsd_time(now)
        self.did = did.did_web(urls.site_url)
        self.method = did.method_id(self.did, vc.thumbprint(keys.proof))
        self.kid = self.urls.key(jwk.thumbprint(keys.jwt))
        self.lists = StatusLists(files, urls, keys.proof, now)

    # -- shared documents ------------------------------------------------------------------------

    def publish_keys(self, published_jwks: Iterable[dict[str, Any]]) -> list[File]:
        """did.json with this run's Ed25519 key added, and the RSA key's JWK alone and in the key set (keys only grow)."""
        known = did.published_keys(self._json(self.urls.path(self.urls.did_document)))
        document = did.document(self.did, [*known, (vc.thumbprint(self.keys.proof), proof.multikey(self.keys.proof))])
        public = jwk.public_jwk(self.keys.jwt)
        key_set = vc.jwks([*(jwk.public_only(dict(k)) for k in published_jwks), public, self.keys.proof])
        return [
            (self.urls.path(self.urls.did_document), dump(document)),
            (self.urls.path(self.kid), dump(public)),
            (self.urls.path(self.urls.keys), dump(key_set)),
        ]

    # -- one credential --------------------------------------------------------------------------

    def seal(self, credential: dict[str, Any]) -> Sealed:
        """One credential issued: its token, and its list's taken entries (and a new list when one is opened)."""
        number, taken = self._open_list()
        index = statuslist.allocate(str(credential["id"]), taken)
        assert index is not None  # _open_list gives a list with a free entry
        list_url = self.urls.status_list(number)
        issued = {
            **credential,
            "@context": [*credential["@context"], EXTENSIONS],
            "issuer": {**credential["issuer"], "id": self.did},
            "credentialSchema": [SCHEMA],
            "credentialStatus": statuslist.entry(list_url, index),
        }
        signed = proof.sign(issued, self.keys.proof, self.method, str(credential["validFrom"]))
        updates: list[File] = [(self.urls.path(self.urls.status_allocated(number)), (statuslist.encode(taken) + "\n").encode("ascii"))]
        if not self.files.exists(self.urls.path(list_url)):
            updates.append((self.urls.path(list_url), self.lists.document(number, statuslist.empty())))
        token = vc.sign(signed, self.keys.jwt, kid=self.kid).encode("ascii")
        return Sealed((self.urls.path(str(credential["id"])), token), tuple(updates))

    def _open_list(self) -> tuple[int, bytearray]:
        """The last list that still has a free entry (a new one when the last is full) and its taken entries."""
        number = 1
        while self.files.exists(self.urls.path(self.urls.status_allocated(number + 1))):
            number += 1
        raw = self.files.read(self.urls.path(self.urls.status_allocated(number)))
        taken = statuslist.decode(raw.decode("ascii").strip()) if raw is not None else statuslist.empty()
        if all(byte == 0xFF for byte in taken):
            return number + 1, statuslist.empty()
        return number, taken

    def _json(self, rel: str) -> Any:
        raw = self.files.read(rel)
        return None if raw is None else json.loads(raw)


class StatusLists:
    """The signed status lists, their bits following the revocation list; needs only the Ed25519 key."""

    def __init__(self, files: WriteOnce, urls: Urls, key: Ed25519PrivateKey, now: datetime) -> None:
        self.files, self.urls, self.key, self.now = files, urls, key, xsd_time(now)
        self.did = did.did_web(urls.site_url)
        self.method = did.method_id(self.did, vc.thumbprint(key))

    def sync(self, revoked: Iterable[str]) -> list[File]:
        """The status lists whose bits differ from the revoked credentials' entries, signed again."""
        bits: dict[int, bytearray] = {}
        for name in sorted(set(revoked)):
            entry = self._entry(name)
            if entry is not None:
                number, index = entry
                statuslist.set_bit(bits.setdefault(number, statuslist.empty()), index)
        out = []
        number = 1
        while self.files.exists(self.urls.path(self.urls.status_list(number))):
            wanted = bits.get(number, statuslist.empty())
            current = self._json(self.urls.path(self.urls.status_list(number)))
            subject = current.get("credentialSubject") if isinstance(current, dict) else None
            if not isinstance(subject, dict) or subject.get("encodedList") != statuslist.encode(wanted):
                out.append((self.urls.path(self.urls.status_list(number)), self.document(number, wanted)))
            number += 1
        return out

    def _entry(self, name: str) -> tuple[int, int] | None:
        """(list number, index) of a badge's status entry, in its credential or the one `--upgrade` wrote; None if neither has one."""
        for url in (self.urls.credential(name), self.urls.credential_upgraded(name)):
            raw = self.files.read(self.urls.path(url))
            status = vc.credential_of(vc.unverified_payload(raw.decode("ascii"))).get("credentialStatus") if raw else None
            if isinstance(status, dict) and status.get("type") == "BitstringStatusListEntry":
                number = self.urls.status_number(str(status.get("statusListCredential")))
                index = str(status.get("statusListIndex"))
                return (number, int(index)) if number is not None and index.isdigit() else None
        return None

    def document(self, number: int, bits: bytearray) -> bytes:
        """List N signed with these bits, valid from this run."""
        url = self.urls.status_list(number)
        return dump(proof.sign(statuslist.list_credential(url, self.did, bits, self.now), self.key, self.method, self.now))

    def _json(self, rel: str) -> Any:
        raw = self.files.read(rel)
        return None if raw is None else json.loads(raw)
