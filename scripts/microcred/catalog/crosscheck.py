"""Checks across files: references resolve, rubrics fit their credentials, no cycles.

Each check reads only schema-valid documents, so it can trust their shape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .layout import SINGLETONS
from .links import prose_links
from .load import Document
from .problems import Problem
from .records import from_submission
from .store import Store
from .validity import Validity

PARTS = ("overview", "artifacts", "reflection")
TIE_BREAK_ASSESSORS = 3  # two reviewers and a third to break a tie


def check_ids(doc: Document, store: Store) -> Iterator[Problem]:
    """The id equals the file name, and no other file of the kind has the same id."""
    stem = doc.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    key = "submission" if doc.kind == "record" else "id"  # a record is named after its submission
    if doc.kind not in SINGLETONS.values() and doc.data[key] != stem:
        yield doc.problem("MC212", f"{key} {doc.data[key]!r} differs from the file name {stem!r}", (key,))
    paths = store.listing.paths(doc.kind, stem)
    # A second consortium or roster file is MC015, found by the listing.
    if doc.kind not in SINGLETONS.values() and len(paths) > 1 and paths[0] != doc.path:
        yield doc.problem("MC211", f"{paths[0]} already defines the {doc.kind} {stem!r}", ("id",))


def check_credential(doc: Document, store: Store) -> Iterator[Problem]:
    data = doc.data
    submission = data["submission"]
    yield from _repeated_ids(doc, ("submission",), [(p, submission.get(p, [])) for p in PARTS])
    rubric_id = data["rubric"]
    if not store.exists("rubric", rubric_id):
        yield doc.problem("MC201", f"no rubric {rubric_id!r} (expected rubrics/{rubric_id}.yml)", ("rubric",))
    else:
        rubric = store.get("rubric", rubric_id)
        if rubric is not None and store.valid("rubric", rubric_id) is not None:
            yield from rubric_fit(rubric, data)
    for i, prerequisite in enumerate(data.get("prerequisites", [])):
        where = ("prerequisites", i)
        if not store.exists("credential", prerequisite):
            yield doc.problem("MC206", f"no micro-credential {prerequisite!r} to require", where)
            continue
        cycle = _cycle_through(data["id"], prerequisite, store)
        if cycle:
            yield doc.problem("MC207", "prerequisites form a cycle: " + " -> ".join(cycle), where)
        yield from _unpublished(doc, store, prerequisite, where, "requires")
    if data["status"] == "published" and store.exists("reviewers", "reviewers"):
        yield from _tie_break_capacity(doc, store)
    yield from _validity(doc)
    known = {a["id"] for a in submission["artifacts"]}
    for i, artifact in enumerate(data.get("renewal", {}).get("artifacts", [])):
        if artifact not in known:
            message = f"renewal asks for {artifact!r}, which is not an artifact of the submission"
            yield doc.problem("MC229", message, ("renewal", "artifacts", i))


def _validity(doc: Document) -> Iterator[Problem]:
    """valid_for, already of the duration form, is at least a day and at most a career."""
    if "valid_for" in doc.data:
        try:
            problem = Validity.parse(doc.data["valid_for"]).problem()
        except ValueError as err:
            problem = str(err)
        if problem:
            yield doc.problem("MC228", f"valid_for {doc.data['valid_for']!r} is {problem}", ("valid_for",))


def _tie_break_capacity(doc: Document, store: Store) -> Iterator[Problem]:
    """Enough active assessors for two reviews and a tie-break, for earners from every member district."""
    qualified = store.assessors.get(doc.data["id"], [])

    def names(people: list[tuple[str, str]]) -> str:
        return ", ".join(sorted(login for login, _ in people)) or "nobody"

    if len(qualified) < TIE_BREAK_ASSESSORS:
        message = (
            f"{len(qualified)} active assessor(s) qualified ({names(qualified)}); two reviews and a tie-break need {TIE_BREAK_ASSESSORS}"
        )
        yield doc.problem("MC219", message, ("id",))
        return
    consortium = store.valid("consortium", "consortium")
    if not consortium or not consortium.get("review", {}).get("exclude_earner_district"):
        return
    short = []
    for district in consortium["members"]:
        eligible = [(login, home) for login, home in qualified if home != district]
        if len(eligible) < TIE_BREAK_ASSESSORS:
            short.append(f"earners from {district} have {len(eligible)} ({names(eligible)})")
    if short:
        message = "with assessors from the earner's own district excluded, " + "; ".join(short)
        yield doc.problem("MC219", f"{message}; two reviews and a tie-break need {TIE_BREAK_ASSESSORS}", ("id",))


def rubric_fit(rubric: Document, credential: dict[str, Any]) -> Iterator[Problem]:
    """Whether a rubric scores what a credential that uses it asks for; each misfit is placed in the rubric, at its field."""
    name, submission, criteria = credential["id"], credential["submission"], rubric.data["criteria"]
    for part in PARTS:
        if submission.get(part) and not any(c["part"] == part for c in criteria):
            yield rubric.problem("MC202", f"no criterion for the {part} part, which the micro-credential {name!r} asks for", ("criteria",))
    for i, criterion in enumerate(criteria):
        asked = submission.get(criterion["part"], [])
        if not asked:
            message = (
                f"criterion {criterion['id']!r} scores the {criterion['part']} part, which the micro-credential {name!r} does not ask for"
            )
            yield rubric.problem("MC203", message, ("criteria", i, "part"))
            continue
        known = {item["id"] for item in asked}
        for j, item in enumerate(criterion.get("items", [])):
            if item not in known:
                among = {"overview": "overview questions", "reflection": "reflection questions"}.get(criterion["part"], "artifacts")
                message = f"criterion {criterion['id']!r} scores {item!r}, which is not among the {among} of the micro-credential {name!r}"
                yield rubric.problem("MC203", message, ("criteria", i, "items", j))
    artifact_criteria = [c for c in criteria if c["part"] == "artifacts"]
    if any("items" not in c for c in artifact_criteria):
        return  # a criterion scores the artifacts as a whole
    scored = {item for c in artifact_criteria for item in c["items"]}
    for artifact in submission["artifacts"]:
        if artifact.get("required", True) and artifact["id"] not in scored:
            message = f"no criterion scores the artifact {artifact['id']!r} of the micro-credential {name!r}"
            yield rubric.problem("MC218", message, ("criteria",))


def _cycle_through(start: str, first: str, store: Store) -> list[str] | None:
    """A prerequisite path from `first` back to `start`, if there is one."""
    stack: list[tuple[str, list[str]]] = [(first, [start, first])]
    seen = {first}
    while stack:
        current, path = stack.pop()
        if current == start:
            return path
        data = store.valid("credential", current)
        for nxt in (data or {}).get("prerequisites", []):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def _unpublished(doc: Document, store: Store, other: str, where: tuple[str | int, ...], verb: str) -> Iterator[Problem]:
    other_data = store.valid("credential", other)
    if other_data and other_data["status"] != "published" and doc.data.get("status", "published") == "published":
        yield doc.problem("MC220", f"{verb} {other!r}, which is {other_data['status']}", where)


def _repeated_ids(doc: Document, base: tuple[str | int, ...], groups: list[tuple[str, list[dict[str, Any]]]]) -> Iterator[Problem]:
    seen: set[str] = set()
    for name, items in groups:
        for i, item in enumerate(items):
            if item["id"] in seen:
                yield doc.problem("MC215", f"the id {item['id']!r} is used twice", (*base, name, i, "id"))
            seen.add(item["id"])


def check_rubric(doc: Document, store: Store) -> Iterator[Problem]:
    data = doc.data
    levels = [level["id"] for level in data["levels"]]
    yield from _repeated_ids(doc, (), [("levels", data["levels"])])
    yield from _repeated_ids(doc, (), [("criteria", data["criteria"])])
    if all(level["meets"] for level in data["levels"]) or not any(level["meets"] for level in data["levels"]):
        yield doc.problem("MC205", "levels need at least one that meets the bar and one that does not", ("levels",))
    for i, criterion in enumerate(data["criteria"]):
        given = list(criterion["descriptors"])
        missing = [level for level in levels if level not in given]
        extra = [level for level in given if level not in levels]
        if missing:
            yield doc.problem("MC204", f"no descriptor for the level(s) {', '.join(missing)}", ("criteria", i, "descriptors"))
        for level in extra:
            yield doc.problem(
                "MC204", f"descriptor for {level!r}, which is not a level of this rubric", ("criteria", i, "descriptors"), key=level
            )
    earning = data["earning"]
    criterion_ids = {c["id"] for c in data["criteria"]}
    if earning["rule"] == "all-criteria":
        for extra_key in ("minimum", "required"):
            if extra_key in earning:
                yield doc.problem("MC205", f"{extra_key!r} applies only to the rule 'minimum'", ("earning",), key=extra_key)
    else:
        if earning["minimum"] > len(criterion_ids):
            yield doc.problem(
                "MC205", f"minimum {earning['minimum']} is more than the {len(criterion_ids)} criteria", ("earning", "minimum")
            )
        for j, required in enumerate(earning.get("required", [])):
            if required not in criterion_ids:
                yield doc.problem("MC205", f"required criterion {required!r} is not a criterion of this rubric", ("earning", "required", j))


def check_stack(doc: Document, store: Store) -> Iterator[Problem]:
    for i, member in enumerate(doc.data["members"]):
        if not store.exists("credential", member):
            yield doc.problem("MC208", f"no micro-credential {member!r} to include", ("members", i))
        else:
            yield from _unpublished_member(doc, store, member, ("members", i))


def _unpublished_member(doc: Document, store: Store, credential: str, where: tuple[str | int, ...]) -> Iterator[Problem]:
    data = store.valid("credential", credential)
    if data and data["status"] != "published":
        yield doc.problem("MC220", f"includes {credential!r}, which is {data['status']}", where)


def check_district(doc: Document, store: Store) -> Iterator[Problem]:
    data = doc.data
    endorses = data["endorses"]
    for i, credential in enumerate(endorses.get("credentials", [])):
        if not store.exists("credential", credential):
            yield doc.problem(
                "MC209", f"endorses {credential!r}, which is not a micro-credential of the catalog", ("endorses", "credentials", i)
            )
        else:
            yield from _unpublished_member(doc, store, credential, ("endorses", "credentials", i))
    for i, stack in enumerate(endorses.get("stacks", [])):
        if not store.exists("stack", stack):
            yield doc.problem("MC209", f"endorses the stack {stack!r}, which is not a stack of the catalog", ("endorses", "stacks", i))
    for i, other in enumerate(data.get("recognises", [])):
        if other == data["id"]:
            yield doc.problem("MC210", "a district does not list itself in recognises", ("recognises", i))
        elif not store.exists("district", other):
            yield doc.problem("MC210", f"recognises {other!r}, which is not a district of the catalog", ("recognises", i))
    yield from _validity(doc)
    consortium = store.valid("consortium", "consortium")
    if consortium is not None and data["id"] not in consortium["members"]:
        yield doc.problem("MC210", f"{data['id']!r} is not among the consortium's members in catalog/consortium.yml", ("id",))


def check_consortium(doc: Document, store: Store) -> Iterator[Problem]:
    for i, member in enumerate(doc.data["members"]):
        if not store.exists("district", member):
            yield doc.problem(
                "MC216", f"no district file for the member {member!r} (expected catalog/districts/{member}.yml)", ("members", i)
            )
    yield from _badge_sites(doc)


def _badge_sites(doc: Document) -> Iterator[Problem]:
    """Each badge site starts after the one before, and no two sites' badges/ folders (the catalog's among them) nest."""
    previous = None
    sites = [doc.data["site_url"]]
    for i, site in enumerate(doc.data.get("badge_sites", [])):
        if previous is not None and site["from"] <= previous:
            yield doc.problem(
                "MC230", f"from {site['from']} is not after {previous}, the day of the site before", ("badge_sites", i, "from")
            )
        previous = site["from"]
        base = site["url"] + "badges/"
        if clash := next((other for other in sites if base.startswith(other + "badges/") or (other + "badges/").startswith(base)), None):
            where = "the catalog's site_url" if clash == sites[0] else clash
            message = f"the badges of {site['url']} would be under those of {where} or hold them: each badge's address must name one site"
            yield doc.problem("MC231", message, ("badge_sites", i, "url"))
        sites.append(site["url"])


def check_reviewers(doc: Document, store: Store) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for i, person in enumerate(doc.data["reviewers"]):
        login = person["login"].lower()  # GitHub logins are case-insensitive
        if login in seen:
            yield doc.problem("MC214", f"{person['login']!r} is already listed at reviewers[{seen[login]}]", ("reviewers", i, "login"))
        seen.setdefault(login, i)
        if not store.exists("district", person["district"]):
            yield doc.problem("MC210", f"no district {person['district']!r}", ("reviewers", i, "district"))
        for j, credential in enumerate(person.get("credentials", [])):
            if not store.exists("credential", credential):
                yield doc.problem(
                    "MC213",
                    f"qualified for {credential!r}, which is not a micro-credential of the catalog",
                    ("reviewers", i, "credentials", j),
                )
        for j, stack in enumerate(person.get("stacks", [])):
            if not store.exists("stack", stack):
                yield doc.problem(
                    "MC213", f"qualified for the stack {stack!r}, which is not a stack of the catalog", ("reviewers", i, "stacks", j)
                )


def check_earners(doc: Document, store: Store) -> Iterator[Problem]:
    """Every district a member, every login in one district only: the binding decides, so it must be unambiguous."""
    seen: dict[str, str] = {}
    for district, logins in doc.data["districts"].items():
        if not store.exists("district", district):
            yield doc.problem("MC210", f"no district {district!r}", ("districts", district))
        for i, login in enumerate(logins):
            if login.lower() in seen:
                message = f"{login!r} is already listed under districts.{seen[login.lower()]}; an earner teaches in one district"
                yield doc.problem("MC214", message, ("districts", district, i))
            seen.setdefault(login.lower(), district)


def check_submission(doc: Document, store: Store) -> Iterator[Problem]:
    data = doc.data
    folder = doc.path.split("/")[1]
    if not store.exists("credential", data["credential"]):
        yield doc.problem("MC221", f"no micro-credential {data['credential']!r} to submit for", ("credential",))
    if folder != data["credential"]:
        yield doc.problem("MC222", f"a submission for {data['credential']!r} belongs in submissions/{data['credential']}/", ("credential",))
    if "earner" in data and not store.exists("district", data["earner"]["district"]):
        yield doc.problem("MC210", f"no district {data['earner']['district']!r}", ("earner", "district"))
    earlier = data.get("resubmission", {}).get("of")
    if earlier is not None and not store.exists("submission", earlier):
        yield doc.problem("MC223", f"no earlier submission {earlier!r}", ("resubmission", "of"))
    if "renews" in data and not store.exists("submission", data["renews"]):
        yield doc.problem("MC223", f"no submission {data['renews']!r} whose badge this renews", ("renews",))


def check_record(doc: Document, store: Store) -> Iterator[Problem]:
    """A review record belongs to an existing submission, agrees with it, and scores the rubric's own criteria and levels."""
    data = doc.data
    credential_id, submission_id = data["credential"], data["submission"]
    if not store.exists("credential", credential_id):
        yield doc.problem("MC224", f"no micro-credential {credential_id!r} for this record", ("credential",))
    if doc.path.split("/")[1] != credential_id:
        yield doc.problem("MC225", f"a record for {credential_id!r} belongs in records/{credential_id}/", ("credential",))
    if not store.exists("submission", submission_id):
        yield doc.problem(
            "MC224", f"no submission {submission_id!r} (expected submissions/{credential_id}/{submission_id}.yml)", ("submission",)
        )
    submission = store.valid("submission", submission_id)
    if submission is not None:
        for field, value in from_submission(submission).items():
            if str(data[field]).lower() != str(value).lower():
                yield doc.problem("MC225", f"the submission says {field} {value!r}, the record {data[field]!r}", (field,))
    credential = store.valid("credential", credential_id)
    # Only the current version's rubric is at hand; an older version may have scored other criteria.
    rubric = store.valid("rubric", credential["rubric"]) if credential and credential["version"] == data["version"] else None
    if rubric is not None:
        yield from _scores(doc, rubric)


