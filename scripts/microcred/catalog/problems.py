"""Problems found in a catalog, and the table of their stable codes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

# code -> (severity, short title). The codes are a contract: never renumber,
# only add. docs/reference/error-codes.md is tested against this table.
CODES: dict[str, tuple[Severity, str]] = {
    # Reading and parsing files
    "MC001": ("error", "file is not valid UTF-8"),
    "MC002": ("error", "file is binary"),
    "MC003": ("error", "file is too large"),
    "MC004": ("error", "YAML syntax error"),
    "MC005": ("error", "duplicate key"),
    "MC006": ("error", "YAML anchors and aliases are not allowed"),
    "MC007": ("error", "nesting is too deep"),
    "MC008": ("error", "symlink leads outside the repository"),
    "MC009": ("error", "YAML tag or value type not allowed"),
    "MC010": ("error", "mapping key is not a string"),
    "MC011": ("error", "file is empty"),
    "MC012": ("error", "top level is not a mapping"),
    "MC013": ("error", "file is not where a catalog file can be"),
    "MC014": ("error", "file cannot be read"),
    "MC015": ("error", "second consortium or roster file"),
    # Schema validation
    "MC100": ("error", "does not match the schema"),
    "MC101": ("error", "required field missing"),
    "MC102": ("error", "unknown field"),
    "MC103": ("error", "wrong type"),
    "MC104": ("error", "value not allowed"),
    "MC105": ("error", "value not in the expected form"),
    "MC106": ("error", "value out of range or wrong size"),
    "MC107": ("error", "list has repeated items"),
    "MC108": ("error", "field left blank"),
    # Cross-file checks
    "MC201": ("error", "unknown rubric"),
    "MC202": ("error", "rubric does not cover a submission part"),
    "MC203": ("error", "rubric criterion names an unknown submission item"),
    "MC204": ("error", "rubric descriptors do not match its levels"),
    "MC205": ("error", "rubric earning rule is inconsistent"),
    "MC206": ("error", "unknown prerequisite"),
    "MC207": ("error", "prerequisite cycle"),
    "MC208": ("error", "unknown stack member"),
    "MC209": ("error", "district endorses an unknown credential or stack"),
    "MC210": ("error", "unknown district"),
    "MC211": ("error", "duplicate id"),
    "MC212": ("error", "id differs from file name"),
    "MC213": ("error", "reviewer qualified for an unknown credential or stack"),
    "MC214": ("error", "duplicate reviewer"),
    "MC215": ("error", "repeated id within a file"),
    "MC216": ("error", "consortium member has no district file"),
    "MC217": ("error", "required catalog file missing"),
    "MC218": ("warning", "artifact not scored by any criterion"),
    "MC219": ("warning", "too few qualified assessors for a tie-break"),
    "MC220": ("warning", "depends on a credential that is not published"),
    "MC221": ("error", "submission for an unknown credential"),
    "MC222": ("error", "submission outside its credential's folder"),
    "MC223": ("error", "resubmission of an unknown submission"),
    "MC224": ("error", "review record for an unknown submission or credential"),
    "MC225": ("error", "review record does not match its submission"),
    "MC226": ("error", "review record scores an unknown criterion or level"),
    "MC227": ("error", "a link in catalog text is not an absolute https:// address"),
    "MC228": ("error", "validity of no time or over 40 years"),
    "MC229": ("error", "renewal asks for an unknown artifact"),
    "MC230": ("error", "a badge site's first day is not after the one before"),
    "MC231": ("error", "a badge site's address holds or is held by another site's"),
    # Pull request checks (`check-pr`): scope
    "MC300": ("error", "file outside the pull request's scope"),
    "MC301": ("error", "more than one submission in a pull request"),
    "MC302": ("error", "someone else's submission changed or deleted"),
    "MC303": ("error", "submission not made by its earner"),
    "MC304": ("error", "protected path changed by a non-maintainer"),
    "MC305": ("error", "the earner already holds this credential version"),
    "MC306": ("error", "the email hash stands for another earner"),
    "MC307": ("error", "the earner's district is not the one catalog/earners.yml lists"),
    # Pull request checks: completeness, found before any human review
    "MC310": ("error", "question not answered"),
    "MC311": ("error", "answer over its word limit"),
    "MC312": ("error", "required artifact missing"),
    "MC313": ("error", "answer or artifact the credential does not ask for"),
    "MC314": ("error", "micro-credential not open for submissions"),
    "MC315": ("error", "submission answers an outdated version"),
    "MC316": ("error", "prerequisite not earned"),
    "MC317": ("error", "district does not endorse the micro-credential"),
    "MC318": ("error", "district pre-approval not recorded"),
    "MC319": ("error", "resubmission of another earner's or credential's submission"),
    # Pull request checks: privacy
    "MC320": ("error", "plain email address"),
    "MC321": ("error", "phone number"),
    "MC322": ("error", "binary or media file"),
    "MC323": ("error", "file too large for a pull request"),
    "MC324": ("error", "evidence link is not https"),
    "MC325": ("warning", "link looks publicly shared"),
    "MC326": ("warning", "personal email address on a commit"),
    # Pull request checks: what the catalog's folders may hold
    "MC340": ("error", "file the catalog layout does not know"),
    "MC341": ("error", "Git LFS pointer instead of a file"),
    # Blind review: what would tell reviewers whose a submission is, and relayed submissions the gate refuses
    "MC350": ("warning", "evidence link shows whose it is"),
    "MC351": ("warning", "answer names the earner or their district"),
    "MC352": ("error", "submission not relayed under blind review"),
    "MC353": ("error", "relayed submission without a binding"),
    "MC354": ("error", "binding does not match its opaque id"),
    # Reporting
    "MC900": ("error", "more problems in the file than are shown"),
}

# A file with thousands of problems (a list of bad items pasted twice over, a converter gone wrong) is
# reported by its first ones: the rest would scroll them away, and cost time and memory to show.
MAX_PER_FILE = 100
MORE = "MC900"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located in a file. Line and column are 1-based; 1:1 for a finding about the whole file."""

    path: str
    line: int
    column: int
    code: str
    message: str
    json_path: str = ""
    more: int = field(default=0, compare=False)  # for an MC900 note: how many problems it stands for

    @property
    def severity(self) -> Severity:
        return CODES[self.code][0]

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "json_path": self.json_path,
        }


