"""Validating a repository: every file, or only what a change touched and what refers to it."""

from __future__ import annotations

import contextlib
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .blanks import explain_blanks
from .completeness import content
from .crosscheck import cross_check
from .layout import OPTIONAL_SINGLETONS, SINGLETONS, Listing, classify, discover, is_catalog_path, item_id
from .load import Document
from .model import Catalog
from .problems import Problem
from .schemadoc import SchemaDoc
from .schemas import SchemaSet
from .store import Store

# What may refer to an item of each kind, so a change to it re-checks those files.
REFERRERS = {
    "credential": ("credential", "stack", "district", "reviewers", "submission", "record"),
    "rubric": ("credential",),
    "stack": ("district", "reviewers"),
    "district": ("consortium", "district", "reviewers", "earners", "submission", "record"),
    "submission": ("submission", "record"),
}


class UsageError(Exception):
    """A request that cannot be carried out as asked (exit 2)."""


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    catalog: Catalog | None = None  # asked for, and the catalog has no error
    store: Store | None = field(default=None, repr=False, compare=False)  # every file read, when the whole catalog was checked

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` that holds catalog/ and schemas/."""
    for folder in (start, *start.parents):
        if (folder / "catalog").is_dir() and (folder / "schemas").is_dir():
            return folder
    raise UsageError(f"{start} is not inside a catalog repository (no folder above it holds catalog/ and schemas/); use --root")


def repository_root(given: str | None) -> Path:
    """The catalog repository: `--root` when given (it must hold catalog/ and schemas/), else the one around the current folder."""
    if given is None:
        return find_root(Path.cwd().resolve())
    root = Path(given).resolve()
    if not (root / "catalog").is_dir() or not (root / "schemas").is_dir():
        raise UsageError(f"{given} does not hold catalog/ and schemas/")
    return root


def _missing_singletons(listing: Listing) -> list[Problem]:
    return [
        Problem(f"{stem}.yml", 1, 1, "MC217", f"the catalog needs {stem}.yml")
        for stem, kind in SINGLETONS.items()
        if not listing.paths(kind, kind) and kind not in OPTIONAL_SINGLETONS
    ]


def _check(store: Store, paths: list[str]) -> list[tuple[str, Problem]]:
    """Each problem found checking the files at `paths`, with the file whose check found it.

    A problem may lie in another file than the one checked: a credential that does not fit its
    rubric is a mistake in the rubric, found when the credential is checked.
    """
    problems: list[tuple[str, Problem]] = []
    schema = SchemaDoc(store.schemas.documents)
    for rel in paths:
        kind = classify(rel)
        assert kind is not None
        doc = store.load(rel, kind)
        own = store.problems[rel]
        found = own if doc is None else _document_problems(store, schema, doc, own)
        problems.extend((rel, p) for p in found)
    return problems


def _document_problems(store: Store, schema: SchemaDoc, doc: Document, own: list[Problem]) -> list[Problem]:
    found = [] if own else cross_check(doc, store)
    # What a submission lacks is said once, by the rule that names the question or work example.
    lacking = list(content(doc, store)) if doc.kind == "submission" else []
    said = {p.json_path for p in lacking}
    return [*found, *(p for p in explain_blanks(doc, own, schema) if p.json_path not in said), *lacking]


def validate(root: Path, only: list[str] | None = None, model: bool = False) -> Result:
    """Check the whole catalog; report problems in files under `only` (all when None).

    With `model`, a catalog with no error is also returned as a Catalog.
    """
    schemas = SchemaSet(root / "schemas")
    listing = discover(root)
    store = Store(root, schemas, listing)
    paths = listing.all_paths()
    found = _check(store, paths)
    problems = [*listing.problems, *_missing_singletons(listing), *(p for _, p in found)]
    if only is not None:

        def asked(path: str) -> bool:
            return any(_under(path, prefix) for prefix in only)

        # A problem in an asked-for file, or found checking one (a credential's misfit with its rubric).
        problems = [p for p in problems if asked(p.path)] + [p for checked, p in found if asked(checked)]
        paths = [p for p in paths if asked(p)]
        return Result(sorted(set(problems)), len(paths))
    valid = not any(p.severity == "error" for p in problems)
    catalog = Catalog.from_documents(store.documents()) if model and valid else None
    return Result(sorted(set(problems)), len(paths), catalog, store)


def _under(path: str, prefix: str) -> bool:
    return prefix in ("", ".") or path == prefix or path.startswith(prefix.rstrip("/") + "/")


def git(root: Path, *args: str) -> str:
    """Run git in the repository and return its output; a failure is a usage error with git's message."""
    try:
        # A file name that is not UTF-8 reads as U+FFFD: it matches no file, and nothing crashes.
        run = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, errors="replace", check=False)
    except OSError as err:
        raise UsageError(f"cannot run git: {err.strerror}") from None
    if run.returncode != 0:
        raise UsageError(f"git {' '.join(args)}: {run.stderr.strip() or 'failed'}")
    return run.stdout


def git_or_none(root: Path, *args: str) -> str | None:
    """Git's output, or None when it fails (a path absent at a commit, a grep without a match)."""
    try:
        run = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    except OSError:
        return None
    return run.stdout.decode("utf-8", errors="replace") if run.returncode == 0 else None


def changes(root: Path, ref: str) -> tuple[str, dict[str, str]]:
    """The merge base of `ref` and HEAD, and each file changed since with its status.

    A ref that starts with "-" would reach git as an option, so it is refused.

    Committed, staged, unstaged and new files count; the status is git's letter
    (A added, M modified, D deleted, T type changed), and A for an untracked file.
    """
    if ref.startswith("-"):
        raise UsageError(f"{ref}: not a branch, tag or commit")
    base = git(root, "merge-base", ref, "HEAD").strip()
    fields = git(root, "diff", "--name-status", "--no-renames", "-z", base, "--").split("\0")
    status = dict(zip(fields[1::2], fields[0::2], strict=False))
    for path in git(root, "ls-files", "--others", "--exclude-standard", "-z").split("\0"):
        if path:
            status[path] = "A"
    return base, {path: letter for path, letter in status.items() if path}


def changed_paths(root: Path, ref: str) -> list[str]:
    """Files changed since the merge base of `ref` and HEAD: committed, staged, unstaged or new."""
    return sorted(changes(root, ref)[1])


_SLUG = re.compile(rb"[a-z0-9]+(?:-[a-z0-9]+)*")


def validate_changed(root: Path, ref: str) -> Result:
    """Check the catalog files changed since `ref` and the files that refer to them."""
    changed = [p for p in changed_paths(root, ref) if is_catalog_path(p)]
    schemas = SchemaSet(root / "schemas")
    listing = discover(root)
    store = Store(root, schemas, listing)
    existing = set(listing.all_paths())
    touched: set[tuple[str, str]] = set()
    for rel in changed:
        kind = classify(rel)
        if kind is not None:
            touched.add((kind, item_id(rel, kind)))
    to_check = {p for p in changed if p in existing}
    for kind, ident in sorted(touched):
        to_check.update(_referrers(listing, kind, ident))
        if kind == "stack":
            stack = store.valid("stack", ident)
            to_check.update(p for m in (stack or {}).get("members", []) for p in listing.paths("credential", m))
        elif kind == "consortium":
            to_check.update(listing.paths("district", d)[0] for d in listing.ids("district"))
        elif kind == "reviewers":
            to_check.update(_roster_credentials(root, listing, store, ref))
    changed_set = set(changed)
    problems = [p for p in listing.problems if p.path in changed_set]
    problems += [p for p in _missing_singletons(listing) if p.path in changed_set]
    problems += [p for _, p in _check(store, sorted(to_check))]
    return Result(sorted(set(problems)), len(to_check))


def _referrers(listing: Listing, kind: str, item_id: str) -> set[str]:
    """Files of the kinds that may refer to an id whose text names it (no YAML parsing)."""
    needle = re.compile(rb"(?<![a-z0-9-])" + re.escape(item_id.encode()) + rb"(?![a-z0-9-])")
    found = set()
    for other_kind in REFERRERS.get(kind, ()):
        for other_id in listing.ids(other_kind):
            for rel in listing.paths(other_kind, other_id):
                try:
                    if needle.search((listing.root / rel).read_bytes()):
                        found.add(rel)
                except OSError:
                    found.add(rel)  # let the check report why it cannot be read
    return found


def _roster_credentials(root: Path, listing: Listing, store: Store, ref: str) -> set[str]:
    """Credentials a roster change may leave with too few assessors: those named before or after."""
    texts = []
    for rel in listing.paths("reviewers", "reviewers"):
        with contextlib.suppress(OSError):
            texts.append((root / rel).read_bytes())
        texts.append((git_or_none(root, "show", f"{ref}:{rel}") or "").encode())
    names = {m.decode() for text in texts for m in _SLUG.findall(text)}
    credentials = names & listing.ids("credential")
    for stack_id in names & listing.ids("stack"):
        credentials.update((store.valid("stack", stack_id) or {}).get("members", []))
    return {p for c in credentials for p in listing.paths("credential", c)}
