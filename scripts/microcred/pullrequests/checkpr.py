"""`check-pr`: what a pull request may change, whether its submission is complete, and what must stay private.

Rights come from the base ref (a pull request cannot widen its own); the data a
submission is checked against comes from the pull request's working tree,
which is validated too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..catalog.completeness import answers_current, content
from ..catalog.layout import classify, discover, is_catalog_path
from ..catalog.load import Document, Refused, locate, parse
from ..catalog.problems import Problem, json_path
from ..catalog.schemas import SchemaSet
from ..catalog.store import Store
from ..catalog.validate import Result, changes, git_or_none, validate_changed
from . import catalogfiles, leaks, privacy
from .holdings import bound, earned, holdings

PROTECTED = ("badges/", ".github/", "scripts/", "schemas/")
# What others than the maintainers may change at all. Everything else (the
# site's configuration and scripts, the tests, CI, who the maintainers and
# reviewers are) can run code or widen rights, so it is the maintainers' alone.
CONTRIBUTOR_PATHS = ("catalog/", "rubrics/", "submissions/")
MAINTAINER_FILES = tuple(f"catalog/{name}.{suffix}" for name in ("consortium", "reviewers", "earners") for suffix in ("yml", "yaml"))
PROPOSAL_DIRS = ("catalog", "rubrics")
_HEAD_BYTES = 256 * 1024 + 1  # the size limit: a larger file is refused for its size anyway


@dataclass(frozen=True)
class PullRequest:
    """A pull request as git sees it: the files changed since the merge base, and who opened it."""

    root: Path
    ref: str
    base: str  # the merge base of ref and HEAD
    author: str
    maintainers: tuple[str, ...]  # as catalog/consortium.yml lists them on ref
    changed: dict[str, str]  # path -> git status letter

    @property
    def by_maintainer(self) -> bool:
        return self.author.lower() in {m.lower() for m in self.maintainers}

    @property
    def kind(self) -> str:
        """submission, proposal (catalog/ or rubrics/) or maintenance (anything else)."""
        tops = {path.split("/", 1)[0] for path in self.changed}
        if "submissions" in tops:
            return "submission"
        return "proposal" if tops & set(PROPOSAL_DIRS) else "maintenance"

    def show(self, commit: str, rel: str) -> Any:
        return _show(self.root, commit, rel)


def _show(root: Path, commit: str, rel: str) -> Any:
    """The parsed YAML of a file at a commit; None if absent or unreadable."""
    text = git_or_none(root, "show", f"{commit}:{rel}")
    try:
        return parse(text) if text is not None else None
    except Refused:
        return None


def check_pr(root: Path, ref: str, author: str) -> Result:
    """Every problem of the pull request from the merge base of `ref` to the working tree, by `author`."""
    validated = validate_changed(root, ref)  # first: a bad ref is a usage error with git's message
    base, changed = changes(root, ref)
    consortium = _show(root, ref, "catalog/consortium.yml")  # rights as they were before the pull request
    maintainers = consortium.get("maintainers") if isinstance(consortium, dict) else None
    listed = tuple(m for m in maintainers if isinstance(m, str)) if isinstance(maintainers, list) else ()
    pr = PullRequest(root, ref, base, author, listed, changed)
    store = Store(root, SchemaSet(root / "schemas"), discover(root))
    submissions, problems = scope(pr)
    problems.extend(catalogfiles.unknown_files(root, changed, pr.by_maintainer))
    blind = consortium.get("blind_review") if isinstance(consortium, dict) else None
    relay = str(blind.get("relay")) if isinstance(blind, dict) else None  # blind review on, as the base says
    for rel in submissions:
        doc = store.load(rel, "submission")
        if doc is not None and not store.problems[rel] and "earner" not in doc.data:
            problems.extend(leaks.relayed(author, relay, doc))
        elif doc is not None and not store.problems[rel]:
            problems.extend(leaks.warnings(store, doc) if relay else ())
            problems.extend(_earner(pr, doc))
            problems.extend(holdings(pr, doc))
            problems.extend(bound(store, doc))
            problems.extend(completeness(pr, store, doc))
    problems.extend(private_data(pr))
    problems.extend(commit_details(pr))
    return Result(sorted(set(validated.problems + problems)), len(changed))


def scope(pr: PullRequest) -> tuple[list[str], list[Problem]]:
    """The submission files to check further, and the changes the pull request may not make."""
    problems: list[Problem] = []
    submissions: list[str] = []
    for rel, status in sorted(pr.changed.items()):
        maintainers_only = rel in MAINTAINER_FILES or not rel.startswith(CONTRIBUTOR_PATHS)
        if pr.kind == "submission":
            if classify(rel) != "submission":
                message = (
                    "a submission pull request adds or changes its one submission file and nothing else; "
                    "this change needs a pull request of its own"
                )
                problems.append(Problem(rel, 1, 1, "MC300", message))
                continue
            owner = _owner(pr, rel) if status != "A" else pr.author
            if owner is None or owner.lower() != pr.author.lower():
                verb = "deletes" if status == "D" else "changes"
                whose = f"a submission by {owner}" if owner else f"a submission whose earner cannot be read on {pr.ref}"
                problems.append(Problem(rel, 1, 1, "MC302", f"{verb} {whose}; only its earner's pull request may change it"))
            elif status == "D":
                problems.append(Problem(rel, 1, 1, "MC300", "a submission pull request adds or changes a submission; it deletes none"))
            else:
                submissions.append(rel)
        elif maintainers_only and not pr.by_maintainer:
            names = ", ".join(pr.maintainers) or "nobody"
            message = (
                "only maintainers may change files outside catalog/, rubrics/ and submissions/, "
                "or the consortium, reviewer and earner files; "
                f"catalog/consortium.yml on {pr.ref} names {names}, not {pr.author}"
            )
            problems.append(Problem(rel, 1, 1, "MC304", message))
    if len(submissions) > 1:
        listed = ", ".join(submissions)
        message = f"the pull request adds or changes {len(submissions)} submissions ({listed}); each needs a pull request of its own"
        problems.extend(Problem(rel, 1, 1, "MC301", message) for rel in submissions)
    return submissions, problems


def _owner(pr: PullRequest, rel: str) -> str | None:
    """The earner's login of a submission as it was at the merge base."""
    data = pr.show(pr.base, rel)
    earner = data.get("earner") if isinstance(data, dict) else None
    login = earner.get("login") if isinstance(earner, dict) else None
    return login if isinstance(login, str) else None


