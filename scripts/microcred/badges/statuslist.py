"""W3C Bitstring Status Lists: where each 3.0 credential's revocation bit lives, and the lists verifiers read.

Layout: lists of 131,072 entries (16 KiB, the specification's minimum for herd privacy), published as
`badges/status/N.json` (a `BitstringStatusListCredential` with a Data Integrity proof), each beside
`badges/status/N.allocated`, the same encoding of which entries are taken. A credential's index is the
first free entry from a place derived from its id (SHA-256), so indexes are scattered: neither an
earner's badges nor their order of minting sit together, and a list tells nobody how many badges one
earner holds. A full list is never resized: the next credential opens list N+1, so a list that
verifiers cached keeps its length and its entries. At most 131,072 credentials a list, any number of lists.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import zlib
from typing import Any

LENGTH = 131_072  # entries (bits) in a list
_BYTES = LENGTH // 8
_MAX_DECODED = 16 * 1024 * 1024  # a list larger than this is refused, not inflated (a gzip bomb)


class StatusListError(Exception):
    """An encoded list that cannot be read; the message says why."""


def empty() -> bytearray:
    return bytearray(_BYTES)


def encode(bits: bytes | bytearray) -> str:
    """The `encodedList` form: multibase base64url (no padding) of the gzip-compressed bitstring; deterministic."""
    packed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decode(text: str) -> bytearray:
    """The bitstring of an `encodedList`; a malformed or oversized list is a StatusListError."""
    if not isinstance(text, str) or not text.startswith("u"):
        raise StatusListError("the encodedList is not multibase base64url (it must start with 'u')")
    try:
        packed = base64.urlsafe_b64decode(text[1:] + "=" * (-len(text[1:]) % 4))
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip framing
        bits = inflater.decompress(packed, _MAX_DECODED + 1)
    except (ValueError, zlib.error) as err:
        raise StatusListError(f"the encodedList is not a gzip-compressed bitstring ({err})") from None
    if len(bits) > _MAX_DECODED or inflater.unconsumed_tail:
        raise StatusListError(f"the encodedList inflates past {_MAX_DECODED} bytes")
    if len(bits) < _BYTES:
        raise StatusListError(f"the list holds {len(bits) * 8} entries, fewer than the {LENGTH} a list must have")
    return bytearray(bits)


def is_set(bits: bytes | bytearray, index: int) -> bool:
    """Entry `index`; entry 0 is the most significant bit of the first byte."""
    if not 0 <= index < len(bits) * 8:
        raise StatusListError(f"statusListIndex {index} is outside the list of {len(bits) * 8} entries")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_bit(bits: bytearray, index: int) -> None:
    if not 0 <= index < len(bits) * 8:
        raise StatusListError(f"statusListIndex {index} is outside the list of {len(bits) * 8} entries")
    bits[index // 8] |= 0x80 >> (index % 8)


def allocate(credential_id: str, taken: bytearray) -> int | None:
    """Take the first free entry from the place the credential's id points to (wrapping round); None when full."""
    start = int.from_bytes(hashlib.sha256(credential_id.encode("utf-8")).digest()[:8], "big") % (len(taken) * 8)
    size = len(taken) * 8
    for step in range(size):
        index = (start + step) % size
        if not taken[index // 8] & (0x80 >> (index % 8)):
            set_bit(taken, index)
            return index
    return None


def entry(list_url: str, index: int) -> dict[str, Any]:
    """The `credentialStatus` of a credential whose revocation is entry `index` of the list at `list_url`."""
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def list_credential(list_url: str, issuer: str, bits: bytes | bytearray, valid_from: str) -> dict[str, Any]:
    """The unsigned `BitstringStatusListCredential` of a revocation list; `issuer` is the issuer's DID.

    Only the credentials v2 context applies here, which defines no Profile: the issuer is its bare id.
    """
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode(bits),
        },
    }
