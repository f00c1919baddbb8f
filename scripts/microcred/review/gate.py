"""`microcred gate --pr N`: count a pull request's qualified reviews and publish the result on GitHub.

The facts come from the API (github.Hub), the roster and rubrics from the default branch checked out
at --root, the verdict from review.decide. Everything is read first; what to publish is then planned by
pure functions and compared with what the pull request already shows. When something must change, the
status is set to pending before any other write and to the decision last, so a run that fails half-way
leaves it pending or failure, never success; when nothing changed, nothing is written.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from ..catalog.blind import BindingError
from ..catalog.load import Refused, parse
from ..catalog.model import Catalog
from ..catalog.output import summary as problems_summary
from ..catalog.validate import UsageError, repository_root, validate
from . import blind, review, summary
from .pulls import STATUS_CONTEXT, Comment, GateError, Pull, Status, Subject, besides, unbound
from .rounds import attributed, context_for, dismissal_message, foreign, had_tie, restore
from .summary import SUMMARY_MARKER

if TYPE_CHECKING:
    from .blind import Intake
    from .github import Hub

# schemas/common.schema.json's slug (a test holds the two equal): the only names a submission's folder and file may have,
# so that its path is safe to show in Markdown.
SLUG = "[a-z0-9]+(-[a-z0-9]+)*"
SUBMISSION_PATH = re.compile(rf"submissions/(?P<credential>{SLUG})/(?P<id>{SLUG})\.yml")
LABELS = {  # name -> (colour, description): the labels the gate adds and removes
    "approved": ("0e8a16", "Two qualified reviewers approved: ready to merge"),
    "not-yet": ("d93f0b", "Qualified reviewers asked for changes: see their reviews"),
    "needs-tiebreak": ("fbca04", "The reviewers disagree: a third qualified reviewer is asked"),
    "needs-admin": ("b60205", "Nobody qualifies to break the tie: an admin must find a reviewer"),
}
State = Literal["pending", "success", "failure"]
STATES: dict[str, State] = {"approved": "success", "not-yet": "failure", "tie": "pending", "pending": "pending"}


class Unjudgeable(Exception):
    """A pull request the gate cannot judge as it stands (a malformed submission, an invalid catalog)."""


@dataclass(frozen=True)
class Plan:
    """Everything a run publishes, decided before anything is written."""

    state: State
    description: str  # at most 140 characters, GitHub's limit
    label: str | None  # the one managed label the pull request should carry; the others are removed
    summary: str
    template: str | None = None  # the scoring template, posted once
    request: str | None = None  # a login to ask for a tie-breaking review
    dismiss: tuple[tuple[int, str], ...] = ()  # (review id, message) of outvoted reviews


@dataclass(frozen=True)
class Changes:
    """The writes that bring a pull request from what it shows to a plan, besides the commit status."""

    request: str | None = None  # ask this login for a review
    add_label: str | None = None
    remove_labels: tuple[str, ...] = ()
    post: tuple[str, ...] = ()  # new comments: the scoring template, the summary
    edit: tuple[tuple[int, str], ...] = ()  # (comment id, body) of the summary
    dismiss: tuple[tuple[int, str], ...] = ()  # (review id, message)

    @property
    def none(self) -> bool:
        return self == Changes()


def _short(text: str) -> str:
    return text if len(text) <= 140 else text[:139] + "…"


def subject_of(hub: Hub, catalog: Catalog, pull: Pull, files: tuple[tuple[str, str], ...], intake: Intake | None = None) -> Subject:
    """A pull request adding or changing a file under submissions/ is a submission, read at its head; any other is a proposal.

    A submission comes alone: one file, named by slugs, whose earner opened the pull request. Paths and fields that
    fail these checks are quoted with repr() in the reason, so it stays on one line wherever it is shown.
    """
    changed = sorted(path for path, status in files if path.startswith("submissions/") and status != "removed")
    if not changed:
        return Subject("proposal")
    if len(changed) > 1:
        raise Unjudgeable(f"the pull request changes {len(changed)} submission files; a submission comes alone in its pull request")
    path = changed[0]
    named = SUBMISSION_PATH.fullmatch(path)
    if named is None:
        raise Unjudgeable(
            f"{path!r} is not a submission file (submissions/<credential>/<id>.yml, ids in lower-case words joined by hyphens)"
        )
    if reason := besides(files, path):
        raise Unjudgeable(reason)
    where = f"{path} at {pull.head[:7]}"
    data = _read(where, hub.file_at(path, pull.head))
    credential_id, earner = data.get("credential"), data.get("earner")
    if credential_id != named["credential"]:
        raise Unjudgeable(f"{where}: credential is {credential_id!r}, but the file is in submissions/{named['credential']}/")
    credential = catalog.credentials.get(str(credential_id))
    if credential is None:
        raise Unjudgeable(f"{where}: no credential {credential_id!r} in the catalog on the default branch")
    if catalog.consortium.blind is not None:
        try:
            return blind.subject(intake, catalog, pull, path, named["id"], data, credential)
        except BindingError as err:
            raise Unjudgeable(str(err)) from None
    login = earner.get("login") if isinstance(earner, dict) else None
    if not isinstance(login, str) or login.casefold() != pull.author.casefold():
        raise Unjudgeable(f"{where}: the earner is {login!r}, but {pull.author} opened the pull request; earners submit their own evidence")
    district = earner.get("district") if isinstance(earner, dict) else None
    if not isinstance(district, str) or district not in catalog.districts:
        raise Unjudgeable(f"{where}: earner.district {district!r} is not a member district")
    if reason := unbound(catalog, login, district):
        raise Unjudgeable(f"{where}: {reason}")
    return Subject("submission", path, credential, catalog.rubrics[credential.rubric], district)


def _read(where: str, raw: bytes) -> dict[str, Any]:
    """A submission as data, through the same safe loader as every catalog file."""
    try:
        if b"\0" in raw:
            raise Refused("MC002", "the file holds binary data")
        data = parse(raw.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError:
        raise Unjudgeable(f"{where} is not UTF-8 text") from None
    except Refused as err:
        raise Unjudgeable(f"{where} line {err.line}: {err.code} {err.message}") from None
    if not isinstance(data, dict):
        raise Unjudgeable(f"{where} holds no mapping of fields")
    return data


def tiebreaker(hub: Hub, context: review.Context, decision: review.Decision, pull: Pull) -> tuple[str | None, bool]:
    """Who breaks a tie, and whether they still have to be asked: someone already asked and eligible is kept."""
    asked = {r.casefold() for r in pull.requested}
    eligible_asked = {login: d for login, d in context.qualified.items() if login.casefold() in asked}
    kept = review.pick_tiebreaker(replace(context, qualified=eligible_asked), decision, {}, str(pull.number)) if eligible_asked else None
    if kept:
        return kept, False
    pick = review.pick_tiebreaker(context, decision, hub.open_requests(), str(pull.number))
    return pick, pick is not None


def plan(
    subject: Subject,
    decision: review.Decision,
    tie: tuple[str | None, bool],
    tied_before: bool,
    live: frozenset[int],
) -> Plan:
    """What to publish for a decision. `live`: ids of reviews still requesting changes on GitHub (not dismissed yet)."""
    sha7, a, o = decision.head[:7], len(decision.approvals), len(decision.objections)
    description, label, request = f"{decision.reason} on {sha7}", None, None
    short = review.unearned(decision, subject.rubric) if decision.outcome == "approved" and subject.rubric else ()
    if short:
        who = ", ".join(short)
        description = f"{a} approvals on {sha7}, but the scores of {who} do not meet the earning rule: fix the scores"
    elif decision.outcome == "approved":
        label = "approved"
    elif decision.outcome == "not-yet":
        label = "not-yet"
    elif decision.outcome == "tie":
        login, new = tie
        label = "needs-tiebreak" if login else "needs-admin"
        request = login if new else None
        description = f"tie {a}:{o} on {sha7}: " + (
            f"{login} is asked to decide" if login else "nobody qualifies to break it; an admin decides"
        )
    outvoted = decision.objections if decision.outcome == "approved" and not short else ()
    dismiss = tuple((v.review.id, dismissal_message(v.login, v.review.commit, a, o, tied_before)) for v in outvoted if v.review.id in live)
    template = review.scoring_template(subject.rubric) if subject.rubric else None
    text = summary.render(subject, decision, tie[0], tied_before)
    state: State = "pending" if short else STATES[decision.outcome]
    return Plan(state, _short(description), label, text, template, request, dismiss)


def refusal(message: str) -> Plan:
    """The plan for a pull request the gate cannot judge: failure, with the reason on the status and in the comment."""
    return Plan("failure", _short(message), None, summary.refusal(message))


def changes(todo: Plan, labels: tuple[str, ...], comments: tuple[Comment, ...]) -> Changes:
    """What must be written for a plan, given the pull request's labels and comments: nothing already there twice."""
    ours = [c for c in comments if c.bot]  # a marker in someone else's comment is not ours
    post = []
    if todo.template and not any(c.body.startswith(review.SCORES_MARKER) for c in ours):
        post.append(todo.template)
    shown = next((c for c in ours if c.body.startswith(SUMMARY_MARKER)), None)
    edit: tuple[tuple[int, str], ...] = ()
    if shown is None:
        post.append(todo.summary)
    elif shown.body.replace("\r\n", "\n").strip() != todo.summary.strip():
        edit = ((shown.id, todo.summary),)
    return Changes(
        request=todo.request,
        add_label=todo.label if todo.label and todo.label not in labels else None,
        remove_labels=tuple(sorted(set(labels) & set(LABELS) - {todo.label})),
        post=tuple(post),
        edit=edit,
        dismiss=todo.dismiss,
    )


