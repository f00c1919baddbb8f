"""Helpers shared by the tests: paths, a throwaway catalog repository, golden files."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
UPDATE_GOLDEN = os.environ.get("MICROCRED_UPDATE_GOLDEN") == "1"
# The official Open Badges schemas and contexts, beside the repository (not part of it).
REFERENCE = ROOT.parent / "shared" / "reference" / "openbadges"


def needs_reference(name: str) -> pytest.MarkDecorator:
    """Skip a test, with the reason, when the reference file `name` is not in REFERENCE."""
    return pytest.mark.skipif(not (REFERENCE / name).is_file(), reason=f"the Open Badges reference file {REFERENCE / name} is absent")


def make_repo(dest: Path, base: Path = FIXTURES / "base") -> Path:
    """A catalog repository: the given catalog plus this project's schemas."""
    shutil.copytree(base, dest)
    shutil.copytree(ROOT / "schemas", dest / "schemas")
    return dest


@dataclass
class Run:
    code: int
    out: str
    err: str


def golden(path: Path, actual: str) -> None:
    """Compare with a golden file; MICROCRED_UPDATE_GOLDEN=1 rewrites it for review in the diff."""
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing; run with MICROCRED_UPDATE_GOLDEN=1 to create it"
    assert actual == path.read_text(encoding="utf-8")


GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
    "PATH": "/usr/bin:/bin",
}


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run git in a test repository, with a fixed identity and no user configuration."""
    full_env = {**GIT_ENV, "HOME": str(repo), **(env or {})}
    return subprocess.run(["git", *args], cwd=repo, env=full_env, capture_output=True, text=True, check=True).stdout
