"""A pull request as the gate sees it: the plain facts the GitHub adapter returns, what it asks for, and the gate's error.

Kept apart from github.py so that the gate's logic, and every command of the CLI, load without PyGithub;
only a run that talks to GitHub imports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..catalog.model import Catalog, Credential, Rubric

STATUS_CONTEXT = "microcred/review-gate"


class GateError(Exception):
    """The gate cannot finish: an API call failed, or the pull request cannot be judged as it stands."""

    def __init__(self, message: str, call: str = "") -> None:
        super().__init__(message)
        self.call = call  # "METHOD /path" of the failed API call, if one failed


@dataclass(frozen=True)
class Pull:
    number: int
    state: str  # open | closed
    author: str
    head: str
    base: str  # the base branch's commit the pull request was last compared with
    created_at: str  # ISO 8601 UTC
    merged_at: str | None
    requested: tuple[str, ...]  # logins asked to review and not yet answered


@dataclass(frozen=True)
class Comment:
    id: int
    login: str
    bot: bool
    body: str


@dataclass(frozen=True)
class Status:
    state: str
    description: str
    login: str  # who set it
    bot: bool  # set by a GitHub App or bot, as the gate's workflow does; not with someone's personal token


@dataclass(frozen=True)
class Subject:
    """What the pull request is: a submission (its file, credential and earner's district) or a proposal."""

    kind: Literal["submission", "proposal"]
    path: str | None = None
    credential: Credential | None = None
    rubric: Rubric | None = None
    district: str | None = None
    earner: str | None = None  # under blind review: the earner's login, known from the binding and never shown


def besides(files: tuple[tuple[str, str], ...], path: str) -> str | None:
    """Why a pull request that changes the submission at `path` is not that submission alone; None when it is."""
    others = sorted({other for other, _ in files if other != path})
    if not others:
        return None
    shown = ", ".join(repr(other) for other in others[:3]) + (", …" if len(others) > 3 else "")
    return (
        f"the pull request changes {len(others)} file{'s' if len(others) > 1 else ''} besides its submission ({shown}); "
        "a submission comes alone in its pull request"
    )


def unbound(catalog: Catalog, login: str, district: str) -> str | None:
    """Why the district a submission declares is not its earner's, as catalog/earners.yml binds them; None when it is."""
    listed = catalog.earners.get(login.casefold())
    if listed is None:
        return f"{login} is not listed in catalog/earners.yml on the default branch, so their district is not known"
    return None if listed == district else f"catalog/earners.yml lists {login} under {listed}, not {district}"
