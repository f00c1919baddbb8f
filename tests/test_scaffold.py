"""`microcred new submission|credential|rubric` and `microcred hash-email`: files that validate once filled in."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from microcred.catalog.load import parse
from microcred.catalog.yamltext import Emitter
from microcred.pullrequests.recipient import hash_email
from microcred.pullrequests.scaffold import Outcome
from microcred.pullrequests.todo import SchemaInfo, still_to_do, submission_todo
from support import Run, git

ADDRESS = "Dee.Earner@Example.org"
SALT = "00112233445566778899aabbccddeeff"
SUBMISSION = "submissions/alpha/dee-alpha-2.yml"
SUBJECTS = (
    "all-subjects, arts, computer-science, english-language-arts, english-language-development, health-pe, "
    "mathematics, science, social-studies, special-education, world-languages"
)
SLUG = "an identifier: lower-case letters and digits in words joined by single hyphens. Catalog files are named after their id"


@pytest.fixture(autouse=True)
def no_git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """No git setting of the machine running the tests may become a default."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def run_piped(repo: Path, *args: str, answers: str) -> Run:
    """The CLI in a subprocess, its prompts answered through a pipe."""
    run = subprocess.run(
        [sys.executable, "-m", "microcred", *args], cwd=repo, input=answers, capture_output=True, text=True, check=False, env=os.environ
    )
    return Run(run.returncode, run.stdout, run.stderr)


