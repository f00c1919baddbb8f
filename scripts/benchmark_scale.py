"""Does a statewide consortium stay within free hosting? Build, mint and git figures at thousands of credentials and badges.

    .venv/bin/python scripts/benchmark_scale.py [--credentials 2000] [--badges 20000] [--real 200]
    .venv/bin/python scripts/benchmark_scale.py --pages --credentials 100 --badges 5000 --real 100

A synthetic catalog of C credentials (`microcred.catalog.synthetic`, with this project's mkdocs.yml and docs/ as
benchmark_build.py sets them up) gets R submissions with their review records (as benchmark_mint.py writes them),
committed, and `mint --offline` mints them for real with a fresh Ed25519 MICROCRED_SIGNING_KEY and RSA
MICROCRED_JWT_KEY (the 3.0 form outside verifiers accept). Those R badges give the committed bytes per badge
(assertion + 3.0 credential + review record) and the git pack's growth per badge (`git gc` before and after).

Minting B badges for real would take hours, so the other B - R badges are derived from the really minted ones:
each copies a real badge's submission, record, assertion and credential under a new earner login, so its uuid,
ids and sizes are those mint would write; the derived credentials keep their model's signature, which no longer
matches (a verifier rejects them; the build does not verify signatures, so its figures are the same). Then, each a
subprocess of .venv/bin/microcred: the commit of all of them, `git status`, `mint --offline` with nothing new (the
sweep), `microcred build` from scratch (time, peak memory of its largest process, site size and file count against
the budget), and after one more merged submission: its mint, the commit of what it wrote, and the rebuild.
A second `mint` right after the sweep finds the stamp it left (badges/swept/) and stops before reading the
repository. With --no-build the run stops after the sweeps. With --pages, only the badge-page stage of the build
is timed, in-process, right after the badges are derived: from scratch (no page cache), again with nothing changed
(every page reused from .cache/badge-pages), and after one review record changed; each with the safety scan and
CSP seal over the badge pages that follows it in a build. This is a benchmark, not a test: it prints, and exits 1
only if a command fails.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from benchmark_build import setup
from benchmark_mint import GIT, NOW, Run, history
from microcred.badges.urls import assertion_uuid
from microcred.pullrequests.recipient import hash_email
from microcred.site.budget import MB, measure
from microcred.site.build import generate, write_badge_pages
from microcred.site.pagecache import CACHE
from microcred.site.safety import check_and_seal

FIRST_MERGE, MERGES_SPAN = date(2025, 7, 1), 16 * 30  # benchmark_mint.history() merges over about 16 months from then
PEM = serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()


def git(root: Path, *args: str) -> str:
    """git with no automatic gc in the background, which would hold the lock the measured `git gc` needs."""
    return subprocess.run(["git", *GIT, "-c", "gc.auto=0", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def timed(root: Path, *args: str) -> float:
    start = time.perf_counter()
    git(root, *args)
    return time.perf_counter() - start


def pack_bytes(root: Path) -> int:
    """The repository's objects after `git gc`: what a clone downloads."""
    git(root, "gc", "-q")
    sizes = dict(line.split(": ") for line in git(root, "count-objects", "-v").splitlines())
    return (int(sizes["size-pack"]) + int(sizes["size"])) * 1024


def keys() -> dict[str, str]:
    ed = Ed25519PrivateKey.generate().private_bytes(*PEM).decode("ascii")
    rsa_pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(*PEM).decode("ascii")
    return {"MICROCRED_SIGNING_KEY": ed, "MICROCRED_JWT_KEY": rsa_pem, "GITHUB_REPOSITORY": "example/catalog"}


