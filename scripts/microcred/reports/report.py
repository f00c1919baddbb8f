"""`microcred report earnings|transcript|reviews`: a district's pay sheet, its HR transcript and the review figures."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..badges.urls import Urls
from ..catalog import output
from ..catalog.incentives import Award
from ..catalog.model import Catalog
from ..catalog.validate import UsageError, repository_root, validate
from ..catalog.words import dollars, join_and, month_day, number
from .attribution import attributed
from .earnings import Earnings, Line, Total, earnings
from .history import period, read_history, valid_day
from .hr import district_of, transcript_parser
from .quality import Figures, Ratio, Reviews, agreement, days_number, days_text, decimal, percent, reviews, titled_figures

FORMATS = ("csv", "json", "markdown")
# One table each, which the csv module reads back whole: row_type (badge, earner-total, total) and scope
# (credential, overall) say what a row is.
# A few lines of names read better than a name per line, hence SIM905 off.
EARNINGS_COLUMNS = tuple(
    "row_type earned_on school_year earner recipient earner_district credential version type badges "  # noqa: SIM905
    "salary_credit ceus stipend preparation recertification_hours note assertion credit".split()
)
REVIEWS_COLUMNS = tuple(
    "scope credential title submissions rounds first_try_passes first_try_pass_rate resubmissions resubmission_rate "  # noqa: SIM905
    "tiebreak_rounds tiebreak_rate score_pairs agreeing_pairs percent_agreement kappa median_days p90_days target_days "
    "within_target within_target_rate".split()
)


def add_parser(commands: argparse._SubParsersAction[Any], common: argparse.ArgumentParser, brief: str) -> None:
    """Add `report earnings` and `report reviews` to the command line."""
    report = commands.add_parser(
        "report",
        help=brief,
        description="Reports from the catalog, the review records and the minted badges. The options of each REPORT follow.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = report.add_subparsers(dest="report", metavar="REPORT", parser_class=type(report))
    kinds.required = True
    earn = kinds.add_parser(
        "earnings",
        parents=[common],
        help="one row per badge a district recognises, with its incentives and totals",
        description=(
            "List every earned, non-revoked badge the district recognises: earned by its own teachers or, through "
            "reciprocity, by teachers of a district it recognises, for a micro-credential it endorses. Each row gives "
            "the incentives it earns; the stipend's annual cap counts every badge of the earner's school year, also "
            "those earned before --from. Totals per earner and overall follow."
        ),
    )
    earn.add_argument("--district", required=True, metavar="DISTRICT", help="the district's id")
    earn.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="the first day earned to list (default: the first badge)")
    earn.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="the last day earned to list (default: the last badge)")
    earn.add_argument("--format", choices=FORMATS, default="markdown", help="csv, json or markdown (default)")
    earn.add_argument("--on", metavar="YYYY-MM-DD", help="list only the badges still valid for the district that day (default: today)")
    hr = transcript_parser(kinds, common)
    quality = kinds.add_parser(
        "reviews",
        parents=[common],
        help="pass and resubmission rates, tie-breaks, agreement and turnaround, per credential",
        description=(
            "Figures from the review records, per micro-credential and overall: first-try pass, resubmission and "
            "tie-break rates, inter-rater agreement (percent and Cohen's kappa over the criteria two reviewers of a "
            "round both scored) and days from a round's start to its decision (median; 90th percentile, nearest-rank) "
            "against a target. No reviewer is named."
        ),
    )
    quality.add_argument(
        "--target-days", type=int, metavar="N", help="the promised days to a decision (default: the consortium's, else 14)"
    )
    quality.add_argument("--format", choices=FORMATS, default="markdown", help="csv, json or markdown (default)")
    report.set_defaults(run=run)
    report.epilog = "\n".join(sub.format_help() for sub in (earn, hr, quality))


def run(args: argparse.Namespace) -> int:
    """Write the report asked for on stdout; 1 when the catalog is invalid."""
    root = repository_root(args.root)
    if args.report == "earnings":
        return _earnings(args, root)
    if args.report == "transcript":
        from .hr import run_transcript

        return run_transcript(args, root, _catalog)
    return _reviews(args, root)


def _catalog(root: Path) -> Catalog | None:
    result = validate(root, model=True)
    if result.catalog is None:
        sys.stderr.write(output.text(result.problems))
        print(output.summary(result.problems, result.files) + "; no report", file=sys.stderr)
    return result.catalog


def _earnings(args: argparse.Namespace, root: Path) -> int:
    start, end = period(args.start, args.end)
    catalog = _catalog(root)
    if catalog is None:
        return 1
    district = district_of(catalog, args.district)
    on = valid_day(args.on)
    found = attributed(read_history(root, catalog.consortium.site_url, Urls.of(catalog.consortium).sites), catalog)
    report = earnings(catalog, district, found.history.badges, start, end, on)
    render = {"csv": earnings_csv, "json": earnings_json, "markdown": earnings_markdown}[args.format]
    sys.stdout.write(render(report, catalog))
    if found.note:
        print(f"microcred: warning: {found.note}", file=sys.stderr)
    return 0


def _reviews(args: argparse.Namespace, root: Path) -> int:
    if args.target_days is not None and args.target_days < 1:
        raise UsageError(f"--target-days {args.target_days}: give a whole number of days, 1 or more")
    catalog = _catalog(root)
    if catalog is None:
        return 1
    target = args.target_days or catalog.consortium.target_days
    figures = reviews(read_history(root, catalog.consortium.site_url, Urls.of(catalog.consortium).sites).records, target)
    render = {"csv": reviews_csv, "json": reviews_json, "markdown": reviews_markdown}[args.format]
    sys.stdout.write(render(figures, catalog))
    return 0


def _plain(value: float) -> str:
    """A number as a spreadsheet reads it: 200, 1.5."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _json_number(value: float) -> float | int:
    return int(value) if value == int(value) else round(value, 2)


