"""Under blind review, what in a submission would tell reviewers whose it is: check-pr's warnings in the intake repository.

Reviewers see the submission's answers and open its evidence links; the relay takes away the earner's login,
district and email hash, but not what the earner wrote. An evidence link whose address shows its owner's
account or name (a GitHub account, a Google Sites page, a OneDrive folder, a video channel) and an answer that
names the earner or their district, as catalog/earners.yml and the district's file know them, are warned about
(MC350, MC351) before anything is relayed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..catalog.load import Document
from ..catalog.problems import Problem
from ..catalog.store import Store

# Addresses whose path or host names the account that owns them: (pattern, what it shows). Group 1 is the name shown.
OWNER_HOSTS = (
    (re.compile(r"https://(?:www\.)?github\.com/([^/?#\s]+)", re.I), "a GitHub account"),
    (re.compile(r"https://gist\.github\.com/([^/?#\s]+)/", re.I), "a GitHub account"),
    (re.compile(r"https://([^/.\s]+)\.github\.io(?:[/?#]|$)", re.I), "a GitHub account"),
    (re.compile(r"https://sites\.google\.com/(?:[^/\s]+/)?view/([^/?#\s]+)", re.I), "a Google Sites page named after its owner"),
    (
        re.compile(r"https://[^/\s]+-my\.sharepoint\.com/(?::[a-z]:/r/)?personal/([^/?#\s]+)", re.I),
        "a OneDrive folder named after its owner",
    ),
    (re.compile(r"https://(?:www\.)?youtube\.com/(?:@|c/|user/)([^/?#\s]+)", re.I), "a YouTube channel"),
    (re.compile(r"https://(?:www\.)?vimeo\.com/(?!\d)([^/?#\s]+)", re.I), "a Vimeo account"),
    (re.compile(r"https://(?:www\.)?padlet\.com/([^/?#\s]+)/", re.I), "a Padlet account"),
)
WHY = "under blind review reviewers must not know whose evidence they score"


def names(store: Store, login: str, district_id: str) -> dict[str, str]:
    """The words that name the earner or their district, folded -> what they name."""
    found = {login.casefold(): "the earner's GitHub login", district_id.casefold(): "the earner's district"}
    district = store.valid("district", district_id) or {}
    if isinstance(district.get("name"), str):
        found[district["name"].casefold()] = "the earner's district"
    for field in ("url",):
        host = re.match(r"https://(?:www\.)?([^/:]+)", str(district.get(field) or ""))
        if host:
            found[host[1].casefold()] = "the earner's district's website"
    return found


def _named(text: str, words: Mapping[str, str]) -> tuple[str, str] | None:
    for word, what in sorted(words.items(), key=lambda item: -len(item[0])):  # "north district" before "north"
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text.casefold()):
            return word, what
    return None


def warnings(store: Store, doc: Document) -> Iterator[Problem]:
    """MC350 for evidence links that show their owner, MC351 for answers that name the earner or their district."""
    data: dict[str, Any] = doc.data
    earner = data["earner"]
    words = names(store, earner["login"], earner["district"])
    for artifact, entry in sorted((data.get("artifacts") or {}).items()):
        url = str(entry.get("url", ""))
        shown = next(((what, found[1]) for pattern, what in OWNER_HOSTS if (found := pattern.match(url))), None)
        if shown is None and (hit := _named(url, words)):
            shown = (hit[1], hit[0])
        if shown:
            message = f"the link shows whose the evidence is ({shown[0]}: {shown[1]!r}); {WHY}: share it from storage that names no one"
            yield doc.problem("MC350", message, ("artifacts", artifact, "url"))
    answers: list[tuple[tuple[str, ...], Any]] = [
        ((section, key), value) for section in ("overview", "reflection") for key, value in (data.get(section) or {}).items()
    ]
    answers += [(("artifacts", key, "description"), entry.get("description", "")) for key, entry in (data.get("artifacts") or {}).items()]
    answers.append((("pre_approval", "reference"), (data.get("pre_approval") or {}).get("reference")))
    for where, text in sorted(answers, key=lambda item: item[0]):
        if isinstance(text, str) and (hit := _named(text, words)):
            yield doc.problem("MC351", f"the answer names {hit[1]} ({hit[0]!r}); {WHY}: leave it out of the answers", where)


def relayed(author: str, relay: str | None, doc: Document) -> Iterator[Problem]:
    """A submission named by an opaque id (blind:) comes only from the relay, and only under blind review."""
    if relay is None:
        yield doc.problem("MC352", "a relayed submission (blind:), but blind review is off: a submission names its earner", ("blind",))
    elif author.casefold() != relay.casefold():
        message = f"{author} opened the pull request, but under blind review submissions come only through the relay ({relay})"
        yield doc.problem("MC352", message, ("blind",))