def _earner(pr: PullRequest, doc: Document) -> Iterator[Problem]:
    login = doc.data["earner"]["login"]
    if login.lower() != pr.author.lower():
        message = f"the earner is {login}, but {pr.author} opened the pull request; earners submit their own evidence"
        yield doc.problem("MC303", message, ("earner", "login"))


def completeness(pr: PullRequest, store: Store, doc: Document) -> Iterator[Problem]:
    """What returns a schema-valid submission as incomplete before any reviewer sees it."""
    data = doc.data
    credential = store.valid("credential", data["credential"])
    if credential is None:
        return  # unknown or invalid: validation reports it
    name = f"{credential['id']} {credential['version']}"
    if credential["status"] != "published":
        message = f"incomplete: {credential['id']} is {credential['status']}; only a published micro-credential takes submissions"
        yield doc.problem("MC314", message, ("credential",))
    if not answers_current(data["version"], credential):
        message = f"incomplete: the submission answers version {data['version']}; the requirements are now those of {name}"
        yield doc.problem("MC315", message, ("version",))
    yield from content(doc, store, any_version=True)  # the outdated answers too: what to change
    login = data["earner"]["login"]
    for prerequisite in credential.get("prerequisites", []):
        if not earned(pr, prerequisite, login):
            message = f"incomplete: {credential['id']} requires {prerequisite}, and {login} holds no {prerequisite} badge on {pr.ref}"
            yield doc.problem("MC316", message, ("credential",))
    yield from _district(store, doc, credential["id"])


def _district(store: Store, doc: Document, credential_id: str) -> Iterator[Problem]:
    district_id = doc.data["earner"]["district"]
    district = store.valid("district", district_id)
    if district is None:
        return  # unknown or invalid: validation reports it
    endorses = district["endorses"]
    endorsed = set(endorses.get("credentials", []))
    for stack_id in endorses.get("stacks", []):  # the same rule as model.Catalog.endorsed
        endorsed.update((store.valid("stack", stack_id) or {}).get("members", []))
    if credential_id not in endorsed:
        message = f"incomplete: {district_id} does not endorse {credential_id}, directly or through a stack"
        yield doc.problem("MC317", message, ("earner", "district"))
    if district.get("pre_approval", {}).get("required") and "pre_approval" not in doc.data:
        message = f"incomplete: {district_id} requires pre-approval before the work starts; record it under pre_approval"
        yield doc.problem("MC318", message, ("earner", "district"))


