"""`microcred bake`: a 3.0 credential baked into its badge's image, made on demand rather than stored per badge.

The image is the artwork of the credential's achievement (the badge class's PNG under `badges/classes/`), with
the VC-JWT in an iTXt chunk `openbadgecredential`, as Open Badges 3.0 bakes; nothing in `badges/` changes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..catalog.validate import UsageError, repository_root
from . import artwork, vc
from .urls import UUID

CREDENTIALS = "badges/credentials"


def _token(root: Path, given: str) -> tuple[str, str]:
    """(uuid, token) of the credential named by a uuid, an assertion or credential file name, or a path."""
    found = UUID.search(Path(given).name.lower())
    if found is None:
        raise UsageError(f"{given}: give a badge's uuid, or its assertion or credential file")
    rel = f"{CREDENTIALS}/{found.group()}.jwt"
    if not (root / rel).is_file():
        raise UsageError(f"{given}: no 3.0 credential {rel} (it is minted with MICROCRED_SIGNING_KEY set)")
    return found.group(), (root / rel).read_text(encoding="ascii").strip()


def _artwork(root: Path, token: str) -> bytes:
    """The PNG of the credential's achievement, from the repository's badges/ folder."""
    try:
        credential = vc.credential_of(vc.unverified_payload(token))
    except vc.VcError as err:
        raise UsageError(f"the credential cannot be read: {err}") from None
    subject: Any = credential.get("credentialSubject")
    image = subject.get("achievement", {}).get("image") if isinstance(subject, dict) else None
    url = image.get("id") if isinstance(image, dict) else image
    if not isinstance(url, str) or "/badges/classes/" not in url:
        raise UsageError("the credential's achievement names no artwork under badges/classes/")
    rel = "badges/classes/" + url.rsplit("/badges/classes/", 1)[1]
    if not (root / rel).is_file():
        raise UsageError(f"the artwork {rel} is missing")
    return (root / rel).read_bytes()


def bake(root: Path, given: str) -> tuple[str, bytes]:
    """(uuid, PNG) of a minted credential baked into its artwork."""
    uuid, token = _token(root, given)
    try:
        return uuid, artwork.bake(_artwork(root, token), token, artwork.KEYWORD_3)
    except artwork.ArtworkError as err:
        raise UsageError(f"the artwork cannot be baked: {err}") from None


def add_parser(commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser, brief: str) -> None:
    """`microcred bake BADGE [-o FILE]`."""
    sub = commands.add_parser(
        "bake",
        parents=[common],
        help=brief,
        description=(
            "Write the badge's image with its signed Open Badges 3.0 credential baked in (PNG iTXt chunk "
            "openbadgecredential), for an earner to keep or upload to a wallet. Nothing in badges/ changes. "
            "Exit 0 when written, 2 for an unknown badge or a usage error."
        ),
    )
    sub.add_argument("badge", metavar="BADGE", help="the badge's uuid, or its assertion (.json) or credential (.jwt) file")
    sub.add_argument("-o", "--output", metavar="FILE", help="where to write the PNG (default: UUID.png here); never over a file")
    sub.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    uuid, png = bake(repository_root(args.root), args.badge)
    out = Path(args.output) if args.output else Path(f"{uuid}.png")
    try:
        with out.open("xb") as handle:
            handle.write(png)
    except FileExistsError:
        raise UsageError(f"{out} exists; give another --output") from None
    print(f"wrote {out}: the 3.0 credential {uuid} baked into its badge image", file=sys.stderr)
    return 0
