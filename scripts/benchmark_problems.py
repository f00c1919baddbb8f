"""How long does `microcred validate` take on a file with thousands of problems? Seconds and peak memory.

    .venv/bin/python scripts/benchmark_problems.py [--sizes 2000 20000 60000]

For each size and each kind of flood (unknown keys, invalid list items), one credential of a small
catalog gets that many bad entries and `microcred validate` is run as a subprocess, best of 3.
Locating a problem costs its depth, so the time grows with the file, not with its square; only the
first problems of a file are reported, so the output and the memory stay bounded.
This is a benchmark, not a test: it prints, and exits 1 only if validate does not report the file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "tests" / "fixtures" / "base"
TARGET = "catalog/credentials/alpha.yml"
REPEAT = 3


def unknown_keys(text: str, n: int) -> str:
    return text + "".join(f"unknown{i}: x\n" for i in range(n))


def bad_items(text: str, n: int) -> str:
    return text.replace("subjects: [all-subjects]", "subjects:\n" + "".join(f"  - bad{i}\n" for i in range(n)))


FLOODS: dict[str, Callable[[str, int], str]] = {"unknown keys": unknown_keys, "invalid list items": bad_items}


def run(root: Path) -> tuple[float, float, float, str]:
    """Wall-clock seconds, CPU seconds, peak resident MB and output of one `microcred validate`."""
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "microcred", "validate", "--root", str(root)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    out = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage
    proc.stdout.close()
    if os.waitstatus_to_exitcode(status) != 1:
        sys.exit(f"validate did not report the file as invalid:\n{out[-2000:]}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sizes = [2000, 20000, 60000]
    parser.add_argument("--sizes", type=int, nargs="+", default=sizes, metavar="N", help=f"bad entries per file (default: {sizes})")
    args = parser.parse_args()
    print(f"{'flood':<20}{'entries':>9}{'file KB':>9}{'seconds':>9}{'CPU s':>9}{'peak MB':>9}{'lines out':>11}")
    with tempfile.TemporaryDirectory(prefix="microcred-bench-problems-") as tmp:
        root = Path(tmp) / "repo"
        shutil.copytree(BASE, root)
        shutil.copytree(ROOT / "schemas", root / "schemas")
        original = (root / TARGET).read_text(encoding="utf-8")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "microcred", "validate", "-q", "--root", str(root)], check=True)
        print(f"{'(none: valid)':<20}{0:>9}{len(original) / 1024:>9.0f}{time.perf_counter() - start:>9.2f}")
        for name, flood in FLOODS.items():
            for n in sorted(args.sizes):
                text = flood(original, n)
                (root / TARGET).write_text(text, encoding="utf-8")
                runs = [run(root) for _ in range(REPEAT)]
                seconds, cpu, peak = min(r[0] for r in runs), min(r[1] for r in runs), max(r[2] for r in runs)
                lines = runs[0][3].count("\n")
                print(f"{name:<20}{n:>9}{len(text) / 1024:>9.0f}{seconds:>9.2f}{cpu:>9.2f}{peak:>9.0f}{lines:>11}")
        (root / TARGET).write_text(original, encoding="utf-8")


if __name__ == "__main__":
    main()