def answer(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Prompts answered in-process: stdin replaced by the given lines."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def fill(path: Path, *edits: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def strict(repo: Path, cli: Callable[..., Run]) -> Run:
    return cli("validate", "--strict", cwd=repo)


GIT_STEPS = """next steps:
  fill in what is listed above, then check: microcred validate {files}
  git switch -c {branch}
  git add {files}
  git commit -m "{message}"
  git push -u origin {branch}
  then open a pull request on GitHub
"""

# ---------------------------------------------------------------------------- new submission

SUBMISSION_TODO = [
    "pre_approval.reference: fill in (the district's reference for the approval)",
    "pre_approval.approved_on: fill in (the day of the approval, YYYY-MM-DD)",
    "overview.context: answer this question (at most 200 words)",
    "artifacts.plan.url: link to this work example in your district's access-controlled storage",
    "artifacts.plan.description: say what this work example shows",
    "reflection.impact: answer this question (at most 300 words)",
    "attestation.permissions: set to true to confirm (the permissions of students and families needed for the evidence are in place)",
    "attestation.own_work: set to true to confirm (the evidence comes from the earner's own teaching)",
]

FILLED_SUBMISSION = (
    ('  reference: ""\n', "  reference: N-2026-9\n"),
    ('  approved_on: ""\n', '  approved_on: "2026-10-15"\n'),
    ("  context: |\n", "  context: |\n    Grade seven science, twenty-six students, the second week of a unit on cells.\n"),
    ("    url: https://\n", "    url: https://storage.north.example.org/evidence/dee/plan.pdf\n"),
    ('    description: ""\n', "    description: The plan with the alpha steps marked.\n"),
    ("  impact: |\n", "  impact: |\n    Two quiet students explained their reasoning to the class.\n"),
    ("  permissions: false\n", "  permissions: true\n"),
    ("  own_work: false\n", "  own_work: true\n"),
)


def test_new_submission_with_flags(repo: Path, cli: Callable[..., Run]) -> None:
    run = cli("new", "submission", "alpha", "--login", "dee", "--district", "north", "--date", "2026-11-02", "--no-input", cwd=repo)
    assert (run.code, run.err) == (0, "")
    todo = "".join(f"  - {item}\n" for item in SUBMISSION_TODO)
    steps = GIT_STEPS.format(files=SUBMISSION, branch="submission/dee-alpha-2", message="Submission dee-alpha-2 for alpha")
    assert run.out == f"wrote {SUBMISSION}\n{SUBMISSION}: still to fill in:\n{todo}{steps}"
    text = (repo / SUBMISSION).read_text(encoding="utf-8")
    assert parse(text) == {
        "id": "dee-alpha-2",
        "credential": "alpha",
        "version": "1.0.0",
        "earner": {"login": "dee", "district": "north"},
        "submitted_on": "2026-11-02",
        "pre_approval": {"reference": "", "approved_on": ""},
        "overview": {"context": ""},
        "artifacts": {"plan": {"url": "https://", "description": ""}},
        "reflection": {"impact": ""},
        "attestation": {"permissions": False, "own_work": False},
    }
    assert text.startswith("# yaml-language-server: $schema=../../schemas/submission.schema.json\n")
    assert "  # Describe your class.\n  # (at most 200 words)\n  context: |\n" in text
    assert "  # Plan (lesson plan): The plan.\n  plan:\n" in text
    fill(repo / SUBMISSION, *FILLED_SUBMISSION)
    assert strict(repo, cli).code == 0


def test_a_filled_submission_reports_valid(repo: Path, cli: Callable[..., Run]) -> None:
    """South needs no pre-approval; once every prompt is confirmed only the answers and links remain."""
    first = cli("new", "submission", "alpha", "--login", "dee", "--district", "south", "--id", "dee-alpha-south", "--no-input", cwd=repo)
    assert "pre_approval" not in first.out
    rel = "submissions/alpha/dee-alpha-south.yml"
    assert "pre_approval" not in parse((repo / rel).read_text(encoding="utf-8"))
    assert re.search(r'^submitted_on: "\d{4}-\d{2}-\d{2}"$', (repo / rel).read_text(encoding="utf-8"), re.MULTILINE)
    fill(repo / rel, *FILLED_SUBMISSION[2:])
    assert strict(repo, cli).code == 0


def test_new_submission_through_its_prompts(repo: Path) -> None:
    answers = "\n".join(["dee", "north", "", "N-2026-9", "2026-10-15", ADDRESS, "y", "yes"]) + "\n"
    run = run_piped(repo, "new", "submission", "alpha", "--date", "2026-11-02", answers=answers)
    assert run.code == 0, run.err
    for prompt in ("Your GitHub login: ", "Your district (north, south): ", "Submission id [dee-alpha-2]: ", "[y/N]: "):
        assert prompt in run.err
    assert run.out.startswith(f"wrote {SUBMISSION}\n{SUBMISSION}: still to fill in:\n  - overview.context: answer this question")
    data = parse((repo / SUBMISSION).read_text(encoding="utf-8"))
    assert data["pre_approval"] == {"reference": "N-2026-9", "approved_on": "2026-10-15"}
    assert data["attestation"] == {"permissions": True, "own_work": True}
    salt = data["earner"]["email_salt"]
    assert re.fullmatch(r"[0-9a-f]{32}", salt)
    expected = "sha256$" + hashlib.sha256((ADDRESS.lower() + salt).encode()).hexdigest()
    assert data["earner"]["email_hash"] == expected
    for where in (run.out, run.err, (repo / SUBMISSION).read_text(encoding="utf-8")):
        assert ADDRESS.lower() not in where.lower()


def test_prompts_re_ask_until_an_answer_fits(repo: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    answer(monkeypatch, "\n-bad-\ndee\neast\nnorth\nDee Alpha\ndee-alpha-9\n\n\nnot-an-address\n\nmaybe\nn\nn\n")
    run = cli("new", "submission", "alpha", cwd=repo)
    assert run.code == 0
    assert "  an answer is needed\n" in run.err
    assert "'-bad-' is not a GitHub login" in run.err
    assert "'east' is not one of: north, south" in run.err
    assert "'Dee Alpha' is not an id" in run.err
    assert "that is not an email address" in run.err
    assert "  answer y or n\n" in run.err
    assert "not-an-address" not in run.err
    data = parse((repo / "submissions/alpha/dee-alpha-9.yml").read_text(encoding="utf-8"))
    assert data["earner"] == {"login": "dee", "district": "north"}


def test_git_user_is_the_default_login(repo: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "gitconfig"
    config.write_text("[github]\n\tuser = Ann-B\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    run = cli("new", "submission", "beta", "--district", "south", "--no-input", cwd=repo)
    assert run.code == 0
    assert parse((repo / "submissions/beta/ann-b-beta-1.yml").read_text(encoding="utf-8"))["earner"]["login"] == "Ann-B"


def test_email_flag_is_stored_only_hashed(repo: Path, cli: Callable[..., Run]) -> None:
    run = cli("new", "submission", "alpha", "--login", "dee", "--district", "south", "--email", f"  {ADDRESS} ", "--no-input", cwd=repo)
    assert run.code == 0
    text = (repo / SUBMISSION).read_text(encoding="utf-8")
    earner = parse(text)["earner"]
    assert earner["email_hash"] == hash_email(ADDRESS, earner["email_salt"])[0]
    assert ADDRESS.lower() not in (text + run.out + run.err).lower()


def test_an_address_is_hashed_with_the_districts_salt_when_it_has_one(repo: Path, cli: Callable[..., Run]) -> None:
    """One salt per district lets HR match a whole staff list to the district's badges at once."""
    with (repo / "catalog/districts/south.yml").open("a", encoding="utf-8") as district:
        district.write(f'recipient_salt: "{SALT}"\n')
    run = cli("new", "submission", "alpha", "--login", "dee", "--district", "south", "--email", ADDRESS, "--no-input", cwd=repo)
    assert run.code == 0
    assert parse((repo / SUBMISSION).read_text(encoding="utf-8"))["earner"] == {
        "login": "dee", "district": "south", "email_hash": _expected(ADDRESS, SALT), "email_salt": SALT
    }  # fmt: skip
    printed = cli("hash-email", "--email", ADDRESS, "--district", "south", cwd=repo)
    assert printed.out == f'email_hash: {_expected(ADDRESS, SALT)}\nemail_salt: "{SALT}"\n'
    assert cli("hash-email", "--email", ADDRESS, "--district", "north", cwd=repo).out.split("email_salt: ")[1] != f'"{SALT}"\n'
    unknown = cli("hash-email", "--email", ADDRESS, "--district", "nowhere", cwd=repo)
    assert (unknown.code, unknown.out) == (2, "") and "no valid district file catalog/districts/nowhere.yml" in unknown.err


def test_existing_submission_is_kept_unless_forced(repo: Path, cli: Callable[..., Run]) -> None:
    args = ("new", "submission", "alpha", "--login", "dee", "--district", "south", "--date", "2026-11-02", "--no-input")
    assert cli(*args, cwd=repo).code == 0
    fill(repo / SUBMISSION, FILLED_SUBMISSION[2])
    before = (repo / SUBMISSION).read_bytes()
    again = cli(*args, "--id", "dee-alpha-2", cwd=repo)
    assert (again.code, again.out) == (2, "")
    assert again.err == f"microcred: error: {SUBMISSION} already exists; give --force to overwrite it\n"
    assert (repo / SUBMISSION).read_bytes() == before
    forced = cli(*args, "--id", "dee-alpha-2", "--force", cwd=repo)
    assert forced.code == 0
    assert (repo / SUBMISSION).read_bytes() != before
    cli(*args, "--id", "dee-alpha-3", cwd=repo)
    assert (repo / SUBMISSION).read_bytes() == (repo / "submissions/alpha/dee-alpha-3.yml").read_bytes().replace(b"-3", b"-2")
    assert sorted(p.name for p in (repo / "submissions/alpha").iterdir()) == ["dee-alpha-1.yml", "dee-alpha-2.yml", "dee-alpha-3.yml"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["alpah"], "no micro-credential 'alpah' (expected catalog/credentials/alpah.yml); did you mean 'alpha'?"),
        (["nothing-like-it"], "no micro-credential 'nothing-like-it' (expected catalog/credentials/nothing-like-it.yml)"),
        (["alpha", "--district", "north"], "give your GitHub login with --login"),
        (["alpha", "--login", "dee"], "give your district with --district (one of north, south)"),
        (["alpha", "--login", "dee", "--district", "east"], "--district east: choose one of north, south"),
        (["alpha", "--login", "d e", "--district", "north"], "--login: 'd e' is not a GitHub login"),
        (["alpha", "--login", "dee", "--district", "north", "--id", "Dee"], "--id: 'Dee' is not an id (" + SLUG + ")"),
        (
            ["alpha", "--login", "dee", "--district", "north", "--id", "dee-alpha-1"],
            "submissions/alpha/dee-alpha-1.yml already exists; give --force to overwrite it",
        ),
        (
            ["beta", "--login", "dee", "--district", "north", "--id", "dee-alpha-1"],
            "the submission id 'dee-alpha-1' is taken by submissions/alpha/dee-alpha-1.yml; choose another with --id",
        ),
        (
            ["alpha", "--login", "dee", "--district", "north", "--date", "2026-02-30"],
            "--date: '2026-02-30' is not a day of the calendar (YYYY-MM-DD)",
        ),
        (
            ["alpha", "--login", "dee", "--district", "north", "--email", "dee at example"],
            "that is not an email address (name@example.org); nothing was written",
        ),
    ],
)
def test_submission_usage_errors(args: list[str], message: str, repo: Path, cli: Callable[..., Run]) -> None:
    run = cli("new", "submission", *args, "--no-input", cwd=repo)
    assert (run.code, run.out, run.err) == (2, "", f"microcred: error: {message}\n")
    assert not (repo / SUBMISSION).exists()


def test_only_published_credentials_take_submissions(repo: Path, cli: Callable[..., Run]) -> None:
    fill(repo / "catalog/credentials/gamma.yml", ("status: published", "status: draft"))
    run = cli("new", "submission", "gamma", "--login", "dee", "--district", "north", "--no-input", cwd=repo)
    assert (run.code, run.err) == (
        2,
        "microcred: error: 'gamma' is draft (catalog/credentials/gamma.yml): it is not open for submissions\n",
    )


def test_an_invalid_credential_is_named(repo: Path, cli: Callable[..., Run]) -> None:
    fill(repo / "catalog/credentials/alpha.yml", ("version: 1.0.0", "version: one"))
    run = cli("new", "submission", "alpha", "--login", "dee", "--district", "north", "--no-input", cwd=repo)
    assert (run.code, run.err) == (
        2,
        "microcred: error: catalog/credentials/alpha.yml has problems; fix them first (microcred validate catalog/credentials/alpha.yml)\n",
    )


def test_end_of_input_is_a_usage_error(repo: Path) -> None:
    run = run_piped(repo, "new", "submission", "alpha", answers="dee\n")
    assert run.code == 2
    assert run.err.endswith(
        "microcred: error: no answer to 'Your district': the input ended; answer every prompt, or use --no-input and flags\n"
    )
    assert "Traceback" not in run.err
    assert not (repo / "submissions/alpha/dee-alpha-2.yml").exists()


def test_the_todo_list_follows_the_credential_after_edits(repo: Path, cli: Callable[..., Run]) -> None:
    """Answers over the word limit and entries the credential does not ask for are listed; the schema cannot see them."""
    cli("new", "submission", "alpha", "--login", "dee", "--district", "north", "--no-input", cwd=repo)
    fill(repo / SUBMISSION, *FILLED_SUBMISSION)
    fill(repo / SUBMISSION, ("  impact: |\n", "  impact: |\n" + "    word" * 301 + "\n  extra: Something else.\n"))
    fill(repo / SUBMISSION, ("    url: https://storage", "    url: http://storage"))
    rel = SUBMISSION
    credential = parse((repo / "catalog/credentials/alpha.yml").read_text())
    text = (repo / rel).read_text()
    todo = still_to_do(repo, SchemaInfo(repo), [rel], {rel: submission_todo(credential, parse(text), text)})
    assert todo == {
        rel: [
            'artifacts.plan.url: "http://storage.north.example.org/evidence/dee/plan.pdf" is not in the expected form: An absolute https URL.',
            "reflection.impact: 301 words; shorten the answer to at most 300",
            "reflection.extra: not a question of 'alpha'; remove it",
        ]
    }


def test_a_report_without_todo_says_valid() -> None:
    outcome = Outcome(["rubrics/x.yml"], {"rubrics/x.yml": []}, "rubric/x", "Rubric x for x", "then open a pull request on GitHub")
    assert outcome.report() == (
        "wrote rubrics/x.yml\nrubrics/x.yml: valid\nnext steps:\n  git switch -c rubric/x\n  git add rubrics/x.yml\n"
        '  git commit -m "Rubric x for x"\n  git push -u origin rubric/x\n  then open a pull request on GitHub\n'
    )


def test_optional_artifacts_say_so(repo: Path, cli: Callable[..., Run]) -> None:
    fill(
        repo / "catalog/credentials/alpha.yml",
        ("      kinds: [lesson-plan]\n", "      kinds: [lesson-plan, video]\n      required: false\n"),
    )
    run = cli("new", "submission", "alpha", "--login", "dee", "--district", "south", "--no-input", cwd=repo)
    assert (
        "  - artifacts.plan.url: link to this work example in your district's access-controlled storage (optional: or delete the entry)\n"
        in run.out
    )
    assert (
        "  # Plan (lesson plan, video): The plan.\n  # Optional: delete this entry if you do not submit it.\n"
        in (repo / SUBMISSION).read_text()
    )


# ---------------------------------------------------------------------------- new credential

CREDENTIAL = "catalog/credentials/lab-notebooks.yml"
RUBRIC = "rubrics/lab-notebooks.yml"

CREDENTIAL_TODO = [
    "summary: fill in (one sentence for listings and search results)",
    "competency: fill in (the one skill certified, as a single statement of what the educator does)",
    "key_method.name: fill in (the method's name)",
    "key_method.description: fill in (what the method is, in a paragraph)",
    "method_components[0].name: fill in (the component's name)",
    "method_components[0].description: fill in (what the educator does for this component)",
    "method_components[1].name: fill in (the component's name)",
    "method_components[1].description: fill in (what the educator does for this component)",
    "rationale: fill in (why the method works, summarising the research cited below)",
    "research[0].citation: fill in (the full reference)",
    "research[0].doi: fill in (the work's DOI)",
    "resources[0].title: fill in (the resource's title)",
    "resources[0].url: fill in (where the resource is)",
    "resources[0].kind: choose one of article, video, guide, template, course, book, tool (what sort of resource it is)",
    "submission.overview[0].prompt: fill in (the question as the educator sees it)",
    "submission.artifacts[0].title: fill in (the artifact's name)",
    "submission.artifacts[0].description: fill in (what the artifact must show)",
    "submission.artifacts[0].kinds: choose at least one of lesson-plan, student-work, video, audio, observation-notes, assessment, "
    "data-summary, photo, slides, family-communication, other (the kinds of work example accepted for this artifact)",
    "submission.reflection[0].prompt: fill in (the question as the educator sees it)",
    "estimated_hours: fill in (typical hours of work to earn the credential, including classroom implementation)",
    "designers[0].name: fill in (the designer's name)",
]

RUBRIC_TODO = [
    "criteria[0].descriptors.demonstrated: describe what the evidence for 'overview' looks like at 'Demonstrated'",
    "criteria[0].descriptors.not-yet: describe what the evidence for 'overview' looks like at 'Not yet'",
    "criteria[1].title: fill in (the criterion's name)",
    "criteria[1].descriptors.demonstrated: describe what the evidence for 'work-example' looks like at 'Demonstrated'",
    "criteria[1].descriptors.not-yet: describe what the evidence for 'work-example' looks like at 'Not yet'",
    "criteria[2].descriptors.demonstrated: describe what the evidence for 'reflection' looks like at 'Demonstrated'",
    "criteria[2].descriptors.not-yet: describe what the evidence for 'reflection' looks like at 'Not yet'",
]


def _fill_credential(repo: Path) -> None:
    """What a designer writes in the places the scaffold left: every to-do, nothing else."""
    path = repo / CREDENTIAL
    data = parse(path.read_text(encoding="utf-8"))
    data["summary"] = "Keep a lab notebook that students use to plan, record and revise investigations."
    data["competency"] = data["rationale"] = "Students record investigations in notebooks the teacher reads and answers."
    data["key_method"] = {"name": "Lab notebooks", "description": "A notebook per student for every investigation."}
    data["method_components"] = [{"name": f"Step {n}", "description": f"Do step {n}."} for n in (1, 2)]
    data["research"] = [{"citation": "Someone (2001). Notebooks work.", "doi": "10.1000/notebooks"}]
    data["resources"] = [{"title": "Notebook guide", "url": "https://example.org/notebooks", "kind": "guide"}]
    data["submission"]["overview"][0]["prompt"] = "Describe your class."
    data["submission"]["artifacts"][0].update(title="Notebook pages", description="Three anonymised pages.", kinds=["student-work"])
    data["submission"]["reflection"][0]["prompt"] = "What changed?"
    data["estimated_hours"] = 12
    data["designers"] = [{"name": "Dee D"}]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    rubric = parse((repo / RUBRIC).read_text(encoding="utf-8"))
    for criterion in rubric["criteria"]:
        criterion["title"] = criterion["title"] or "Notebook pages"
        criterion["descriptors"] = {"demonstrated": "Shown.", "not-yet": "Not shown."}
    (repo / RUBRIC).write_text(yaml.safe_dump(rubric, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_new_credential_with_flags(repo: Path, cli: Callable[..., Run]) -> None:
    run = cli(
        "new", "credential", "--title", "Lab Notebooks", "--type", "proficient", "--subject", "science",
        "--grade-band", "6-8", "--grade-band", "9-12", "--no-input", cwd=repo,
    )  # fmt: skip
    assert (run.code, run.err) == (0, "")
    files = f"{CREDENTIAL} {RUBRIC}"
    steps = GIT_STEPS.format(files=files, branch="credential/lab-notebooks", message="Propose the micro-credential lab-notebooks")
    assert run.out == (
        f"wrote {CREDENTIAL}\nwrote {RUBRIC}\n"
        f"{CREDENTIAL}: still to fill in:\n" + "".join(f"  - {item}\n" for item in CREDENTIAL_TODO) +
        f"{RUBRIC}: still to fill in:\n" + "".join(f"  - {item}\n" for item in RUBRIC_TODO) + steps
    )  # fmt: skip
    credential = parse((repo / CREDENTIAL).read_text(encoding="utf-8"))
    assert {k: credential[k] for k in ("id", "version", "status", "title", "type", "rubric", "subjects", "grade_bands", "license")} == {
        "id": "lab-notebooks",
        "version": "1.0.0",
        "status": "draft",
        "title": "Lab Notebooks",
        "type": "proficient",
        "rubric": "lab-notebooks",
        "subjects": ["science"],
        "grade_bands": ["6-8", "9-12"],
        "license": "CC-BY-4.0",
    }
    assert [q["id"] for q in credential["submission"]["overview"]] == ["context"]
    rubric = parse((repo / RUBRIC).read_text(encoding="utf-8"))
    assert rubric["title"] == "Lab Notebooks — scoring guide"
    assert [(c["id"], c["part"], c.get("items")) for c in rubric["criteria"]] == [
        ("overview", "overview", ["context"]),
        ("work-example", "artifacts", ["work-example"]),
        ("reflection", "reflection", ["impact"]),
    ]
    assert strict(repo, cli).code == 1
    _fill_credential(repo)
    checked = strict(repo, cli)
    assert (checked.code, checked.out) == (0, "")


def test_new_credential_through_its_prompts(repo: Path) -> None:
    answers = [
        "Lab Notebooks",  # title
        "",  # id: made from the title
        "advanced",
        "science, mathematics",
        "6-8",
        "plan, context",  # overview questions
        "notebook",  # artifacts
        "none",  # no reflection
        "student-work, photo",  # kinds for 'notebook'
        "Dee D",
        "dee",
    ]
    run = run_piped(repo, "new", "credential", answers="\n".join(answers) + "\n")
    assert run.code == 0, run.err
    assert "Id, also the file name [lab-notebooks]: " in run.err
    assert "Type (Enter to fill in later) (foundational, proficient, advanced): " in run.err
    credential = parse((repo / CREDENTIAL).read_text(encoding="utf-8"))
    assert (credential["type"], credential["subjects"], credential["grade_bands"]) == ("advanced", ["science", "mathematics"], ["6-8"])
    assert [q["id"] for q in credential["submission"]["overview"]] == ["plan", "context"]
    assert credential["submission"]["artifacts"][0]["kinds"] == ["student-work", "photo"]
    assert "reflection" not in credential["submission"]
    assert credential["designers"] == [{"name": "Dee D", "login": "dee"}]
    rubric = parse((repo / RUBRIC).read_text(encoding="utf-8"))
    assert [(c["id"], c.get("items")) for c in rubric["criteria"]] == [("overview", ["plan", "context"]), ("notebook", ["notebook"])]
    assert "submission.reflection" not in run.out
    assert "kinds" not in run.out


def test_choices_come_from_the_schemas(repo: Path, cli: Callable[..., Run]) -> None:
    common = repo / "schemas/common.schema.json"
    fill(common, ('"all-subjects", "arts",', '"all-subjects", "arts", "dance",'))
    run = cli("new", "credential", "--id", "lab-notebooks", "--subject", "dance", "--no-input", cwd=repo)
    assert run.code == 0
    assert parse((repo / CREDENTIAL).read_text(encoding="utf-8"))["subjects"] == ["dance"]
    assert "# Any of: all-subjects, arts, dance, computer-science," in (repo / CREDENTIAL).read_text(encoding="utf-8")
    assert "  - title: fill in (the credential's name as shown in the catalog and on the badge)\n" in run.out
    assert "  - type: choose one of foundational, proficient, advanced (the tier that districts price the credential by)\n" in run.out
    assert "  - grade_bands: choose at least one of pre-k, k-2, 3-5, 6-8, 9-12 (grade bands the credential suits)\n" in run.out


def test_a_rubric_made_again_joins_its_credentials_pull_request(repo: Path, cli: Callable[..., Run]) -> None:
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "catalog"], ["switch", "-qc", "credential/alpha"]):
        git(repo, *args)
    run = cli("new", "rubric", "--credential", "alpha", "--force", "--no-input", cwd=repo)
    assert run.code == 0
    assert "  git switch credential/alpha\n  git add rubrics/alpha.yml\n" in run.out  # the branch there is: no second one


def test_new_credential_keeps_an_existing_rubric(repo: Path, cli: Callable[..., Run]) -> None:
    (repo / RUBRIC).write_text((repo / "rubrics/alpha.yml").read_text().replace("id: alpha", "id: lab-notebooks"))
    before = (repo / RUBRIC).read_bytes()
    run = cli("new", "credential", "--id", "lab-notebooks", "--no-input", cwd=repo)
    assert run.code == 0
    assert run.out.startswith(
        f"wrote {CREDENTIAL}\n{RUBRIC} exists already; left as it is (microcred new rubric --credential lab-notebooks --force rewrites it)\n"
    )
    assert f"git add {CREDENTIAL} {RUBRIC}\n" in run.out  # the proposal is both files, in one pull request
    assert (repo / RUBRIC).read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give the new micro-credential's id with --id (or a --title to make it from)"),
        (["--id", "alpha"], "catalog/credentials/alpha.yml already exists; give --force to overwrite it"),
        (["--id", "Lab_Notebooks"], "--id: 'Lab_Notebooks' is not an id (" + SLUG + ")"),
        (["--id", "x", "--type", "expert"], "--type expert: choose one of foundational, proficient, advanced"),
        (["--id", "x", "--subject", "science", "cooking"], f"--subject cooking: choose one of {SUBJECTS}"),
        (["--id", "x", "--grade-band", "college"], "--grade-band college: choose one of pre-k, k-2, 3-5, 6-8, 9-12"),
        (
            ["--id", "x", "--question", "plan", "--artifact", "plan"],
            "the id 'plan' is used twice; questions, work examples and reflection prompts need distinct ids",
        ),
    ],
)
def test_credential_usage_errors(args: list[str], message: str, repo: Path, cli: Callable[..., Run]) -> None:
    before = sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*"))
    run = cli("new", "credential", *args, "--no-input", cwd=repo)
    assert (run.code, run.out, run.err) == (2, "", f"microcred: error: {message}\n")
    assert sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*")) == before


