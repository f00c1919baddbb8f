"""`microcred new credential`: a draft micro-credential with every required field, and its rubric."""

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..catalog.validate import UsageError
from ..catalog.yamltext import Emitter
from .newrubric import rubric_text
from .prompts import Check, Prompter
from .scaffold import Outcome, Repo, checked, one_of, parse_file, pull_request_step, refuse_existing, slugify, write_new
from .todo import rubric_todo, still_to_do

# --------------------------------------------------------------------------- new credential


def new_credential(
    root: Path,
    ask: Prompter,
    *,
    credential_id: str | None = None,
    title: str | None = None,
    tier: str | None = None,
    subjects: list[str] | None = None,
    grade_bands: list[str] | None = None,
    questions: list[str] | None = None,
    artifacts: list[str] | None = None,
    reflection: list[str] | None = None,
    force: bool = False,
) -> Outcome:
    repo = Repo(root)
    schema = repo.schema
    title_check = schema.checker("credential", ("title",), "a title")
    if title is None:
        title = ask.text("Title (Enter to fill in later)", "", title_check)
    checked(title, title_check, "--title")
    slug_check = repo.slug_check("an id")
    if credential_id is None:
        credential_id = ask.text("Id, also the file name", slugify(title), slug_check, required=True)
    if not checked(credential_id, slug_check, "--id"):
        raise UsageError("give the new micro-credential's id with --id (or a --title to make it from)")
    rel = f"catalog/credentials/{credential_id}.yml"
    other = [p for p in repo.listing.paths("credential", credential_id) if p != rel]
    if other:
        raise UsageError(f"{other[0]} already defines the micro-credential {credential_id!r}")
    refuse_existing(root, rel, force)

    types = schema.choices("credential", ("type",))
    tier = one_of(tier, types, "--type") if tier is not None else ask.choose("Type (Enter to fill in later)", types)
    subject_choices = schema.choices("credential", ("subjects",))
    if subjects is None:
        subjects = ask.many("Subjects (Enter to fill in later)", subject_choices)
    for subject in subjects:
        one_of(subject, subject_choices, "--subject")
    band_choices = schema.choices("credential", ("grade_bands",))
    if grade_bands is None:
        grade_bands = ask.many("Grade bands (Enter to fill in later)", band_choices)
    for band in grade_bands:
        one_of(band, band_choices, "--grade-band")

    item_check = schema.checker("credential", ("submission", "overview", 0, "id"), "an id")
    questions = _ids(ask, questions, "Overview question ids", ["context"], item_check, "--question")
    artifacts = _ids(ask, artifacts, "Work example (artifact) ids", ["work-example"], item_check, "--artifact")
    reflection = _ids(ask, reflection, "Reflection prompt ids ('none' for no reflection)", ["impact"], item_check, "--reflection")
    _distinct(questions + artifacts + reflection)
    kind_choices = schema.choices("credential", ("submission", "artifacts", 0, "kinds"))
    kinds = {a: ask.many(f"Kinds of work example accepted for {a!r} (Enter to fill in later)", kind_choices) for a in artifacts}
    designer = ask.text("Your name, as the designer (Enter to fill in later)", repo.git_config("user.name"))
    login_check = schema.checker("credential", ("designers", 0, "login"), "a GitHub login")
    known = repo.git_config("github.user")
    designer_login = ask.text("Your GitHub login (Enter for none)", known if login_check(known) is None else "", login_check)

    data: dict[str, Any] = {
        "id": credential_id,
        "version": "1.0.0",
        "status": "draft",
        "title": title,
        "summary": "",
        "type": tier,
        "competency": "",
        "key_method": {"name": "", "description": ""},
        "method_components": [{"name": "", "description": ""}, {"name": "", "description": ""}],
        "rationale": "",
        "research": [{"citation": "", "doi": ""}],
        "resources": [{"title": "", "url": "https://", "kind": ""}],
        "submission": {
            "overview": [{"id": q, "prompt": "", "word_limit": 200} for q in questions],
            "artifacts": [{"id": a, "title": "", "description": "", "kinds": kinds[a]} for a in artifacts],
            **({"reflection": [{"id": r, "prompt": "", "word_limit": 300} for r in reflection]} if reflection else {}),
        },
        "rubric": credential_id,
        "prerequisites": [],
        "subjects": subjects,
        "grade_bands": grade_bands,
        "tags": [],
        "estimated_hours": None,
        "designers": [{"name": designer, **({"login": designer_login} if designer_login else {})}],
        "license": "CC-BY-4.0",
    }
    emitter = Emitter()
    for key in data:
        _, description = schema.at("credential", (key,))
        choices = schema.choices("credential", (key,))
        listed = "Any" if isinstance(data[key], list) else "One"
        emitter.comments[(key,)] = description + (f"\n{listed} of: {', '.join(choices)}." if choices else "")
    emitter.comments[("research",)] += "\nGive a doi (without https://doi.org/), or replace it with url: https://..., or both."
    resource_kinds = schema.choices("credential", ("resources", 0, "kind"))
    emitter.comments[("resources",)] += f"\nkind: one of {', '.join(resource_kinds)}."
    for part in ("overview", "artifacts", "reflection"):
        _, description = schema.at("credential", ("submission", part))
        emitter.comments[("submission", part)] = description
    emitter.comments[("submission", "artifacts")] += f"\nkinds: any of {', '.join(kind_choices)}."
    text = emitter.dump(data, "yaml-language-server: $schema=../../schemas/credential.schema.json")
    write_new(root, rel, text, force)

    written, notes, also = [rel], [], []
    rubric_rel = f"rubrics/{credential_id}.yml"
    if repo.listing.paths("rubric", credential_id) or (root / rubric_rel).exists():
        notes.append(f"{rubric_rel} exists already; left as it is (microcred new rubric --credential {credential_id} --force rewrites it)")
        also.append(rubric_rel)  # a proposal is the credential and its rubric, in one pull request
    else:
        write_new(root, rubric_rel, rubric_text(credential_id, data, schema), force=False)
        written.append(rubric_rel)
    specific = {rubric_rel: rubric_todo(parse_file(root, rubric_rel), (root / rubric_rel).read_text(encoding="utf-8"))}
    todo = still_to_do(root, schema, written, specific)
    return Outcome(
        written,
        todo,
        f"credential/{credential_id}",
        f"Propose the micro-credential {credential_id}",
        pull_request_step(root, ("credential", "propos", "design")),
        notes,
        also,
        repo.has_branch(f"credential/{credential_id}"),
    )


def _ids(ask: Prompter, given: list[str] | None, label: str, default: list[str], check: Check, flag: str) -> list[str]:
    if given is None:
        given = ask.many(label, None, default, check=lambda item: None if item == "none" else check(item))
    if given == ["none"]:
        return []
    for item in given:
        checked(item, check, flag)
    return given


def _distinct(ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise UsageError(f"the id {item!r} is used twice; questions, work examples and reflection prompts need distinct ids")
        seen.add(item)
