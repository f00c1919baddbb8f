"""`microcred mint`: a badge for every merged submission that has none yet, written once and never rewritten.

The sweep reads the tree as it is, so a skipped or failed run loses nothing: the next run finds the same
unminted submissions. What a badge is minted from is approval.py's; how files are written, files.py's.
The assertion is written last: it marks a submission as minted, so the next run finishes an interrupted one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..catalog.model import Catalog
from ..catalog.records import Record
from ..catalog.validate import UsageError, repository_root, validate
from . import artwork, jwk, ob2, ob3, sweep, vc
from .affected import Broken
from .approval import Approvals, File, NotMintable, Versions, check
from .files import WriteOnce, remove_temporaries
from .holdings import Holdings
from .issuing import Issuing, Keys
from .ob2 import dump
from .runsettings import JWT_KEY, SIGNING_KEY, Settings, now_given, settings
from .urls import UUID, Urls, assertion_url, assertion_uuid, image, revoked_ids, stack_uuid

if TYPE_CHECKING:
    pass


@dataclass
class Outcome:
    """What a run did: the badges minted, the submissions skipped with their reasons, what it warns about."""

    minted: list[str] = field(default_factory=list)
    upgraded: list[str] = field(default_factory=list)
    stacks: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)  # a minted line's badge page


class Mint:
    """One run over one repository."""

    def __init__(self, root: Path, settings: Settings) -> None:
        self.root, self.settings, self.files, self.outcome = root, settings, WriteOnce(root), Outcome()
        result = validate(root)
        self.errors: dict[str, list[str]] = {}
        for p in result.errors:
            self.errors.setdefault(p.path, []).append(f"{p.line}:{p.column}: {p.code} {p.message}")
        self.broken = Broken.of(self.errors)
        assert result.store is not None  # the whole catalog was checked, so every file is read already
        self.store, self.listing = result.store, result.store.listing
        self.catalog = Catalog.from_documents(self.broken.documents(self.store))
        self.urls = Urls.of(self.catalog.consortium)
        self.versions = Versions(root, self.catalog)
        warn = self.outcome.warnings.append
        self.issuing = None
        if settings.signing_key is not None and settings.jwt_key is not None:
            self.issuing = Issuing(self.files, self.urls, Keys(settings.signing_key, settings.jwt_key), settings.now)
        keys = settings.hub, settings.pseudonym_key, dict(settings.blind_env)
        self.approvals = Approvals(root, self.catalog, self.store, self.errors, warn, *keys)

    def run(self) -> Outcome:
        if self.settings.upgrade and self.issuing is None:
            raise UsageError(f"--upgrade needs {SIGNING_KEY} and {JWT_KEY}: the new form carries both signatures")
        remove_temporaries(self.root)
        self._shared()
        self._classes()
        revoked = revoked_ids(self._json(self.urls.path(self.urls.revocations)), self.urls)
        if self.issuing is not None:  # the status lists follow the revocation list
            names = [found.group() for found in map(UUID.search, revoked) if found]
            tokens = [self.urls.path(url) for name in names for url in (self.urls.credential(name), self.urls.credential_upgraded(name))]
            for rel, data in self.issuing.lists.sync(tokens):
                self.files.replace(rel, data)
        waiting, holdings = [], Holdings()
        for rel in sorted(p for item in self.listing.by_kind.get("submission", {}).values() for p in item):
            _, credential_id, name = rel.rsplit(".", 1)[0].split("/")
            uuid = assertion_uuid(self.urls.site_url, credential_id, name)
            if not self._minted(uuid, revoked):
                waiting.append((rel, name, uuid))
            elif self.urls.assertion(uuid) not in revoked and (held := self.store.valid("submission", name)) is not None:
                holdings.add(held)
        for rel, name, uuid in waiting:
            try:
                self._credential_badge(rel, name, uuid, holdings)
            except NotMintable as err:
                self.outcome.skipped.append((rel, str(err)))
        for done in ob2.completed(self.catalog, self._held(revoked)):
            uuid = stack_uuid(self.urls.site_url, done.stack.id, done.login)
            if not self._minted(uuid, revoked):
                try:
                    self._stack_badge(done, uuid)
                except NotMintable as err:
                    self.outcome.skipped.append((f"stack {done.stack.id} of {done.login}", str(err)))
        if self.settings.upgrade:
            self._upgrade(revoked)
        return self.outcome

    def _upgrade(self, revoked: frozenset[str]) -> None:
        """The 3.0 form beside each unrevoked badge whose credential is of the first form; its other files stay as they are."""
        assert self.issuing is not None  # checked before the run starts
        for path in sorted((self.root / "badges/assertions").glob("*.json")):
            uuid, old = path.stem, self.urls.path(self.urls.credential(path.stem))
            new = self.urls.path(self.urls.credential_upgraded(uuid))
            if self.urls.assertion(uuid) in revoked or self.files.exists(new) or not self.files.exists(old):
                continue
            payload = vc.unverified_payload((self.files.read(old) or b"").decode("ascii"))
            if str(vc.issuer_id(payload)).startswith("did:"):
                continue  # already the new form
            credential = {k: v for k, v in vc.credential_of(payload).items() if k not in (*vc.CLAIMS, "proof")}
            sealed = self.issuing.seal({**credential, "id": self.urls.at(str(credential.get("id"))).credential_upgraded(uuid)})
            for rel, data in sealed.updates:
                self.files.replace(rel, data)
            self.files.write(*sealed.token)
            self.outcome.upgraded.append(f"{new} beside {old}")

    # -- shared documents ----------------------------------------------------------------------------

    def _keep(self, rel: str, data: bytes, why: str) -> None:
        """Write a shared document if absent; when it exists with other content, keep it and say so."""
        if not self.files.write(rel, data) and self.files.read(rel) != data:
            self.outcome.warnings.append(f"{rel} differs from what {why} says now; minted files are never rewritten, so it stays")

    def _shared(self) -> None:
        consortium = self.catalog.consortium
        rel = self.urls.path(self.urls.issuer)
        published = self._json(rel)
        if isinstance(published, dict) and (wider := ob2.widened(published, self.urls)) is not None:
            self.files.replace(rel, dump(wider))  # a new badge site: the policy grows, so that its badges verify
            self.outcome.warnings.append(f"{rel}: its verification policy now accepts the assertions of every badge site")
        else:
            self._keep(rel, dump(ob2.issuer(consortium, self.urls)), "catalog/consortium.yml")
        self.files.write(self.urls.path(self.urls.revocations), dump(ob2.revocation_list(self.urls)))
        key = self.settings.signing_key
        if key is None:
            return
        self._keep(self.urls.path(self.urls.issuer_v3), dump(ob3.profile(consortium, self.urls)), "catalog/consortium.yml")
        rel = self.urls.path(self.urls.keys)
        existing = self._json(rel)
        published = existing.get("keys", []) if isinstance(existing, dict) else []
        # Keys are only ever added: credentials signed with a retired key still verify.
        if self.issuing is None:
            self.files.replace(rel, dump(vc.jwks([*published, key])))
            return
        for path, data in self.issuing.publish_keys(published):
            self.files.replace(path, data)

    def _classes(self) -> None:
        """The BadgeClass of every published version, as the default branch holds it now that it has reached it.

        Published before any badge is earned: what a class says is fixed when its version is merged, not
        when the first earner's badge is minted, perhaps after later edits to the catalog.
        """
        for credential in self.catalog.credentials.values():
            if credential.status == "published" and self.broken.credential(self.catalog, credential.id) is None:
                url = self.urls.badge_class(credential.id, credential.version)
                document = ob2.badge_class(credential, self.catalog.rubrics[credential.rubric], self.urls)
                why = f"{credential.id} {credential.version} in the catalog"
                self._class(url, document, credential.title, f"Version {credential.version}", why)

    def _json(self, rel: str) -> Any:
        raw = self.files.read(rel)
        try:
            return None if raw is None else json.loads(raw)
        except ValueError as err:
            raise UsageError(f"{rel} is not valid JSON ({err}); restore it from git, nothing was minted") from None

    def _minted(self, uuid: str, revoked: frozenset[str]) -> bool:
        """Whether the assertion exists, or was revoked (a revoked badge is never minted again)."""
        url = self.urls.assertion(uuid)
        return url in revoked or self.files.exists(self.urls.path(url))

    def _class(self, url: str, document: dict[str, Any], title: str, caption: str, why: str) -> None:
        """Write a BadgeClass and its artwork where absent."""
        png_rel = self.urls.path(image(url))
        if not self.files.exists(png_rel):
            consortium = self.catalog.consortium
            self.files.write(png_rel, artwork.badge_png(title, consortium.primary_color, consortium.accent_color, caption))
        self._keep(self.urls.path(url), dump(document), why)

    # -- one badge -----------------------------------------------------------------------------------

    def _credential_badge(self, rel: str, name: str, uuid: str, holdings: Holdings) -> None:
        if rel in self.errors:
            raise NotMintable(f"the file is invalid ({self.errors[rel][0]})")
        submission = self.store.valid("submission", name)
        assert submission is not None
        submission = self.approvals.resolve(submission)  # a relayed submission's earner, from its private binding
        if reason := self.broken.credential(self.catalog, submission["credential"], submission["earner"]["district"]):
            raise NotMintable(f"{reason}; the first run after it is fixed mints this badge")
        holdings.refuse(submission)
        credential, rubric = self.versions.get(submission["credential"], submission["version"])
        record, record_file = self.approvals.record(rel, submission, rubric)
        check(record, submission, rubric, self.settings.now)
        url = self.urls.badge_class(credential.id, credential.version)
        document = ob2.badge_class(credential, rubric, self.urls)
        why = f"{credential.id} {credential.version} in the catalog"
        self._class(url, document, credential.title, f"Version {credential.version}", why)
        links = self._links(rel, record)
        if "renews" in submission:  # the renewed badge as it was published, on whichever site
            renewed = self._json(self.urls.path(assertion_url(self.urls.site_url, submission["credential"], submission["renews"])))
            links |= {"renews": renewed["id"]} if isinstance(renewed, dict) and isinstance(renewed.get("id"), str) else {}
        urls = self.urls.on(record.merged_at)  # the badge site of the day it was merged
        assertion = ob2.assertion(uuid, submission, credential, rubric, record, urls, links)
        twin = None
        if self.settings.signing_key is not None:
            twin = ob3.credential(uuid, assertion, credential, rubric, record, self.catalog, urls)
        self._publish(uuid, assertion, twin, record_file)
        holdings.add(submission)
        self._minted_line(f"{self.urls.path(self.urls.assertion(uuid))} for {rel}", urls.badge_page(uuid))

    def _stack_badge(self, done: ob2.Completed, uuid: str) -> None:
        stack = done.stack
        if reason := self.broken.stack(self.catalog, stack):
            raise NotMintable(f"{reason}; the first run after it is fixed mints this badge")
        document = ob2.stack_class(stack, self.catalog, self.urls)
        self._class(self.urls.stack_class(stack.id), document, stack.title, "Stack", f"the stack {stack.id}")
        urls = self.urls.on(done.last.issued_on)  # issued when its last member was
        assertion = ob2.stack_assertion(uuid, done, self.catalog, urls)
        twin = ob3.stack_credential(uuid, assertion, done, self.catalog, urls) if self.settings.signing_key is not None else None
        self._publish(uuid, assertion, twin, None)
        self._minted_line(f"{self.urls.path(self.urls.assertion(uuid))} for the stack {stack.id} of {done.login}", urls.badge_page(uuid))
        self.outcome.stacks += 1

    def _minted_line(self, line: str, page: str) -> None:
        self.outcome.minted.append(line)
        self.outcome.pages[line] = page  # the address to share, on the badge's own site

    def _publish(self, uuid: str, assertion: dict[str, Any], twin: dict[str, Any] | None, record: File | None) -> None:
        """Check every file first, then write them: the assertion last, since its presence means minted.

        No image per badge: the badge class's artwork is published once, and a baked image is made from it on demand.
        """
        text = dump(assertion)
        planned: list[File] = []
        updates: tuple[File, ...] = ()
        if record is not None:
            planned.append(record)
        if twin is not None and self.issuing is not None:
            sealed = self.issuing.seal(twin)
            planned.append(sealed.token)
            updates = sealed.updates
        elif twin is not None:
            assert self.settings.signing_key is not None
            planned.append((self.urls.path(self.urls.credential(uuid)), vc.sign(twin, self.settings.signing_key).encode("ascii")))
        planned.append((self.urls.path(self.urls.assertion(uuid)), text))
        for rel, data in planned:
            found = self.files.read(rel)
            if found is not None and found != data:
                raise NotMintable(f"{rel} exists with other content; it is left as it is, and nothing more was written for this badge")
        for rel, data in updates:  # the status entry taken before the token that names it
            self.files.replace(rel, data)
        for rel, data in planned:
            self.files.write(rel, data)

    def _links(self, rel: str, record: Record) -> dict[str, str]:
        if not self.settings.repository:
            return {}
        base = f"{self.settings.server}/{self.settings.repository}"
        links = {"submission": f"{base}/blob/{self.approvals.added(rel) or 'HEAD'}/{rel}"}
        if record.pull_request:
            links["pull_request"] = f"{base}/pull/{record.pull_request}"
        return links

    def _held(self, revoked: frozenset[str]) -> Iterator[ob2.Held]:
        """The credential badges held: minted for a submission still on the tree, and not revoked."""
        for item in self.listing.ids("submission"):
            submission = self.store.valid("submission", item)
            if submission is None:
                continue
            url = assertion_url(self.urls.site_url, submission["credential"], item)
            document = self._json(self.urls.path(url)) if url not in revoked else None
            if isinstance(document, dict) and document.get("revoked") is not True and "issuedOn" in document:
                url = str(document.get("id") or url)  # as published: a stack badge's evidence links it
                if (submission := self.approvals.holder(submission)) is None:
                    continue  # a relayed submission whose binding cannot be read counts towards no stack in this run
                login = submission["earner"]["login"].lower()
                yield ob2.Held(login, submission["credential"], item, url, document["issuedOn"], document["recipient"])


def add_parser(commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser, brief: str) -> None:
    """`mint`."""
    parser = commands.add_parser(
        "mint",
        parents=[common],
        help=brief,
        description=(
            "Write into badges/ an Open Badges 2.0 assertion and (with MICROCRED_SIGNING_KEY) a signed "
            "Open Badges 3.0 credential for every submission that has no badge yet, and a stack badge for every stack an "
            "earner completes. Online, each approval is re-checked through the GitHub API "
            "(GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_TOKEN, MICROCRED_PSEUDONYM_KEY) and kept in records/. "
            "Minted files are never rewritten; a baked image is made on demand (microcred bake, or the badge's page). "
            "Exit 0 when nothing was skipped, 1 when a submission could not be minted, 2 on a usage error."
        ),
    )
    parser.add_argument("--offline", action="store_true", help="take each approval from its record in records/ instead of GitHub")
    parser.add_argument(
        "--upgrade",
        action="store_true",
        help="also write the 3.0 form outside verifiers accept beside each badge whose credential is of the first form",
    )
    parser.add_argument("--now", metavar="ISO", help="the time of the run (default: now); a record merged later is refused")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Mint, print what was minted, skipped and warned about; exit 1 when a submission was not minted."""
    root = repository_root(args.root)
    config = replace(settings(args.offline, now_given(args.now), dict(os.environ)), upgrade=args.upgrade)
    keys = [vc.thumbprint(config.signing_key)] if config.signing_key else []  # new keys are a new state to sweep
    keys += [jwk.thumbprint(config.jwt_key)] if config.jwt_key else []
    minter = None
    try:
        if not config.upgrade and sweep.swept(root, sweep.fingerprint(root, keys)):
            print("microcred: minted 0 badges: nothing new since the last sweep (its stamp is in badges/swept/)", file=sys.stderr)
            return 0
        minter = Mint(root, config)
        outcome = minter.run()
    finally:
        if config.hub is not None:
            config.hub.close()
        if minter is not None:
            minter.approvals.close()
    if not outcome.skipped and (stamp := sweep.fingerprint(root, keys)) is not None:
        sweep.leave(root, stamp)  # the next run in this state stops at once
    for line in outcome.minted:  # with the badge's page, which `build` writes: the address to share
        print(f"minted {line}" + (f"; page {outcome.pages[line]}" if line in outcome.pages else ""))
    for line in outcome.upgraded:
        print(f"upgraded {line}")
    for where, reason in outcome.skipped:
        print(f"{where}: not minted: {reason}")
    for warning in outcome.warnings:
        print(f"warning: {warning}")
    if config.signing_key is None:
        print(f"microcred: {SIGNING_KEY} is not set: Open Badges 2.0 only, no signed 3.0 credentials", file=sys.stderr)

    summary = f"minted {len(outcome.minted)} badges ({outcome.stacks} stack badges); skipped {len(outcome.skipped)}"
    print(f"microcred: {summary}", file=sys.stderr)
    return 1 if outcome.skipped else 0
