"""How fast is `microcred report transcript` for a large district? Figures on synthetic badges.

    .venv/bin/python scripts/benchmark_transcript.py [--employees 10000] [--badges 200000] [--earners 40000]

The sample catalog, and for one of its districts a staff list of --employees people, joined to --badges
synthetic badges spread over --earners earners of all four districts (a badge names its earner by a salted
email hash). Half of the district's earners are on the staff list. The join hashes each address once per
distinct salt among the badges the district recognises, so the salts decide the cost: with each district's
recipient_salt (what `hash-email --district` and the scaffold use) there are four; badges hashed with a salt
of their own, as before districts had one, cost one hash per address and badge, shown at a smaller size.
This is a benchmark, not a test: it prints, and exits 1 only if a badge is matched wrongly.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time
import tracemalloc
from pathlib import Path

from microcred.catalog.validate import validate
from microcred.reports.history import Badge
from microcred.reports.roster import Employee
from microcred.reports.transcript import transcript

ROOT = Path(__file__).resolve().parent.parent
DISTRICT = "cedar-ridge"


def synthetic(employees: int, badges: int, earners: int, own_salts: bool) -> tuple[list[Employee], list[Badge]]:
    catalog = validate(ROOT, model=True).catalog
    assert catalog is not None
    credentials = sorted(catalog.credentials)
    districts = sorted(catalog.districts)
    rng = random.Random(7)  # noqa: S311 - synthetic data, the same on every run
    people = [f"teacher{i}@{districts[i % len(districts)]}.example.org" for i in range(earners)]
    district_salts = {d: catalog.districts[d].recipient_salt or f"{rng.getrandbits(64):016x}" for d in districts}
    made = []
    for n in range(badges):
        i = rng.randrange(earners)
        salt = f"{rng.getrandbits(64):016x}" if own_salts else district_salts[districts[i % len(districts)]]
        digest = "sha256$" + hashlib.sha256((people[i] + salt).encode()).hexdigest()
        day = f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}"
        uuid = f"{n:08x}-0000-5000-8000-000000000000"
        made.append(
            Badge(f"s{n}", credentials[n % len(credentials)], "1.0.0", f"login{i}", districts[i % len(districts)], day, digest,
                  f"{catalog.consortium.site_url}badges/assertions/{uuid}.json", False, salt=salt)
        )  # fmt: skip
    own = [i for i in range(earners) if districts[i % len(districts)] == DISTRICT]
    staff = [
        Employee(2 + k, people[own[k]] if k < len(own) and k % 2 == 0 else f"new{k}@{DISTRICT}.example.org", f"E{k}", f"Name {k}", "", "")
        for k in range(employees)
    ]
    return staff, made


def run(employees: int, badges: int, earners: int, own_salts: bool) -> None:
    staff, made = synthetic(employees, badges, earners, own_salts)
    catalog = validate(ROOT, model=True).catalog
    assert catalog is not None
    tracemalloc.start()
    started = time.perf_counter()
    found = transcript(catalog, catalog.districts[DISTRICT], made, (), staff)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    recognised = len({e.badge.assertion for e in found.entries}) + len(found.unmatched_badges)
    salts = len({b.salt for b in made if b.district == DISTRICT or b.district in catalog.districts[DISTRICT].recognises})
    wrong = [
        e for e in found.entries if "sha256$" + hashlib.sha256((e.employee.email + e.badge.salt).encode()).hexdigest() != e.badge.recipient
    ]
    kind = "a salt of their own" if own_salts else "each district's salt"
    print(
        f"{employees:,} employees x {badges:,} badges ({kind}): {seconds:.1f} s, {peak / 2**20:.0f} MB peak; "
        f"{recognised:,} badges recognised, {salts:,} distinct salts, {len(found.entries):,} rows, "
        f"{len(found.unmatched_rows):,} roster rows without a badge"
    )
    if not found.entries or wrong:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--badges", type=int, default=200_000)
    parser.add_argument("--earners", type=int, default=40_000)
    args = parser.parse_args()
    run(args.employees, args.badges, args.earners, own_salts=False)
    run(args.employees // 100, args.badges // 10, args.earners, own_salts=True)


if __name__ == "__main__":
    main()