def private_data(pr: PullRequest) -> list[Problem]:
    """Media, binary and oversized files, and contact details or open evidence links in added lines."""
    problems: list[Problem] = []
    email_allowed = _email_rule(pr)
    for rel, status in sorted(pr.changed.items()):
        path = pr.root / rel
        if status == "D":
            continue
        if path.is_symlink() or not path.is_file():
            # A link can publish any file of the machine that builds the site.
            problems.append(Problem(rel, 1, 1, "MC322", "not a regular file (a symlink or special file); commit the file itself"))
            continue
        size = path.stat().st_size
        with path.open("rb") as stream:
            found = privacy.file_problem(rel, size, stream.read(_HEAD_BYTES))
        problems.extend(found)
        # Maintainers' code, tests and docs hold example addresses and numbers by design;
        # the text scan guards catalog data and every contributor's files.
        scanned = pr.kind == "submission" or not pr.by_maintainer or is_catalog_path(rel)
        if found or not scanned:
            continue
        lines = _added_lines(pr, rel, status)
        in_lines = list(privacy.scan_lines(rel, lines, email_allowed, links=rel.startswith("submissions/")))
        problems.extend(in_lines)
        if not in_lines and classify(rel) is not None:
            problems.extend(_in_values(pr, rel, email_allowed))
    return problems


def commit_details(pr: PullRequest) -> Iterator[Problem]:
    """Contact details in the messages of the pull request's commits, and personal author addresses.

    Merged commits are as public as the files: a phone number in a message, or an earner's own
    address as a commit's author, would be published with them.
    """
    if pr.by_maintainer and pr.kind != "submission":
        return
    email_allowed = _email_rule(pr)
    # Merge commits too: a merge's message and names are published like any other commit's.
    log = git_or_none(pr.root, "log", "--format=%H%x00%ae%x00%ce%x00%an%x00%cn%x00%B%x1e", f"{pr.base}..HEAD") or ""
    for entry in log.split("\x1e"):
        fields = entry.strip("\n").split("\x00")
        if len(fields) != 6:
            continue
        sha, author, committer, author_name, committer_name, message = fields
        where = f"commit {sha[:7]}"
        numbered = enumerate(message.split("\n"), start=1)
        yield from privacy.scan_lines(where, numbered, email_allowed, links=False)
        for name in dict.fromkeys((author_name, committer_name)):  # a name is line 1 of nothing: shown at the commit
            yield from (replace(p, line=1, column=1) for p in privacy.scan_lines(f"{where} (name)", [(1, name)], email_allowed, False))
        if any(not privacy.private_commit_address(address) for address in {author, committer}):
            text = (
                "the commit's author or committer address is a personal email address, published with the commit; "
                "commit with your GitHub noreply address (GitHub: Settings, Emails, Keep my email address private)"
            )
            yield Problem(where, 1, 1, "MC326", text)


def _in_values(pr: PullRequest, rel: str, email_allowed: Callable[[str], bool]) -> Iterator[Problem]:
    """Contact details that YAML escapes or line folding hide from the line scan, found in the parsed values."""
    try:
        text = (pr.root / rel).read_text(encoding="utf-8")
        data = parse(text)
    except (OSError, UnicodeError, Refused):
        return  # validation reports a file that cannot be read or parsed
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(((*where, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*where, i), v) for i, v in enumerate(value))
        elif isinstance(value, str):
            for found in privacy.scan_lines(rel, [(0, value)], email_allowed, links=False):
                line, column = locate(text, where)
                yield Problem(rel, line, column, found.code, found.message, json_path(where))


def _email_rule(pr: PullRequest) -> Callable[[str], bool]:
    """A submission holds no address at all; other pull requests may repeat the base catalog's own or use example domains."""
    if pr.kind == "submission":
        return lambda _address: False

    @functools.cache
    def known() -> frozenset[str]:
        lines = git_or_none(pr.root, "grep", "-h", "-I", "-F", "-e", "@", pr.ref, "--", "catalog/") or ""
        return frozenset(m.group().lower() for m in privacy.EMAIL.finditer(lines))

    return lambda address: privacy.reserved_email(address) or address.lower() in known()


def _added_lines(pr: PullRequest, rel: str, status: str) -> list[tuple[int, str]]:
    """The lines a change adds to a file, numbered as in the new file."""
    if status == "A":  # a new file: every line (untracked files have no diff)
        text = (pr.root / rel).read_bytes().decode("utf-8", errors="replace")
        return [(number, line.rstrip("\r")) for number, line in enumerate(text.split("\n"), start=1)]
    # --text: a .gitattributes marking files binary must not hide their lines from the scan.
    diff = git_or_none(pr.root, "diff", "--text", "-U0", "--no-color", "--no-ext-diff", "--no-textconv", pr.base, "--", rel) or ""
    added: list[tuple[int, str]] = []
    number, in_hunk = 0, False
    for line in diff.split("\n"):
        if line.startswith("@@"):
            # @@ -a,b +c,d @@: the added lines that follow are numbered from c
            number, in_hunk = int(line.split("+", 1)[1].split(",", 1)[0].split(" ", 1)[0]), True
        elif in_hunk and line.startswith("+"):
            added.append((number, line[1:].rstrip("\r")))
            number += 1
    return added
