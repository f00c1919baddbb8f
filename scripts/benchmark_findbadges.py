"""What does one "Find my badges" lookup download at 200,000 badges? Figures on a synthetic recipient index.

    .venv/bin/python scripts/benchmark_findbadges.py [--badges 200000] [--per-earner 4]

Synthetic badges over the sample catalog's credentials and stacks: earners holding --per-earner badges each,
every badge with its own random 32-digit salt, as `microcred hash-email` makes one per submission (the worst
case), or with --reuse-salt one salt per earner. The index is written as `build` writes it; then one earner's
lookup is replayed as findbadges.js makes it (salts.bin, each shard a salt's hash names, including prefix
collisions, and stacks.json), and the bytes it fetches are counted raw and gzipped (as a static host that
compresses serves them). With Node at hand, the browser's hashing is timed too (Web Crypto, same batches).
This is a benchmark, not a test: it prints.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from microcred.catalog.validate import validate
from microcred.site.earned import Earned
from microcred.site.findbadges import PREFIX, SHARD, index_files

ROOT = Path(__file__).resolve().parents[1]
SITE = "https://three-rivers.example.org/microcredentials/"

NODE_TIMING = """
const { webcrypto } = require("crypto"); const fs = require("fs");
const salts = fs.readFileSync(process.argv[1], "utf8").split("\\n").filter(Boolean);
(async () => { const t = Date.now(); const enc = new TextEncoder();
  const digest = (s) => webcrypto.subtle.digest("SHA-256", enc.encode("someone@example.org" + s));
  for (let i = 0; i < salts.length; i += 2048) await Promise.all(salts.slice(i, i + 2048).map(digest));
  console.log(Date.now() - t); })();
"""


def synthetic(count: int, per_earner: int, credentials: list[str], rng: random.Random, reuse: bool) -> tuple[list[Earned], str]:
    """`count` badges; the address of the first earner, who holds the first `per_earner`."""
    badges = []
    for n in range(count):
        email = f"earner{n // per_earner}@district{n // per_earner % 7}.example.org"
        if not reuse or n % per_earner == 0:
            salt = f"{rng.getrandbits(128):032x}"
        day = f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T12:00:00Z"
        cid = credentials[n % len(credentials)]
        badges.append(
            Earned(
                uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                kind="credential",
                item=cid,
                title=cid.replace("-", " ").capitalize(),
                version="1.0.0",
                issued_on=day,
                recipient="sha256$" + hashlib.sha256((email + salt).encode()).hexdigest(),
                salt=salt,
                revoked=False,
                reason=None,
                site_url=SITE,
            )
        )
    return badges, "earner0@district0.example.org"


def lookup(files: dict[str, bytes], email: str) -> tuple[list[str], int]:
    """The files findbadges.js fetches for one address, and how many badges it finds."""
    data, at, fetched = files["salts.bin"], 4, ["salts.bin", "stacks.json"]
    hits = set()
    while at < len(data):
        digits = data[at]
        size = (digits + 1) // 2
        salt = data[at + 1 : at + 1 + size].hex()[:digits]
        at += 1 + size
        n = data[at]
        prefixes = {data[at + 1 + i * PREFIX : at + 1 + (i + 1) * PREFIX] for i in range(n)}
        at += 1 + n * PREFIX
        digest = hashlib.sha256((email + salt).encode()).digest()
        if digest[:PREFIX] in prefixes:
            hits.add(digest.hex())
    shards = sorted({f"email/{h[:SHARD]}.json" for h in hits})
    found = sum(len(json.loads(files[s]).get("sha256$" + h, [])) for s in shards for h in hits if h[:SHARD] in s)
    return fetched + shards, found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--badges", type=int, default=200_000)
    parser.add_argument("--per-earner", type=int, default=4)
    parser.add_argument("--reuse-salt", action="store_true", help="each earner hashes every submission with one salt (hash-email --salt)")
    args = parser.parse_args()
    catalog = validate(ROOT, model=True).catalog
    assert catalog is not None
    rng = random.Random(20261203)  # noqa: S311 - synthetic data, the same every run
    badges, email = synthetic(args.badges, args.per_earner, sorted(catalog.credentials), rng, args.reuse_salt)
    started = time.perf_counter()
    files = index_files(badges, catalog)
    built = time.perf_counter() - started
    fetched, found = lookup(files, email)
    raw = sum(len(files[f]) for f in fetched)
    zipped = sum(len(gzip.compress(files[f], 6)) for f in fetched)
    shard_sizes = sorted(len(v) for k, v in files.items() if k.startswith("email/"))
    salting = "a salt per earner" if args.reuse_salt else "a salt per badge"
    total = sum(map(len, files.values())) / 1e6
    print(f"{args.badges:,} badges, {args.per_earner} per earner, {salting}")
    print(f"index: {len(files):,} files, {total:.1f} MB, built in {built:.1f} s")
    salts = len(files["salts.bin"])
    median, largest = shard_sizes[len(shard_sizes) // 2] / 1e3, shard_sizes[-1] / 1e3
    print(f"salts.bin {salts / 1e6:.2f} MB ({salts / args.badges:.1f} B a badge); shards median {median:.1f} KB, largest {largest:.1f} KB")
    print(f"one lookup: {len(fetched)} requests ({', '.join(fetched)}), {raw / 1e6:.2f} MB raw, {zipped / 1e6:.2f} MB gzipped")
    print(f"found {found} badges (expected {args.per_earner})")
    node = shutil.which("node")
    if node:
        with tempfile.TemporaryDirectory() as tmp:
            listing = Path(tmp) / "salts.txt"
            listing.write_text("\n".join(b.salt or "" for b in badges) + "\n")
            run = subprocess.run([node, "-e", NODE_TIMING, str(listing)], capture_output=True, text=True, check=False)
            if run.returncode == 0:
                print(
                    f"hashing the address with {args.badges:,} salts (Node's Web Crypto, batches of 2,048): {int(run.stdout) / 1000:.1f} s"
                )
    return 0 if found == args.per_earner else 1


if __name__ == "__main__":
    raise SystemExit(main())