def test_forced_credential_is_rewritten(repo: Path, cli: Callable[..., Run]) -> None:
    run = cli("new", "credential", "--id", "alpha", "--title", "Alpha again", "--force", "--no-input", cwd=repo)
    assert run.code == 0
    assert parse((repo / "catalog/credentials/alpha.yml").read_text())["title"] == "Alpha again"
    assert "rubrics/alpha.yml exists already; left as it is" in run.out


# ---------------------------------------------------------------------------- new rubric

ALPHA2 = "rubrics/alpha-two.yml"


def test_new_rubric_with_flags(repo: Path, cli: Callable[..., Run]) -> None:
    run = cli("new", "rubric", "--credential", "alpha", "--id", "alpha-two", "--no-input", cwd=repo)
    assert run.code == 0
    todo = [
        f"criteria[{i}].descriptors.{level}: describe what the evidence for {c!r} looks like at {label!r}"
        for i, c in enumerate(["overview", "plan", "reflection"])
        for level, label in (("demonstrated", "Demonstrated"), ("not-yet", "Not yet"))
    ]
    steps = GIT_STEPS.format(files=ALPHA2, branch="credential/alpha", message="Rubric alpha-two for alpha")
    assert run.out == (
        f"wrote {ALPHA2}\ncatalog/credentials/alpha.yml names the rubric 'alpha'; set its rubric: to alpha-two to use this one\n"
        f"{ALPHA2}: still to fill in:\n" + "".join(f"  - {item}\n" for item in todo) + steps
    )
    rubric = parse((repo / ALPHA2).read_text(encoding="utf-8"))
    assert rubric["levels"] == [
        {"id": "demonstrated", "label": "Demonstrated", "meets": True},
        {"id": "not-yet", "label": "Not yet", "meets": False},
    ]
    assert [(c["id"], c["title"], c["part"], c["items"]) for c in rubric["criteria"]] == [
        ("overview", "Overview", "overview", ["context"]),
        ("plan", "Plan", "artifacts", ["plan"]),
        ("reflection", "Reflection", "reflection", ["impact"]),
    ]
    text = (repo / ALPHA2).read_text(encoding="utf-8")
    for old in re.findall(r'      (?:demonstrated|not-yet): ""\n', text):
        text = text.replace(old, old.replace('""', "What the evidence shows at this level."), 1)
    (repo / ALPHA2).write_text(text, encoding="utf-8")
    fill(repo / "catalog/credentials/alpha.yml", ("rubric: alpha", "rubric: alpha-two"))
    checked = strict(repo, cli)
    assert (checked.code, checked.out) == (0, "")


