"""What does `microcred mint` cost, and what does the history it leaves cost the reports and the site? Figures on synthetic repositories.

    .venv/bin/python scripts/benchmark_mint.py [--sizes 200,1000] [--credentials 100]

For each size N, a synthetic catalog (`microcred.catalog.synthetic`, with this project's mkdocs.yml and docs/ as
benchmark_build.py sets them up) gets N submissions under submissions/<credential>/ and their review records
under records/ (`Record.to_yaml`): earners work through stacks, every other one completing its stack; a fifth
of the rounds end "not yet" before a resubmitted head is approved, a tenth need a tie-break; a fifth of the
credentials have a newer version than some submissions answer, so mint reads the older one from git history.
The repository must pass `microcred validate` and is committed to git. Then, each a subprocess of
.venv/bin/microcred: `mint --offline` with a fresh Ed25519 MICROCRED_SIGNING_KEY (so 3.0 credentials are
signed too) and GITHUB_REPOSITORY set (so evidence links name the adding commit, as in the workflow), once,
then again (nothing to do), best of 2; `report earnings --format csv` and `report reviews --format csv`, best of 2;
`microcred build` with that history and, on a copy without records/ and badges/, without it, best of 2.
This is a benchmark, not a test: it prints, and exits 1 only if a command fails.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from benchmark_build import setup  # the synthetic catalog with this project's mkdocs.yml and docs/
from microcred.catalog.records import Record, ReviewRecord, Round
from microcred.catalog.synthetic import DISTRICTS, SENTENCES
from microcred.pullrequests.recipient import hash_email
from microcred.review.review import pseudonym

MICROCRED = Path(sys.executable).with_name("microcred")
NOW = "2027-01-01T00:00:00Z"  # after every synthetic merge
NEWER = "2.0.0"  # synthetic credentials are 1.x.0: every fifth is bumped to this after the first commit
GIT = ("-c", "user.name=bench", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false")


class Run:
    """One finished subprocess of microcred: wall-clock seconds, output, and the child's own peak resident memory."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None) -> None:
        start = time.perf_counter()
        proc = subprocess.Popen([str(MICROCRED), *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        assert proc.stdout is not None
        out = proc.stdout.read()
        # wait4: this child's getrusage alone; RUSAGE_CHILDREN would keep the maximum of every earlier child.
        _, status, usage = os.wait4(proc.pid, 0)
        self.seconds = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        self.out, self.rss_mb = out.decode("utf-8", "replace"), usage.ru_maxrss / 1024  # KiB on Linux
        if code != 0:
            sys.exit(f"microcred {' '.join(args[:3])}: exit {code}: {self.out[-3000:]}")


def best(times: int, run: Callable[[], Run]) -> Run:
    return min((run() for _ in range(times)), key=lambda r: r.seconds)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *GIT, *args], cwd=root, check=True, capture_output=True)


def review(rng: random.Random, rubric: dict[str, Any], who: str, verdict: str, day: date) -> ReviewRecord:
    """Meeting levels throughout for an approval; a not-yet review fails one criterion."""
    meets = [level["id"] for level in rubric["levels"] if level["meets"]]
    scores = {c["id"]: rng.choice(meets) for c in rubric["criteria"]}
    if verdict == "not-yet":
        scores[rng.choice(rubric["criteria"])["id"]] = "not-yet"
    return ReviewRecord(who, verdict, day.isoformat(), scores)


def round_(rng: random.Random, rubric: dict[str, Any], opened: date, outcome: str, reviewers: list[str]) -> Round:
    """Two reviews that agree, or (a tenth of rounds) a 1:1 tie that a third reviewer breaks."""
    tiebreak = rng.random() < 0.1
    other = "not-yet" if outcome == "approved" else "approved"
    verdicts = [outcome, other, outcome] if tiebreak else [outcome, outcome]
    days, day = [], opened
    for _ in verdicts:
        day += timedelta(days=rng.randint(1, 8))
        days.append(day)
    reviews = tuple(review(rng, rubric, who, v, d) for who, v, d in zip(reviewers, verdicts, days, strict=False))
    head = hashlib.sha1(f"{opened}{reviewers}{rng.random()}".encode()).hexdigest()  # noqa: S324 - a fake commit id
    return Round(head, opened.isoformat(), days[-1].isoformat(), outcome, tiebreak, reviews)


