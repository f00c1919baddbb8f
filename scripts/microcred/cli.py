"""The `microcred` command line: the only layer that touches argv, stdout and exit codes."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .catalog import output
from .catalog.layout import CATALOG_DIRS
from .catalog.schemas import SchemaSetError
from .catalog.validate import Result, UsageError, repository_root, validate, validate_changed

if TYPE_CHECKING:
    from .pullrequests.prompts import Prompter
    from .pullrequests.scaffold import Outcome

# Each command loads only the wings it uses (the modules below, and the imports inside the cmd_ functions),
# so that `validate` starts with the catalog wing alone. The parser of a command defined in its own module
# is added only when that command runs, or when the whole parser is asked for (the CLI reference):
# the others are listed by name and summary.
MODULE_COMMANDS = {
    "verify": ("microcred.verify.verify", "verify an Open Badges 2.0 assertion (URL, JSON or baked PNG) or a 3.0 credential (.jwt)"),
    "revoke": ("microcred.badges.revoke", "revoke a minted badge: the hosted assertion says revoked, and the revocation list names it"),
    "report": ("microcred.reports.report", "what districts owe for earned badges; how review performs"),
    "gate": ("microcred.review.gate", "count a pull request's qualified reviews; set its status, labels and comments on GitHub"),
    "relay": (
        "microcred.review.relay",
        "blind review: relay an intake pull request's submission to the public catalog, and its reviews back",
    ),
    "mint": ("microcred.badges.mint", "mint the badges of merged, approved submissions that have none yet"),
    "endorse": ("microcred.badges.endorse", "publish the districts' signed endorsements; revoke those no longer made"),
    "remind": ("microcred.pullrequests.remind", "open an issue for each badge about to expire, mentioning its earner; close it on renewal"),
    "bake": ("microcred.badges.bake", "write a badge's image with its signed 3.0 credential baked in"),
}

EXIT_VALID, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _stderr(line: str) -> None:
    """A line on stderr after everything written to stdout so far, so that `> log 2>&1` keeps their order."""
    sys.stdout.flush()
    print(line, file=sys.stderr, flush=True)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stdout.flush()
        commands = [a.metavar for a in self._actions if isinstance(a, argparse._SubParsersAction)]
        if commands and message == f"the following arguments are required: {commands[0]}":
            # Nothing to run: what there is to run helps more than a usage line.
            self.print_help(sys.stderr)
            self.exit(EXIT_USAGE, f"{self.prog}: error: give a {commands[0]}, one of those above\n")
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _root(args: argparse.Namespace) -> Path:
    return repository_root(args.root)


def _relative_targets(root: Path, paths: Sequence[str]) -> list[str]:
    targets = []
    for raw in paths:
        path = Path(raw).absolute()
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{raw}: no such file or folder")
        try:
            targets.append(path.relative_to(root).as_posix() if path != root else ".")
        except ValueError:
            raise UsageError(f"{raw} is outside the catalog repository {root}") from None
    return targets


def cmd_validate(args: argparse.Namespace) -> int:
    root = _root(args)
    if args.changed_since and args.paths:
        raise UsageError("give either paths or --changed-since, not both")
    result: Result
    if args.changed_since:
        result = validate_changed(root, args.changed_since)
    else:
        result = validate(root, _relative_targets(root, args.paths) if args.paths else None)
        if args.paths and not result.files and not result.problems:
            # Saying "valid" of a file that was never checked would mislead.
            where = ", ".join(args.paths)
            folders = ", ".join(f"{name}/" for name in CATALOG_DIRS)
            raise UsageError(f"{where}: no catalog file there; catalog files are the YAML files in {folders}")
    return _report(args, result)


def _report(args: argparse.Namespace, result: Result) -> int:
    """Problems on stdout in the chosen format, the summary on stderr, and the exit code."""
    if args.format == "json":
        sys.stdout.write(output.as_json(result.problems, result.files))
    elif args.format == "github":
        sys.stdout.write(output.github(result.problems))
    else:
        sys.stdout.write(output.text(result.problems))
    if args.format != "json" and not args.quiet:
        _stderr(output.summary(result.problems, result.files))
    failed = result.errors or (args.strict and result.warnings)
    return EXIT_INVALID if failed else EXIT_VALID


def cmd_check_pr(args: argparse.Namespace) -> int:
    from .pullrequests.checkpr import check_pr

    root = _root(args)
    author = args.author or os.environ.get("PR_AUTHOR", "").strip()
    if not author:
        raise UsageError("give the pull request's author with --author LOGIN or the PR_AUTHOR environment variable")
    return _report(args, check_pr(root, args.base, author))


def _say(args: argparse.Namespace) -> Callable[[str], None]:
    if getattr(args, "quiet", False):
        return lambda _message: None
    return lambda message: _stderr(f"microcred: {message}")


def cmd_build(args: argparse.Namespace) -> int:
    from .site.build import build

    root = _root(args)
    site = Path(args.site).resolve() if args.site else root / "site"
    done = build(root, site, _say(args), builder=args.builder, badge_sites=args.badge_sites and args.badge_sites.resolve())
    if done.result.catalog is None:
        sys.stdout.write(output.text(done.result.problems))
        _stderr(output.summary(done.result.problems, done.result.files) + "; nothing was built")
        return EXIT_INVALID
    return EXIT_VALID


def cmd_serve(args: argparse.Namespace) -> int:
    from .site.serve import serve

    host, _, port = args.address.rpartition(":")
    if host not in ("127.0.0.1", "localhost", "::1", "[::1]") or not port.isdigit():
        raise UsageError(f"--address {args.address}: give 127.0.0.1:PORT; the preview is for this machine only")
    return serve(_root(args), args.address, _say(args), quiet=args.quiet)


def _ask(args: argparse.Namespace) -> Prompter:
    """Prompts on stderr, answers from stdin (a terminal or a pipe); none at all with --no-input."""
    from .pullrequests.prompts import Prompter

    return Prompter(sys.stdin, sys.stderr, interactive=not getattr(args, "no_input", False))


def _wrote(outcome: Outcome) -> int:
    sys.stdout.write(outcome.report())
    return EXIT_VALID


def cmd_new_submission(args: argparse.Namespace) -> int:
    from .pullrequests.newsubmission import new_submission

    root = _root(args)
    options = {"submission_id": args.id, "login": args.login, "district": args.district, "email": args.email, "on": args.date}
    approval = {"approval": args.approval, "approved_on": args.approved_on}
    return _wrote(new_submission(root, _ask(args), args.credential or "", **options, **approval, force=args.force, renew=args.renew))


def cmd_new_credential(args: argparse.Namespace) -> int:
    from .pullrequests.newcredential import new_credential

    root = _root(args)
    reflection = [] if args.no_reflection else args.reflection
    choices = {"tier": args.type, "subjects": args.subject, "grade_bands": args.grade_band}
    items = {"questions": args.question, "artifacts": args.artifact, "reflection": reflection}
    return _wrote(new_credential(root, _ask(args), credential_id=args.id, title=args.title, **choices, **items, force=args.force))


def cmd_new_rubric(args: argparse.Namespace) -> int:
    from .pullrequests.newrubric import new_rubric

    root = _root(args)
    return _wrote(new_rubric(root, _ask(args), rubric_id=args.id, credential_id=args.credential, force=args.force))


def cmd_hash_email(args: argparse.Namespace) -> int:
    from .pullrequests.recipient import district_salt, email_lines, hash_email

    email = args.email
    if email is None:
        email = _ask(args).secret("Email address (not shown, not stored)")
    if not email:
        raise UsageError("no email address given")
    salt = args.salt
    if salt is None and args.district is not None:
        salt = district_salt(_root(args), args.district)
    identity, salt = hash_email(email, salt)
    sys.stdout.write(email_lines(identity, salt))
    _stderr("microcred: paste these two lines under earner: in the submission file, indented like login:")
    return EXIT_VALID


def _add_scaffold_commands(commands: argparse._SubParsersAction[_Parser], common: _Parser) -> None:
    """`new submission|credential|rubric` and `hash-email`."""
    new = commands.add_parser(
        "new",
        help="start a submission, a micro-credential or a rubric, with prompts or flags",
        description=(
            "Write a new catalog file from prompts (or flags, with --no-input), say what is still\n"
            "to fill in, and print the git steps that follow. The options of each KIND follow."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = new.add_subparsers(dest="kind", metavar="KIND", parser_class=_Parser)
    kinds.required = True
    quiet = _Parser(add_help=False)
    quiet.add_argument("--no-input", action="store_true", help="ask nothing: use the flags and the defaults")
    quiet.add_argument("--force", action="store_true", help="overwrite the file if it exists")

    sub = kinds.add_parser(
        "submission",
        parents=[common, quiet],
        help="start a submission of evidence for a published micro-credential",
        description=(
            "Write submissions/CREDENTIAL/ID.yml with a place for every answer and work example the credential asks for. "
            "The email address, if given, is stored only as a salted hash. With --renew BADGE, a renewal of that badge: "
            "its credential, login and district, and only the renewal's questions where the credential defines them."
        ),
    )
    sub.add_argument("credential", metavar="CREDENTIAL", nargs="?", help="the id of the micro-credential submitted for")
    renew = "renew this badge (its id, from its page): the shorter renewal, if the credential has one"
    sub.add_argument("--renew", metavar="BADGE", help=renew)
    sub.add_argument("--id", help="the submission's id (default: LOGIN-CREDENTIAL-N with the next free N)")
    sub.add_argument("--login", help="your GitHub login (default: git config github.user)")
    sub.add_argument("--district", metavar="DISTRICT", help="the member district you teach in")
    sub.add_argument("--email", help="your email address for the badge; only its salted hash is written")
    sub.add_argument("--date", metavar="YYYY-MM-DD", help="the day of the submission (default: today)")
    sub.add_argument("--approval", metavar="REFERENCE", help="the district's pre-approval reference, where it requires one")
    sub.add_argument("--approved-on", metavar="YYYY-MM-DD", help="the day of the pre-approval")
    sub.set_defaults(run=cmd_new_submission)

    cred = kinds.add_parser(
        "credential",
        parents=[common, quiet],
        help="start a micro-credential and its rubric",
        description=(
            "Write catalog/credentials/ID.yml as a draft with every required field, and rubrics/ID.yml if it is missing. "
            "Types, subjects, grade bands and kinds are those of schemas/common.schema.json."
        ),
    )
    cred.add_argument("--id", help="the credential's id, also its file name (default: made from the title)")
    cred.add_argument("--title", help="the credential's title")
    cred.add_argument("--type", metavar="TYPE", help="the credential's type, for example foundational")
    cred.add_argument("--subject", metavar="SUBJECT", action="extend", nargs="+", help="a subject it serves (repeatable)")
    cred.add_argument("--grade-band", metavar="BAND", action="extend", nargs="+", help="a grade band it suits (repeatable)")
    cred.add_argument("--question", metavar="ID", action="extend", nargs="+", help="an overview question's id (default: context)")
    cred.add_argument("--artifact", metavar="ID", action="extend", nargs="+", help="a work example's id (default: work-example)")
    reflect = cred.add_mutually_exclusive_group()
    reflect.add_argument("--reflection", metavar="ID", action="extend", nargs="+", help="a reflection prompt's id (default: impact)")
    reflect.add_argument("--no-reflection", action="store_true", help="ask for no reflection")
    cred.set_defaults(run=cmd_new_credential)

    rub = kinds.add_parser(
        "rubric",
        parents=[common, quiet],
        help="start a rubric for a micro-credential",
        description=(
            "Write rubrics/ID.yml with the levels demonstrated and not-yet and one criterion per submission part "
            "and per work example of the credential; the descriptors are left to write."
        ),
    )
    rub.add_argument("--id", help="the rubric's id, also its file name (default: the rubric the credential names)")
    rub.add_argument("--credential", metavar="CREDENTIAL", help="the micro-credential the rubric scores")
    rub.set_defaults(run=cmd_new_rubric)
    new.epilog = "\n".join(kind.format_help() for kind in (sub, cred, rub))

    hashing = commands.add_parser(
        "hash-email",
        parents=[common],
        help="print an email address as the salted hash a submission holds",
        description=(
            "Print the email_hash and email_salt lines for a submission: sha256$ and the hex SHA-256 of the address "
            "(trimmed, lower case) followed by the salt, as Open Badges hashes a recipient. The address is read "
            "without echo when not given, and never printed or written."
        ),
    )
    hashing.add_argument("--email", help="the address (default: asked for, not shown)")
    hashing.add_argument("--salt", metavar="HEX", help="16 to 64 lower-case hex digits (default: the district's, else 16 random bytes)")
    hashing.add_argument("--district", metavar="DISTRICT", help="hash with the recipient_salt of this district's file, when it sets one")
    hashing.set_defaults(run=cmd_hash_email)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with `only`, the commands of other modules are listed but not loaded."""
    parser = _Parser(
        prog="microcred",
        description="Check, build and run an open catalog of educator micro-credentials.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = _Parser(add_help=False)
    root = "the catalog repository (default: the nearest folder at or above the current one holding catalog/ and schemas/)"
    common.add_argument("--root", metavar="DIR", help=root)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    check = commands.add_parser(
        "validate",
        parents=[common],
        help="check catalog files against the schemas and each other",
        description="Check catalog files against schemas/ and against each other. Exit 0 when valid, 1 when invalid, 2 on a usage error.",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to report on (default: the whole repository)")
    check.add_argument("--format", choices=output.FORMATS, default="text", help="text (default), json, or github annotations")
    changed = "check only files changed since the merge base with REF, and the files that refer to them"
    check.add_argument("--changed-since", metavar="REF", help=changed)
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    check.set_defaults(run=cmd_validate)

    pr = commands.add_parser(
        "check-pr",
        parents=[common],
        help="check a pull request: its scope, a submission's completeness, privacy, and the changed files",
        description=(
            "Check what a pull request changed since the merge base with REF: that its author may change those files "
            "(rights as catalog/consortium.yml lists them on REF), that a submission is complete, that nothing private "
            "is committed, and everything `validate --changed-since REF` checks. "
            "Exit 0 when it passes, 1 when it has errors, 2 on a usage error."
        ),
    )
    pr.add_argument("--base", required=True, metavar="REF", help="the branch the pull request goes into, e.g. origin/main")
    pr.add_argument("--author", metavar="LOGIN", help="the pull request author's GitHub login (default: $PR_AUTHOR)")
    pr.add_argument("--format", choices=output.FORMATS, default="text", help="text (default), json, or github annotations")
    pr.add_argument("--strict", action="store_true", help="fail on warnings too")
    pr.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    pr.set_defaults(run=cmd_check_pr)

    make = commands.add_parser(
        "build",
        parents=[common],
        help="validate, generate the catalog's pages and build the site",
        description=(
            "Validate the catalog, generate its pages into docs/catalog/, build the site with mkdocs --strict (or Zensical), index it "
            "for search with Pagefind and copy badges/ into it unchanged. An invalid catalog is not built: its problems are shown (exit 1)."
        ),
    )
    make.add_argument("--site", metavar="DIR", help="where to write the site (default: site/ in the repository)")
    sharded = "where to write the badge sites of consortium.yml's badge_sites, a folder each (default: site-badges/ in the repository)"
    make.add_argument("--badge-sites", metavar="DIR", type=Path, help=sharded)
    zensical = "the site generator: mkdocs with mkdocs-material (default), or Zensical (pip install 'microcred[zensical]')"
    make.add_argument("--builder", choices=("mkdocs", "zensical"), default="mkdocs", help=zensical)
    make.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    make.set_defaults(run=cmd_build)

    preview = commands.add_parser(
        "serve",
        parents=[common],
        help="preview the site, regenerating pages when a catalog file or template changes",
        description=(
            "Generate the pages and serve the site on this machine with live reload; "
            "catalog, rubric, schema and template changes regenerate the pages."
        ),
    )
    preview.add_argument("--address", default="127.0.0.1:8000", help="where to serve (default: 127.0.0.1:8000)")
    preview.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    preview.set_defaults(run=cmd_serve)
    for name, (module, brief) in MODULE_COMMANDS.items():
        if only is None or only == name:
            importlib.import_module(module).add_parser(commands, common, brief)
        else:
            commands.add_parser(name, help=brief, add_help=False)
    _add_scaffold_commands(commands, common)
    return parser


def _command(argv: Sequence[str]) -> str:
    """The command named on the line (its first word that is not an option), or "" when none is."""
    return next((word for word in argv if not word.startswith("-")), "")


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(only=_command(words)).parse_args(words)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except (UsageError, SchemaSetError) as err:  # a BuildError is a UsageError
        _stderr(f"microcred: error: {err}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except UnicodeError as err:  # e.g. an argument or answer that is not valid UTF-8
        _stderr(f"microcred: error: input is not valid text ({err})")
        return EXIT_USAGE
    except OSError as err:  # a file where a folder should be, a full disk, a missing permission
        where = f"{err.filename}: " if err.filename else ""
        _stderr(f"microcred: error: {where}{err.strerror or err}")
        return EXIT_USAGE