class Models:
    """The really minted credential badges, each as the files a derived copy is made from."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.site_url = yaml.safe_load((root / "catalog/consortium.yml").read_text(encoding="utf-8"))["site_url"]
        self.items = []
        for path in sorted((root / "submissions").glob("*/*.yml")):
            cid, sid = path.parent.name, path.stem
            uuid = assertion_uuid(self.site_url, cid, sid)
            if (root / f"badges/assertions/{uuid}.json").is_file():
                self.items.append((cid, sid, uuid))

    def files(self, cid: str, sid: str, uuid: str) -> list[str]:
        badge = [f"badges/assertions/{uuid}.json", f"badges/credentials/{uuid}.jwt", f"badges/assertions/{uuid}.png"]
        return [f"submissions/{cid}/{sid}.yml", f"records/{cid}/{sid}.yml", *badge]

    def bytes_per_badge(self) -> dict[str, float]:
        out = {"assertion": 0.0, "credential": 0.0, "record": 0.0, "image": 0.0}
        for cid, sid, uuid in self.items:
            _, record, assertion, credential, image = (self.root / rel for rel in self.files(cid, sid, uuid))
            out["assertion"] += assertion.stat().st_size
            out["credential"] += credential.stat().st_size if credential.is_file() else 0
            out["record"] += record.stat().st_size
            out["image"] += image.stat().st_size if image.is_file() else 0  # a baked PNG, where one is stored per badge
        return {k: v / len(self.items) for k, v in out.items()}

    def derive(self, n: int, start: int) -> None:
        """N badges copied from the models under new logins derived0000001…: new uuids, the same sizes."""
        for i in range(start, start + n):
            cid, sid, uuid = self.items[i % len(self.items)]
            login = re.match(r"(earner[0-9]+)-", sid)
            assert login is not None, sid
            new_login = f"derived{i:07d}"
            new_sid = sid.replace(login.group(1), new_login, 1)
            new_uuid = assertion_uuid(self.site_url, cid, new_sid)
            swap = {uuid: new_uuid, sid: new_sid, login.group(1): new_login}
            earner = yaml.safe_load((self.root / f"submissions/{cid}/{sid}.yml").read_text(encoding="utf-8"))["earner"]
            if "email_hash" in earner:  # each derived earner has an address of their own
                swap[earner["email_hash"]] = hash_email(f"{new_login}@example.org", earner["email_salt"])[0]
            for old_rel, new_rel in zip(self.files(cid, sid, uuid), self.files(cid, new_sid, new_uuid), strict=True):
                source = self.root / old_rel
                if not source.is_file():
                    continue
                target = self.root / new_rel
                target.parent.mkdir(parents=True, exist_ok=True)
                if old_rel.endswith(".png"):  # the same size; its baked payload still names the model
                    shutil.copyfile(source, target)
                    continue
                text = source.read_text(encoding="utf-8")
                target.write_text(_token(text, swap) if old_rel.endswith(".jwt") else _swap(text, swap), encoding="utf-8")


def _swap(text: str, swap: dict[str, str]) -> str:
    for old, new in swap.items():
        text = text.replace(old, new)
    return text


def _token(token: str, swap: dict[str, str]) -> str:
    """The JWT with its payload's ids swapped; header and (now stale) signature kept."""
    header, payload, signature = token.strip().split(".")
    claims = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode("utf-8")
    swapped = base64.urlsafe_b64encode(_swap(claims, swap).encode("utf-8")).rstrip(b"=").decode("ascii")
    return f"{header}.{swapped}.{signature}\n"


def merge(held: Path, root: Path) -> None:
    """A held-back submission and its record, as a merged pull request brings them."""
    for path in held.rglob("*.yml"):
        shutil.move(path, root / path.relative_to(held))


def build(root: Path, site: Path, env: dict[str, str]) -> Run:
    return Run(["build", "--root", str(root), "--site", str(site)], env)


def page_stage(root: Path, site: Path) -> dict[str, object]:
    """The badge-page stage and the scan and seal after it: cold, warm, and warm after one changed record."""
    shutil.rmtree(root / CACHE, ignore_errors=True)
    site.mkdir()
    runs: dict[str, object] = {}
    done = generate(root, say=lambda _m: None)
    for label in ("cold", "warm", "one changed"):
        if label == "one changed":
            record = sorted((root / "records").glob("*/*.yml"))[0]
            record.write_text(re.sub(r"^pull_request: ([0-9]+)$", r"pull_request: 9\1", record.read_text(encoding="utf-8"), flags=re.M))
            done = generate(root, say=lambda _m: None)
        lines: list[str] = []
        shutil.rmtree(site / "badges", ignore_errors=True)  # a build's site is fresh from mkdocs: nothing to remove first
        start = time.perf_counter()
        write_badge_pages(root, site, done, lines.append)
        stage = time.perf_counter() - start
        start = time.perf_counter()
        findings = check_and_seal(site)
        assert not findings, findings[:3]
        runs[label] = {"stage": stage, "seal": time.perf_counter() - start, "line": lines[-1]}
        say(f"badge pages, {label}: {stage:.1f} s, then the scan and seal")
    return {"pages": runs}


