"""How long does `microcred build` take on a large catalog, and how much of it is ours? Figures on synthetic catalogs.

    .venv/bin/python scripts/benchmark_build.py [--sizes 100 1000 5000]

For each size, a synthetic catalog (`microcred.catalog.synthetic`) is written to a temporary folder with a copy of
mkdocs.yml (site_url set to the synthetic consortium's, as `build` demands) and of the hand-written docs/
(their links to example catalog pages pointed at synthetic ones, so --strict passes). Timed, best of 3
(best of 2 from 5,000 credentials up): `microcred build` end to end, a subprocess, its pages generated from
scratch each run; our part alone, in-process: generate() and, split, validate(model=True), render() and
writing the pages; the floor, a plain `mkdocs build --strict` of the same generated docs/. Then the sizes of
what was built. This is a benchmark, not a test: it prints, and exits 1 only if a build fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import yaml

from microcred.catalog.synthetic import write_catalog
from microcred.catalog.validate import validate
from microcred.site.build import GENERATED, generate, write_generated
from microcred.site.pages import render

PROJECT = Path(__file__).resolve().parents[1]
TARGETS = "our generation/whole build <= 10%; whole build/plain mkdocs <= 1.15x; whole build at N=5000 < 120 s"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PAGE_LINK = re.compile(r"catalog/(credentials|rubrics|stacks|districts)/([a-z0-9-]+)\.md")
SOURCES = {"credentials": "catalog/credentials", "rubrics": "rubrics", "stacks": "catalog/stacks", "districts": "catalog/districts"}


def repeat(n: int) -> int:
    return 2 if n >= 5000 else 3


class Run:
    """One finished subprocess: wall-clock seconds, exit code, output and peak resident memory."""

    def __init__(self, cmd: list[str]) -> None:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=ENV)
        assert proc.stdout is not None
        out = proc.stdout.read()
        # wait4 reports this child's own rusage; RUSAGE_CHILDREN would mix in every earlier child.
        _, status, usage = os.wait4(proc.pid, 0)
        self.seconds = time.perf_counter() - start
        proc.returncode = self.code = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        self.out = out.decode("utf-8", "replace")
        self.rss_mb = usage.ru_maxrss / 1024  # KiB on Linux
        if self.code != 0:
            sys.exit(f"{' '.join(cmd[1:4])}: exit {self.code}: {self.out[-3000:]}")


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def setup(root: Path, n: int) -> None:
    """A synthetic catalog with this project's site configuration and hand-written pages."""
    write_catalog(root, n)
    site_url = yaml.safe_load((root / "catalog" / "consortium.yml").read_text(encoding="utf-8"))["site_url"]
    config = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(re.sub(r"^site_url:.*$", f"site_url: {site_url}", config, flags=re.MULTILINE), encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    for entry in (PROJECT / "docs").iterdir():
        if entry.name not in GENERATED:
            copy = shutil.copytree if entry.is_dir() else shutil.copy2
            copy(entry, root / "docs" / entry.name)
    ids = {kind: sorted(p.stem for p in (root / folder).glob("*.yml")) for kind, folder in SOURCES.items()}

    def synthetic(match: re.Match[str]) -> str:
        kind, ident = match.groups()
        return match.group(0) if ident == "index" or ident in ids[kind] else f"catalog/{kind}/{ids[kind][0]}.md"

    for page in (root / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        page.write_text(PAGE_LINK.sub(synthetic, text), encoding="utf-8")


def clear(root: Path, *also: Path) -> None:
    """Remove the generated pages (and the given folders), so the next run starts from scratch."""
    for path in [*(root / "docs" / g for g in GENERATED), *also]:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def measure(n: int) -> dict[str, float]:
    times = repeat(n)
    with tempfile.TemporaryDirectory(prefix=f"microcred-build-bench-{n}-") as tmp:
        root, site, plain = Path(tmp, "repo"), Path(tmp, "site"), Path(tmp, "plain")
        setup(root, n)
        print(f"  N={n}: catalog written", file=sys.stderr)
        whole_cmd = [sys.executable, "-m", "microcred", "build", "--root", str(root), "--site", str(site), "-q"]
        whole: list[Run] = []
        for _ in range(times):
            clear(root, site)
            whole.append(Run(whole_cmd))
        row = {"n": n, "whole": min(r.seconds for r in whole), "whole_rss": max(r.rss_mb for r in whole)}
        print(f"  N={n}: whole build {row['whole']:.1f} s", file=sys.stderr)
        html = list(site.rglob("*.html"))
        row["pages"] = len(html)
        row["search_mb"] = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file()) / 1e6
        row["browse_mb"] = (site / "catalog" / "index.json").stat().st_size / 1e6
        row["site_mb"] = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6
        row["html_mb"] = sum(p.stat().st_size for p in html) / 1e6
        mkdocs_cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(plain)]
        runs = [Run(mkdocs_cmd) for _ in range(times)]  # the pages the last whole build generated
        row["mkdocs"], row["mkdocs_rss"] = min(r.seconds for r in runs), max(r.rss_mb for r in runs)
        print(f"  N={n}: plain mkdocs {row['mkdocs']:.1f} s", file=sys.stderr)

        def one_generate() -> float:
            clear(root)
            return timed(lambda: generate(root, say=lambda _m: None))

        row["generate"] = min(one_generate() for _ in range(times))
        result = validate(root, model=True)
        catalog = result.catalog
        assert catalog is not None, result.problems[:3]
        row["files"] = result.files
        row["validate"] = min(timed(lambda: validate(root, model=True)) for _ in range(times))
        row["render"] = min(timed(lambda: render(catalog)) for _ in range(times))
        files = render(catalog)

        def one_write() -> float:
            clear(root)
            return timed(lambda: write_generated(root / "docs", files))

        row["write"] = min(one_write() for _ in range(times))
        print(f"  N={n}: measured", file=sys.stderr)
        return row


