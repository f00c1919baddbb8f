"""Synthetic catalogs of any size, for benchmarks and scale tests.

Every choice comes from a `random.Random` seeded with a string (seeded through
SHA-512, so stable across runs and Python versions) and every collection is a
list built in index order, so the same arguments always write the same bytes.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import yaml

SCHEMAS = Path(__file__).resolve().parents[3] / "schemas"
PRACTICES = (
    *("exit tickets", "hinge questions", "peer feedback", "wait time", "success criteria", "talk moves", "restorative circles"),
    *("flexible grouping", "worked examples", "retrieval practice", "choice boards", "number talks", "socratic seminars"),
)
SUBJECTS = ("mathematics", "science", "english-language-arts", "social-studies", "computer-science", "arts", "all-subjects")
BANDS = ("k-2", "3-5", "6-8", "9-12")
TYPES = ("foundational", "proficient", "advanced")
KINDS = ("lesson-plan", "student-work", "video", "observation-notes", "assessment", "data-summary", "slides")
NAMES = ("Ana Ruiz", "Ben Osei", "Chloe Park", "Dev Patel", "Eva Lund", "Femi Ade", "Gus Moreau", "Hana Sato")
SENTENCES = (
    "Students meet {p} several times a week, so the routine becomes familiar before it is demanding.",
    "The teacher plans {p} around a single objective and decides in advance what evidence will count.",
    "Responses are sorted by pattern rather than graded, which keeps attention on the next teaching move.",
    "Every student takes part, so the evidence describes the whole class rather than the usual volunteers.",
    "The routine is short enough to repeat daily and structured enough to compare across lessons.",
    "Misconceptions surface early, while they are still cheap to address in a small group.",
    "Clear language frames help multilingual learners join the discussion from the first attempt.",
    "The teacher records what changed in the next lesson and why, closing the loop on the evidence.",
)
HOURLY = "per-estimated-hour"
DISTRICTS = (  # id, name, incentives: four districts that reward an earned credential differently
    ("alder-creek", "Alder Creek Unified", {"salary_credit": {"by_type": {"foundational": 200, "proficient": 400, "advanced": 600}}}),
    ("bayview", "Bayview Public Schools", {"ceus": {"amount": 0.1, "basis": HOURLY}}),
    ("cedar-ridge", "Cedar Ridge Schools", {"stipend": {"amount": 200, "annual_cap": 8, "preparation": 75}}),
    ("dunmore", "Dunmore County Schools", {"recertification_hours": {"amount": 1, "basis": HOURLY}, "stipend": {"amount": 100}}),
)


def _rng(key: str) -> random.Random:
    return random.Random(f"microcred-synthetic-{key}")  # noqa: S311 - reproducible sample data, never secrets


def _prose(rng: random.Random, practice: str, count: int) -> str:
    return " ".join(s.format(p=practice) for s in rng.sample(SENTENCES, count))


def _slug(text: str) -> str:
    return text.replace(" ", "-")


def _dump(dest: Path, rel: str, kind: str, data: dict[str, Any]) -> None:
    header = f"# yaml-language-server: $schema={'../' * rel.count('/')}schemas/{kind}.schema.json\n"
    path = dest / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)).encode("utf-8"))


def _credential(rng: random.Random, i: int, cid: str, status: str, prerequisites: list[str]) -> dict[str, Any]:
    practice, year = PRACTICES[i % len(PRACTICES)], 1995 + i % 28
    kinds = rng.sample(KINDS, 6)
    artifacts = [
        {"id": f"{kind}-{n + 1}", "title": f"{kind.replace('-', ' ').capitalize()} showing {practice}", "kinds": [kind, kinds[n + 3]]}
        for n, kind in enumerate(kinds[: rng.randint(2, 3)])
    ]
    for artifact in artifacts:
        artifact["description"] = _prose(rng, practice, 1)
    study = f"Author, A., & Writer, B. ({year}). Studies of {practice}. Journal of Teaching, {i % 40 + 1}(2), 1-20."
    book = f"Researcher, C. ({year + 1}). {practice.capitalize()} in classrooms. Education Press."
    objective = f"State the lesson objective and how your use of {practice} tests it."
    template = {"title": f"{practice.capitalize()} planning template", "kind": "template", "url": f"https://example.org/resources/{cid}"}
    return {
        "id": cid,
        "version": f"1.{rng.randint(0, 3)}.0",
        "status": status,
        "title": f"{practice.capitalize()} in practice, module {i + 1}",
        "summary": f"Use {practice} to gather evidence from every student and act on it the next day.",
        "type": TYPES[i % 3],
        "competency": f"The educator plans, runs and acts on {practice} aligned to one lesson objective.",
        "key_method": {"name": practice.capitalize(), "description": _prose(rng, practice, 2)},
        "method_components": [{"name": name, "description": _prose(rng, practice, 1)} for name in ("Plan", "Run", "Act")],
        "rationale": _prose(rng, practice, 2),
        "research": [
            {"citation": study, "doi": f"10.{5000 + rng.randint(0, 4999)}/jot.{year}.{i}", "note": _prose(rng, practice, 1)},
            {"citation": book, "url": f"https://example.org/research/{_slug(practice)}-{i}"},
        ],
        "resources": [{**template, "description": _prose(rng, practice, 1)}],
        "submission": {
            "overview": [
                {"id": "context", "prompt": "Describe your class and where this lesson falls in its unit.", "word_limit": 200},
                {"id": "objective", "prompt": objective, "word_limit": 250},
            ],
            "artifacts": artifacts,
            "reflection": [{"id": "impact", "prompt": "What changed for your students, and how do you know?", "word_limit": 400}],
        },
        "rubric": cid,
        "prerequisites": prerequisites,
        "subjects": rng.sample(SUBJECTS, rng.randint(1, 2)),
        "grade_bands": sorted(rng.sample(BANDS, rng.randint(1, 3))),
        "tags": [practice, "formative assessment"],
        "estimated_hours": rng.randint(5, 30),
        "designers": [{"name": rng.choice(NAMES), "affiliation": DISTRICTS[i % 4][1]}],
        "license": "CC-BY-4.0",
        "alignment": [{"framework": "InTASC Model Core Teaching Standards", "code": "6", "name": "Assessment"}],
    }


def _rubric(rng: random.Random, credential: dict[str, Any]) -> dict[str, Any]:
    """One criterion for the overview, one per artifact and one for the reflection."""
    levels = [("exemplary", True), ("demonstrated", True), ("not-yet", False)][rng.randint(0, 1) :]
    labels = {"exemplary": "Thorough", "demonstrated": "Clear", "not-yet": "No convincing"}
    submission = credential["submission"]

    def criterion(cid: str, part: str, items: list[str], title: str) -> dict[str, Any]:
        descriptors = {lv: f"{labels[lv]} evidence for: {title[0].lower()}{title[1:]}." for lv, _ in levels}
        return {"id": cid, "title": title, "part": part, "items": items, "descriptors": descriptors}

    criteria = [criterion("context", "overview", [q["id"] for q in submission["overview"]], "The context and objective are clear")]
    criteria += [criterion(a["id"], "artifacts", [a["id"]], a["title"]) for a in submission["artifacts"]]
    criteria.append(criterion("reflection", "reflection", ["impact"], "The reflection cites evidence of impact"))
    earning: dict[str, Any] = {"rule": "all-criteria"}
    if rng.random() < 0.3:
        earning = {"rule": "minimum", "minimum": len(criteria) - 1, "required": [criteria[1]["id"]]}
    return {
        "id": credential["id"],
        "title": f"{credential['title']}: scoring guide",
        "description": "Reviewers score each criterion from the submitted evidence alone.",
        "levels": [{"id": lv, "label": lv.replace("-", " ").capitalize(), "meets": meets} for lv, meets in levels],
        "criteria": criteria,
        "earning": earning,
    }


def _group(rng: random.Random, ids: list[str]) -> list[list[str]]:
    """Consecutive groups of 3 to 8 ids; fewer than 3 ids make no group."""
    groups: list[list[str]] = []
    while len(ids) >= 3:
        size = len(ids) if len(ids) <= 8 else rng.randint(3, min(8, len(ids) - 3))
        groups.append(ids[:size])
        ids = ids[size:]
    return groups


def _roster(stack_ids: list[str], loose: list[str], district_ids: list[str]) -> list[dict[str, Any]]:
    """Each stack held by four consecutive assessors, one per district, about 24 stacks each: a roster of about n/30 people.

    With the earner's own district excluded from reviewing, three assessors still remain for every earner.
    """
    count = 4 * max(1, -(-len(stack_ids) // 24))  # a multiple of 4, so consecutive assessors wrap round to distinct districts
    held: list[list[str]] = [[] for _ in range(count)]
    for j, sid in enumerate(stack_ids):
        for r in range(j, j + 4):
            held[r % count].append(sid)
    people: list[dict[str, Any]] = []
    for r in range(count):
        first, last = NAMES[r % len(NAMES)].split()
        roles = ["assessor", "curator"] if r % 10 == 0 else ["assessor"]
        person = {"login": f"{first[0]}{last}{r + 1}".lower(), "name": f"{first} {last}", "roles": roles, "district": district_ids[r % 4]}
        if held[r]:
            person["stacks"] = held[r]
        if loose and r < 4:
            person["credentials"] = list(loose)  # a copy: a list met twice would be dumped as an alias
        people.append(person)
    retired: dict[str, Any] = {"login": "rformer", "name": "Rita Former", "roles": ["assessor"], "district": district_ids[1]}
    people.append({**retired, "stacks": stack_ids[:1], "active": False})  # listed, never counted
    people.append({"login": "ccurator", "name": "Cal Curator", "roles": ["curator"], "district": district_ids[2]})
    return people


def write_catalog(dest: Path, credentials: int, seed: int = 0, schemas: Path | None = None) -> None:
    """Write a schema-valid repository of `credentials` micro-credentials under dest, the same bytes for the same arguments."""
    rng = _rng(str(seed))
    shutil.copytree(schemas or SCHEMAS, dest / "schemas", dirs_exist_ok=True)
    ids = [f"{_slug(PRACTICES[i % len(PRACTICES)])}-{i + 1:05d}" for i in range(credentials)]
    published = [i % 25 != 24 for i in range(credentials)]  # a few drafts: nothing depends on them
    for i, cid in enumerate(ids):
        item_rng = _rng(f"{seed}-{i}")
        # Chains restart every 4 credentials, so a prerequisite path is at most 3 long and never loops.
        chained = i % 4 != 0 and published[i - 1] and item_rng.random() < 0.6
        data = _credential(item_rng, i, cid, "published" if published[i] else "draft", [ids[i - 1]] if chained else [])
        _dump(dest, f"catalog/credentials/{cid}.yml", "credential", data)
        _dump(dest, f"rubrics/{cid}.yml", "rubric", _rubric(item_rng, data))
    open_ids = [cid for cid, ok in zip(ids, published, strict=True) if ok]
    stacks = _group(rng, open_ids)
    stack_ids = [f"pathway-{j + 1:04d}" for j in range(len(stacks))]
    for j, (sid, members) in enumerate(zip(stack_ids, stacks, strict=True)):
        theme = members[0].rsplit("-", 1)[0].replace("-", " ")
        title, summary = f"Pathway {j + 1}: {theme} and related practices", f"{len(members)} micro-credentials that build from {theme}."
        data = {"id": sid, "title": title, "summary": summary, "description": _prose(rng, theme, 2), "members": members, "tags": [theme]}
        _dump(dest, f"catalog/stacks/{sid}.yml", "stack", data)
    district_ids = [d[0] for d in DISTRICTS]
    for k, (did, name, incentives) in enumerate(DISTRICTS):
        # Each district endorses its own share of stacks and a few credentials one by one.
        endorses = {"stacks": [sid for j, sid in enumerate(stack_ids) if j % (k + 2) == k % 2][:60], "credentials": open_ids[k::11][:25]}
        _dump(dest, f"catalog/districts/{did}.yml", "district", {
            "id": did, "name": name, "url": f"https://{did}.example.org",
            "contact": {"office": "Office of Professional Learning", "email": f"learning@{did}.example.org"},
            "endorses": endorses, "incentives": incentives,
            "pre_approval": {"required": k % 2 == 0, "instructions": "Ask your principal before you begin."},
            "recognises": [d for d in district_ids if d != did][: 3 - k % 2], "school_year_start": "07-01",
        })  # fmt: skip
    _dump(dest, "catalog/consortium.yml", "consortium", {
        "id": "synthetic", "name": "Synthetic Educator Learning Consortium", "description": "Four districts sharing one generated catalog.",
        "url": "https://consortium.example.org", "email": "badges@consortium.example.org",
        "site_url": "https://consortium.example.org/microcredentials/", "members": district_ids,
        "review": {"exclude_earner_district": True, "target_days": 14}, "colors": {"primary": "#1d4e89", "accent": "#f2a541"},
    })  # fmt: skip
    loose = open_ids[sum(len(members) for members in stacks) :]
    _dump(dest, "catalog/reviewers.yml", "reviewers", {"reviewers": _roster(stack_ids, loose, district_ids)})
