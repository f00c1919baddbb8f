"""`microcred remind`: one issue per badge that expires soon, mentioning its earner, so GitHub's notification is the reminder.

An issue is found again by the marker in its body (under the reminder label), open or closed, so a badge is
never reminded twice across runs; the issue is closed once a renewal's badge is minted. Nothing else is written.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from ..badges.urls import Urls, assertion_uuid, revoked_ids
from ..catalog.model import Catalog
from ..catalog.validate import UsageError, repository_root, validate

LABEL = "renewal-reminder"
MARKER = re.compile(r"<!-- microcred-remind: ([0-9a-f-]{36}) -->")
TODAY = "MICROCRED_TODAY"  # a fixed day for the run, as --today gives it
REPOSITORY, TOKEN, API_URL = "GITHUB_REPOSITORY", "GITHUB_TOKEN", "GITHUB_API_URL"
MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+!|~@&])")


@dataclass(frozen=True)
class Expiring:
    """A minted, unrevoked credential badge that has an expiry."""

    uuid: str
    submission: str
    credential: str
    title: str
    login: str
    issued: str  # YYYY-MM-DD
    expires: str  # YYYY-MM-DD
    renewed_by: str | None  # the submission whose minted badge renews it
    page: str = ""  # the badge's page, on whichever site publishes it


def day_given(value: str | None) -> date:
    """--today, else $MICROCRED_TODAY, else the UTC day."""
    value = value or os.environ.get(TODAY) or None
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--today {value}: give a day as YYYY-MM-DD, e.g. 2026-12-01") from None


def expiring(root: Path, catalog: Catalog) -> list[Expiring]:
    """Every minted, unrevoked credential badge with an expiry, by expiry then submission."""
    urls = Urls.of(catalog.consortium)
    revoked = revoked_ids(_json(root, urls.path(urls.revocations)), urls)
    minted: dict[str, tuple[dict[str, Any], dict[str, Any], str]] = {}  # submission -> (submission, assertion, uuid)
    for path in sorted((root / "submissions").glob("*/*.yml")):
        credential, name = path.parent.name, path.stem
        uuid = assertion_uuid(urls.site_url, credential, name)
        document = _json(root, urls.path(urls.assertion(uuid)))
        if document is None or document.get("revoked") is True or urls.assertion(uuid) in revoked:
            continue
        minted[name] = (_submission(path), document, uuid)
    renewals = {s.get("renews"): name for name, (s, _, _) in minted.items() if s.get("renews")}
    found = []
    for name, (submission, document, uuid) in minted.items():
        if not isinstance(document.get("expires"), str) or not isinstance(submission.get("earner"), dict):
            continue
        credential = str(submission.get("credential"))
        title = catalog.credentials[credential].title if credential in catalog.credentials else credential
        login = str(submission["earner"].get("login", ""))
        issued = str(document.get("issuedOn", ""))[:10]
        page = urls.at(str(document.get("id"))).badge_page(uuid)
        found.append(Expiring(uuid, name, credential, title, login, issued, document["expires"][:10], renewals.get(name), page))
    return sorted(found, key=lambda e: (e.expires, e.submission))


def due(badges: list[Expiring], today: date, days: int) -> list[Expiring]:
    """The badges not renewed that expire from today to `days` days on."""
    last = (today + timedelta(days=days)).isoformat()
    return [b for b in badges if b.renewed_by is None and today.isoformat() <= b.expires <= last]


def body(badge: Expiring, catalog: Catalog) -> str:
    """The issue's text: the earner mentioned, the dates, the renewal steps; catalog text escaped."""
    urls = Urls(catalog.consortium.site_url)
    title = MARKDOWN.sub(r"\\\1", " ".join(badge.title.split()))
    return "\n".join(
        [
            f"<!-- microcred-remind: {badge.uuid} -->",
            f"@{badge.login}, your badge **{title}** (issued {badge.issued}) expires on **{badge.expires}**.",
            "",
            "To renew it before then:",
            "",
            f"1. In your copy of this repository, run `microcred new submission --renew {badge.uuid}`.",
            "2. Answer what the new file asks: the renewal's reflection and recent work, linked from your storage.",
            "3. Open a pull request with it. It is reviewed as your first submission was; once merged, the renewed badge is minted.",
            "",
            "Your current badge stays valid until it expires. This issue is closed when the renewed badge is minted.",
            "",
            f"Badge: {badge.page or urls.badge_page(badge.uuid)}",
        ]
    )


