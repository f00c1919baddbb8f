"""`microcred relay --pr N`: blind review's relay, run in the private intake repository with its default branch's code.

Forward, it copies the checked submission of intake pull request N into the public catalog as
submissions/<credential>/<opaque id>.yml, on the branch blind/<opaque id>, in a pull request the relay's bot
opens, authors and commits: nothing of the earner is in its title, body, branch, commits, path or file. A
resubmission pushed to the intake pull request becomes a new head commit of the same public pull request. The
binding of the opaque id to the earner is written to the intake repository's default branch, bindings/<id>.yml.
Back, it copies the public pull request's reviews and the gate's summary into one comment on the intake pull
request, edited in place as they change.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from ..catalog.blind import BRANCH, KEY, RELAY_TOKEN, Binding, opaque_id, public_copy
from ..catalog.model import Catalog
from ..catalog.validate import UsageError, repository_root, validate
from .gate import SUBMISSION_PATH, Unjudgeable, _environment, _number, _read
from .pulls import GateError, besides
from .rounds import attributed, foreign
from .summary import SUMMARY_MARKER, escape

if TYPE_CHECKING:
    from .github import Hub

RELAYED_MARKER = "<!-- microcred:relayed -->"
# check-pr's check run: the job `catalog` of validate.yml, as GitHub Actions names it; a run by any other app does not count.
CHECK, CHECK_APP = "catalog", "github-actions"
TITLE = "Submission {id} for {credential}"
BODY = (
    "A submission relayed for blind review. Score the evidence against the rubric; who submitted it is not shown, "
    "and the relay answers for it. The earner sees your reviews and the gate's summary."
)


@dataclass(frozen=True)
class Relayed:
    binding: Binding
    path: str  # in the public repository
    number: int  # the public pull request
    pushed: bool  # a new head commit was pushed


def forward(intake: Hub, public: Hub, catalog: Catalog, key: bytes, number: int, checked: str | None = None) -> Relayed:
    """Relay intake pull request `number` to the public repository; Unjudgeable when it is not a checked submission.

    `checked`: the head commit check-pr passed; a pull request whose head has moved on since is left to the next check.
    """
    pull = intake.pull(number)
    if pull.state != "open":
        raise Unjudgeable(f"intake pull request #{number} is {pull.state}: nothing to relay")
    if checked is not None and pull.head != checked:
        raise Unjudgeable(f"its head is {pull.head[:7]} now, not {checked[:7]}, which was checked; the check of the new head relays it")
    if reason := unchecked(intake, pull.head):
        raise Unjudgeable(reason)
    files = intake.files(number)
    changed = sorted(path for path, status in files if path.startswith("submissions/") and status != "removed")
    if len(changed) != 1 or (named := SUBMISSION_PATH.fullmatch(changed[0])) is None:
        raise Unjudgeable("the pull request does not add one submission file: only a submission is relayed")
    if reason := besides(files, changed[0]):
        raise Unjudgeable(reason)
    data = _read(f"{changed[0]} at {pull.head[:7]}", intake.file_at(changed[0], pull.head))
    given = data.get("earner")
    earner: dict[str, Any] = given if isinstance(given, dict) else {}
    login, credential = earner.get("login"), catalog.credentials.get(named["credential"])
    if not isinstance(login, str) or login.casefold() != pull.author.casefold():
        raise Unjudgeable(f"the earner is {login!r}, but {pull.author} opened the pull request; earners submit their own evidence")
    if credential is None or data.get("credential") != credential.id:
        raise Unjudgeable(f"{changed[0]}: no credential {named['credential']!r} in the catalog, or the file names another")
    district = catalog.earners.get(login.casefold())
    if district is None:
        raise Unjudgeable(f"{login} is not listed in catalog/earners.yml, so their district is not known")
    if theirs := foreign(intake.commits(number), login):
        raise Unjudgeable(f"{attributed(theirs, login)}; a submission's commits are the earner's own")
    opaque = opaque_id(key, login, credential.id, number)
    hashed = earner.get("email_hash"), earner.get("email_salt")
    binding = Binding(opaque, login, district, credential.id, number, *(h if isinstance(h, str) else None for h in hashed))
    _bind(intake, binding)
    path = f"submissions/{credential.id}/{opaque}.yml"
    text = yaml.safe_dump(public_copy(data, opaque), sort_keys=False, allow_unicode=True, width=100).encode("utf-8")
    return _publish(public, binding, path, text)


def unchecked(intake: Hub, head: str) -> str | None:
    """Why `head` may not be relayed yet: its latest check-pr run by GitHub Actions did not pass, or there is none; None when it passed.

    Whatever started the relay (the check's end, a dispatch by hand), only a head that check-pr passed is relayed.
    """
    runs = [(run_id, status, conclusion) for run_id, app, status, conclusion in intake.check_runs(head, CHECK) if app == CHECK_APP]
    what = f"check-pr (the {CHECK} check of validate.yml)"
    if not runs:
        return f"{what} has not run on its head {head[:7]}; it is relayed once the check passes"
    _, status, conclusion = max(runs)
    if status != "completed":
        return f"{what} is still running on its head {head[:7]}; it is relayed once the check passes"
    if conclusion != "success":
        return f"{what} did not pass on its head {head[:7]} ({conclusion}); it is relayed once the check passes"
    return None


def _bind(intake: Hub, binding: Binding) -> None:
    """Write the binding on the intake repository's default branch, unless it is there already as it is."""
    branch = intake.default_branch()
    data = binding.to_yaml().encode("utf-8")
    try:
        if intake.file_at(binding.path, branch) == data:
            return
    except GateError as err:
        if "HTTP 404" not in str(err):
            raise
    intake.put_file(binding.path, branch, data, f"Bind relayed submission {binding.id}")


def _publish(public: Hub, binding: Binding, path: str, text: bytes) -> Relayed:
    branch, base = f"{BRANCH}{binding.id}", public.default_branch()
    head = public.branch_head(branch)
    if head is None:
        start = public.branch_head(base)
        if start is None:
            raise GateError(f"the public repository has no branch {base}")
        public.create_branch(branch, start)
    try:
        pushed = public.file_at(path, branch) != text
    except GateError as err:
        if "HTTP 404" not in str(err):
            raise
        pushed = True
    if pushed:
        what = "Resubmission" if head is not None else "Submission"
        public.put_file(path, branch, text, f"{what} {binding.id} for {binding.credential}")
    number = public.pull_from(branch)
    if number is None:
        number = public.open_pull(TITLE.format(id=binding.id, credential=binding.credential), BODY, branch, base)
    return Relayed(binding, path, number, pushed)


def back(intake: Hub, public: Hub, intake_number: int, public_number: int) -> bool:
    """The public pull request's reviews and the gate's summary as one comment on the intake pull request; whether it changed."""
    lines = [RELAYED_MARKER, f"**Blind review**: what the reviewers of pull request #{public_number} of the public catalog said.", ""]
    reviews = [r for r in public.reviews(public_number) if r.state in ("APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED")]
    words = {"APPROVED": "approved", "CHANGES_REQUESTED": "requested changes", "COMMENTED": "commented", "DISMISSED": "was dismissed"}
    for r in sorted(reviews, key=lambda r: (r.submitted_at, r.id)):
        lines.append(f"- **{escape(r.login)}** {words[r.state]} on `{r.commit[:7]}` ({r.submitted_at[:10]}): {escape(r.body)}")
    if not reviews:
        lines.append("No reviews yet.")
    summary = next((c.body for c in public.comments(public_number) if c.bot and c.body.startswith(SUMMARY_MARKER)), None)
    if summary is not None:
        lines += ["", "---", "", summary.removeprefix(SUMMARY_MARKER).strip()]
    return _say(intake, intake_number, "\n".join(lines) + "\n")


def _say(intake: Hub, number: int, body: str) -> bool:
    """The relay's one comment on an intake pull request, posted or edited to `body`; whether it changed."""
    shown = next((c for c in intake.comments(number) if c.bot and c.body.startswith(RELAYED_MARKER)), None)
    if shown is None:
        intake.comment(number, body)
    elif shown.body.replace("\r\n", "\n") != body:
        intake.edit_comment(shown.id, body)
    else:
        return False
    return True


def relay(intake: Hub, public: Hub, catalog: Catalog, key: bytes, number: int, checked: str | None = None, only_back: bool = False) -> int:
    """Forward (unless `only_back`) and back for one intake pull request; the exit code."""
    if only_back:
        return _only_back(intake, public, key, number)
    try:
        done = forward(intake, public, catalog, key, number, checked)
    except Unjudgeable as err:
        print(f"microcred: relay: #{number}: {err}", file=sys.stderr)
        if not str(err).startswith(("its head is", "intake pull request")):  # a moved head is relayed by its own check
            _say(intake, number, f"{RELAYED_MARKER}\n**Blind review**: not relayed to the reviewers: {escape(str(err))}.\n")
        return 1
    back(intake, public, number, done.number)
    pushed = "a new head commit" if done.pushed else "unchanged"
    print(f"intake #{number}: relayed as {done.path} in pull request #{done.number} ({pushed})")
    return 0


def _only_back(intake: Hub, public: Hub, key: bytes, number: int) -> int:
    """The reviews back to an intake pull request already relayed; nothing of its head, which may not be checked, is read."""
    pull = intake.pull(number)
    folders = {path.split("/")[1] for path, status in intake.files(number) if SUBMISSION_PATH.fullmatch(path) and status != "removed"}
    found = [n for n in (public.pull_from(f"{BRANCH}{opaque_id(key, pull.author, c, number)}") for c in sorted(folders)) if n]
    if pull.state != "open" or len(found) != 1:
        print(f"intake #{number}: not relayed: nothing to bring back")
        return 0
    changed = back(intake, public, number, found[0])
    print(f"intake #{number}: the reviews of pull request #{found[0]} " + ("brought back" if changed else "unchanged"))
    return 0


def _public_repository(catalog: Catalog) -> str:
    url = catalog.consortium.repository
    if catalog.consortium.blind is None:
        raise UsageError("blind review is off: catalog/consortium.yml has no blind_review")
    if not url:
        raise UsageError("set repository.url in catalog/consortium.yml: the relay opens its pull requests there")
    return "/".join(url.rstrip("/").split("/")[-2:])


def run(args: argparse.Namespace) -> int:
    root = repository_root(args.root)
    token, repository, api = _environment()
    env = dict(os.environ)
    relay_token, key = env.get(RELAY_TOKEN, "").strip(), env.get(KEY, "").strip()
    if not relay_token or not key:
        raise UsageError(f"set {RELAY_TOKEN} (the relay bot's token for the public repository) and {KEY} (the consortium's secret)")
    result = validate(root, model=True)
    if result.catalog is None:
        raise UsageError(f"{root}: the catalog on the default branch is invalid; fix it before anything is relayed")
    public_name = _public_repository(result.catalog)
    if result.catalog.consortium.blind and repository.casefold() != result.catalog.consortium.blind.intake.casefold():
        raise UsageError(f"the relay runs in the intake repository {result.catalog.consortium.blind.intake}, not {repository}")
    from .github import Hub

    intake, public = Hub.connect(api, token, repository), Hub.connect(api, relay_token, public_name)
    try:
        return relay(intake, public, result.catalog, key.encode("utf-8"), args.pr, args.head, args.back)
    except GateError as err:
        print(f"microcred: relay: {err}", file=sys.stderr)
        return 1
    finally:
        intake.close()
        public.close()


def _sha(text: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{40}", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a commit's full SHA")
    return text


def add_parser(commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser, brief: str) -> None:
    """`microcred relay --pr N`."""
    cmd = commands.add_parser(
        "relay",
        parents=[common],
        help=brief,
        description=(
            "Blind review, in the intake repository: copy the submission of intake pull request N into the public catalog "
            "under its opaque id (HMAC-SHA256 of login, credential and attempt under MICROCRED_BLIND_KEY), in a pull request "
            "the relay's bot opens with MICROCRED_RELAY_TOKEN, a resubmission as a new head commit of it; write the binding "
            "to bindings/<id>.yml on the intake repository's default branch; copy the public reviews and the gate's summary "
            "back to the intake pull request. Only a head on which check-pr passed is relayed, however the relay was started: the "
            "latest check run `catalog` (validate.yml's job) by GitHub Actions on it must have succeeded. "
            "GITHUB_TOKEN, GITHUB_REPOSITORY (the intake repository) and GITHUB_API_URL come "
            "from the environment. Exit 0 when relayed, 1 when the pull request is no submission to relay or an API call "
            "failed, 2 on a usage error. With --back, only the reviews are brought back (the scheduled run)."
        ),
    )
    cmd.add_argument("--pr", required=True, type=_number, metavar="N", help="the intake pull request's number")
    cmd.add_argument("--head", type=_sha, metavar="SHA", help="relay only if this, the commit check-pr passed, is still the head")
    cmd.add_argument("--back", action="store_true", help="only bring the reviews and the gate's summary back; relay nothing forward")
    cmd.set_defaults(run=run)