def _award_json(award: Award, preparation: float) -> dict[str, float | int]:
    pay = {k: _json_number(getattr(award, k)) for k in ("salary_credit", "ceus", "stipend")}
    return pay | {"preparation": _json_number(preparation), "recertification_hours": _json_number(award.recertification_hours)}


def _award_cells(award: Award, preparation: float) -> list[str]:
    return [_plain(v) for v in (award.salary_credit, award.ceus, award.stipend, preparation, award.recertification_hours)]


def _csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def earnings_csv(report: Earnings, catalog: Catalog) -> str:
    """One table: a row per badge, then a row per earner's total, then the total (row_type tells them apart)."""
    rows = []
    for x in report.lines:
        b = x.badge
        where = [b.earned_on, x.school_year, b.earner, b.recipient, b.district, b.credential, b.version, x.type]
        rows.append(["badge", *where, "1", *_award_cells(x.award, x.preparation), x.note, b.assertion, _credit(report, catalog, x)])
    totals = [*report.earners, report.total]
    for t in totals:
        where = ["", "", t.earner, "", "", "", "", ""]
        rows.append(["earner-total" if t.earner else "total", *where, str(t.badges), *_award_cells(t.award, t.preparation), "", "", ""])
    return _csv(EARNINGS_COLUMNS, rows)


def _credit(report: Earnings, catalog: Catalog, line: Line) -> str:
    """The credit HR files for a badge in the reporting district's units: "6 PDPs (Professional Learning)"."""
    hours = catalog.credentials[line.badge.credential].estimated_hours
    return "; ".join(credit.phrase(hours) for credit in report.district.credit)


def earnings_json(report: Earnings, catalog: Catalog) -> str:
    district = report.district
    stipend = district.incentives.stipend
    data = {
        "district": district.id,
        "from": report.start,
        "to": report.end,
        "school_year_start": district.school_year_start,
        "annual_cap": stipend.annual_cap if stipend else None,
        "preparation": _json_number(stipend.preparation) if stipend and stipend.preparation else None,
        "badges": [
            {
                "earned_on": x.badge.earned_on,
                "school_year": x.school_year,
                "earner": x.badge.earner,
                "recipient": x.badge.recipient,
                "earner_district": x.badge.district,
                "credential": x.badge.credential,
                "version": x.badge.version,
                "type": x.type,
                **_award_json(x.award, x.preparation),
                "note": x.note,
                "assertion": x.badge.assertion,
                "credit": _credit(report, catalog, x),
            }
            for x in report.lines
        ],
        "earners": [{"earner": t.earner, "badges": t.badges, **_award_json(t.award, t.preparation)} for t in report.earners],
        "total": {"badges": report.total.badges, **_award_json(report.total.award, report.total.preparation)},
    }
    return output.json_text(data)


def _award_md(award: Award, preparation: float) -> str:
    money = f"{dollars(award.salary_credit)} | {number(award.ceus)} | {dollars(award.stipend)} | {dollars(preparation)}"
    return f"{money} | {number(award.recertification_hours)}"


def _period(report: Earnings) -> str:
    if report.start and report.end:
        return f"from {report.start} to {report.end}"
    if report.start or report.end:
        return f"from {report.start}" if report.start else f"up to {report.end}"
    return "at any time"


