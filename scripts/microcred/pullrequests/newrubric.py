"""`microcred new rubric`: a rubric with one criterion per part of a micro-credential, its descriptors left to write."""

from pathlib import Path
from typing import Any

from ..catalog.validate import UsageError
from ..catalog.yamltext import Emitter
from .prompts import Prompter
from .scaffold import Outcome, Repo, checked, parse_file, pull_request_step, refuse_existing, write_new
from .todo import SchemaInfo, mapping_at, rubric_todo, still_to_do, text_at

# --------------------------------------------------------------------------- new rubric

LEVELS = [
    {"id": "demonstrated", "label": "Demonstrated", "meets": True},
    {"id": "not-yet", "label": "Not yet", "meets": False},
]


def rubric_text(rubric_id: str, credential: dict[str, Any], schema: SchemaInfo) -> str:
    """A rubric skeleton: one criterion per submission part, and one per work example, descriptors empty."""
    submission = mapping_at(credential, "submission")

    def items(part: str) -> list[dict[str, Any]]:
        listed = submission.get(part)
        return [i for i in listed if isinstance(i, dict) and isinstance(i.get("id"), str) and i["id"]] if isinstance(listed, list) else []

    empty = {level["id"]: "" for level in LEVELS}
    criteria: list[dict[str, Any]] = []
    notes: list[str] = []
    questions = items("overview")
    criteria.append({"id": "overview", "title": "Overview", "part": "overview"})
    notes.append("Scores the overview answers" + (f": {', '.join(q['id'] for q in questions)}." if questions else "."))
    if questions:
        criteria[-1]["items"] = [q["id"] for q in questions]
    taken = {"overview", "reflection"}
    artifacts = items("artifacts")
    for artifact in artifacts:
        criterion_id = artifact["id"] if artifact["id"] not in taken else f"{artifact['id']}-artifact"
        taken.add(criterion_id)
        title, description = text_at(artifact, "title"), text_at(artifact, "description")
        criteria.append({"id": criterion_id, "title": title, "part": "artifacts", "items": [artifact["id"]]})
        notes.append(f"Scores the work example {artifact['id']!r}" + (f": {description}" if description else "."))
    if not artifacts:
        criteria.append({"id": "artifacts", "title": "Work examples", "part": "artifacts"})
        notes.append("Scores the work examples as a whole.")
    reflection = items("reflection")
    if reflection:
        criteria.append({"id": "reflection", "title": "Reflection", "part": "reflection", "items": [r["id"] for r in reflection]})
        notes.append(f"Scores the reflection: {', '.join(r['id'] for r in reflection)}.")
    for criterion in criteria:
        criterion["descriptors"] = dict(empty)
    title = text_at(credential, "title") or rubric_id
    data = {
        "id": rubric_id,
        "title": f"{title} — scoring guide",
        "description": (
            "Reviewers score each criterion from the submitted evidence alone. Every criterion must be demonstrated "
            'to earn the micro-credential; a "not yet" comes with feedback on what to add in a resubmission.'
        ),
        "levels": LEVELS,
        "criteria": criteria,
        "earning": {"rule": "all-criteria"},
    }
    emitter = Emitter()
    for key in data:
        emitter.comments[(key,)] = schema.at("rubric", (key,))[1]
    emitter.comments[("criteria",)] += "\nWrite each descriptor so that a reviewer can decide from the evidence alone."
    for i, note in enumerate(notes):
        emitter.comments[("criteria", i)] = note
    return emitter.dump(data, "yaml-language-server: $schema=../schemas/rubric.schema.json")


def new_rubric(
    root: Path,
    ask: Prompter,
    *,
    rubric_id: str | None = None,
    credential_id: str | None = None,
    force: bool = False,
) -> Outcome:
    repo = Repo(root)
    credentials = sorted(repo.listing.ids("credential"))
    if credential_id is None:
        default = rubric_id if rubric_id in credentials else ""
        credential_id = ask.text("The micro-credential this rubric scores", default, required=True)
    if not credential_id:
        raise UsageError("give the micro-credential the rubric scores with --credential")
    paths = repo.listing.paths("credential", credential_id)
    if not paths:
        raise repo.unknown("credential", credential_id, f"catalog/credentials/{credential_id}.yml")
    document = repo.store.get("credential", credential_id)  # read even when incomplete: a new design has no rubric yet
    credential = document.data if document is not None else {}
    slug_check = repo.slug_check("an id")
    named = credential.get("rubric")
    default = named if isinstance(named, str) and slug_check(named) is None else credential_id
    if rubric_id is None:
        rubric_id = ask.text("Rubric id, also the file name", default, slug_check, required=True)
    checked(rubric_id, slug_check, "--id")
    rel = f"rubrics/{rubric_id}.yml"
    other = [p for p in repo.listing.paths("rubric", rubric_id) if p != rel]
    if other:
        raise UsageError(f"{other[0]} already defines the rubric {rubric_id!r}")
    refuse_existing(root, rel, force)
    text = rubric_text(rubric_id, credential, repo.schema)
    write_new(root, rel, text, force)
    notes = []
    if named != rubric_id:
        names = f"the rubric {named!r}" if isinstance(named, str) else "no rubric"
        notes.append(f"{paths[0]} names {names}; set its rubric: to {rubric_id} to use this one")
    todo = still_to_do(root, repo.schema, [rel], {rel: rubric_todo(parse_file(root, rel), text)})
    pull_request = pull_request_step(root, ("rubric", "credential", "propos"))
    # The rubric belongs to its credential's proposal: the same branch, so the same pull request.
    branch = f"credential/{credential_id}"
    return Outcome([rel], todo, branch, f"Rubric {rubric_id} for {credential_id}", pull_request, notes, [], repo.has_branch(branch))
