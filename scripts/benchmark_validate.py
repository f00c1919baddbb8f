"""How fast is `microcred validate` on a large catalog? Figures and ratios on synthetic catalogs.

    .venv/bin/python scripts/benchmark_validate.py [--sizes 1000 5000]

For each size, a catalog is generated in a temporary folder and timed, best of 3:
`microcred validate` end to end (a subprocess) and in-process; check-jsonschema
on the same files, one run per kind; and the floor, a bare libyaml parse of every
file, both as a subprocess (interpreter start-up counts on both sides) and in-process.
For the largest size, `validate --changed-since HEAD` after a one-line edit.
This is a benchmark, not a test: it prints, and exits 1 only if validate fails.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from microcred.catalog.layout import discover
from microcred.catalog.schemas import SCHEMA_FILES
from microcred.catalog.synthetic import write_catalog
from microcred.catalog.validate import validate

REPEAT = 3
TARGETS = "check-jsonschema/validate >= 10x; validate/bare parse <= 1.5x; changed-since < 1 s"
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


def parse_all(root: str) -> int:
    """The floor: read and parse every catalog file with libyaml, nothing else."""
    import pathlib

    import yaml

    count = 0
    for top in ("catalog", "rubrics"):
        for path in sorted(pathlib.Path(root, top).rglob("*.yml")):
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            count += 1
    return count


# The same function run as a script, so the floor pays interpreter start-up as validate does.
PARSE_SCRIPT = inspect.getsource(parse_all) + "\nimport sys\nparse_all(sys.argv[1])\n"


class Run:
    """One finished subprocess: wall-clock seconds, exit code, output and peak resident memory."""

    def __init__(self, cmd: list[str], cwd: Path | None = None) -> None:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert proc.stdout is not None
        out = proc.stdout.read()
        # wait4 reports this child's own rusage; RUSAGE_CHILDREN would mix in every earlier child.
        _, status, usage = os.wait4(proc.pid, 0)
        self.seconds = time.perf_counter() - start
        proc.returncode = self.code = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        self.out = out.decode("utf-8", "replace")
        self.rss_mb = usage.ru_maxrss / 1024  # KiB on Linux

    def ok(self) -> Run:
        if self.code != 0:
            sys.exit(f"exit {self.code}: {self.out[-2000:]}")
        return self


def best(action: Callable[[], float]) -> float:
    return min(action() for _ in range(REPEAT))


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def check_jsonschema(root: Path) -> float:
    """Seconds for one check-jsonschema run per kind over every file of that kind."""
    listing = discover(root)
    total = 0.0
    for kind, schema in SCHEMA_FILES.items():
        files = sorted(p for paths in listing.by_kind.get(kind, {}).values() for p in paths)
        if not files:  # e.g. no submissions or records in a synthetic catalog
            continue
        uri = (root / "schemas" / schema).as_uri()
        cmd = [str(CHECK_JSONSCHEMA), "--schemafile", f"schemas/{schema}", "--base-uri", uri, *files]
        total += Run(cmd, cwd=root).ok().seconds
    return total


def changed_since(root: Path) -> tuple[float, int]:
    """Seconds and files checked by `validate --changed-since HEAD` after a one-line edit to one credential."""

    def git(*args: str) -> None:
        config = ("init.defaultBranch=main", "user.name=bench", "user.email=bench@example.org", "commit.gpgsign=false")
        subprocess.run(["git", *(a for c in config for a in ("-c", c)), *args], cwd=root, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "synthetic catalog")
    credentials = sorted((root / "catalog" / "credentials").glob("*.yml"))
    target = credentials[len(credentials) // 2]
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [("version: 9.9.9\n" if line.startswith("version: ") else line) for line in lines]
    target.write_text("".join(lines), encoding="utf-8")
    cmd = [sys.executable, "-m", "microcred", "validate", "--root", str(root), "--changed-since", "HEAD"]
    seconds = best(lambda: Run([*cmd, "-q"]).ok().seconds)
    report = json.loads(Run([*cmd, "--format", "json"]).ok().out)
    return seconds, int(report["files"])


def measure(n: int, largest: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix=f"microcred-bench-{n}-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        write_catalog(root, n)
        print(f"  N={n}: generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        validate_cmd = [sys.executable, "-m", "microcred", "validate", "--root", str(root), "-q"]
        runs = [Run(validate_cmd).ok() for _ in range(REPEAT)]
        row = {"n": n, "validate": min(r.seconds for r in runs), "rss": max(r.rss_mb for r in runs)}
        result = validate(root)
        if result.problems:  # warnings would add the cost of locating them: time the clean path only
            sys.exit(f"the synthetic catalog has {len(result.problems)} problem(s), first: {result.problems[0]}")
        row["files"] = result.files
        row["validate_in"] = best(lambda: timed(lambda: validate(root)))
        row["parse"] = best(lambda: Run([sys.executable, "-c", PARSE_SCRIPT, str(root)]).ok().seconds)
        row["parse_in"] = best(lambda: timed(lambda: parse_all(str(root))))
        if CHECK_JSONSCHEMA.exists():
            row["cjs"] = best(lambda: check_jsonschema(root))
        if largest:
            row["changed"], row["changed_files"] = changed_since(root)
        print(f"  N={n}: measured", file=sys.stderr)
        return row


def verdict(value: float, ok: bool, unit: str = "x") -> str:
    return f"{value:.2f}{unit} {'PASS' if ok else 'FAIL'}"


def table(rows: list[dict[str, float]]) -> str:
    """One line per figure and one column per size: the other way round it is wider than a terminal."""
    lines: list[str] = []

    def add(head: str, cell: Callable[[dict[str, float]], str], needs: str = "n") -> None:
        lines.append(f"{head:<34}" + "".join(f"{cell(r) if needs in r else '-':>16}" for r in rows))

    add("N (credentials)", lambda r: f"{r['n']:.0f}")
    add("files", lambda r: f"{r['files']:.0f}")
    add("validate s (end to end)", lambda r: f"{r['validate']:.2f}")
    add("  files/s", lambda r: f"{r['files'] / r['validate']:.0f}")
    add("check-jsonschema s", lambda r: f"{r['cjs']:.2f}", "cjs")
    add("  files/s", lambda r: f"{r['files'] / r['cjs']:.0f}", "cjs")
    add("bare parse s (end to end)", lambda r: f"{r['parse']:.2f}")
    add("check-jsonschema/validate >= 10x", lambda r: verdict(r["cjs"] / r["validate"], r["cjs"] / r["validate"] >= 10), "cjs")
    add("validate/bare parse e2e <= 1.5x", lambda r: verdict(r["validate"] / r["parse"], r["validate"] / r["parse"] <= 1.5))
    add("validate s (in-process)", lambda r: f"{r['validate_in']:.2f}")
    add("bare parse s (in-process)", lambda r: f"{r['parse_in']:.2f}")
    add("validate/bare parse in-proc <= 1.5x", lambda r: verdict(r["validate_in"] / r["parse_in"], r["validate_in"] / r["parse_in"] <= 1.5))
    add("changed-since s < 1 s", lambda r: verdict(r["changed"], r["changed"] < 1, " s"), "changed")
    add("  files checked", lambda r: f"{r['changed_files']:.0f}", "changed")
    add("validate peak RSS MB", lambda r: f"{r['rss']:.0f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000], metavar="N", help="credential counts (default: 1000 5000)")
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()}, PyYAML {yaml.__version__} (libyaml: {yaml.__with_libyaml__}), "
        f"{os.cpu_count()} CPU(s), best of {REPEAT}; targets: {TARGETS}"
    )
    if not CHECK_JSONSCHEMA.exists():
        print(f"check-jsonschema not found at {CHECK_JSONSCHEMA}: its row is skipped")
    sizes = sorted(args.sizes)
    print(table([measure(n, n == sizes[-1]) for n in sizes]))


if __name__ == "__main__":
    main()