def earnings_markdown(report: Earnings, catalog: Catalog) -> str:
    d = report.district
    honoured = [catalog.districts[r].name for r in d.recognises if r in catalog.districts]
    who = f"teachers of {d.name}" + (f" and, through reciprocity, of {join_and(honoured)}" if honoured else "")
    stipend = d.incentives.stipend
    cap = (
        f" The stipend is paid for at most {stipend.annual_cap} badges per earner and school year."
        if stipend and stipend.annual_cap
        else ""
    )
    if stipend and stipend.preparation:
        # Pre-approval is the earner's own district's, and the cap counts micro-credentials: see earnings.earnings.
        cap += (
            f" Preparation time is paid {dollars(stipend.preparation)} for a badge of the district's own teachers whose work "
            "it pre-approved, when the badge's stipend is paid (not beyond the cap, not through reciprocity)."
        )
    out = [
        f"# Earnings: {d.name}",
        "",
        f"Badges earned {_period(report)} by {who}, for micro-credentials the district endorses; revoked badges are left out. "
        f"School years start on {month_day(d.school_year_start)}.{cap}",
        "",
    ]
    if d.credit:
        system = f" in {d.credit_system}" if d.credit_system else ""
        out += [f"HR files for each badge {join_and([c.rate_phrase() for c in d.credit])}{system}.", ""]
    if not report.lines:
        asked = report.start or report.end
        none = "No badge was earned in this period." if asked else f"No badge that {d.name} recognises has been earned yet."
        return "\n".join([*out, none, ""])
    out += [
        "| Earned on | School year | Earner | Recipient | Earner's district | Micro-credential | Version | Type "
        "| Salary credit | CEUs | Stipend | Preparation | Recertification hours | Note | Assertion |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for x in report.lines:
        b = x.badge
        out.append(
            f"| {b.earned_on} | {x.school_year} | {b.earner} | `{b.recipient}` | {b.district} | {b.credential} | {b.version} | {x.type} "
            f"| {_award_md(x.award, x.preparation)} | {x.note} | [{b.submission}]({b.assertion}) |"
        )
    out += ["", "## Totals per earner", "", *_totals_md(report.earners), "", "## Total", "", *_totals_md([report.total]), ""]
    return "\n".join(out)


def _totals_md(totals: Sequence[Total]) -> list[str]:
    rows = [
        "| Earner | Badges | Salary credit | CEUs | Stipend | Preparation | Recertification hours |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    return rows + [f"| {t.earner or 'everyone'} | {t.badges} | {_award_md(t.award, t.preparation)} |" for t in totals]


def _rate(ratio: Ratio) -> str:
    return "n/a" if ratio.rate is None else f"{ratio.rate:.4f}"


def reviews_csv(reviews_: Reviews, catalog: Catalog) -> str:
    """A row per credential, then the overall row (scope tells them apart)."""
    rows = [["credential", cid, title, *_figure_cells(f, reviews_.target_days)] for cid, title, f in titled_figures(reviews_, catalog)]
    rows.append(["overall", "", "", *_figure_cells(reviews_.overall, reviews_.target_days)])
    return _csv(REVIEWS_COLUMNS, rows)


def _figure_cells(f: Figures, target: int) -> list[str]:
    ratios = [f.first_try, f.resubmitted, f.tiebreaks]
    cells = [str(f.submissions), str(f.rounds), *(c for r in ratios for c in (str(r.count), _rate(r)))]
    cells += [str(f.agreement.of), str(f.agreement.count), _rate(f.agreement), decimal(f.kappa, 4)]
    return [*cells, days_text(f.median_days), days_text(f.p90_days), str(target), str(f.within_target.count), _rate(f.within_target)]


def _ratio_json(ratio: Ratio) -> dict[str, Any]:
    return {"count": ratio.count, "of": ratio.of, "rate": None if ratio.rate is None else round(ratio.rate, 4)}


def _figures_json(f: Figures) -> dict[str, Any]:
    return {
        "submissions": f.submissions,
        "rounds": f.rounds,
        "first_try_pass": _ratio_json(f.first_try),
        "resubmission": _ratio_json(f.resubmitted),
        "tiebreak": _ratio_json(f.tiebreaks),
        "agreement": {**_ratio_json(f.agreement), "kappa": None if f.kappa is None else round(f.kappa, 4)},
        "turnaround_days": {
            "median": days_number(f.median_days),
            "p90": days_number(f.p90_days),
            "within_target": _ratio_json(f.within_target),
        },
    }


def reviews_json(reviews_: Reviews, catalog: Catalog) -> str:
    data = {
        "target_days": reviews_.target_days,
        "overall": _figures_json(reviews_.overall),
        "credentials": [{"credential": cid, "title": title, **_figures_json(f)} for cid, title, f in titled_figures(reviews_, catalog)],
    }
    return output.json_text(data)


def reviews_markdown(reviews_: Reviews, catalog: Catalog) -> str:
    target = reviews_.target_days
    out = ["# Review quality and turnaround", ""]
    if not reviews_.overall.submissions:
        return "\n".join([*out, "No reviews recorded yet.", ""])
    out += [
        f"From {reviews_.overall.submissions} review records. Agreement pools the criteria two reviewers of a round both scored; "
        f"turnaround is days from a round's opening (the pull request's, or the push of its new head) to its decision "
        f"(median; 90th percentile, nearest-rank), against {target} days.",
        "",
        "| Micro-credential | Submissions | Rounds | First-try pass | Resubmitted | Tie-breaks | Agreement | Kappa "
        f"| Median days | 90th percentile days | Within {target} days |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    rows = [(title, f) for _, title, f in titled_figures(reviews_, catalog)] + [("**All**", reviews_.overall)]
    for title, f in rows:
        out.append(
            f"| {title} | {f.submissions} | {f.rounds} | {percent(f.first_try)} | {percent(f.resubmitted)} | {percent(f.tiebreaks)} "
            f"| {agreement(f.agreement)} | {decimal(f.kappa)} | {days_text(f.median_days)} | {days_text(f.p90_days)} "
            f"| {percent(f.within_target)} |"
        )
    return "\n".join([*out, ""])
