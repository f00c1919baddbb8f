"""What a merged submission is minted from: its approval, and the credential version it was approved against.

Online, the approval is re-checked through the GitHub API: the commit on this branch that added the
submission leads to the pull request that merged it, whose reviews are decided again round by round
(github.approval_record) and kept as a review record. Offline (tests, sample data), the record already
in records/ is the approval. Either way the record must agree with the submission, end in an approved
round with at least two approving reviews, and be merged before the run's time.

A submission may be for an older version of its credential than the catalog holds now: that version
and its rubric are read from the git history, so the badge class says what was assessed then. Only the
states the default branch itself had count (its first-parent line): a commit inside a merged branch
was never the catalog, so a version that existed only there is no version at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..catalog.blind import INTAKE_TOKEN, KEY, BindingError, is_blind
from ..catalog.load import Refused, parse
from ..catalog.model import Catalog, Credential, Reviewer, Rubric
from ..catalog.records import Record, from_submission
from ..catalog.store import Store
from ..catalog.validate import git_or_none
from ..review.pulls import GateError
from ..review.review import meets
from .ob2 import approvals

if TYPE_CHECKING:
    from ..review.blind import Intake
    from ..review.github import Hub

MIN_APPROVALS = 2
ROSTER = "catalog/reviewers.yml"
File = tuple[str, bytes]  # a repository path and its bytes


class NotMintable(Exception):
    """A badge that cannot be minted now; the message is the reason, for the log."""


def added(root: Path, rel: str) -> str | None:
    """The commit on this branch's first-parent line that added the file (a merge, for a merged pull request)."""
    found = git_or_none(root, "log", "--first-parent", "--diff-filter=A", "--format=%H", "HEAD", "--", rel)
    return found.split()[0] if found and found.split() else None


@dataclass(frozen=True)
class Approvals:
    """Where one run finds approvals: records/ (offline), or GitHub through `hub` (online)."""

    root: Path
    catalog: Catalog
    store: Store
    errors: Mapping[str, list[str]]  # repository path -> its validation errors
    warn: Callable[[str], None]
    hub: Hub | None = None  # None: offline
    pseudonym_key: bytes = b""
    blind_env: Mapping[str, str] = field(default_factory=dict)  # blind review: GITHUB_API_URL, the intake token, the secret
    _intake: dict[str, Intake | None] = field(default_factory=dict)  # the bindings' reader, connected once a relayed one is minted
    _added: dict[str, str | None] = field(default_factory=dict)
    _rosters: dict[str, Catalog] = field(default_factory=dict)  # base commit -> the catalog with its roster

    def added(self, rel: str) -> str | None:
        """The commit that added a submission (see `added`), asked of git once per run: the record and the links both need it."""
        if rel not in self._added:
            self._added[rel] = added(self.root, rel)
        return self._added[rel]

    BLIND_ENV = (INTAKE_TOKEN, KEY)

    def resolve(self, submission: dict[str, Any]) -> dict[str, Any]:
        """A relayed submission with its earner from the binding, which only mint and the gate read; any other as it is."""
        if not is_blind(submission):
            return submission
        if "reader" not in self._intake:
            from ..review import blind

            env = self.blind_env
            self._intake["reader"] = blind.connect(env.get("GITHUB_API_URL", ""), self.catalog, dict(env)) if self.hub else None
        reader = self._intake["reader"]
        if reader is None:
            raise NotMintable("relayed for blind review: mint online, with MICROCRED_INTAKE_TOKEN and MICROCRED_BLIND_KEY set")
        try:
            binding = reader.binding(str(submission["blind"]))
        except (BindingError, GateError) as err:
            raise NotMintable(str(err)) from None
        if binding.credential != submission["credential"]:
            raise NotMintable(f"MC354 the binding of {binding.id} is for another credential than {submission['credential']}")
        return {**submission, "earner": binding.earner()}

    def holder(self, submission: dict[str, Any]) -> dict[str, Any] | None:
        """The submission with its earner, or None for a relayed one whose binding cannot be read now."""
        try:
            return self.resolve(submission)
        except NotMintable:
            return None

    def close(self) -> None:
        if reader := self._intake.get("reader"):
            reader.close()

    def record(self, rel: str, submission: Mapping[str, Any], rubric: Rubric) -> tuple[Record, File | None]:
        """The review record of a submission, and the record file to write (online, when there is none yet).

        Online, a record already committed must be what the reviews on GitHub give now: one that differs was
        written by someone else, or the reviews changed after it was written, and a person must look at it.
        """
        path = f"records/{submission['credential']}/{submission['id']}.yml"
        if path in self.errors:
            raise NotMintable(f"{path} is invalid ({self.errors[path][0]})")
        kept = None
        if (self.root / path).is_file():
            document = self.store.load(path, "record")
            assert document is not None  # the file exists and is valid
            kept = Record.from_dict(document.data)
        if self.hub is None:
            if kept is None:
                raise NotMintable(f"no review record {path}; mint online, where the pull request's reviews are read")
            return kept, None
        fetched = self._fetch(rel, submission, rubric)
        if kept is not None:
            if kept.to_yaml() != fetched.to_yaml():
                raise NotMintable(
                    f"{path} differs from the reviews of pull request #{fetched.pull_request} on GitHub; "
                    "a maintainer must compare them (the record stays as it is)"
                )
            return kept, None
        return fetched, (path, fetched.to_yaml().encode("utf-8"))

    def _fetch(self, rel: str, submission: Mapping[str, Any], rubric: Rubric) -> Record:
        from ..review import github  # PyGithub is loaded only when minting online

        assert self.hub is not None
        sha = self.added(rel)
        if sha is None:
            raise NotMintable("no commit on this branch adds it, so no merged pull request can be found")
        try:
            number = self.hub.merged_pull(sha)
            if number is None:
                raise NotMintable(f"no merged pull request added it (commit {sha[:7]}); badges are minted for approved pull requests only")
            catalog = self._with_roster_at(self.hub.pull(number).base, number)
            relay = self.catalog.consortium.blind.relay if self.catalog.consortium.blind and "blind" in submission else None
            record: Record = github.approval_record(self.hub, number, catalog, submission, rubric, self.pseudonym_key, relay)
        except GateError as err:
            raise NotMintable(str(err)) from None
        return record

    def _with_roster_at(self, base: str, number: int) -> Catalog:
        """The catalog with the roster of the pull request's base: who might vote is what the gate read then."""
        if base not in self._rosters:
            self._rosters[base] = self._roster_at(base, number)
        return self._rosters[base]

    def _roster_at(self, base: str, number: int) -> Catalog:
        text = git_or_none(self.root, "show", f"{base}:{ROSTER}")
        if text is None:
            raise NotMintable(f"pull request #{number}'s base {base[:7]} holds no {ROSTER} in this repository's history")
        try:
            data = parse(text)
            return replace(self.catalog, reviewers=tuple(Reviewer.from_dict(r) for r in data["reviewers"]))
        except (Refused, KeyError, TypeError, AttributeError):
            raise NotMintable(f"pull request #{number}'s base {base[:7]} has a {ROSTER} that cannot be read") from None