def apply(hub: Hub, number: int, todo: Changes) -> None:
    """Make the writes: review request, labels, comments, then dismissals, which the summary already explains."""
    if todo.request:
        hub.request_review(number, todo.request)
    if todo.add_label:
        hub.ensure_label(todo.add_label, *LABELS[todo.add_label])
        hub.add_label(number, todo.add_label)
    for stale in todo.remove_labels:
        hub.remove_label(number, stale)
    for body in todo.post:
        hub.comment(number, body)
    for comment_id, body in todo.edit:
        hub.edit_comment(comment_id, body)
    # After the summary, which shows the message: a maintainer can repeat a dismissal GitHub refused.
    for review_id, message in todo.dismiss:
        hub.dismiss(number, review_id, message)


def unchanged(status: Status | None, todo: Plan, work: Changes) -> bool:
    """Whether the pull request already shows the plan, with its status set by the gate's workflow.

    A status set with someone's personal token (a run by hand) is set again, so that a ruleset requiring the
    status from GitHub Actions sees it from there.
    """
    return work.none and status is not None and status.bot and (status.state, status.description) == (todo.state, todo.description)


def judge(hub: Hub, catalog: Catalog | None, pull: Pull, intake: Intake | None = None) -> Plan:
    """Gather the facts of an open pull request and plan what to publish."""
    if catalog is None:
        raise Unjudgeable("the catalog on the default branch is invalid, so the roster cannot be read; fix the default branch")
    if sharing := hub.open_pulls_at(pull.head, pull.number):
        # A status belongs to a commit and shows on every pull request it heads: judged for one, it would pass or
        # fail the other too, whatever that one brings. So a shared head is refused in each of them alike.
        others = ", ".join(f"#{n}" for n in sharing)
        raise Unjudgeable(f"its head {pull.head[:7]} is also the head of {others}; close all but one of these pull requests")
    subject = subject_of(hub, catalog, pull, hub.files(pull.number), intake)
    commits = hub.commits(pull.number)
    if subject.kind == "submission" and (theirs := foreign(commits, pull.author)):
        # Else an earner could commit under a strict reviewer's address and so have that reviewer's vote not counted.
        message = attributed(theirs, pull.author)
        raise Unjudgeable(f"{message}; a submission's commits are the earner's own: rewrite them under your account")
    credential = subject.credential.id if subject.credential else None
    author = subject.earner or pull.author  # under blind review the relay opened it: the earner is the one who may not vote
    context = context_for(catalog, subject.kind, credential, subject.district, pull.head, author, commits)
    raw = hub.reviews(pull.number)
    reviews = restore(raw, hub.dismissals(pull.number))
    decision = review.decide(reviews, context)
    tie = tiebreaker(hub, context, decision, pull) if decision.outcome == "tie" else (None, False)
    live = frozenset(r.id for r in raw if r.state == "CHANGES_REQUESTED")
    return plan(subject, decision, tie, had_tie(reviews, context), live)


