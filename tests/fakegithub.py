"""A fake GitHub REST API for tests: a real HTTP server on 127.0.0.1, in-memory state, every request recorded.

Real PyGithub talks to it as to api.github.com (`base_url=fake.url`); the JSON carries the fields
PyGithub reads, lists are paged with Link headers, and it can answer as GitHub does to a read-only
token (403 on every write) or fail with a 5xx or 403 at a chosen call, from its first or a later request.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

OWNER, NAME = "consortium", "catalog"
REPOSITORY = f"{OWNER}/{NAME}"
BOT = "github-actions[bot]"  # who the token writes as
TOKEN = "test-token"  # noqa: S105 - the fake's own, for tests
READ_ONLY = {
    "message": "Resource not accessible by integration",
    "documentation_url": "https://docs.github.com/rest",
    "status": "403",
}

Json = Any
Answer = tuple[int, Json, dict[str, str]]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: Json


@dataclass
class Pull:
    number: int
    author: str
    commits: list[str]  # oldest first; the last is the head
    files: dict[str, str]  # path -> added | modified | removed | renamed
    state: str = "open"
    created_at: str = "2026-10-01T09:00:00Z"
    merged_at: str | None = None
    merge_commit_sha: str | None = None
    requested: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    previous: dict[str, str] = field(default_factory=dict)  # a renamed file's path -> its former path
    base: str = "b" * 40  # the base branch's commit
    branch: str = "branch"  # the head branch
    title: str = ""
    body: str = ""

    @property
    def head(self) -> str:
        return self.commits[-1]


@dataclass
class FakeGitHub:
    """The state of one repository; tests arrange it, run PyGithub against `url`, then read it back."""

    users: dict[str, str] = field(default_factory=lambda: {BOT: "Bot"})  # login -> User | Bot
    pulls: dict[int, Pull] = field(default_factory=dict)
    commits: dict[str, dict[str, Any]] = field(default_factory=dict)  # sha -> author, committer, date
    contents: dict[tuple[str, str], bytes] = field(default_factory=dict)  # (ref, path) -> bytes
    reviews: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # pull -> reviews
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # the repository's labels
    comments: list[dict[str, Any]] = field(default_factory=list)  # issue comments
    statuses: list[dict[str, Any]] = field(default_factory=list)  # oldest first; GitHub lists them newest first
    events: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # pull -> issue events
    creators: dict[int, str] = field(default_factory=dict)  # status id -> who set it, when not BOT
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)  # number -> title, body, state, labels, login
    check_runs: list[dict[str, Any]] = field(default_factory=list)  # oldest first: sha, name, status, conclusion, app
    requests: list[Request] = field(default_factory=list)
    read_only: bool = False  # every write answers 403, as with a read-only GITHUB_TOKEN
    fail: tuple[str, str, int] | None = None  # (method, path regex, status): answer that status there
    fail_after: int = 0  # how many requests matching `fail` are answered normally before it fails
    max_per_page: int = 100
    url: str = ""
    repository: str = REPOSITORY
    private: bool = False
    tokens: dict[str, str] = field(default_factory=lambda: {TOKEN: BOT})  # the tokens this repository accepts -> who they write as
    read_tokens: frozenset[str] = frozenset()  # tokens with read access only
    refs: dict[str, str] = field(default_factory=lambda: {"main": "b" * 40})  # branch -> its head commit
    branch_files: dict[str, dict[str, str]] = field(default_factory=dict)  # branch -> the files committed on it -> added | modified
    branch_commits: dict[str, list[str]] = field(default_factory=dict)  # branch -> the commits made on it through the API
    _who: str = BOT  # who the current request's token writes as
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1001))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- arranging ----------------------------------------------------------------------------

    def commit(self, sha: str, author: str | None, committer: str | None = None, date: str = "2026-10-01T08:00:00Z") -> str:
        self.commits[sha] = {"author": author, "committer": committer or author, "date": date}
        return sha

    def pull(self, number: int, author: str, commits: list[str], files: dict[str, str], **more: Any) -> Pull:
        for sha in commits:
            self.commits.setdefault(sha, {"author": author, "committer": author, "date": "2026-10-01T08:00:00Z"})
        self.pulls[number] = Pull(number, author, list(commits), dict(files), **more)
        return self.pulls[number]

    def push(self, number: int, sha: str, date: str) -> None:
        """A new commit by the pull request's author on top of its head."""
        pull = self.pulls[number]
        self.commit(sha, pull.author, date=date)
        pull.commits.append(sha)

    def review(self, number: int, login: str, state: str, commit: str | None = None, body: str = "", at: str = "") -> int:
        review_id = next(self._ids)
        at = at or f"2026-10-{10 + len(self.reviews.get(number, [])):02d}T12:00:00Z"
        record = {"id": review_id, "login": login, "state": state, "commit": commit or self.pulls[number].head, "body": body, "at": at}
        self.reviews.setdefault(number, []).append(record)
        if login in self.pulls[number].requested:  # GitHub clears a request once it is answered
            self.pulls[number].requested.remove(login)
        return review_id

    def status(self, sha: str, state: str, description: str, context: str = "microcred/review-gate", creator: str = BOT) -> None:
        """A commit status set before the run, by the gate's workflow (BOT) or by someone's token."""
        self.statuses.append(
            {"id": next(self._ids), "sha": sha, "state": state, "description": description, "context": context, "target_url": None}
        )
        self.creators[self.statuses[-1]["id"]] = creator

    def check_run(self, sha: str, name: str, conclusion: str | None, app: str = "github-actions") -> None:
        """A check run on a commit, by a GitHub App (GitHub Actions for a workflow's job); no conclusion: still running."""
        status = "completed" if conclusion else "in_progress"
        self.check_runs.append({"id": next(self._ids), "sha": sha, "name": name, "status": status, "conclusion": conclusion, "app": app})

    def file(self, ref: str, path: str, text: str) -> None:
        self.contents[(ref, path)] = text.encode("utf-8")

    @property
    def owner(self) -> str:
        return self.repository.split("/")[0]

    @property
    def name(self) -> str:
        return self.repository.split("/")[1]

    def resolve(self, ref: str) -> str:
        return self.refs.get(ref, ref)

    @property
    def writes(self) -> list[Request]:
        return [r for r in self.requests if r.method != "GET"]

    # -- answering ----------------------------------------------------------------------------

    def answer(self, method: str, target: str, body: Json, auth: str) -> Answer:
        parts = urlsplit(target)
        path, query = unquote(parts.path), dict(parse_qsl(parts.query))
        with self._lock:
            self.requests.append(Request(method, path, query, body))
            token = auth.removeprefix("token ").removeprefix("Bearer ")
            if token not in self.tokens:  # a private repository answers an unknown token as GitHub does: it is not there
                return (404, {"message": "Not Found"}, {}) if self.private else (401, {"message": "Bad credentials"}, {})
            self._who = self.tokens[token]
            if token in self.read_tokens and method != "GET":
                return 403, READ_ONLY, {}
            if self.fail and method == self.fail[0] and re.search(self.fail[1], path):
                if self.fail_after <= 0:
                    return self.fail[2], {"message": "Forbidden" if self.fail[2] == 403 else "Server Error"}, {}
                self.fail_after -= 1
            if self.read_only and method != "GET":
                return 403, READ_ONLY, {}
            for route_method, pattern, handler in self._routes():
                found = re.fullmatch(pattern, path)
                if found and route_method == method:
                    return handler(query, body, *found.groups())
            return 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, {}

    def _routes(self) -> list[tuple[str, str, Callable[..., Answer]]]:
        repo = f"/repos/{self.repository}"
        return [
            ("GET", repo, lambda q, b: (200, self._repo(), {})),
            ("GET", "/users/([^/]+)", lambda q, b, login: (200, self._user(login), {})),
            ("GET", f"{repo}/pulls", self._list_pulls),
            ("GET", rf"{repo}/pulls/(\d+)", lambda q, b, n: (200, self._pull(self.pulls[int(n)]), {})),
            ("GET", rf"{repo}/pulls/(\d+)/files", lambda q, b, n: self._page(q, self._files(int(n)))),
            ("GET", rf"{repo}/pulls/(\d+)/commits", lambda q, b, n: self._page(q, [self._commit(s) for s in self.pulls[int(n)].commits])),
            (
                "GET",
                rf"{repo}/pulls/(\d+)/reviews",
                lambda q, b, n: self._page(q, [self._review(int(n), r) for r in self.reviews.get(int(n), [])]),
            ),
            ("PUT", rf"{repo}/pulls/(\d+)/reviews/(\d+)/dismissals", self._dismiss),
            ("GET", rf"{repo}/pulls/(\d+)/requested_reviewers", self._requested),
            ("POST", rf"{repo}/pulls/(\d+)/requested_reviewers", self._request_reviewers),
            ("DELETE", rf"{repo}/pulls/(\d+)/requested_reviewers", self._unrequest_reviewers),
            ("GET", f"{repo}/issues", self._list_issues),
            ("POST", f"{repo}/issues", self._create_issue),
            ("PATCH", rf"{repo}/issues/(\d+)", self._edit_issue),
            ("GET", rf"{repo}/issues/(\d+)/events", lambda q, b, n: self._page(q, self.events.get(int(n), []))),
            (
                "GET",
                rf"{repo}/issues/(\d+)/comments",
                lambda q, b, n: self._page(q, [self._comment(c) for c in self.comments if c["number"] == int(n)]),
            ),
            ("POST", rf"{repo}/issues/(\d+)/comments", self._create_comment),
            ("PATCH", rf"{repo}/issues/comments/(\d+)", self._edit_comment),
            ("GET", rf"{repo}/issues/(\d+)/labels", lambda q, b, n: self._page(q, [self._label(x) for x in self.pulls[int(n)].labels])),
            ("POST", rf"{repo}/issues/(\d+)/labels", self._add_labels),
            ("DELETE", rf"{repo}/issues/(\d+)/labels/(.+)", self._remove_label),
            ("GET", f"{repo}/labels/(.+)", self._get_label),
            ("POST", f"{repo}/labels", self._create_label),
            ("POST", f"{repo}/statuses/([0-9a-f]+)", self._create_status),
            ("GET", f"{repo}/statuses/([0-9a-f]+)", self._list_statuses),
            ("GET", f"{repo}/commits/([0-9a-f]+)", lambda q, b, sha: self._known_commit(sha)),
            ("GET", f"{repo}/commits/([0-9a-f]+)/pulls", self._commit_pulls),
            ("GET", f"{repo}/commits/([0-9a-f]+)/check-runs", self._list_check_runs),
            ("GET", f"{repo}/contents/(.+)", self._content),
            ("PUT", f"{repo}/contents/(.+)", self._put_content),
            ("GET", f"{repo}/git/ref/heads/(.+)", self._get_ref),
            ("POST", f"{repo}/git/refs", self._create_ref),
            ("POST", f"{repo}/pulls", self._create_pull),
        ]

    def _page(self, query: dict[str, str], items: list[Json]) -> Answer:
        per_page = min(int(query.get("per_page", "30")), self.max_per_page)
        page = int(query.get("page", "1"))
        headers = {}
        if page * per_page < len(items):
            last = -(-len(items) // per_page)
            path = self.requests[-1].path
            links = [
                f'<{self.url}{quote(path)}?{urlencode({**query, "page": p})}>; rel="{rel}"'
                for rel, p in (("next", page + 1), ("last", last))
            ]
            headers["Link"] = ", ".join(links)
        return 200, items[(page - 1) * per_page : page * per_page], headers

    def issue(self, title: str, body: str, labels: list[str], login: str, state: str = "open") -> int:
        """An issue opened before the run, by someone."""
        number = 200 + len(self.issues)
        self.issues[number] = {"number": number, "title": title, "body": body, "state": state, "labels": list(labels), "login": login}
        return number

    def _list_issues(self, query: dict[str, str], body: Json) -> Answer:
        state, wanted = query.get("state", "open"), [x for x in query.get("labels", "").split(",") if x]
        found = [
            self._issue(i)
            for _, i in sorted(self.issues.items())
            if state in ("all", i["state"]) and all(label in i["labels"] for label in wanted)
        ]
        return self._page(query, found)

    def _create_issue(self, query: dict[str, str], body: Json) -> Answer:
        number = self.issue(body["title"], body.get("body", ""), body.get("labels", []), BOT)
        for name in body.get("labels", []):
            self.labels.setdefault(name, {"color": "ededed", "description": ""})
        return 201, self._issue(self.issues[number]), {}

    def _edit_issue(self, query: dict[str, str], body: Json, number: str) -> Answer:
        issue = self.issues.get(int(number))
        if issue is None:
            return 404, {"message": "Not Found"}, {}
        issue.update({k: v for k, v in body.items() if k in ("state", "state_reason", "title", "body")})
        return 200, self._issue(issue), {}

    def _issue(self, issue: dict[str, Any]) -> Json:
        api = f"{self.url}/repos/{REPOSITORY}"
        return {
            "url": f"{api}/issues/{issue['number']}",
            "id": 9000 + issue["number"],
            "number": issue["number"],
            "title": issue["title"],
            "body": issue["body"],
            "state": issue["state"],
            "user": self._user(issue["login"]),
            "labels": [self._label(x) for x in issue["labels"]],
            "html_url": f"https://github.com/{REPOSITORY}/issues/{issue['number']}",
            "created_at": "2026-11-01T12:00:00Z",
            "updated_at": "2026-11-01T12:00:00Z",
        }

    def _list_pulls(self, query: dict[str, str], body: Json) -> Answer:
        state = query.get("state", "open")
        head = query.get("head", "").partition(":")[2]
        chosen = [
            self._pull(p)
            for n, p in sorted(self.pulls.items(), reverse=True)
            if (state == "all" or p.state == state) and (not head or p.branch == head)
        ]
        return self._page(query, chosen)

    def _files(self, number: int) -> list[Json]:
        pull = self.pulls[number]
        return [
            {"sha": "0" * 40, "filename": path, "status": status, "additions": 1, "deletions": 0, "changes": 1}
            | ({"previous_filename": pull.previous[path]} if path in pull.previous else {})
            for path, status in pull.files.items()
        ]

    def _dismiss(self, query: dict[str, str], body: Json, number: str, review_id: str) -> Answer:
        pull = self.pulls[int(number)]
        review = next(r for r in self.reviews[pull.number] if r["id"] == int(review_id))
        if review["state"] not in ("APPROVED", "CHANGES_REQUESTED"):
            return 422, {"message": "Can not dismiss a non-blocking pull request review"}, {}
        event = {
            "state": review["state"].lower(),
            "review_id": review["id"],
            "dismissal_message": body["message"],
            "dismissal_commit_id": pull.head,
        }
        review["state"] = "DISMISSED"
        self.events.setdefault(pull.number, []).append(
            {
                "id": next(self._ids),
                "event": "review_dismissed",
                "actor": self._user(BOT),
                "created_at": "2026-10-20T12:00:00Z",
                "dismissed_review": event,
            }
        )
        return 200, self._review(pull.number, review), {}

    def _requested(self, query: dict[str, str], body: Json, number: str) -> Answer:
        return 200, {"users": [self._user(u) for u in self.pulls[int(number)].requested], "teams": []}, {}

    def _request_reviewers(self, query: dict[str, str], body: Json, number: str) -> Answer:
        pull = self.pulls[int(number)]
        for login in body.get("reviewers", []):
            if login == pull.author:
                return 422, {"message": "Review cannot be requested from pull request author."}, {}
            if login not in pull.requested:
                pull.requested.append(login)
        return 201, self._pull(pull), {}

    def _unrequest_reviewers(self, query: dict[str, str], body: Json, number: str) -> Answer:
        pull = self.pulls[int(number)]
        pull.requested = [u for u in pull.requested if u not in body.get("reviewers", [])]
        return 200, self._pull(pull), {}

    def _create_comment(self, query: dict[str, str], body: Json, number: str) -> Answer:
        at = f"2026-10-{20 + len(self.comments) % 9:02d}T12:00:00Z"
        comment = {
            "id": next(self._ids),
            "number": int(number),
            "login": self._who,
            "body": body["body"],
            "created_at": at,
            "updated_at": at,
        }
        self.comments.append(comment)
        return 201, self._comment(comment), {}

    def _edit_comment(self, query: dict[str, str], body: Json, comment_id: str) -> Answer:
        comment = next((c for c in self.comments if c["id"] == int(comment_id)), None)
        if comment is None:
            return 404, {"message": "Not Found"}, {}
        if comment["login"] != self._who:
            return 403, {"message": "Must have admin rights to Repository."}, {}
        comment["body"] = body["body"]
        return 200, self._comment(comment), {}

    def _add_labels(self, query: dict[str, str], body: Json, number: str) -> Answer:
        pull = self.pulls[int(number)]
        names = body["labels"] if isinstance(body, dict) else body
        for name in names:
            self.labels.setdefault(name, {"color": "ededed", "description": ""})  # GitHub creates unknown labels
            if name not in pull.labels:
                pull.labels.append(name)
        return 200, [self._label(x) for x in pull.labels], {}

    def _remove_label(self, query: dict[str, str], body: Json, number: str, name: str) -> Answer:
        pull = self.pulls[int(number)]
        if name not in pull.labels:
            return 404, {"message": "Label does not exist"}, {}
        pull.labels.remove(name)
        return 200, [self._label(x) for x in pull.labels], {}

    def _get_label(self, query: dict[str, str], body: Json, name: str) -> Answer:
        return (200, self._label(name), {}) if name in self.labels else (404, {"message": "Not Found"}, {})

    def _create_label(self, query: dict[str, str], body: Json) -> Answer:
        if body["name"] in self.labels:
            return 422, {"message": "Validation Failed", "errors": [{"resource": "Label", "code": "already_exists", "field": "name"}]}, {}
        self.labels[body["name"]] = {"color": body["color"], "description": body.get("description", "")}
        return 201, self._label(body["name"]), {}

    def _create_status(self, query: dict[str, str], body: Json, sha: str) -> Answer:
        status = {
            "id": next(self._ids),
            "sha": sha,
            "state": body["state"],
            "description": body.get("description"),
            "context": body.get("context", "default"),
        }
        status["target_url"] = body.get("target_url")
        self.statuses.append(status)
        return 201, {**status, "url": f"{self.url}/repos/{self.repository}/statuses/{sha}", "created_at": "2026-10-20T12:00:00Z"}, {}

    def _list_statuses(self, query: dict[str, str], body: Json, sha: str) -> Answer:
        mine = [s for s in reversed(self.statuses) if s["sha"] == sha]
        return self._page(query, [{**s, "creator": self._user(self.creators.get(s["id"], BOT))} for s in mine])

    def _known_commit(self, sha: str) -> Answer:
        return (200, self._commit(sha), {}) if sha in self.commits else (404, {"message": "No commit found for SHA: " + sha}, {})

    def _list_check_runs(self, query: dict[str, str], body: Json, sha: str) -> Answer:
        """GitHub's list for a commit, newest first: with filter=latest (its default) only the newest run of each name."""
        runs = [r for r in reversed(self.check_runs) if r["sha"] == sha and query.get("check_name", r["name"]) == r["name"]]
        if query.get("filter", "latest") == "latest":
            runs = [r for i, r in enumerate(runs) if r["name"] not in {o["name"] for o in runs[:i]}]
        status, items, headers = self._page(query, [self._check_run(r) for r in runs])
        return status, {"total_count": len(runs), "check_runs": items}, headers

    def _check_run(self, run: dict[str, Any]) -> Json:
        app = {"id": 15368 if run["app"] == "github-actions" else 9999, "slug": run["app"], "name": run["app"]}
        return {
            "id": run["id"],
            "head_sha": run["sha"],
            "name": run["name"],
            "status": run["status"],
            "conclusion": run["conclusion"],
            "app": app,
            "url": f"{self.url}/repos/{self.repository}/check-runs/{run['id']}",
        }

    def _commit_pulls(self, query: dict[str, str], body: Json, sha: str) -> Answer:
        found = [p for p in self.pulls.values() if sha in p.commits or p.merge_commit_sha == sha]
        return self._page(query, [self._pull(p) for p in sorted(found, key=lambda p: p.number)])

    def _content(self, query: dict[str, str], body: Json, path: str) -> Answer:
        data = self.contents.get((self.resolve(query.get("ref", "main")), path)) or self.contents.get((query.get("ref", "main"), path))
        if data is None:
            return 404, {"message": "Not Found"}, {}
        name = path.rpartition("/")[2]
        encoded = base64.b64encode(data).decode("ascii")
        return (
            200,
            {"type": "file", "encoding": "base64", "size": len(data), "name": name, "path": path, "content": encoded, "sha": "1" * 40},
            {},
        )

    def _put_content(self, query: dict[str, str], body: Json, path: str) -> Answer:
        """A commit of one file on a branch, made by the token's account as author and committer."""
        branch = body.get("branch", "main")
        old = self.refs.get(branch)
        if old is None:
            return 404, {"message": "Branch not found"}, {}
        there = (old, path) in self.contents
        if there != ("sha" in body):
            return 422 if there else 404, {"message": "sha wasn't supplied" if there else "Not Found"}, {}
        new = f"{next(self._ids):040x}"
        for (ref, other), data in list(self.contents.items()):
            if ref == old:
                self.contents[(new, other)] = data
        self.contents[(new, path)] = base64.b64decode(body["content"])
        self.commit(new, self._who, date=f"2026-10-{1 + len(self.commits) % 28:02d}T08:00:00Z")
        self.commits[new] |= {"message": body["message"], "name": self._who, "email": f"{self._who}@users.noreply.github.com"}
        self.refs[branch] = new
        self.branch_commits.setdefault(branch, []).append(new)
        self.branch_files.setdefault(branch, {})[path] = "modified" if there and branch == "main" else "added"
        for pull in self.pulls.values():
            if pull.branch == branch and pull.state == "open":
                pull.commits.append(new)
                pull.files[path] = "added"
        content = {"type": "file", "name": path.rpartition("/")[2], "path": path, "sha": "2" * 40}
        commit = {"sha": new, "message": body["message"], "author": None, "committer": None}
        return (200 if there else 201), {"content": content, "commit": commit}, {}

    def _get_ref(self, query: dict[str, str], body: Json, branch: str) -> Answer:
        if branch not in self.refs:
            return 404, {"message": "Not Found"}, {}
        return 200, self._ref(branch), {}

    def _create_ref(self, query: dict[str, str], body: Json) -> Answer:
        branch = body["ref"].removeprefix("refs/heads/")
        if branch in self.refs:
            return 422, {"message": "Reference already exists"}, {}
        self.refs[branch] = body["sha"]
        return 201, self._ref(branch), {}

    def _create_pull(self, query: dict[str, str], body: Json) -> Answer:
        branch = body["head"].rpartition(":")[2]
        if branch not in self.refs or not self.branch_files.get(branch):
            return 422, {"message": "Validation Failed", "errors": [{"message": f"No commits between main and {branch}"}]}, {}
        number = max([0, *self.pulls]) + 1
        commits = list(self.branch_commits[branch])
        self.pulls[number] = Pull(
            number, self._who, commits, dict(self.branch_files[branch]), branch=branch, title=body["title"], body=body.get("body") or ""
        )
        return 201, self._pull(self.pulls[number]), {}

    def _ref(self, branch: str) -> Json:
        api = f"{self.url}/repos/{self.repository}/git/refs/heads/{branch}"
        return {"ref": f"refs/heads/{branch}", "url": api, "object": {"type": "commit", "sha": self.refs[branch], "url": api}}

    # -- JSON as GitHub shapes it ------------------------------------------------------------

    def _user(self, login: str) -> Json:
        kind = self.users.get(login, "User")
        user_id = sum(ord(c) * 31**i for i, c in enumerate(login)) % 10**7
        return {
            "login": login,
            "id": user_id,
            "node_id": f"U_{login}",
            "type": kind,
            "site_admin": False,
            "url": f"{self.url}/users/{login}",
        }

    def _repo(self) -> Json:
        owner = {**self._user(self.owner), "type": "Organization"}
        api = f"{self.url}/repos/{self.repository}"
        return {
            "id": 1,
            "name": self.name,
            "full_name": self.repository,
            "owner": owner,
            "private": self.private,
            "url": api,
            "default_branch": "main",
        }

    def _pull(self, pull: Pull) -> Json:
        api = f"{self.url}/repos/{self.repository}"
        part = {
            "label": f"{pull.author}:{pull.branch}",
            "ref": pull.branch,
            "sha": pull.head,
            "user": self._user(pull.author),
            "repo": self._repo(),
        }
        return {
            "url": f"{api}/pulls/{pull.number}",
            "id": 500 + pull.number,
            "number": pull.number,
            "state": pull.state,
            "title": pull.title or f"Pull request {pull.number}",
            "user": self._user(pull.author),
            "body": pull.body,
            "created_at": pull.created_at,
            "updated_at": pull.created_at,
            "closed_at": pull.merged_at,
            "merged_at": pull.merged_at,
            "merge_commit_sha": pull.merge_commit_sha,
            "merged": pull.merged_at is not None,
            "draft": False,
            "head": part,
            "base": {**part, "label": f"{self.owner}:main", "ref": "main", "sha": pull.base, "user": self._user(self.owner)},
            "requested_reviewers": [self._user(u) for u in pull.requested],
            "requested_teams": [],
            "labels": [self._label(x) for x in pull.labels],
            "issue_url": f"{api}/issues/{pull.number}",
            "html_url": f"https://github.com/{self.repository}/pull/{pull.number}",
        }

    def _review(self, number: int, review: dict[str, Any]) -> Json:
        answer = {
            "id": review["id"],
            "node_id": f"PRR_{review['id']}",
            "user": self._user(review["login"]),
            "body": review["body"],
            "state": review["state"],
            "commit_id": review["commit"],
            "pull_request_url": f"{self.url}/repos/{self.repository}/pulls/{number}",
            "html_url": f"https://github.com/{self.repository}/pull/{number}#pullrequestreview-{review['id']}",
            "author_association": "MEMBER",
        }
        if review["state"] != "PENDING":  # GitHub gives no time to a review not yet submitted
            answer["submitted_at"] = review["at"]
        return answer

    def _commit(self, sha: str) -> Json:
        facts = self.commits[sha]

        def who(login: str | None) -> Json:
            return self._user(login) if login else None

        person = {"name": facts.get("name", "Someone"), "email": facts.get("email", "someone@example.org"), "date": facts["date"]}
        return {
            "sha": sha,
            "url": f"{self.url}/repos/{self.repository}/commits/{sha}",
            "commit": {"author": person, "committer": person, "message": facts.get("message", f"Commit {sha[:7]}")},
            "author": who(facts["author"]),
            "committer": who(facts["committer"]),
            "parents": [],
        }

    def _label(self, name: str) -> Json:
        label = self.labels.get(name, {"color": "ededed", "description": ""})
        return {
            "id": 7000 + len(name),
            "name": name,
            "color": label["color"],
            "description": label["description"],
            "url": f"{self.url}/repos/{self.repository}/labels/{quote(name)}",
        }

    def _comment(self, comment: dict[str, Any]) -> Json:
        return {
            "id": comment["id"],
            "body": comment["body"],
            "user": self._user(comment["login"]),
            "created_at": comment["created_at"],
            "updated_at": comment["updated_at"],
            "url": f"{self.url}/repos/{self.repository}/issues/comments/{comment['id']}",
            "issue_url": f"{self.url}/repos/{self.repository}/issues/{comment['number']}",
            "html_url": f"https://github.com/{self.repository}/pull/{comment['number']}#issuecomment-{comment['id']}",
        }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes: no 40 ms wait for a delayed ACK
    server: _Server

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        status, answer, headers = self.server.fake.answer(self.command, self.path, body, self.headers.get("Authorization", ""))
        data = json.dumps(answer).encode("utf-8") if answer is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the fake records requests itself."""


@dataclass
class Hosts:
    """Several repositories behind one API address, as on GitHub: a request goes to the repository its path names."""

    fakes: tuple[FakeGitHub, ...]

    def answer(self, method: str, target: str, body: Json, auth: str) -> Answer:
        path = unquote(urlsplit(target).path).casefold()
        for fake in self.fakes:
            if path == f"/repos/{fake.repository}".casefold() or path.startswith(f"/repos/{fake.repository}/".casefold()):
                return fake.answer(method, target, body, auth)
        if path.startswith("/repos/"):
            return 404, {"message": "Not Found"}, {}
        return self.fakes[0].answer(method, target, body, auth)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeGitHub | Hosts) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


@contextmanager
def serve(fake: FakeGitHub | None = None, *more: FakeGitHub) -> Iterator[FakeGitHub]:
    """Run a fake GitHub on a free port of 127.0.0.1 for the duration of the block; with `more`, several repositories."""
    fake = fake or FakeGitHub()
    server = _Server(Hosts((fake, *more)) if more else fake)
    for each in (fake, *more):
        each.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
