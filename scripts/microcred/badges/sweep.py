"""Knowing, without reading the repository, that a `mint` run has nothing to do.

A full sweep validates every catalog file, submission and record and reads every badge: at 200,000 badges that
takes minutes. A sweep that ends with nothing skipped leaves a stamp, an empty file under `badges/swept/` named by
a hash of what it read: the git trees at HEAD of catalog/, rubrics/, schemas/, submissions/ and records/ (which
must hold no uncommitted change), the revocation list's bytes, the keys it signed with and this program's own
code. A later run that finds the stamp of its own state, and an assertion (or a revocation) for every submission,
stops at once. Anything else — a merge, a catalog edit, a revocation, another key, an upgrade of microcred, a file
changed but not committed, a deleted assertion — means a full sweep, which stamps the new state.

One stamp is kept: a full sweep removes the others. The stamp is a file per state, never one file rewritten, so
two runs minting at once add two names and their commits never conflict.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path

import yaml

from ..catalog.layout import YAML_SUFFIXES
from .urls import Urls, assertion_uuid, revoked_ids

FOLDER = "badges/swept"
INPUTS = ("catalog", "rubrics", "schemas", "submissions", "records")
REVOCATIONS = "badges/revocations.json"
_CODE = Path(__file__).resolve().parent.parent  # the microcred package


def _git(root: Path, *args: str) -> str | None:
    try:
        run = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    except OSError:
        return None
    return run.stdout if run.returncode == 0 else None


def _code() -> str:
    digest = hashlib.sha256()
    for path in sorted(_CODE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".j2", ".js", ".css"):
            digest.update(path.relative_to(_CODE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def fingerprint(root: Path, keys: Iterable[str]) -> str | None:
    """The hash of the state a sweep reads; None when it cannot be known (no commit, or uncommitted changes)."""
    if _git(root, "rev-parse", "--show-prefix") != "\n":
        return None  # not the top of a git work tree
    trees = _git(root, "ls-tree", "HEAD", "--", *INPUTS)
    status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", *INPUTS)
    if trees is None or status is None or status.strip():
        return None
    revocations = root / REVOCATIONS
    listed = hashlib.sha256(revocations.read_bytes()).hexdigest() if revocations.is_file() else "none"
    state = "\n".join([trees, listed, *sorted(keys), _code()])
    return hashlib.sha256(state.encode("utf-8")).hexdigest()


def stamp_path(stamp: str) -> str:
    return f"{FOLDER}/{stamp}"


def swept(root: Path, stamp: str | None) -> bool:
    """Whether the state was swept already and every submission still has its badge (or was revoked)."""
    if stamp is None or not (root / stamp_path(stamp)).is_file():
        return False
    try:
        consortium = yaml.safe_load((root / "catalog/consortium.yml").read_text(encoding="utf-8"))
        urls = Urls.of_data(consortium)
        site_url = urls.site_url
        revoked = revoked_ids(json.loads((root / REVOCATIONS).read_text(encoding="utf-8")), urls)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, yaml.YAMLError):
        return False  # the full sweep says what is wrong
    folder = root / "badges/assertions"
    with os.scandir(folder) if folder.is_dir() else nullcontext(iter(())) as entries:  # names only: no Path per file
        assertions = {entry.name for entry in entries}
    for credential, name in _submissions(root):
        uuid = assertion_uuid(site_url, credential, name)
        if f"{uuid}.json" not in assertions and urls.assertion(uuid) not in revoked:
            return False
    return True


def _submissions(root: Path) -> Iterator[tuple[str, str]]:
    """(credential, submission id) of every file where the catalog's layout places a submission, none of them read."""
    top = root / "submissions"
    with os.scandir(top) if top.is_dir() else nullcontext(iter(())) as folders:
        for folder in folders:
            if folder.is_dir(follow_symlinks=False):  # a linked folder is the full sweep's to report
                with os.scandir(folder.path) as files:
                    for entry in files:
                        stem, dot, suffix = entry.name.rpartition(".")
                        if dot and f".{suffix}" in YAML_SUFFIXES:
                            yield folder.name, stem


def leave(root: Path, stamp: str) -> list[str]:
    """Write the state's stamp and remove every other; the paths removed."""
    folder = root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    removed = []
    for old in sorted(folder.iterdir()):
        if old.name != stamp and old.is_file():
            old.unlink()
            removed.append(old.relative_to(root).as_posix())
    (folder / stamp).touch()
    return removed
