"""What the `new` commands share: writing a file once, the report of what is still to fill in, the repository they read.

Each `new` command takes what it needs from flags or prompts, writes one YAML
file (two for a credential: it needs a rubric) atomically and never over an
existing file unless forced, runs the validator on what it wrote and says, in
words taken from the credential and the schemas, what is still to fill in.
Choices (types, subjects, grade bands, kinds) are read from the schemas at run
time, so a schema change needs no change here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from ..catalog.layout import discover
from ..catalog.load import parse
from ..catalog.schemas import SchemaSet
from ..catalog.store import Store
from ..catalog.validate import UsageError, git_or_none
from .prompts import Check
from .todo import SchemaInfo

# --------------------------------------------------------------------------- writing and reporting


def write_new(root: Path, rel: str, text: str, force: bool) -> None:
    """Write a file atomically (a temporary file renamed into place); refuse an existing one unless forced."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(0o644)
        if force:
            Path(tmp).replace(path)
            return
        try:
            os.link(tmp, path)  # fails if the file appeared meanwhile: nothing is overwritten
        except FileExistsError:
            raise UsageError(exists_message(rel)) from None
        except OSError:  # a file system without hard links
            if path.exists():
                raise UsageError(exists_message(rel)) from None
            Path(tmp).replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp).unlink()


def exists_message(rel: str) -> str:
    return f"{rel} already exists; give --force to overwrite it"


def refuse_existing(root: Path, rel: str, force: bool) -> None:
    if not force and ((root / rel).exists() or (root / rel).is_symlink()):
        raise UsageError(exists_message(rel))


def pull_request_step(root: Path, words: tuple[str, ...]) -> str:
    folder = root / ".github" / "PULL_REQUEST_TEMPLATE"
    names = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    if not names:
        return "then open a pull request on GitHub"
    for word in words:
        fitting = [n for n in names if word in n.lower()]
        if fitting:
            break
    else:
        fitting = names
    if len(fitting) == 1:
        return f"then open a pull request on GitHub with the template {fitting[0]} (add ?template={fitting[0]} to its address)"
    return f"then open a pull request on GitHub with the template that fits: {', '.join(fitting)}"


@dataclass
class Outcome:
    """What a `new` command wrote, what is still to fill in, and the git steps that follow."""

    written: list[str]
    todo: dict[str, list[str]]
    branch: str
    commit: str
    pull_request: str
    notes: list[str] = field(default_factory=list)
    also: list[str] = field(default_factory=list)  # files left as they were that belong in the same pull request
    on_branch: bool = False  # the branch exists already: switch to it, the change joins its pull request

    def report(self) -> str:
        lines = [f"wrote {rel}" for rel in self.written] + self.notes
        for rel in self.written:
            if self.todo.get(rel):
                lines.append(f"{rel}: still to fill in:")
                lines += [f"  - {item}" for item in self.todo[rel]]
            else:
                lines.append(f"{rel}: valid")
        lines.append("next steps:")
        if any(self.todo.values()):
            lines.append(f"  fill in what is listed above, then check: microcred validate {' '.join(self.written)}")
        lines += [
            f"  git switch {'' if self.on_branch else '-c '}{self.branch}",
            f"  git add {' '.join([*self.written, *self.also])}",
            f'  git commit -m "{self.commit}"',
            f"  git push -u origin {self.branch}",
            f"  {self.pull_request}",
        ]
        return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the repository


class Repo:
    """The catalog as the scaffolds need it: listing, documents and schemas."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.schema = SchemaInfo(root)
        self.listing = discover(root)
        self.store = Store(root, SchemaSet(root / "schemas"), self.listing)

    def has_branch(self, name: str) -> bool:
        """Whether the local git repository has this branch (the scaffolds then switch to it, not create it)."""
        return git_or_none(self.root, "rev-parse", "--verify", "--quiet", f"refs/heads/{name}") is not None

    def git_config(self, key: str) -> str:
        try:
            run = subprocess.run(["git", "config", "--get", key], cwd=self.root, capture_output=True, text=True, check=False)
        except OSError:
            return ""
        return run.stdout.strip() if run.returncode == 0 else ""

    def unknown(self, kind: str, item_id: str, expected: str) -> UsageError:
        close = get_close_matches(item_id, sorted(self.listing.ids(kind)), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        label = "micro-credential" if kind == "credential" else kind
        return UsageError(f"no {label} {item_id!r} (expected {expected}){hint}")

    def credential(self, credential_id: str) -> tuple[str, dict[str, Any]]:
        """A schema-valid credential and its path, or a usage error saying why not."""
        paths = self.listing.paths("credential", credential_id)
        if not paths:
            raise self.unknown("credential", credential_id, f"catalog/credentials/{credential_id}.yml")
        data = self.store.valid("credential", credential_id)
        if data is None:
            raise UsageError(f"{paths[0]} has problems; fix them first (microcred validate {paths[0]})")
        return paths[0], data

    def slug_check(self, what: str) -> Check:
        return self.schema.checker("credential", ("id",), what)


def one_of(value: str, choices: list[str], flag: str) -> str:
    if value and value not in choices:
        raise UsageError(f"{flag} {value}: choose one of {', '.join(choices)}")
    return value


def checked(value: str, check: Check, flag: str) -> str:
    problem = check(value) if value else None
    if problem is not None:
        raise UsageError(f"{flag}: {problem}")
    return value


def slugify(text: str, limit: int = 64) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    while len(slug) > limit and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    return slug[:limit]


def date_check(schema: SchemaInfo) -> Check:
    form = schema.checker("submission", ("submitted_on",), "a day")

    def check(answer: str) -> str | None:
        problem = form(answer)
        if problem is None:
            try:
                dt.date.fromisoformat(answer)
            except ValueError:
                return f"{answer!r} is not a day of the calendar (YYYY-MM-DD)"
        return problem

    return check


def parse_file(root: Path, rel: str) -> dict[str, Any]:
    data = parse((root / rel).read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}