def _scores(doc: Document, rubric: dict[str, Any]) -> Iterator[Problem]:
    criteria = {c["id"] for c in rubric["criteria"]}
    levels = {level["id"] for level in rubric["levels"]}
    for i, round_ in enumerate(doc.data["rounds"]):
        for j, review in enumerate(round_["reviews"]):
            where = ("rounds", i, "reviews", j, "scores")
            for criterion, level in review["scores"].items():
                if criterion not in criteria:
                    message = f"scores {criterion!r}, which is not a criterion of rubric {rubric['id']!r}"
                    yield doc.problem("MC226", message, where, key=criterion)
                elif level not in levels:
                    message = f"scores {criterion!r} as {level!r}, which is not a level of rubric {rubric['id']!r}"
                    yield doc.problem("MC226", message, (*where, criterion))


CHECKS: dict[str, Callable[[Document, Store], Iterator[Problem]]] = {
    "submission": check_submission,
    "record": check_record,
    "credential": check_credential,
    "rubric": check_rubric,
    "stack": check_stack,
    "district": check_district,
    "consortium": check_consortium,
    "reviewers": check_reviewers,
    "earners": check_earners,
}


def cross_check(doc: Document, store: Store) -> list[Problem]:
    """All cross-file problems of one schema-valid document."""
    return [*check_ids(doc, store), *CHECKS[doc.kind](doc, store), *prose_links(doc)]