def more_not_shown(path: str, line: int, column: int, count: int) -> Problem:
    """The note that ends a file's report when `count` of its problems, the first at line:column, are left out."""
    message = f"{count:,} more problem(s) in this file, from here on, are not shown; fix those above and check again"
    return Problem(path, line, column, MORE, message, more=count)


def capped(problems: Iterable[Problem], limit: int = MAX_PER_FILE) -> list[Problem]:
    """At most `limit` problems of each file, in the order given, the files in the order they first appear;
    a file with more ends with one note saying how many are not shown (counting those an earlier note stood for)."""
    by_file: dict[str, tuple[list[Problem], list[Problem]]] = {}
    for problem in problems:
        found, notes = by_file.setdefault(problem.path, ([], []))
        (notes if problem.code == MORE else found).append(problem)
    out: list[Problem] = []
    for path, (found, notes) in by_file.items():
        out += found[:limit]
        hidden = found[limit:]
        count = len(hidden) + sum(note.more for note in notes)
        if count:
            first = min((p.line, p.column) for p in hidden[:1] + notes)
            out.append(more_not_shown(path, *first, count))
    return out


def counts(problems: Iterable[Problem]) -> tuple[int, int]:
    """Errors and warnings, an MC900 note counting as the errors it stands for."""
    errors = warnings = 0
    for problem in problems:
        if problem.severity == "warning":
            warnings += 1
        else:
            errors += problem.more or 1
    return errors, warnings


def json_path(parts: tuple[str | int, ...]) -> str:
    """Render a path as `a.b[0].c`, the form shown to users."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out