def test_new_rubric_through_its_prompts(repo: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    answer(monkeypatch, "\nbeta\n\n")  # credential: none given, so asked; rubric id: the one beta names, which exists
    run = cli("new", "rubric", cwd=repo)
    assert (run.code, run.err.splitlines()[-1]) == (2, "microcred: error: rubrics/beta.yml already exists; give --force to overwrite it")
    answer(monkeypatch, "beta\nbeta-new\n")
    run = cli("new", "rubric", cwd=repo)
    assert run.code == 0
    assert "The micro-credential this rubric scores: " in run.err
    assert "Rubric id, also the file name [beta]: " in run.err
    assert (repo / "rubrics/beta-new.yml").exists()


def test_rubric_overwrite_and_unknown_credential(repo: Path, cli: Callable[..., Run]) -> None:
    kept = cli("new", "rubric", "--credential", "alpha", "--no-input", cwd=repo)
    assert (kept.code, kept.err) == (2, "microcred: error: rubrics/alpha.yml already exists; give --force to overwrite it\n")
    forced = cli("new", "rubric", "--credential", "alpha", "--no-input", "--force", cwd=repo)
    assert forced.code == 0
    assert forced.out.startswith("wrote rubrics/alpha.yml\nrubrics/alpha.yml: still to fill in:\n")
    unknown = cli("new", "rubric", "--credential", "omega", "--no-input", cwd=repo)
    assert (unknown.code, unknown.err) == (2, "microcred: error: no micro-credential 'omega' (expected catalog/credentials/omega.yml)\n")
    none = cli("new", "rubric", "--no-input", cwd=repo)
    assert (none.code, none.err) == (2, "microcred: error: give the micro-credential the rubric scores with --credential\n")


def test_rubric_for_a_credential_still_being_written(repo: Path, cli: Callable[..., Run]) -> None:
    """A new design is not schema-valid yet; its rubric can be started all the same."""
    assert cli("new", "credential", "--id", "lab-notebooks", "--question", "plan", "--artifact", "pages", "--no-input", cwd=repo).code == 0
    (repo / RUBRIC).unlink()
    run = cli("new", "rubric", "--credential", "lab-notebooks", "--no-input", cwd=repo)
    assert run.code == 0
    rubric = parse((repo / RUBRIC).read_text(encoding="utf-8"))
    assert [(c["id"], c.get("items")) for c in rubric["criteria"]] == [
        ("overview", ["plan"]),
        ("pages", ["pages"]),
        ("reflection", ["impact"]),
    ]


# ---------------------------------------------------------------------------- shared behaviour


def test_pull_request_template_is_named(repo: Path, cli: Callable[..., Run]) -> None:
    templates = repo / ".github/PULL_REQUEST_TEMPLATE"
    templates.mkdir(parents=True)
    for name in ("submission.md", "new-credential.md"):
        (templates / name).write_text("## What\n")
    sub = cli("new", "submission", "alpha", "--login", "dee", "--district", "south", "--no-input", cwd=repo)
    assert sub.out.endswith(
        "  then open a pull request on GitHub with the template submission.md (add ?template=submission.md to its address)\n"
    )
    cred = cli("new", "credential", "--id", "lab-notebooks", "--no-input", cwd=repo)
    assert cred.out.endswith("with the template new-credential.md (add ?template=new-credential.md to its address)\n")


def test_output_is_deterministic_and_leaves_no_temporary_file(repo: Path, cli: Callable[..., Run]) -> None:
    args = ("new", "submission", "alpha", "--login", "dee", "--district", "north", "--date", "2026-11-02", "--no-input", "--force")
    cli(*args, "--id", "dee-alpha-2", cwd=repo)
    first = (repo / SUBMISSION).read_bytes()
    cli(*args, "--id", "dee-alpha-2", cwd=repo)
    assert (repo / SUBMISSION).read_bytes() == first
    assert sorted(p.name for p in (repo / "submissions/alpha").iterdir()) == ["dee-alpha-1.yml", "dee-alpha-2.yml"]


def test_new_help_lists_every_kind_and_option(repo: Path) -> None:
    run = run_piped(repo, "new", "--help", answers="")
    assert run.code == 0
    assert run_piped(repo, "new", answers="").code == 2
    for text in (
        "usage: microcred new submission",
        "--approved-on YYYY-MM-DD",
        "usage: microcred new credential",
        "--grade-band BAND",
        "usage: microcred new rubric",
    ):
        assert text in run.out


@pytest.mark.parametrize(
    "text",
    ["no", "yes", "on", "null", "~", "true", "1.0", "1e5", "0x1F", "12", "2026-01-01", "a: b", "a #b", "#a", "- a", "? a", "@a", "`a", "a,b",
     "[a]", "{a}", "'a'", '"a"', " a", "a ", "", "a\nb", "ünïcödé — dash", "x:", "https://example.org/a?b=c#d", "*a", "&a", "!a", "%a", "|", ">"],
)  # fmt: skip
def test_emitted_strings_read_back_unchanged(text: str) -> None:
    data: dict[str, Any] = {"key": text, "list": [text, "b"], "nested": [{"k": text, "j": {"m": text}}]}
    assert parse(Emitter().dump(data)) == data
    assert yaml.safe_load(Emitter().dump(data)) == data


@pytest.mark.parametrize(
    "answer", ["", "one line", "one line\n", "two\nlines\n", "ends\n\n\n", "  indented\nthen not", "a\n\nparagraph", "\nblank first"]
)
def test_answers_are_literal_blocks_that_read_back(answer: str) -> None:
    data = {"overview": {"context": answer, "after": "x"}, "last": [{"a": answer}, "plain", {}]}
    text = Emitter(blocks={("overview", "context")}).dump(data)
    assert "  context: |" in text
    assert parse(text) == data


def test_long_text_is_folded_and_reads_back() -> None:
    long = " ".join(["word"] * 60) + " — and the end."
    text = Emitter(comments={("a",): "A comment " * 30}).dump({"a": long, "b": {"c": long}})
    assert "a: >-\n  word word" in text
    assert max(len(line) for line in text.splitlines()) <= 100
    assert parse(text) == {"a": long, "b": {"c": long}}


# ---------------------------------------------------------------------------- hash-email


def _expected(address: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((address.strip().lower() + salt).encode("utf-8")).hexdigest()


def test_hash_email_with_a_fixed_salt(tmp_path: Path, cli: Callable[..., Run]) -> None:
    run = cli("hash-email", "--email", ADDRESS, "--salt", SALT, cwd=tmp_path)
    assert run.code == 0
    assert run.out == f'email_hash: {_expected(ADDRESS, SALT)}\nemail_salt: "{SALT}"\n'
    assert (
        run.out
        == f"email_hash: sha256${hashlib.sha256(('dee.earner@example.org' + SALT).encode()).hexdigest()}\nemail_salt: {json.dumps(SALT)}\n"
    )
    assert "dee.earner" not in (run.out + run.err).lower()
    same = cli("hash-email", "--email", f"  {ADDRESS.upper()}\t", "--salt", SALT, cwd=tmp_path)
    assert same.out == run.out


def test_hash_email_reads_the_address_without_repeating_it(tmp_path: Path) -> None:
    run = run_piped(tmp_path, "hash-email", answers=ADDRESS + "\n")
    assert run.code == 0
    lines = yaml.safe_load(run.out)
    assert re.fullmatch(r"[0-9a-f]{32}", lines["email_salt"])
    assert lines["email_hash"] == _expected(ADDRESS, lines["email_salt"])
    assert "Email address (not shown, not stored): " in run.err
    assert "dee.earner" not in (run.out + run.err).lower()
    again = run_piped(tmp_path, "hash-email", answers=ADDRESS + "\n")
    assert yaml.safe_load(again.out)["email_salt"] != lines["email_salt"]


def test_hashed_lines_fit_the_submission_schema(repo: Path, cli: Callable[..., Run]) -> None:
    cli("new", "submission", "alpha", "--login", "dee", "--district", "north", "--no-input", cwd=repo)
    fill(repo / SUBMISSION, *FILLED_SUBMISSION)
    hashed = cli("hash-email", "--email", ADDRESS, cwd=repo).out
    fill(repo / SUBMISSION, ("  district: north\n", "  district: north\n" + "".join(f"  {line}\n" for line in hashed.splitlines())))
    assert strict(repo, cli).code == 0


@pytest.mark.parametrize(
    ("args", "answers", "message"),
    [
        (["--email", ADDRESS, "--salt", "ABCDEF0123456789"], "", "--salt: give 16 to 64 lower-case hexadecimal digits (0-9, a-f)"),
        (["--email", ADDRESS, "--salt", "abc"], "", "--salt: give 16 to 64 lower-case hexadecimal digits (0-9, a-f)"),
        (["--email", "dee.earner at example"], "", "that is not an email address (name@example.org); nothing was written"),
        ([], "\n", "no email address given"),
        ([], "", "no answer to 'Email address (not shown, not stored)': the input ended; answer every prompt, or use --no-input and flags"),
    ],
)
def test_hash_email_usage_errors(args: list[str], answers: str, message: str, tmp_path: Path) -> None:
    run = run_piped(tmp_path, "hash-email", *args, answers=answers)
    assert (run.code, run.out) == (2, "")
    assert run.err.endswith(f"microcred: error: {message}\n")
    assert "dee.earner" not in run.err


def test_a_login_the_earners_file_does_not_list_is_told_before_the_pull_request(repo: Path, cli: Callable[..., Run]) -> None:
    run = cli("new", "submission", "alpha", "--login", "dee", "--district", "south", "--date", "2026-11-02", "--no-input", cwd=repo)
    note = "catalog/earners.yml lists dee under north, not south: the pull request is refused (MC307) until your district"
    assert run.code == 0 and note in run.out
    (repo / SUBMISSION).unlink()
    run = cli("new", "submission", "alpha", "--login", "dee", "--district", "north", "--date", "2026-11-02", "--no-input", cwd=repo)
    assert "catalog/earners.yml" not in run.out