def check(record: Record, submission: Mapping[str, Any], rubric: Rubric, now: datetime) -> None:
    """Refuse a record that does not approve this very submission under `rubric`, or that was merged after `now`."""
    for key, value in from_submission(submission).items():
        if str(getattr(record, key)).lower() != str(value).lower():
            raise NotMintable(f"the review record says {key} {getattr(record, key)!r}, the submission {value!r}")
    if not record.approved:
        raise NotMintable(f"the last review round ({record.rounds[-1].decided_on}) is {record.rounds[-1].outcome}, not approved")
    approving = approvals(record.rounds[-1])
    if approving < MIN_APPROVALS:
        raise NotMintable(f"the deciding round has {approving} approving review(s); a badge needs at least {MIN_APPROVALS}")
    short = [r.reviewer for r in record.rounds[-1].reviews if r.verdict == "approved" and not meets(r.scores, rubric)]
    if short:
        raise NotMintable(
            f"the approving scores of {', '.join(short)} do not meet the earning rule of {rubric.id} "
            f"(version {record.version} of {record.credential}); an approval must score what earns the badge"
        )
    if datetime.fromisoformat(record.merged_at) > now:
        moment = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        raise NotMintable(f"the review record says it was merged at {record.merged_at}, later than now ({moment})")


@dataclass
class Versions:
    """Credential versions: the catalog's current one, or an older one read from the git history once."""

    root: Path
    catalog: Catalog
    _older: dict[tuple[str, str], tuple[Credential, Rubric] | None] = field(default_factory=dict)

    def get(self, credential_id: str, version: str) -> tuple[Credential, Rubric]:
        credential = self.catalog.credentials.get(credential_id)
        if credential is None:
            raise NotMintable(f"no micro-credential {credential_id!r} in the catalog")
        if credential.version == version:
            return credential, self.catalog.rubrics[credential.rubric]
        if (credential_id, version) not in self._older:
            self._older[credential_id, version] = self._from_history(credential_id, version)
        found = self._older[credential_id, version]
        if found is None:
            raise NotMintable(
                f"{credential_id} has no version {version} in the catalog or in the history of this branch (now {credential.version})"
            )
        return found

    def _from_history(self, credential_id: str, version: str) -> tuple[Credential, Rubric] | None:
        """The credential and its rubric as the default branch held them when the credential had `version`.

        --first-parent walks the commits of this branch alone: a merge shows the state it brought, never the
        commits of the merged branch, whose intermediate states were never on the default branch.
        """
        rel = f"catalog/credentials/{credential_id}.yml"
        for sha in (git_or_none(self.root, "log", "--first-parent", "--format=%H", "HEAD", "--", rel) or "").split():
            data = self._show(sha, rel)
            if isinstance(data, dict) and data.get("version") == version:
                try:
                    return Credential.from_dict(data), Rubric.from_dict(self._show(sha, f"rubrics/{data.get('rubric')}.yml"))
                except (KeyError, TypeError, AttributeError):
                    return None  # written for an older schema: not safe to read
        return None

    def _show(self, sha: str, rel: str) -> Any:
        text = git_or_none(self.root, "show", f"{sha}:{rel}")
        try:
            return parse(text) if text is not None else None
        except Refused:
            return None