def verdict(value: float, ok: bool, unit: str = "x") -> str:
    return f"{value:.2f}{unit} {'PASS' if ok else 'FAIL'}"


def table(rows: list[dict[str, float]]) -> str:
    """One line per figure and one column per size."""
    lines: list[str] = []

    def add(head: str, cell: Callable[[dict[str, float]], str], needs: str = "n") -> None:
        lines.append(f"{head:<38}" + "".join(f"{cell(r) if needs in r else '-':>14}" for r in rows))

    def pct(r: dict[str, float]) -> float:
        return 100 * r["generate"] / r["whole"]

    add("N (credentials)", lambda r: f"{r['n']:.0f}")
    add("catalog files", lambda r: f"{r['files']:.0f}")
    add("HTML pages", lambda r: f"{r['pages']:.0f}")
    add("whole build s (end to end)", lambda r: f"{r['whole']:.2f}")
    add("  peak RSS MB", lambda r: f"{r['whole_rss']:.0f}")
    add("plain mkdocs build --strict s", lambda r: f"{r['mkdocs']:.2f}")
    add("  peak RSS MB", lambda r: f"{r['mkdocs_rss']:.0f}")
    add("  ms per HTML page", lambda r: f"{1000 * r['mkdocs'] / r['pages']:.1f}")
    add("our generate() s (in-process)", lambda r: f"{r['generate']:.2f}")
    add("  validate(model=True) s", lambda r: f"{r['validate']:.2f}")
    add("  render() s", lambda r: f"{r['render']:.2f}")
    add("  write pages s", lambda r: f"{r['write']:.2f}")
    add("search index (pagefind/) MB", lambda r: f"{r['search_mb']:.2f}")
    add("catalog/index.json MB", lambda r: f"{r['browse_mb']:.2f}")
    add("HTML MB / whole site MB", lambda r: f"{r['html_mb']:.0f}/{r['site_mb']:.0f}")
    add("generate/whole build <= 10%", lambda r: verdict(pct(r), pct(r) <= 10, "%"))
    add("whole/plain mkdocs <= 1.15x", lambda r: verdict(r["whole"] / r["mkdocs"], r["whole"] / r["mkdocs"] <= 1.15))
    add("whole build at N=5000 < 120 s", lambda r: verdict(r["whole"], r["whole"] < 120, " s") if r["n"] == 5000 else "-")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sizes = [100, 1000, 5000]
    parser.add_argument("--sizes", type=int, nargs="+", default=sizes, metavar="N", help=f"credential counts (default: {sizes})")
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()}, mkdocs {version('mkdocs')}, mkdocs-material {version('mkdocs-material')}, "
        f"{os.cpu_count()} CPU(s), best of 3 (of 2 from N=5000); targets: {TARGETS}",
        flush=True,
    )
    print(table([measure(n) for n in sorted(args.sizes)]))


if __name__ == "__main__":
    main()