def gate(hub: Hub, catalog: Catalog | None, number: int, intake: Intake | None = None) -> int:
    """Run the gate on one pull request; the exit code."""
    pull = hub.pull(number)
    if pull.state != "open":
        print(f"pull request #{number} is {pull.state}: nothing to do")
        return 0
    pending = False
    try:
        status = hub.status(pull.head)
        try:
            todo, code = judge(hub, catalog, pull, intake), 0
        except Unjudgeable as err:
            todo, code = refusal(str(err)), 1
            print(f"microcred: gate: #{number}: {err}", file=sys.stderr)
        work = changes(todo, hub.labels(number), hub.comments(number))
        if unchanged(status, todo, work):
            print(f"pull request #{number}: {todo.state}: {todo.description} (unchanged)")
            return code
        hub.set_status(pull.head, "pending", f"counting the qualified reviews on {pull.head[:7]}")
        pending = True
        apply(hub, number, work)
        hub.set_status(pull.head, todo.state, todo.description)
    except GateError as err:
        if pending or not err.call.startswith("POST") or "/statuses/" not in err.call:
            try:  # fail closed, and say why on the pull request
                hub.set_status(pull.head, "failure", _short(f"the gate could not finish: {err.call or err}"))
            except GateError as again:
                raise GateError(f"{err}\nmicrocred: gate: the status could not be set to failure either: {again}", err.call) from None
        raise
    print(f"pull request #{number}: {todo.state}: {todo.description}")
    return code