def write_pair(root: Path, count: int, n: int, earner: int, cid: str) -> None:
    """One submission and its review record, merged on a day spread over 16 months from 2025-07-01."""
    rng = random.Random(f"benchmark-mint-{count}")  # noqa: S311 - reproducible sample data
    credential, rubric = catalog_file(root, f"catalog/credentials/{cid}.yml"), catalog_file(root, f"rubrics/{cid}.yml")
    bumped = int(cid.rsplit("-", 1)[1]) % 5 == 0
    version = credential["version"] if bumped and earner % 2 else NEWER if bumped else credential["version"]
    login, district = f"earner{earner:04d}", DISTRICTS[earner % len(DISTRICTS)][0]
    sid = f"{login}-{cid}-1"
    prose = " ".join(rng.sample(SENTENCES, 3)).format(p="the practice")
    part = credential["submission"]
    earner_data: dict[str, Any] = {"login": login, "district": district}
    if earner % 2 == 0:
        salt = hashlib.sha256(login.encode()).hexdigest()[:16]
        earner_data["email_hash"], earner_data["email_salt"] = hash_email(f"{login}@example.org", salt)
    submitted = date(2025, 7, 1) + timedelta(days=count * 480 // n)
    submission = {
        "id": sid, "credential": cid, "version": version, "earner": earner_data, "submitted_on": submitted.isoformat(),
        "overview": {q["id"]: prose for q in part["overview"]},
        "artifacts": {a["id"]: {"url": f"https://drive.{district}.example.org/{sid}/{a['id']}.pdf", "description": prose}
                      for a in part["artifacts"]},
        "reflection": {q["id"]: prose for q in part.get("reflection", [])},
        "attestation": {"permissions": True, "own_work": True},
    }  # fmt: skip
    header = "# yaml-language-server: $schema=../../schemas/submission.schema.json\n"
    path = root / "submissions" / cid / f"{sid}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + yaml.safe_dump(submission, sort_keys=False, width=100), encoding="utf-8")
    reviewers = [pseudonym(b"benchmark", "synthetic", f"assessor{(earner + j) % 12}") for j in range(3)]
    rounds = [round_(rng, rubric, submitted, "not-yet" if rng.random() < 0.2 else "approved", reviewers)]
    if rounds[0].outcome == "not-yet":
        pushed = date.fromisoformat(rounds[0].decided_on) + timedelta(days=rng.randint(2, 10))  # the resubmitted head
        rounds.append(round_(rng, rubric, pushed, "approved", reviewers))
    merged = f"{date.fromisoformat(rounds[-1].decided_on) + timedelta(days=1)}T15:04:05Z"
    record = Record(sid, cid, version, login, district, count + 1, submitted.isoformat(), merged, tuple(rounds))
    (root / record.path).parent.mkdir(parents=True, exist_ok=True)
    (root / record.path).write_text(record.to_yaml(), encoding="utf-8")


@cache
def catalog_file(root: Path, rel: str) -> Any:
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


def history(root: Path, n: int) -> None:
    """N submissions and records, committed; then every fifth credential gets a newer version, committed too."""
    stacks = [catalog_file(root, p.relative_to(root).as_posix())["members"] for p in sorted((root / "catalog/stacks").glob("*.yml"))]
    count = earner = 0
    while count < n:
        members = stacks[earner % len(stacks)]
        for cid in members[: len(members) - earner % 2][: n - count]:  # every other earner completes the stack
            write_pair(root, count, n, earner, cid)
            count += 1
        earner += 1
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "synthetic catalog and history")
    for path in sorted((root / "catalog/credentials").glob("*.yml")):
        if int(path.stem.rsplit("-", 1)[1]) % 5 == 0:
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            path.write_text("".join(f"version: {NEWER}\n" if line.startswith("version: ") else line for line in lines), encoding="utf-8")
    git(root, "commit", "-q", "-am", f"newer versions ({NEWER}) of every fifth credential")


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []


def build(root: Path, site: Path) -> Run:
    """`microcred build` from scratch: no generated pages, no site."""
    for path in (root / "docs/catalog", root / "docs/index.md", site):
        if path.is_dir():
            shutil.rmtree(path)
        path.unlink(missing_ok=True)
    return Run(["build", "--root", str(root), "--site", str(site), "-q"])