def add_badge_sites(root: Path, sites: int) -> list[str]:
    """`sites` badge sites in consortium.yml, splitting the 16 months of synthetic merges evenly; their first days.

    The first starts with the first merge, so the catalog's own site holds the catalog and no badge.
    """
    days = [(FIRST_MERGE + timedelta(days=round(MERGES_SPAN * n / sites))).isoformat() for n in range(sites)]
    path = root / "catalog/consortium.yml"
    consortium = yaml.safe_load(path.read_text(encoding="utf-8"))
    consortium["badge_sites"] = [{"url": f"https://example.github.io/badges-{n}/", "from": day} for n, day in enumerate(days, 1)]
    path.write_text(yaml.safe_dump(consortium, sort_keys=False), encoding="utf-8")
    return days


def scale(
    credentials: int, badges: int, real: int, with_build: bool = True, pages: bool = False, sites: int = 0, keep: Path | None = None
) -> dict[str, object]:
    env = {**os.environ, **keys(), "NO_MKDOCS_2_WARNING": "1"}
    row: dict[str, object] = {"credentials": credentials, "badges": badges, "real": real, "sites": sites}
    with tempfile.TemporaryDirectory(prefix="microcred-scale-") as tmp:
        base = Path(tmp) if keep is None else keep
        root, site = base / "repo", base / "site"
        (root / "docs").mkdir(parents=True)
        setup(root, credentials)
        if sites:
            say(f"badge sites from {', '.join(add_badge_sites(root, sites))}")
        batch = max(1, real // 5)  # merged after the first mint: what a badge adds to the pack, its classes already there
        history(root, real + batch + 1)  # and the last one later still: the one-badge mint after a merge
        git(root, "config", "gc.auto", "0")  # no gc in the background from here on
        while (root / ".git/gc.pid").exists():  # one that history()'s commits started: let it end
            time.sleep(1)
        held = root.parent / "held"
        for n, record in enumerate(sorted((root / "records").glob("*/*.yml"))[-batch - 1 :]):
            for source in (record, root / "submissions" / record.parent.name / record.name):
                (held / str(n) / source.parent.relative_to(root)).mkdir(parents=True)
                shutil.move(source, held / str(n) / source.relative_to(root))
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "submissions held back")
        say("repository written and committed")
        first = Run(["mint", "--root", str(root), "--offline", "--now", NOW], env)
        row["mint_real"] = first.seconds
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "mint")
        before = pack_bytes(root)
        for n in range(batch):
            merge(held / str(n), root)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "merge")
        minted = Run(["mint", "--root", str(root), "--offline", "--now", NOW], env)
        count = int(re.findall(r"minted ([0-9]+) badges", minted.out)[-1])
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "mint")
        row["pack_per_badge"] = (pack_bytes(root) - before) / count  # the merged submissions' files too
        models = Models(root)
        row["per_badge"] = models.bytes_per_badge()
        say(f"minted {len(models.items)} for real in {first.seconds:.1f} s")
        start = time.perf_counter()
        models.derive(badges - len(models.items), len(models.items))
        row["derive"] = time.perf_counter() - start
        if pages:
            row.update(page_stage(root, site))
            return row
        row["commit_all"] = timed(root, "add", "-A") + timed(root, "commit", "-q", "-m", "derived badges")
        row["repo_bytes"] = pack_bytes(root)
        row["status"] = min(timed(root, "status", "--porcelain") for _ in range(3))
        say(f"derived {badges - len(models.items)} badges; committed in {row['commit_all']:.1f} s")
        sweep = Run(["mint", "--root", str(root), "--offline", "--now", NOW], env)
        assert "minted 0 badges" in sweep.out, sweep.out[-2000:]
        row["sweep"], row["sweep_rss"] = sweep.seconds, sweep.rss_mb
        stamped = Run(["mint", "--root", str(root), "--offline", "--now", NOW], env)  # the state the sweep stamped
        row["stamped"] = stamped.seconds if "nothing new since the last sweep" in stamped.out else None
        say(f"sweep with nothing new {sweep.seconds:.1f} s, then at its stamp {stamped.seconds:.1f} s")
        if not with_build:
            return row
        built = build(root, site, env)
        size = measure(site)
        row["build"], row["build_rss"], row["site_bytes"], row["site_files"] = built.seconds, built.rss_mb, size.bytes, size.files
        row["largest"] = size.largest(6)
        row["badge_sites"] = {f.name: [s.bytes, s.files] for f in sorted((root / "site-badges").glob("*/")) for s in [measure(f)]}
        row["build_log"] = built.out.strip().splitlines()
        row["budget_mb"] = 819
        say(f"built in {built.seconds:.1f} s")
        merge(held / str(batch), root)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "merge one submission")
        one = Run(["mint", "--root", str(root), "--offline", "--now", NOW], env)
        assert re.search(r"minted [12] badges", one.out), one.out[-2000:]  # its badge, and a stack badge if it completes one
        row["mint_one"] = one.seconds
        row["commit_one"] = timed(root, "add", "-A") + timed(root, "commit", "-q", "-m", "Mint badges")
        rebuilt = build(root, site, env)
        row["rebuild"] = rebuilt.seconds
        say(f"one more badge: mint {one.seconds:.1f} s, rebuild {rebuilt.seconds:.1f} s")
    return row