def _environment() -> tuple[str, str, str]:
    """GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL, as GitHub Actions sets them.

    The API's address has no default: a token for GitHub Enterprise Server must never be sent to api.github.com.
    """
    token = os.environ.get("GITHUB_TOKEN", "").strip()
    repository = os.environ.get("GITHUB_REPOSITORY", "").strip()
    api = os.environ.get("GITHUB_API_URL", "").strip()
    if not token:
        raise UsageError("set GITHUB_TOKEN to a token that may write statuses, pull requests and issues")
    if not repository:
        raise UsageError("set GITHUB_REPOSITORY to the repository as OWNER/NAME")
    if repository.count("/") != 1 or not all(repository.split("/")):
        raise UsageError(f"set GITHUB_REPOSITORY to OWNER/NAME (it is {repository!r})")
    if not api:
        raise UsageError(
            "set GITHUB_API_URL to the API's address: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server"
        )
    if not api.startswith(("https://", "http://")):
        raise UsageError(f"set GITHUB_API_URL to an http(s) address (it is {api!r})")
    return token, repository, api


def run(args: argparse.Namespace) -> int:
    """`microcred gate`: exit 0 when the decision is published, 1 when the gate failed or could not judge."""
    root = repository_root(args.root)
    token, repository, api = _environment()
    result = validate(root, model=True)
    if result.catalog is None:
        print(f"microcred: gate: {root}: {problems_summary(result.problems, result.files)}", file=sys.stderr)
    from .github import Hub  # PyGithub is loaded only when the gate talks to GitHub

    hub = Hub.connect(api, token, repository)
    intake = blind.connect(api, result.catalog)  # under blind review: the bindings, through their own read-only token
    try:
        return gate(hub, result.catalog, args.pr, intake)
    except GateError as err:
        print(f"microcred: gate: {err}", file=sys.stderr)
        return 1
    finally:
        hub.close()
        if intake is not None:
            intake.close()


def _number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a pull request number")
    return int(text)


def add_parser(commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser, brief: str) -> None:
    """`microcred gate --pr N`."""
    cmd = commands.add_parser(
        "gate",
        parents=[common],
        help=brief,
        description=(
            f"Read a pull request's reviews through the GitHub API and publish the gate's decision: the commit status "
            f"{STATUS_CONTEXT} (pending before any other write, then success, failure or pending), the labels approved, "
            "not-yet, needs-tiebreak or needs-admin, the scoring template and one summary comment; on a tie, ask a third "
            "qualified reviewer; at 2:1, dismiss the outvoted review. When the pull request already shows the decision, "
            "nothing is written. The roster comes from the catalog at --root (the default branch, never the pull request). "
            "GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL come from the environment, as GitHub Actions sets them. "
            "Exit 0 when the decision is published, 1 when the gate could not judge or an API call failed, 2 on a usage error."
        ),
    )
    cmd.add_argument("--pr", required=True, type=_number, metavar="N", help="the pull request's number")
    cmd.set_defaults(run=run)
