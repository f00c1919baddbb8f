"""`microcred bake`: a badge baked into its image, made on demand rather than stored per badge.

The image is the artwork of the credential's achievement (the badge class's PNG under `badges/classes/`), with
the VC-JWT in an iTXt chunk `openbadgecredential`, as Open Badges 3.0 bakes. A badge minted without the 3.0
form is baked the 2.0 way instead: its assertion, byte for byte, in an `openbadges` chunk of its badge class's
artwork. Nothing in `badges/` changes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..catalog.validate import UsageError, repository_root
from . import artwork, vc
from .urls import UUID

CREDENTIALS, ASSERTIONS = "badges/credentials", "badges/assertions"


def _uuid(given: str) -> str:
    found = UUID.search(Path(given).name.lower())
    if found is None:
        raise UsageError(f"{given}: give a badge's uuid, or its assertion or credential file")
    return found.group()


def _class_artwork(root: Path, url: object, what: str) -> bytes:
    """The PNG of a badge class, by the address of the class or of its image."""
    if not isinstance(url, str) or "/badges/classes/" not in url:
        raise UsageError(f"{what} names no artwork under badges/classes/")
    rel = "badges/classes/" + url.rsplit("/badges/classes/", 1)[1].removesuffix(".json").removesuffix(".png") + ".png"
    if not (root / rel).is_file():
        raise UsageError(f"the artwork {rel} is missing")
    return (root / rel).read_bytes()


def _assertion(root: Path, given: str, uuid: str) -> tuple[str, bytes]:
    """(the assertion's text, its class artwork) for a badge minted in the 2.0 form only."""
    rel = f"{ASSERTIONS}/{uuid}.json"
    if not (root / rel).is_file():
        raise UsageError(f"{given}: no badge {uuid}: neither {CREDENTIALS}/{uuid}.jwt nor {rel} exists")
    text = (root / rel).read_text(encoding="utf-8")
    try:
        document = json.loads(text)
    except ValueError as err:
        raise UsageError(f"{rel} is not valid JSON ({err}); restore it from git") from None
    badge = document.get("badge") if isinstance(document, dict) else None
    return text, _class_artwork(root, badge, rel)


def _artwork(root: Path, token: str) -> bytes:
    """The PNG of the credential's achievement, from the repository's badges/ folder."""
    try:
        credential = vc.credential_of(vc.unverified_payload(token))
    except vc.VcError as err:
        raise UsageError(f"the credential cannot be read: {err}") from None
    subject: Any = credential.get("credentialSubject")
    image = subject.get("achievement", {}).get("image") if isinstance(subject, dict) else None
    return _class_artwork(root, image.get("id") if isinstance(image, dict) else image, "the credential's achievement")


def bake(root: Path, given: str) -> tuple[str, str, bytes]:
    """(uuid, form, PNG) of a minted badge baked into its artwork: its 3.0 credential, or its 2.0 assertion without one."""
    uuid = _uuid(given)
    token_file = root / f"{CREDENTIALS}/{uuid}.jwt"
    try:
        if token_file.is_file():
            token = token_file.read_text(encoding="ascii").strip()
            return uuid, "3.0 credential", artwork.bake(_artwork(root, token), token, artwork.KEYWORD_3)
        text, png = _assertion(root, given, uuid)
        return uuid, "2.0 assertion", artwork.bake(png, text, artwork.KEYWORD)
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
            "openbadgecredential), for an earner to keep or upload to a wallet; a badge minted without the 3.0 form "
            "gets its Open Badges 2.0 assertion baked in (chunk openbadges). Nothing in badges/ changes. "
            "Exit 0 when written, 2 for an unknown badge or a usage error."
        ),
    )
    sub.add_argument("badge", metavar="BADGE", help="the badge's uuid, or its assertion (.json) or credential (.jwt) file")
    sub.add_argument("-o", "--output", metavar="FILE", help="where to write the PNG (default: UUID.png here); never over a file")
    sub.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    uuid, form, png = bake(repository_root(args.root), args.badge)
    out = Path(args.output) if args.output else Path(f"{uuid}.png")
    try:
        with out.open("xb") as handle:
            handle.write(png)
    except FileExistsError:
        raise UsageError(f"{out} exists; give another --output") from None
    print(f"wrote {out}: the {form} {uuid} baked into its badge image", file=sys.stderr)
    return 0
