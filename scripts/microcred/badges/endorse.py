"""`microcred endorse`: publish the endorsements the district files make, and revoke those they no longer make.

The mint-and-publish workflow runs it after `mint`, with the same keys: the 2.0 endorsements need none, the
signed 3.0 endorsements both (endorsements.py says what each holds). Files are written like mint's: once,
atomically, the hosted 2.0 endorsement last; a second run writes nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..catalog.model import Catalog, Credential
from ..catalog.validate import git_or_none, repository_root, validate
from . import artwork, endorsements, ob2
from .files import WriteOnce, remove_temporaries
from .issuing import Issuing, Keys, StatusLists, xsd_time
from .ob2 import dump
from .revoke import gone, with_revoked
from .runsettings import now_given, signing_keys
from .urls import Urls, image, revoked_ids

LIST = "badges/revocations.json"


@dataclass
class Endorsed:
    """What the step wrote: endorsements published, and endorsements revoked."""

    published: list[str] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)


class Endorse:
    """One run of the step over the repository's published files."""

    def __init__(self, root: Path, catalog: Catalog, keys: Keys | None, now: datetime) -> None:
        self.root, self.files, self.catalog = root, WriteOnce(root), catalog
        self.urls, self.now = Urls.of(catalog.consortium), xsd_time(now)
        self.issuing = Issuing(self.files, self.urls, keys, now) if keys is not None else None
        self.done = Endorsed()

    def run(self) -> Endorsed:
        remove_temporaries(self.root)
        consortium = self.catalog.consortium
        self.files.write(self.urls.path(self.urls.issuer), dump(ob2.issuer(consortium, self.urls)))  # as mint writes them
        self.files.write(self.urls.path(self.urls.revocations), dump(ob2.revocation_list(self.urls)))
        if self.issuing is not None:
            published = self._json(self.urls.path(self.urls.keys))
            for rel, data in self.issuing.publish_keys(published.get("keys", []) if isinstance(published, dict) else []):
                self.files.replace(rel, data)
        revoked = revoked_ids(self._json(self.urls.path(self.urls.revocations)), self.urls)
        wanted = endorsements.current(self.catalog)
        for endorsement in wanted:
            if endorsement.hosted not in revoked:
                self._publish(endorsement)
        self._withdraw({e.hosted for e in wanted}, revoked)
        return self.done

    def _publish(self, endorsement: endorsements.Endorsement) -> None:
        rel = self.urls.path(endorsement.hosted)
        existing = self._json(rel)
        if existing is None:
            self._badge_class(endorsement.credential)
            district_file = f"catalog/districts/{endorsement.district.id}.yml"
            version = (git_or_none(self.root, "log", "-1", "--format=%h", "--", district_file) or "").strip()
            text = endorsements.comment(endorsement, f"commit {version}" if version else "a state not yet committed")
            profile = endorsements.profile(endorsement.district, self.catalog.consortium, endorsement)
            self.files.write(self.urls.path(endorsement.profile), dump(profile))
            issued_on = self.now
        else:
            text, issued_on = str(existing["claim"]["endorsementComment"]), str(existing["issuedOn"])
        if self.issuing is not None and not self.files.exists(self.urls.path(endorsement.token)):
            lists = self._lists(endorsement.district.id)
            self.files.replace(*self.issuing.did_document(lists.issuer, self.urls.path(f"{endorsement.folder}did.json")))
            sealed = self.issuing.seal(endorsements.credential(endorsement, text, issued_on), lists, endorsements.SCHEMA)
            for path, data in sealed.updates:
                self.files.replace(path, data)
            self.files.write(*sealed.token)
        if existing is None:  # the hosted 2.0 endorsement last: its presence means published
            self.files.write(rel, dump(endorsements.hosted(endorsement, text, issued_on)))
            self.done.published.append(rel)

    def _withdraw(self, wanted: set[str], revoked: frozenset[str]) -> None:
        """Revoke each published endorsement the district files no longer make; the status bits follow."""
        folder = self.root / "badges" / "endorsements"
        reasons: dict[str, str] = {}
        for path in sorted(folder.glob("*/*.json")) if folder.is_dir() else []:
            rel = path.relative_to(self.root).as_posix()
            url = self.urls.site_url + rel
            if path.name in ("issuer.json", "did.json") or url in wanted:
                continue
            doc = self._json(rel)
            if not isinstance(doc, dict) or doc.get("type") != "Endorsement" or doc.get("revoked") is True or url in revoked:
                continue
            district = path.parent.name
            why = f"no longer endorsed: catalog/districts/{district}.yml does not endorse this version any more"
            reasons[url] = why
            self.files.replace(rel, gone(doc, url, why, "Endorsement"))
            self.done.revoked.append(rel)
        if reasons:
            self.files.replace(LIST, with_revoked(self.root, reasons))
        if self.issuing is not None and folder.is_dir():
            listed = revoked | set(reasons)
            for district in sorted(p.name for p in folder.iterdir() if (p / "status").is_dir()):
                tokens = [
                    self.urls.path(u.removesuffix(".json") + ".jwt")
                    for u in listed
                    if u.startswith(f"{self.urls.base}endorsements/{district}/")
                ]
                for path_, data in self._lists(district).sync(tokens):
                    self.files.replace(path_, data)

    def _badge_class(self, credential: Credential) -> None:
        """The BadgeClass an endorsement names, and its artwork, where absent (mint writes them the same way)."""
        url = self.urls.badge_class(credential.id, credential.version)
        if not self.files.exists(self.urls.path(image(url))):
            colors = (self.catalog.consortium.primary_color, self.catalog.consortium.accent_color)
            self.files.write(self.urls.path(image(url)), artwork.badge_png(credential.title, *colors, f"Version {credential.version}"))
        self.files.write(self.urls.path(url), dump(ob2.badge_class(credential, self.catalog.rubrics[credential.rubric], self.urls)))

    def _lists(self, district_id: str) -> StatusLists:
        assert self.issuing is not None
        issuer = endorsements.district_did(self.issuing.did, district_id)
        key = self.issuing.keys.proof
        return StatusLists(self.files, self.urls, key, self.issuing.moment, issuer, f"endorsements/{district_id}/status")

    def _json(self, rel: str) -> Any:
        raw = self.files.read(rel)
        return None if raw is None else json.loads(raw)


