"""`microcred report transcript`: the command that joins HR's staff list to the badges, on HR's own machine."""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..badges.urls import Urls
from ..catalog.district import District
from ..catalog.model import Catalog
from ..catalog.validate import UsageError
from .attribution import attributed
from .history import period, read_history, valid_day

FORMATS = ("csv", "json", "markdown")


def transcript_parser(kinds: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> argparse.ArgumentParser:
    hr: argparse.ArgumentParser = kinds.add_parser(
        "transcript",
        parents=[common],
        help="a district's staff list joined to the badges it recognises, with credit in its own units",
        description=(
            "Run on the HR office's own machine: join the district's staff list (a CSV file outside the repository, "
            "with the columns email, employee_id and legal_name, and optionally state_id and login) to every badge the "
            "district recognises, by hashing each address with each badge's salt, or by GitHub login. One row per badge "
            "and credit unit of the district: employee id, legal name, state id, credential, version, provider, dates, "
            "school year, unit, amount, credit area, pre-approval, the badge page and the scored rubric. Roster rows "
            "and badges that match nothing are counted on stderr by row number and badge id. Nothing read from the "
            "staff list is written anywhere but the output asked for, and nothing is fetched."
        ),
    )
    hr.add_argument("--district", required=True, metavar="DISTRICT", help="the district's id")
    hr.add_argument("--roster", required=True, type=Path, metavar="FILE", help="the staff list, a CSV file outside the repository")
    hr.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="the first day earned to list (default: the first badge)")
    hr.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="the last day earned to list (default: the last badge)")
    hr.add_argument("--format", choices=FORMATS, default="csv", help="csv (default), json or markdown")
    hr.add_argument("--on", metavar="YYYY-MM-DD", help="list only the badges still valid for the district that day (default: today)")
    hr.add_argument("--output", type=Path, metavar="FILE", help="write the transcript there (a file outside the repository), not on stdout")
    hr.add_argument(
        "--transcripts",
        type=Path,
        metavar="DIR",
        help="also write a printable transcript per educator there (HTML with QR codes; a folder outside the repository)",
    )
    return hr


def _stdout_file() -> Path | None:
    """The regular file stdout goes to, where the system says (Linux's /proc); None for a terminal or a pipe."""
    try:
        if not stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode):
            return None
        return Path("/proc/self/fd/1").readlink()
    except (OSError, ValueError, AttributeError):  # no such file descriptor, or no /proc: nothing to check
        return None


def district_of(catalog: Catalog, ident: str) -> District:
    district = catalog.districts.get(ident)
    if district is None:
        raise UsageError(f"--district {ident}: no such district; the districts are {', '.join(catalog.districts)}")
    return district


def run_transcript(args: argparse.Namespace, root: Path, load: Callable[[Path], Catalog | None]) -> int:
    from .roster import outside, read_roster
    from .transcript import transcript
    from .transcriptout import summary, transcript_csv, transcript_json, transcript_markdown

    start, end = period(args.start, args.end)
    if args.transcripts is not None:
        outside(root, args.transcripts, "folder for the transcripts")
    if args.output is not None:
        outside(root, args.output, "output file")
    elif (target := _stdout_file()) is not None:
        outside(root, target, "file stdout is written to")  # `> transcript.csv` inside a clone
    employees = read_roster(root, args.roster)
    catalog = load(root)
    if catalog is None:
        return 1
    district = district_of(catalog, args.district)
    relayed = attributed(
        read_history(root, catalog.consortium.site_url, Urls.of(catalog.consortium).sites), catalog
    )  # the logins HR matches by, privately
    history = relayed.history
    found = transcript(catalog, district, history.badges, history.records, employees, start, end, valid_day(args.on))
    render = {"csv": transcript_csv, "json": transcript_json, "markdown": transcript_markdown}[args.format]
    if args.output is not None:
        args.output.write_text(render(found), encoding="utf-8")
    else:
        sys.stdout.write(render(found))
    if args.transcripts is not None:
        from .transcriptpages import educator_pages  # segno is loaded only here

        args.transcripts.mkdir(parents=True, exist_ok=True)
        pages = educator_pages(found)
        for name, page in pages.items():
            (args.transcripts / name).write_text(page, encoding="utf-8")
        print(f"microcred: wrote {len(pages)} printable transcripts to {args.transcripts}", file=sys.stderr)
    print(f"microcred: {summary(found)}", file=sys.stderr)
    if relayed.note:
        print(f"microcred: warning: {relayed.note}", file=sys.stderr)
    return 0
