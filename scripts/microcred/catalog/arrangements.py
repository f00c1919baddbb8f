"""What a consortium may arrange beyond the default: blind review, and badge sites for a catalog too large for one site."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class BlindReview:
    """Where earners submit when reviewers must not know whose evidence they score, and who relays it."""

    intake: str  # OWNER/NAME of the private intake repository
    relay: str  # the login of the relay's bot, the only author of a public submission pull request

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> BlindReview:
        return cls(d["intake"], d["relay"])


@dataclass(frozen=True)
class BadgeSite:
    """Another GitHub Pages site that publishes the badges minted from its first day on."""

    since: str  # YYYY-MM-DD (UTC)
    url: str  # ends with "/"
    repository: str | None = None  # OWNER/NAME of the repository whose gh-pages branch publishes it, when not derived from the url
