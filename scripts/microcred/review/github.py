"""The review gate's side of GitHub: a thin PyGithub adapter, and the approval record that mint keeps.

`Hub` turns API answers into plain frozen facts and carries out writes; each call is named by its
method and path, so an API error is reported as the call that failed with its HTTP status. Who may
vote and what the votes decide is review.py's, how reviews over time become rounds is rounds.py's;
this module only fetches the facts for them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Literal, cast

from github import Auth, Github, GithubException, GithubRetry, UnknownObjectException
from github.IssueComment import IssueComment
from github.PullRequest import PullRequest
from github.PullRequestReview import PullRequestReview
from github.Repository import Repository

from ..catalog.model import Catalog, Rubric
from ..catalog.records import Record, ReviewRecord, Round
from . import review
from .pulls import STATUS_CONTEXT, Comment, GateError, Pull, Status, besides, unbound
from .rounds import Commit, Dismissal, attributed, context_for, decided_at, foreign, restore, rounds

TIMEOUT = 30  # seconds per request
MAX_BYTES = 1024 * 1024  # the loader's limit for a catalog file


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _retry() -> GithubRetry:
    # Two retries of idempotent calls after a 5xx (the second after half a second): a blip passes, an outage fails
    # the run quickly. POST is not retried, so a comment is never posted twice; rate-limit waits are capped.
    return GithubRetry(
        total=2,
        backoff_factor=0.25,
        raise_on_status=False,
        allowed_methods=frozenset({"GET", "PUT", "PATCH", "DELETE"}),
        max_rate_limit_wait=120,
    )


class Hub:
    """One repository through PyGithub, for one run: facts out, writes in."""

    def __init__(self, client: Github, repository: str) -> None:
        self._client = client
        self.repository = repository
        self._repo: Repository = client.get_repo(repository)  # lazy: no request until something is read
        self._pulls: dict[int, PullRequest] = {}
        self._reviews: dict[int, PullRequestReview] = {}
        self._comments: dict[int, IssueComment] = {}
        self._open: list[PullRequest] | None = None

    @classmethod
    def connect(cls, api_url: str, token: str, repository: str) -> Hub:
        """A client for GitHub, GitHub Enterprise (…/api/v3) or a test server, with a timeout and bounded retries."""
        # No pause between requests: a gate run makes a few dozen calls, far below the secondary rate limits.
        client = Github(
            auth=Auth.Token(token),
            base_url=api_url.rstrip("/"),
            timeout=TIMEOUT,
            retry=_retry(),
            per_page=100,
            seconds_between_requests=None,
            seconds_between_writes=None,
            lazy=True,
        )
        return cls(client, repository)

    def close(self) -> None:
        self._client.close()

    @contextmanager
    def _call(self, method: str, path: str) -> Iterator[None]:
        call = f"{method} /repos/{self.repository}{path}"
        try:
            yield
        except GithubException as err:
            data = err.data if isinstance(err.data, dict) else {}
            said = str(data.get("message") or err.message or "").strip()
            text = f"{call} answered HTTP {err.status}" + (f": {said}" if said else "")
            if err.status == 403 and said == "Resource not accessible by integration":  # GitHub's words for a missing grant
                text += "; the token is read-only here: the gate's job needs statuses: write, pull-requests: write and issues: write"
            elif err.status == 403 and method != "GET":
                text += "; GitHub refused the write (a rule of the repository may reserve it, e.g. who may dismiss reviews)"
            elif err.status == 401:
                text += "; the token was refused"
            raise GateError(text, call) from None
        except OSError as err:  # requests' errors: no connection, a timeout, retries used up
            raise GateError(f"{call} got no answer: {err}", call) from None

    def _pull(self, number: int) -> PullRequest:
        if number not in self._pulls:
            self._pulls[number] = self._repo.get_pull(number)
        return self._pulls[number]

    def pull(self, number: int) -> Pull:
        with self._call("GET", f"/pulls/{number}"):
            pr = self._pull(number)
            return Pull(
                number=pr.number,
                state=pr.state,
                author=pr.user.login,
                head=pr.head.sha,
                base=pr.base.sha,
                created_at=_iso(pr.created_at),
                merged_at=_iso(pr.merged_at) if pr.merged_at else None,
                requested=tuple(user.login for user in pr.requested_reviewers),
            )

    def labels(self, number: int) -> tuple[str, ...]:
        with self._call("GET", f"/issues/{number}/labels"):
            return tuple(label.name for label in self._pull(number).get_labels())

    def files(self, number: int) -> tuple[tuple[str, str], ...]:
        """(path, status) of each file the pull request changes; status is added, modified, removed, renamed…

        A renamed file's former path follows it as removed: the rename changes that path too.
        """
        with self._call("GET", f"/pulls/{number}/files"):
            found = []
            for f in self._pull(number).get_files():
                found.append((f.filename, f.status))
                if f.status == "renamed" and f.previous_filename:
                    found.append((f.previous_filename, "removed"))
            return tuple(found)

    def commits(self, number: int) -> tuple[Commit, ...]:
        with self._call("GET", f"/pulls/{number}/commits"):
            found = []
            for c in self._pull(number).get_commits():
                logins = tuple(dict.fromkeys(user.login for user in (c.author, c.committer) if user is not None))
                found.append(Commit(c.sha, _iso(c.commit.committer.date), logins))
            return tuple(found)

    def reviews(self, number: int) -> tuple[review.Review, ...]:
        with self._call("GET", f"/pulls/{number}/reviews"):
            found = []
            for r in self._pull(number).get_reviews():
                self._reviews[r.id] = r
                login = r.user.login if r.user is not None else "ghost"  # a deleted account
                bot = r.user is not None and r.user.type == "Bot"
                at = _iso(r.submitted_at) if r.submitted_at else ""  # a pending review has no time yet
                state = cast(review.State, r.state)
                found.append(review.Review(r.id, login, state, r.commit_id or "", at, r.body or "", bot))
            return tuple(found)

    def dismissals(self, number: int) -> tuple[Dismissal, ...]:
        with self._call("GET", f"/issues/{number}/events"):
            events = [e for e in self._pull(number).get_issue_events() if e.event == "review_dismissed"]
            return tuple(
                Dismissal(
                    int(e.dismissed_review["review_id"]),
                    str(e.dismissed_review.get("dismissal_message") or ""),
                    str(e.dismissed_review.get("state") or ""),
                )
                for e in events
            )

    def file_at(self, path: str, ref: str) -> bytes:
        with self._call("GET", f"/contents/{path}?ref={ref}"):
            found = self._repo.get_contents(path, ref=ref)
            if isinstance(found, list) or found.type != "file":
                raise GateError(f"{path} is not a file at {ref[:7]}")
            if found.size > MAX_BYTES or found.encoding != "base64":
                raise GateError(f"{path} has {found.size:,} bytes at {ref[:7]}; a catalog file may have at most {MAX_BYTES:,}")
            return found.decoded_content

    def _open_pulls(self) -> list[PullRequest]:
        """The repository's open pull requests, listed once per run: the shared-head check and the tie-break both read them."""
        if self._open is None:
            with self._call("GET", "/pulls?state=open"):
                self._open = list(self._repo.get_pulls(state="open"))
        return self._open

    def open_requests(self) -> dict[str, int]:
        """How many open pull requests ask each login for a review."""
        counts: dict[str, int] = {}
        with self._call("GET", "/pulls?state=open"):
            for pr in self._open_pulls():
                for user in pr.requested_reviewers:
                    counts[user.login] = counts.get(user.login, 0) + 1
        return counts

    def open_pulls_at(self, sha: str, number: int) -> tuple[int, ...]:
        """The other open pull requests whose head is this commit."""
        with self._call("GET", "/pulls?state=open"):
            return tuple(sorted(pr.number for pr in self._open_pulls() if pr.head.sha == sha and pr.number != number))

    def comments(self, number: int) -> tuple[Comment, ...]:
        with self._call("GET", f"/issues/{number}/comments"):
            found = []
            for c in self._pull(number).get_issue_comments():
                self._comments[c.id] = c
                found.append(Comment(c.id, c.user.login, c.user.type == "Bot", c.body or ""))
            return tuple(found)

    def status(self, sha: str) -> Status | None:
        """The latest status of the gate's context on a commit; GitHub lists a commit's statuses newest first."""
        with self._call("GET", f"/statuses/{sha}"):
            for s in self._repo.get_commit(sha).get_statuses():
                if s.context == STATUS_CONTEXT:
                    who = s.creator
                    return Status(s.state, s.description or "", who.login if who else "ghost", who is not None and who.type == "Bot")
        return None

    def check_runs(self, sha: str, name: str) -> tuple[tuple[int, str, str, str], ...]:
        """(id, the app's slug, status, conclusion) of every check run called `name` on a commit, newest first."""
        with self._call("GET", f"/commits/{sha}/check-runs?check_name={name}"):
            runs = self._repo.get_commit(sha).get_check_runs(check_name=name, filter="all")
            return tuple((r.id, r.app.slug if r.app else "", r.status or "", r.conclusion or "") for r in runs)

    def set_status(self, sha: str, state: Literal["pending", "success", "failure"], description: str) -> None:
        with self._call("POST", f"/statuses/{sha}"):
            self._repo.get_commit(sha).create_status(state=state, description=description[:140], context=STATUS_CONTEXT)

    def ensure_label(self, name: str, color: str, description: str) -> None:
        with self._call("GET", f"/labels/{name}"):
            try:
                self._repo.get_label(name).complete()  # a lazy label asks nothing until completed
                return
            except UnknownObjectException:
                pass
        with self._call("POST", "/labels"):
            self._repo.create_label(name, color, description)

    def add_label(self, number: int, name: str) -> None:
        with self._call("POST", f"/issues/{number}/labels"):
            self._pull(number).add_to_labels(name)

    def remove_label(self, number: int, name: str) -> None:
        with self._call("DELETE", f"/issues/{number}/labels/{name}"):
            self._pull(number).remove_from_labels(name)

    def comment(self, number: int, body: str) -> None:
        with self._call("POST", f"/issues/{number}/comments"):
            self._pull(number).create_issue_comment(body)

    def edit_comment(self, comment_id: int, body: str) -> None:
        with self._call("PATCH", f"/issues/comments/{comment_id}"):
            self._comments[comment_id].edit(body)

    def request_review(self, number: int, login: str) -> None:
        with self._call("POST", f"/pulls/{number}/requested_reviewers"):
            self._pull(number).create_review_request(reviewers=[login])

    def dismiss(self, number: int, review_id: int, message: str) -> None:
        with self._call("PUT", f"/pulls/{number}/reviews/{review_id}/dismissals"):
            self._reviews[review_id].dismiss(message)

    def default_branch(self) -> str:
        with self._call("GET", ""):
            return str(self._repo.default_branch)

    # -- the relay's writes (blind review): a branch, a file on it, a pull request from it -----------

    def branch_head(self, branch: str) -> str | None:
        """The commit a branch points at; None when there is no such branch."""
        with self._call("GET", f"/git/ref/heads/{branch}"):
            try:
                return str(self._repo.get_git_ref(f"heads/{branch}").object.sha)
            except UnknownObjectException:
                return None

    def create_branch(self, branch: str, sha: str) -> None:
        with self._call("POST", "/git/refs"):
            self._repo.create_git_ref(f"refs/heads/{branch}", sha)

    def blob_sha(self, path: str, ref: str) -> str | None:
        """The blob id of a file at a ref, which an update must name; None when the file is not there."""
        with self._call("GET", f"/contents/{path}?ref={ref}"):
            try:
                found = self._repo.get_contents(path, ref=ref)
            except UnknownObjectException:
                return None
            return None if isinstance(found, list) else str(found.sha)

    def put_file(self, path: str, branch: str, data: bytes, message: str) -> None:
        """Commit a file on a branch as the token's own account (author and committer alike: no one else is named)."""
        sha = self.blob_sha(path, branch)
        with self._call("PUT", f"/contents/{path}"):
            if sha is None:
                self._repo.create_file(path, message, data, branch=branch)
            else:
                self._repo.update_file(path, message, data, sha, branch=branch)

    def pull_from(self, branch: str) -> int | None:
        """The pull request, open or closed, whose head is this repository's branch."""
        owner = self.repository.split("/")[0]
        with self._call("GET", f"/pulls?head={owner}:{branch}"):
            found = [pr.number for pr in self._repo.get_pulls(state="all", head=f"{owner}:{branch}")]
        return min(found) if found else None

    def open_pull(self, title: str, body: str, branch: str, base: str) -> int:
        with self._call("POST", "/pulls"):
            return int(self._repo.create_pull(base=base, head=branch, title=title, body=body).number)

    def merged_pull(self, sha: str) -> int | None:
        """The merged pull request whose merge (or squash, or rebase) put this commit on the base branch."""
        with self._call("GET", f"/commits/{sha}/pulls"):
            merged = [(p.number, p.merge_commit_sha) for p in self._repo.get_commit(sha).get_pulls() if p.merged_at is not None]
        exact = [number for number, merge_sha in merged if merge_sha == sha]
        if exact or len(merged) == 1:
            return (exact or [merged[0][0]])[0]
        return None