def add_parser(commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser, brief: str) -> None:
    """`microcred endorse [--now ISO]`."""
    sub = commands.add_parser(
        "endorse",
        parents=[common],
        help=brief,
        description=(
            "For every district and every published micro-credential version it endorses, write into "
            "badges/endorsements/DISTRICT/ an Open Badges 2.0 Endorsement and, with MICROCRED_SIGNING_KEY and "
            "MICROCRED_JWT_KEY, a signed Open Badges 3.0 EndorsementCredential issued by the district's did:web; "
            "revoke the endorsements the district files no longer make. Exit 0 when done, 1 for an invalid catalog, "
            "2 on a usage error."
        ),
    )
    sub.add_argument("--now", metavar="ISO", help="the time of the run (default: now)")
    sub.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = repository_root(args.root)
    result = validate(root)
    if result.errors or result.store is None:
        first = result.errors[0] if result.errors else None
        where = f" ({first.path}:{first.line}: {first.code} {first.message})" if first else ""
        print(f"microcred: error: the catalog has errors{where}; run `microcred validate`; nothing was endorsed", file=sys.stderr)
        return 1
    proof_key, jwt_key = signing_keys(dict(os.environ))
    keys = Keys(proof_key, jwt_key) if proof_key is not None and jwt_key is not None else None
    done = Endorse(root, Catalog.from_documents(result.store.documents()), keys, now_given(args.now)).run()
    for rel in done.published:
        print(f"endorsed {rel}")
    for rel in done.revoked:
        print(f"revoked {rel}: the district no longer endorses it")
    if keys is None:
        print("microcred: MICROCRED_SIGNING_KEY and MICROCRED_JWT_KEY are not both set: 2.0 endorsements only", file=sys.stderr)
    print(f"microcred: endorsed {len(done.published)}; revoked {len(done.revoked)}", file=sys.stderr)
    return 0