def measure(n: int, credentials: int) -> dict[str, float]:
    pem = serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    key = Ed25519PrivateKey.generate().private_bytes(*pem)  # fresh for each size
    env = {**os.environ, "MICROCRED_SIGNING_KEY": key.decode("ascii"), "GITHUB_REPOSITORY": "example/catalog", "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryDirectory(prefix=f"microcred-mint-bench-{n}-") as tmp:
        root, bare = Path(tmp, "repo"), Path(tmp, "bare")
        setup(root, credentials)
        history(root, n)
        Run(["validate", "--root", str(root), "-q"])
        print(f"  N={n}: repository written and valid", file=sys.stderr)
        first = Run(["mint", "--root", str(root), "--offline", "--now", NOW], env)
        minted = sum(line.startswith("minted ") for line in first.out.splitlines())
        badges = files_under(root / "badges")
        row = {"n": n, "mint": first.seconds, "rss": first.rss_mb, "minted": minted, "files": len(badges)}
        row["stacks"] = sum(" for the stack " in line for line in first.out.splitlines())
        row["mb"] = sum(p.stat().st_size for p in badges) / 1e6
        print(f"  N={n}: first mint {first.seconds:.1f} s", file=sys.stderr)
        again = best(2, lambda: Run(["mint", "--root", str(root), "--offline", "--now", NOW], env))
        assert "minted 0 badges" in again.out and len(files_under(root / "badges")) == len(badges), again.out
        row["again"] = again.seconds
        district = DISTRICTS[0][0]
        earnings = best(2, lambda: Run(["report", "earnings", "--root", str(root), "--district", district, "--format", "csv"]))
        row["earnings"], row["earnings_rows"] = earnings.seconds, earnings.out.count("\nbadge,")
        row["reviews"] = best(2, lambda: Run(["report", "reviews", "--root", str(root), "--format", "csv"])).seconds
        git(root, "add", "-A")  # as the workflow commits what mint wrote before building
        git(root, "commit", "-q", "-m", "mint")
        shutil.copytree(root, bare, symlinks=True)
        for folder in ("records", "badges"):
            shutil.rmtree(bare / folder)
        git(bare, "commit", "-q", "-am", "no history")
        row["build"] = best(2, lambda: build(root, Path(tmp, "site"))).seconds
        row["bare"] = best(2, lambda: build(bare, Path(tmp, "bare-site"))).seconds
        print(f"  N={n}: measured", file=sys.stderr)
        return row


def table(rows: list[dict[str, float]], credentials: int) -> str:
    """Markdown, one line per figure and one column per size."""
    lines = ["| submissions | " + " | ".join(f"{r['n']:,.0f}" for r in rows) + " |", "| --- |" + " ---: |" * len(rows)]

    def add(head: str, cell: Callable[[dict[str, float]], str]) -> None:
        lines.append(f"| {head} | " + " | ".join(cell(r) for r in rows) + " |")

    add("`mint --offline`, first run", lambda r: f"{r['mint']:.2f} s")
    add("  badges minted (of them stack badges)", lambda r: f"{r['minted']:,.0f} ({r['stacks']:.0f})")
    add("  badges per second", lambda r: f"{r['minted'] / r['mint']:.1f}")
    add("  files written under badges/ (MB)", lambda r: f"{r['files']:,.0f} ({r['mb']:.1f})")
    add("  ms per file written", lambda r: f"{1000 * r['mint'] / r['files']:.1f}")
    add("  peak RSS", lambda r: f"{r['rss']:.0f} MB")
    add("`mint --offline`, again (nothing to do)", lambda r: f"{r['again']:.2f} s")
    add("  again / first run", lambda r: f"{r['again'] / r['mint']:.2f}x")
    add("`report earnings --district alder-creek --format csv`", lambda r: f"{r['earnings']:.2f} s ({r['earnings_rows']:,.0f} badges)")
    add("`report reviews --format csv`", lambda r: f"{r['reviews']:.2f} s")
    add(f"`build` with history ({credentials} credentials)", lambda r: f"{r['build']:.2f} s")
    add("`build` without records/ and badges/", lambda r: f"{r['bare']:.2f} s")
    add("  with / without history", lambda r: f"{r['build'] / r['bare']:.2f}x (+{r['build'] - r['bare']:.2f} s)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="200,1000", metavar="N,N", help="submission counts, comma-separated (default: 200,1000)")
    parser.add_argument("--credentials", type=int, default=100, metavar="N", help="credentials in the catalog (default: 100)")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPU(s), {args.credentials} credentials; "
        "first mint once, everything else best of 2",
        flush=True,
    )
    print(table([measure(n, args.credentials) for n in sizes], args.credentials))


if __name__ == "__main__":
    main()