def approval_record(
    repo: Hub, pr_number: int, catalog: Catalog, submission: Mapping[str, Any], rubric: Rubric, key: bytes, relay: str | None = None
) -> Record:
    """The review record of a merged submission: every decided round of its pull request, reviewers pseudonymised.

    The same rules as the gate's: the pull request is the submission alone, opened by the earner, with every commit
    the earner's; the votes are counted with `catalog`'s roster (the pull request's base) and scored against `rubric`
    (the version the submission answers). Under blind review (`relay`), the relay opened it and made every commit, the
    submission's earner is the binding's, and the record names the opaque id instead of the earner. Raises GateError
    when the pull request is not merged or breaks a rule, or when its last round is not an approval of the merged head.
    """
    pull = repo.pull(pr_number)
    if pull.merged_at is None:
        raise GateError(f"pull request #{pr_number} is not merged")
    credential = catalog.credentials.get(str(submission["credential"]))
    if credential is None:
        raise GateError(f"pull request #{pr_number}: no credential {submission['credential']!r} in the catalog")
    path = f"submissions/{credential.id}/{submission['id']}.yml"
    files = repo.files(pr_number)
    if not any(changed == path and status != "removed" for changed, status in files):
        raise GateError(f"pull request #{pr_number} does not add or change {path}")
    if reason := besides(files, path):
        raise GateError(f"pull request #{pr_number}: {reason}")
    earner = submission["earner"]
    login = str(earner["login"])
    opener = relay or login
    if opener.casefold() != pull.author.casefold():
        who = f"the relay {relay}" if relay else f"the earner {login}"
        raise GateError(f"pull request #{pr_number} was opened by {pull.author}, not by {who}")
    if reason := unbound(catalog, login, str(earner["district"])):
        raise GateError(f"pull request #{pr_number}: {reason}")
    commits = repo.commits(pr_number)
    if theirs := foreign(commits, opener):
        # Who counts as a reviewer depends on commit attribution, which an address can fake: a submission's must be the earner's.
        raise GateError(f"pull request #{pr_number}: {attributed(theirs, opener)}; a submission's commits are the earner's own")
    base = context_for(catalog, "submission", credential.id, earner["district"], pull.head, login, commits)
    reviews = restore(repo.reviews(pr_number), repo.dismissals(pr_number))
    decided = rounds(reviews, base, commits, pull.created_at)
    if not decided or decided[-1].decision.outcome != "approved" or decided[-1].decision.head != pull.head:
        last = f"{decided[-1].decision.outcome} on {decided[-1].decision.head[:7]}" if decided else "no decision"
        raise GateError(f"pull request #{pr_number} was merged at {pull.head[:7]} without an approval there (last round: {last})")

    def record_of(vote: review.Vote) -> ReviewRecord:
        levels = review.parse_scores(vote.review.body, rubric).levels
        name = review.pseudonym(key, catalog.consortium.id, vote.login.casefold())
        return ReviewRecord(name, vote.verdict, vote.review.submitted_at[:10], dict(levels))

    kept = tuple(
        Round(
            head=r.decision.head,
            opened_on=r.opened[:10],
            decided_on=decided_at(r.decision)[:10],
            outcome=r.decision.outcome,
            tiebreak=r.tiebreak,
            reviews=tuple(record_of(v) for v in sorted(r.decision.votes, key=lambda v: (v.review.submitted_at, v.review.id))),
        )
        for r in decided
    )
    return Record(
        submission=str(submission["id"]),
        credential=credential.id,
        version=str(submission["version"]),
        earner=str(submission.get("blind") or login),  # a relayed submission's public record names its opaque id alone
        district=str(submission.get("blind") or earner["district"]),
        pull_request=pr_number,
        submitted_on=pull.created_at[:10],
        merged_at=pull.merged_at,
        rounds=kept,
    )