def say(text: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def report(row: dict[str, object]) -> str:
    per = row["per_badge"]
    assert isinstance(per, dict)
    total = sum(per.values())
    stamped = row["stamped"]
    lines = [
        f"{row['credentials']:,} credentials, {row['badges']:,} badges ({row['real']:,} really minted, the rest derived from them)",
        f"committed bytes per badge: {total / 1024:.1f} KB (assertion {per['assertion'] / 1024:.1f} KB, "
        f"3.0 credential {per['credential'] / 1024:.1f} KB, record {per['record'] / 1024:.1f} KB, "
        f"stored image {per['image'] / 1024:.1f} KB); "
        f"git pack growth per badge (submission and record included) {float(row['pack_per_badge']) / 1024:.1f} KB",
        f"the first mint, {row['real']:,} badges for real: {row['mint_real']:.1f} s",
        f"commit of every badge file: {row['commit_all']:.1f} s; repository after gc: {int(row['repo_bytes']) / MB:,.1f} MB; "  # type: ignore[call-overload]
        f"`git status`: {row['status']:.2f} s",
        f"`mint --offline` with nothing new: {row['sweep']:.1f} s, {row['sweep_rss']:.0f} MB; again, at the stamp it left: "
        + (f"{stamped:.2f} s" if isinstance(stamped, float) else "no stamp (a microcred without one)"),
    ]
    if "build" in row:
        lines += [
            f"`build` from scratch: {row['build']:.1f} s, peak {row['build_rss']:.0f} MB; site {int(row['site_bytes']) / MB:,.1f} MB "  # type: ignore[call-overload]
            f"in {row['site_files']:,} files, budget {row['budget_mb']} MB: "
            f"{'under' if int(row['site_bytes']) <= int(row['budget_mb']) * MB else 'OVER'}",  # type: ignore[call-overload]
            str(row["largest"]),
            *(f"badge site {name}: {int(b) / MB:,.1f} MB in {n:,} files" for name, (b, n) in row["badge_sites"].items()),  # type: ignore[attr-defined]
            *(f"    {line}" for line in row["build_log"]),  # type: ignore[attr-defined]
            f"one more merged submission: mint {row['mint_one']:.1f} s, its commit {row['commit_one']:.2f} s, "
            f"rebuild {row['rebuild']:.1f} s",
        ]
    return "\n".join(lines)


def pages_report(row: dict[str, object]) -> str:
    runs = row["pages"]
    assert isinstance(runs, dict)
    lines = [f"{row['credentials']:,} credentials, {row['badges']:,} badges ({row['real']:,} really minted, the rest derived from them)"]
    for label, run in runs.items():
        count = int(run["line"].split()[1])  # the stack badges that derived earners completed too
        ms = 1000 * (run["stage"] + run["seal"]) / count
        lines.append(f"badge-page stage, {label}: {run['stage']:.1f} s, then scan and seal {run['seal']:.1f} s ({ms:.2f} ms a badge)")
        lines.append(f"    {run['line']}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--credentials", type=int, default=2000, metavar="N", help="credentials in the catalog (default: 2000)")
    parser.add_argument("--badges", type=int, default=20000, metavar="N", help="badges in all (default: 20000)")
    parser.add_argument("--real", type=int, default=200, metavar="N", help="badges really minted, the models of the rest (default: 200)")
    parser.add_argument("--no-build", action="store_true", help="stop after the sweeps: the git and mint figures only")
    parser.add_argument("--pages", action="store_true", help="time the badge-page stage only: cold, warm (reused), one badge changed")
    parser.add_argument(
        "--sites", type=int, default=0, metavar="N", help="badge sites in consortium.yml, splitting the merges (default: 0)"
    )
    parser.add_argument("--keep", type=Path, metavar="DIR", help="a folder to write the repository and site into, kept after the run")
    args = parser.parse_args()
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPU(s)", flush=True)
    row = scale(args.credentials, args.badges, args.real, not args.no_build, args.pages, args.sites, args.keep)
    print(pages_report(row) if args.pages else report(row))
    print(json.dumps({k: v for k, v in row.items() if k not in ("largest", "build_log")}), flush=True)


if __name__ == "__main__":
    main()
