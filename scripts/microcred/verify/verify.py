"""`microcred verify`: check a badge as a verifier would, from a URL or a file: VALID, REVOKED, EXPIRED, INVALID or UNVERIFIED.

Open Badges 2.0 (hosted JSON, or a PNG baked with it): each linked document resolves to its own id on
the issuer's origin and has the fields the specification requires; revocation in the hosted document or
the issuer's list. Open Badges 3.0 (a VC-JWT): the signature against the issuer's published keys.json,
the claims, the official schema when it is at hand, the validity dates. The checks follow the site's
in-browser verifier (docs/assets/javascripts/verify.js), in the same order and words.

This module reads the target and sends it to the right checks: ob2check.py (2.0) or ob3check.py (3.0);
verdict.py holds the verdict and what both share, fetch.py the reading of documents. With `--site DIR`
the documents under the catalog's site_url are read from DIR (the repository, or a built site), so the
badges can be checked before they are published. Every verdict names the issuer; with `--issuer` (by
default, inside a repository, the catalog's own site) a badge of another issuer is INVALID.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..badges.urls import Urls
from ..catalog.load import load_document
from ..catalog.problems import Problem
from ..catalog.validate import UsageError, find_root, repository_root
from . import ob2check, ob3check
from .fetch import (
    DEADLINE,
    MAX_TARGET,
    TIMEOUT,
    Fetched,
    Fetcher,
    SiteFolder,
    Unreachable,
    Unverifiable,
    normal_url,
    parse_json,
    png_payload,
    read_file,
)
from .ob3check import SCHEMA
from .verdict import Context, Report, Verdict, has_type, id_of

__all__ = ["SiteFolder", "Unverifiable", "Verdict", "png_payload", "reference_dir", "verify"]

JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
WEB = ("http", "https")


def _dispatch(ctx: Context, report: Report, fetched: Fetched) -> None:
    body = fetched.body
    if body.startswith(b"\x89PNG\r\n\x1a\n"):
        found = png_payload(body)
        if found is None:
            raise Unverifiable("The image holds no Open Badges payload (no iTXt chunk 'openbadges').")
        report.check(True, f"The image holds an Open Badges payload ({found[0]}).", "")
        text = found[1].strip()
        if JWS.fullmatch(text):
            return ob3check.check(ctx, report, text)
        if urlsplit(text).scheme in WEB:  # the baked form may be the assertion's URL
            return ob2check.check(ctx, report, ctx.fetcher.get(text, "badge"))
        return _hosted(ctx, report, Fetched(fetched.url, text.encode("utf-8"), "", 200), embedded=True)
    text = body.decode("utf-8", errors="replace").strip()
    if JWS.fullmatch(text):
        return ob3check.check(ctx, report, text)
    return _hosted(ctx, report, fetched, embedded=not fetched.url.startswith(("http://", "https://")))


def _hosted(ctx: Context, report: Report, fetched: Fetched, *, embedded: bool) -> None:
    """A document read from a file or an image: the hosted copy at its id is what counts."""
    if not embedded:
        return ob2check.check(ctx, report, fetched)
    doc = parse_json(fetched, "badge")
    if has_type(doc, ("Assertion",)) and doc.get("revoked") is True:
        # The document's own word is enough to refuse it, whether or not its hosted copy can be read.
        return report.revoke("The badge itself says it is revoked.", doc.get("revocationReason"))
    hosted = id_of(doc)
    if (
        normal_url(hosted) == normal_url(fetched.url)
        or urlsplit(str(hosted)).scheme not in WEB
        or not has_type(doc, ("Assertion",))  # a badge class, a key set…: said so without fetching anything
    ):
        return ob2check.check(ctx, report, fetched)
    report.check(True, f"The hosted copy at {hosted} is checked (hosted verification).", "")
    return ob2check.check(ctx, report, ctx.fetcher.get(str(hosted), "badge"))


def _scheme(target: str) -> str:
    """The URL scheme a target names, or "" for a file (a file named "a:b" stays a file)."""
    scheme = urlsplit(target).scheme
    return "" if len(scheme) < 2 or (scheme not in WEB and Path(target).exists()) else scheme


def verify(
    target: str,
    *,
    now: datetime,
    email: str | None = None,
    schema_dir: Path | None = None,
    timeout: float = TIMEOUT,
    deadline: float = DEADLINE,
    site: SiteFolder | None = None,
    issuer: str | None = None,
) -> Verdict:
    """Verify a badge at a URL or in a file (JSON, baked PNG or .jwt); never raises for bad input.

    `timeout` bounds each wait for the network, `deadline` the whole verification (then UNVERIFIED).
    With `site`, documents under its address are read from its folder instead of fetched. With `issuer`
    (an issuer's id, or a catalog site's address), a badge of another issuer is not VALID.
    """
    report = Report(expected=issuer)
    try:
        schema = None
        if schema_dir is not None and (schema_dir / SCHEMA).is_file():
            schema = json.loads((schema_dir / SCHEMA).read_text(encoding="utf-8"))
        is_url = bool(_scheme(target))  # not http(s): the fetcher says it is not a web address
        fetcher = Fetcher(files=not is_url, timeout=timeout, site=site, deadline=deadline)
        ctx = Context(fetcher, now, email, schema)
        if site is not None:
            report.check(True, f"The documents under {site.url} are read from the folder {site.folder}, not fetched.", "")
        if is_url:
            fetched = fetcher.get(target, "badge", (), MAX_TARGET)
            if fetched.media.startswith("text/html"):
                raise Unverifiable(f"The badge at {target} is not a JSON document: it was served as {fetched.media}.")
        else:
            fetched = read_file(Path(target), "badge", MAX_TARGET)
        _dispatch(ctx, report, fetched)
    except Unreachable as err:
        report.unreachable = str(err)
    except Unverifiable as err:
        report.check(False, "", str(err))
    except Exception as err:  # a verifier meets hostile input: a verdict, never a traceback
        report.check(False, "", f"The check stopped on an unexpected error ({type(err).__name__}: {err}).")
    return report.verdict(target)


def reference_dir(root: str | None) -> Path | None:
    """../shared/reference/openbadges beside the repository (--root, the current one, or this package's)."""
    candidates = [Path(root).resolve()] if root else []
    with contextlib.suppress(UsageError):
        candidates.append(find_root(Path.cwd().resolve()))
    candidates.append(Path(__file__).resolve().parents[3])  # an editable install: the repository itself
    folders = [c.parent / "shared" / "reference" / "openbadges" for c in candidates]
    return next((folder for folder in folders if (folder / SCHEMA).is_file()), None)


def add_parser(commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser, brief: str) -> None:
    """`microcred verify URL|FILE [--email ADDRESS] [--format text|json]`."""
    sub = commands.add_parser(
        "verify",
        parents=[common],
        help=brief,
        description=(
            "Check a badge as a verifier would and print VALID, REVOKED, EXPIRED, INVALID or UNVERIFIED with the reasons. "
            "2.0: each linked document resolves to its own id on the issuer's site, required fields, recipient, "
            "revocation, expiry. 3.0: the VC-JWT signature (RS256 with the one JWK its kid names, or EdDSA against the "
            "issuer's keys.json for the first form), the claims, the Data Integrity proof with the key of the issuer's "
            "did:web document, the Bitstring Status List, the official schema when ../shared/reference/openbadges is at "
            "hand, validFrom and validUntil. "
            "UNVERIFIED when a document could not be read (no answer, a timeout, a server error, the --deadline passed): "
            "that is never INVALID. "
            "Exit 0 when valid, 1 when revoked, expired or invalid, 3 when unverified, 2 on a usage error."
        ),
    )
    sub.add_argument("target", metavar="URL|FILE", help="the badge: an http:// or https:// address, or a .json, .png or .jwt file")
    sub.add_argument("--email", metavar="ADDRESS", help="check that the badge was issued to this email address")
    sub.add_argument(
        "--site",
        metavar="DIR",
        help="read the documents under the catalog's site_url from DIR (the repository, or a built site) instead of "
        "fetching them: checks the badges before they are published",
    )
    sub.add_argument("--site-url", metavar="URL", help="with --site: the site's address (default: site_url in catalog/consortium.yml)")
    sub.add_argument(
        "--issuer",
        metavar="URL",
        help="the issuer expected: a catalog site's address (its issuers are the profiles under its badges/ folder), or "
        "an issuer's id (its profile's address, or its did:web); a badge of another issuer is INVALID. Default: inside a "
        "catalog repository, the catalog's own site (--site-url, or site_url in catalog/consortium.yml); outside one, any "
        "issuer. 'any' accepts any issuer. The issuer is named in every verdict either way",
    )
    sub.add_argument(
        "--deadline",
        metavar="SECONDS",
        default=str(DEADLINE),
        help=f"the longest the whole verification may take, every document fetched included; past it, UNVERIFIED (default: {DEADLINE:g})",
    )
    sub.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    sub.add_argument("--now", metavar="ISO", help="the time to check the badge at, e.g. 2026-12-01T00:00:00Z (default: now)")
    sub.set_defaults(run=run)


def _seconds(value: str) -> float:
    """The --deadline given, a number of seconds above 0 (and below a day)."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < 86400:
        raise UsageError(f"--deadline {value}: give a number of seconds above 0")
    return seconds


def check_target(target: str) -> None:
    """Refuse, as a usage error, a target that is neither a web address nor an existing file."""
    scheme = _scheme(target)
    if scheme and scheme not in WEB:
        raise UsageError(f"{target}: only http:// and https:// addresses are accepted (or a .json, .png or .jwt file)")
    if not scheme and not Path(target).exists():
        raise UsageError(f"{target}: no such file")
    if not scheme and Path(target).is_dir():
        raise UsageError(f"{target}: a folder, not a badge file (.json, .png or .jwt)")


def _catalog_site_url(root_given: str | None, option: str = "--site", instead: str = "--site-url URL") -> str:
    return _catalog_sites(root_given, option, instead)[0]


def _catalog_sites(root_given: str | None, option: str = "--site", instead: str = "--site-url URL") -> tuple[str, tuple[str, ...]]:
    """consortium.yml's site_url, and the addresses of its badge sites."""
    try:
        root = repository_root(root_given)
    except UsageError as err:
        raise UsageError(f"{option}: {err}, or give {instead}") from None
    loaded = load_document(root, "catalog/consortium.yml", "consortium")
    if isinstance(loaded, Problem):
        raise UsageError(f"{option}: {loaded.path}:{loaded.line}:{loaded.column}: {loaded.message}; give {instead}")
    site_url = loaded.data.get("site_url")
    if not isinstance(site_url, str):
        raise UsageError(f"{option}: catalog/consortium.yml has no site_url; give {instead}")
    try:
        sites = tuple(url for _, url in Urls.of_data(loaded.data).sites)
    except (KeyError, TypeError, AttributeError):
        sites = ()  # badge sites unreadable: `validate` says why, and only the catalog's site is read from the folder
    return site_url, sites


def expected_issuer(issuer: str | None, site: SiteFolder | None, root: str | None) -> str | None:
    """The issuer --issuer names; by default the catalog's own site inside a repository (or --site's), none outside."""
    if issuer is not None:
        if issuer == "any":
            return None
        if issuer.startswith("did:web:") or (urlsplit(issuer).scheme in WEB and urlsplit(issuer).hostname):
            return issuer
        raise UsageError(f"--issuer {issuer}: give the issuer's http:// or https:// address, its did:web, or 'any'")
    if site is not None:
        return site.url
    if root is None:
        try:
            repository_root(None)
        except UsageError:
            return None  # outside a catalog repository: any issuer, named in the verdict
    return _catalog_site_url(root, "--issuer", "--issuer URL (or --issuer any)")


def site_folder(folder: str | None, site_url: str | None, root: str | None) -> SiteFolder | None:
    """The site folder `--site` names, at `--site-url` or the catalog's site_url; None without --site."""
    if folder is None:
        if site_url is not None:
            raise UsageError("--site-url: give it with --site DIR, the folder the site is read from")
        return None
    if not Path(folder).is_dir():
        raise UsageError(f"--site {folder}: no such folder")
    url, badge_sites = (site_url, ()) if site_url is not None else _catalog_sites(root)
    if urlsplit(url).scheme not in WEB or not urlsplit(url).hostname:
        if site_url is None:
            raise UsageError(f"--site: the site_url of catalog/consortium.yml ({url}) is not a web address; give --site-url URL")
        raise UsageError(f"--site-url {url}: give the site's http:// or https:// address")
    return SiteFolder(url if url.endswith("/") else f"{url}/", Path(folder).resolve(), badge_sites)


def now_given(value: str | None) -> datetime:
    """--now as an aware date-time (UTC when it names no zone); the wall clock without it."""
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--now {value}: give an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run(args: argparse.Namespace) -> int:
    """Verify, print the verdict, and exit 0 only for a valid badge."""
    if args.email is not None and "@" not in args.email:
        raise UsageError("--email: give an email address (name@example.org)")
    check_target(args.target)
    deadline = _seconds(args.deadline)
    site = site_folder(args.site, args.site_url, args.root)
    issuer = expected_issuer(args.issuer, site, args.root)
    when, schemas = now_given(args.now), reference_dir(args.root)
    found = verify(args.target, now=when, email=args.email, schema_dir=schemas, site=site, deadline=deadline, issuer=issuer)
    sys.stdout.write(found.as_json() if args.format == "json" else found.text())
    return {"VALID": 0, "UNVERIFIED": 3}.get(found.verdict, 1)
