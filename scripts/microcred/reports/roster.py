"""The staff list a district's HR office keeps: read from its own machine, never from or into the repository.

A CSV file with a header row: `email`, `employee_id` and `legal_name` are required, `state_id` (the state
educator id) and `login` (a GitHub login) are optional; other columns are ignored. A row may leave its email
empty when it gives a login. Every problem is named
by row number and column, never by the value, since the values are personal data.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from ..catalog.validate import UsageError

REQUIRED = ("email", "employee_id", "legal_name")
OPTIONAL = ("state_id", "login")
MAX_BYTES = 64 * 1024 * 1024  # a state's whole workforce fits many times over


@dataclass(frozen=True)
class Employee:
    row: int  # the CSV row number, the header being row 1
    email: str  # trimmed and lower-cased, as addresses are hashed by `microcred hash-email`
    employee_id: str
    legal_name: str
    state_id: str
    login: str


def outside(root: Path, path: Path, what: str) -> Path:
    """`path`, refused when it lies inside the repository at `root`: personal data must never be committed."""
    real, repository = Path(os.path.realpath(path)), Path(os.path.realpath(root))
    if real == repository or real.is_relative_to(repository):
        raise UsageError(
            f"{path}: the {what} is inside the repository ({repository}); keep it outside, "
            "where nothing can commit it, for example in your documents folder"
        )
    return path


def read_roster(root: Path, path: Path) -> list[Employee]:
    """The employees of the roster at `path`; a UsageError naming the row and column of the first problem."""
    outside(root, path, "roster")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UsageError(f"{path}: more than {MAX_BYTES // (1024 * 1024)} MB; give the staff list as a CSV file")
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text; save the staff list as CSV UTF-8") from None
    except OSError as err:
        raise UsageError(f"{path}: cannot be read ({err.strerror})") from None
    reader = csv.reader(text.splitlines())
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise UsageError(
            f"{path}: row 1: no column {', '.join(missing)}; the header needs {', '.join(REQUIRED)} (and may have {', '.join(OPTIONAL)})"
        )
    where = {name: header.index(name) for name in (*REQUIRED, *OPTIONAL) if name in header}
    employees = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        values = {name: cells[i].strip() if i < len(cells) else "" for name, i in where.items()}
        if not values["employee_id"]:
            raise UsageError(f"{path}: row {number}: employee_id is empty")
        if not values["email"] and not values.get("login"):
            raise UsageError(f"{path}: row {number}: email is empty (and no login is given)")
        if values["email"] and "@" not in values["email"]:
            raise UsageError(f"{path}: row {number}: email is not an email address")
        employees.append(
            Employee(
                number,
                values["email"].lower(),
                values["employee_id"],
                values["legal_name"],
                values.get("state_id", ""),
                values.get("login", "").lower(),
            )
        )
    return employees