class Issues:
    """The repository's reminder issues through PyGithub: the marker of each, opened and closed."""

    def __init__(self, api_url: str, token: str, repository: str) -> None:
        from github import Auth, Github

        self._client = Github(auth=Auth.Token(token), base_url=api_url.rstrip("/"), timeout=30, per_page=100, lazy=True)
        self._repo = self._client.get_repo(repository)

    def existing(self) -> dict[str, tuple[int, str]]:
        """badge uuid -> (issue number, state), for every reminder issue, open or closed; the first issue of a badge."""
        found: dict[str, tuple[int, str]] = {}
        for issue in self._repo.get_issues(state="all", labels=[LABEL]):
            marker = MARKER.search(issue.body or "")
            if marker:  # only people with triage rights can label: a marker elsewhere counts for nothing
                found.setdefault(marker.group(1), (issue.number, issue.state))
        return found

    def open(self, title: str, text: str) -> int:
        return self._repo.create_issue(title=title, body=text, labels=[LABEL]).number

    def close(self, number: int) -> None:
        self._repo.get_issue(number).edit(state="closed", state_reason="completed")


def remind(root: Path, today: date, dry_run: bool, env: dict[str, str], say: Any = print) -> int:
    """Open the due reminders, close the renewed ones; print each action (or, in a dry run, what it would be)."""
    result = validate(root, model=True)
    if result.catalog is None:
        raise UsageError("the catalog has errors (see `microcred validate`); no reminder was sent")
    catalog = result.catalog
    badges = expiring(root, catalog)
    soon = due(badges, today, catalog.consortium.remind_days)
    window = f"{today.isoformat()} to {(today + timedelta(days=catalog.consortium.remind_days)).isoformat()}"
    if dry_run:
        for badge in soon:
            say(f"would open an issue for {badge.uuid} ({badge.credential}, @{badge.login}): expires {badge.expires}")
        say(f"microcred: {len(soon)} badge(s) expiring from {window}; dry run, nothing written")
        return 0
    missing = [name for name in (REPOSITORY, TOKEN) if not env.get(name)]
    if missing:
        raise UsageError(f"{' and '.join(missing)} not set: remind talks to GitHub (or give --dry-run)")
    issues = Issues(env.get(API_URL, "https://api.github.com"), env[TOKEN], env[REPOSITORY])
    existing = issues.existing()
    opened = closed = 0
    for badge in soon:
        if badge.uuid not in existing:
            number = issues.open(f"Your badge {' '.join(badge.title.split())} expires on {badge.expires}", body(badge, catalog))
            say(f"opened #{number} for {badge.uuid} ({badge.credential}, @{badge.login}): expires {badge.expires}")
            opened += 1
    for badge in badges:
        number, state = existing.get(badge.uuid, (0, ""))
        if badge.renewed_by is not None and state == "open":
            issues.close(number)
            say(f"closed #{number}: {badge.uuid} is renewed by {badge.renewed_by}")
            closed += 1
    say(f"microcred: {len(soon)} badge(s) expiring from {window}; opened {opened}, closed {closed}")
    return 0


def _json(root: Path, rel: str) -> Any:
    try:
        return json.loads((root / rel).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeError, ValueError) as err:
        raise UsageError(f"{rel}: not a readable JSON document ({err})") from None


def _submission(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, yaml.YAMLError) as err:
        raise UsageError(f"{path.name}: not readable ({err})") from None
    return data if isinstance(data, dict) else {}


def add_parser(commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser, brief: str) -> None:
    """`remind`."""
    parser = commands.add_parser(
        "remind",
        parents=[common],
        help=brief,
        description=(
            "Open one GitHub issue for each minted badge that expires within the days catalog/consortium.yml sets "
            "(reminders.days_before, 60 unless set), mentioning its earner, with the steps to renew it; never a second "
            "one for the same badge; close it once a renewal's badge is minted. Needs GITHUB_REPOSITORY and GITHUB_TOKEN "
            "(GITHUB_API_URL for another server). Exit 0 when done, 2 on a usage error."
        ),
    )
    parser.add_argument("--dry-run", action="store_true", help="print what it would do; talk to nobody")
    parser.add_argument("--today", metavar="DAY", help=f"the day of the run, YYYY-MM-DD (default: ${TODAY}, else today in UTC)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from github import GithubException

    try:
        return remind(repository_root(args.root), day_given(args.today), args.dry_run, dict(os.environ))
    except GithubException as err:
        raise UsageError(f"GitHub answered {err.status}: {err.data.get('message') if isinstance(err.data, dict) else err.data}") from None
