"""`check-pr`: scope, completeness and privacy of a pull request, in real git repositories built from fixtures/base.

The base catalog has the maintainer ann, and dee's merged submission for alpha;
dee (north: the basics stack endorsed, pre-approval required) submits for beta,
which requires alpha.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from microcred.pullrequests import privacy
from support import Run, git

S = "submissions/beta/dee-beta-1.yml"
GOOD = """\
id: dee-beta-1
credential: beta
version: 1.0.0
earner:
  login: dee
  district: north
submitted_on: "2026-11-02"
pre_approval:
  reference: N-2026-9
  approved_on: "2026-10-01"
overview:
  context: A class of twenty-four in grade seven, second unit of the year.
artifacts:
  plan:
    url: https://storage.north.example.org/evidence/dee/beta-plan.pdf
    description: The plan with the beta steps marked.
reflection:
  impact: Students explained their reasoning to each other.
attestation:
  permissions: true
  own_work: true
"""
CONTEXT = "context: A class of twenty-four in grade seven, second unit of the year."
IMPACT = "impact: Students explained their reasoning to each other."
PLAN_URL = "https://storage.north.example.org/evidence/dee/beta-plan.pdf"
RESUBMISSION = "resubmission:\n  of: {of}\n  changes: Added the counts the reviewers asked for.\n"

Files = dict[str, "str | bytes | None"]  # path -> new content; None deletes the file


def write(repo: Path, files: Files) -> None:
    for rel, content in files.items():
        path = repo / rel
        if content is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content)


def edited(repo: Path, rel: str, old: str, new: str) -> str:
    """A file's text with one passage replaced; the passage must be there."""
    text = (repo / rel).read_text()
    assert old in text, f"{old!r} is not in {rel}"
    return text.replace(old, new)


def commit(repo: Path, files: Files, message: str = "change") -> None:
    write(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


def on_main(repo: Path, files: Files) -> None:
    """Change the base branch before the pull request starts from it."""
    git(repo, "checkout", "-q", "main")
    commit(repo, files, "on main")
    git(repo, "checkout", "-q", "-B", "pr", "main")


@pytest.fixture(autouse=True)
def no_author_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PR_AUTHOR", raising=False)  # the workflow sets it; tests choose their own


# dee's merged alpha submission has its badge: the prerequisite of beta is earned.
ALPHA_BADGE = "badges/assertions/439663b4-c7de-55ab-973d-a22279709ac5.json"
ALPHA_URL = "https://consortium.example.org/catalog/" + ALPHA_BADGE


@pytest.fixture
def git_repo(repo: Path) -> Path:
    write(repo, {ALPHA_BADGE: json.dumps({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": ALPHA_URL})})
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "catalog")
    git(repo, "checkout", "-qb", "pr")
    return repo


@pytest.fixture
def check(git_repo: Path, cli: Callable[..., Run]) -> Callable[..., Run]:
    """Run `check-pr --base main --author AUTHOR` in the repository."""

    def run(author: str = "dee", *args: str) -> Run:
        return cli("check-pr", "--base", "main", "--author", author, *args, cwd=git_repo)

    return run


def lines(run: Run) -> list[str]:
    return run.out.splitlines()


def passes(run: Run) -> bool:
    return (run.code, run.out) == (0, "")


# A good submission, and the changes that keep it good.


def test_good_submission_passes(git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {S: GOOD})
    run = check()
    assert (run.code, run.out, run.err) == (0, "", "1 file(s) checked: valid, 0 error(s), 0 warning(s)\n")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  login: dee", "  login: Dee"),  # logins are case-insensitive
        (CONTEXT, "context: " + " ".join(["word"] * 200)),  # exactly at the word limit
        ("version: 1.0.0", "version: 1.0.0\n# Grade 7, 2025-2026; see ISBN 978-0-306-40615-7 and doi 10.1000/182."),
    ],
)
def test_harmless_variations_pass(old: str, new: str, git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {S: GOOD.replace(old, new)})
    run = check()
    assert (run.code, run.out) == (0, "")


def test_answers_to_an_earlier_minor_version_stay_valid(git_repo: Path, check: Callable[..., Run]) -> None:
    on_main(
        git_repo, {"catalog/credentials/beta.yml": edited(git_repo, "catalog/credentials/beta.yml", "version: 1.0.0", "version: 1.4.2")}
    )
    commit(git_repo, {S: GOOD})
    assert passes(check())


def test_a_version_newer_than_the_credential_is_refused(git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {S: GOOD.replace("version: 1.0.0", "version: 1.4.2")})
    assert lines(check()) == [
        f"{S}:3:10: MC315 incomplete: the submission answers version 1.4.2; the requirements are now those of beta 1.0.0 [version]"
    ]


def test_uncommitted_submission_is_checked_too(git_repo: Path, check: Callable[..., Run]) -> None:
    write(git_repo, {S: GOOD.replace("version: 1.0.0", "version: 2.0.0")})
    assert lines(check()) == [
        f"{S}:3:10: MC315 incomplete: the submission answers version 2.0.0; the requirements are now those of beta 1.0.0 [version]"
    ]


def test_changing_ones_own_submission_on_the_branch_passes(git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {S: GOOD})
    commit(git_repo, {S: GOOD.replace("second unit", "third unit")})
    assert passes(check())


def test_resubmission_passes(git_repo: Path, check: Callable[..., Run]) -> None:
    on_main(git_repo, {S: GOOD})
    second = GOOD.replace("id: dee-beta-1", "id: dee-beta-2") + RESUBMISSION.format(of="dee-beta-1")
    commit(git_repo, {"submissions/beta/dee-beta-2.yml": second})
    run = check()
    assert (run.code, run.out) == (0, "")


def test_author_from_the_environment(git_repo: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    commit(git_repo, {S: GOOD})
    monkeypatch.setenv("PR_AUTHOR", "eve")
    run = cli("check-pr", "--base", "main", cwd=git_repo)
    assert lines(run) == [
        f"{S}:5:10: MC303 the earner is dee, but eve opened the pull request; earners submit their own evidence [earner.login]"
    ]
    assert cli("check-pr", "--base", "main", "--author", "dee", cwd=git_repo).code == 0  # the flag wins


# Completeness: each rule broken by one change to the good submission.

INCOMPLETE = [
    pytest.param(
        [(CONTEXT, 'context: "  "')],
        [
            f"{S}:12:12: MC310 incomplete: the overview question 'context' has no answer; answer it in at most 200 words: Describe your class. [overview.context]"
        ],
        id="blank-answer",
    ),
    pytest.param(
        [(f"overview:\n  {CONTEXT}\n", "overview: {}\n")],
        [
            f"{S}:11:1: MC310 incomplete: the overview question 'context' has no answer; answer it in at most 200 words: Describe your class. [overview.context]"
        ],
        id="missing-answer",
    ),
    pytest.param(
        [(f"reflection:\n  {IMPACT}\n", "")],
        [
            f"{S}:1:1: MC310 incomplete: the reflection question 'impact' has no answer; answer it in at most 300 words: What changed? [reflection.impact]"
        ],
        id="missing-reflection",
    ),
    pytest.param(
        [(CONTEXT, "context: " + " ".join(["word"] * 201))],
        [f"{S}:12:12: MC311 incomplete: the answer to the overview question 'context' has 201 words; the limit is 200 [overview.context]"],
        id="over-word-limit",
    ),
    pytest.param(
        [(f"  plan:\n    url: {PLAN_URL}\n    description: The plan with the beta steps marked.\n", "  {}\n")],
        [f"{S}:13:1: MC312 incomplete: the required artifact 'plan' (Plan) has no link and description [artifacts.plan]"],
        id="missing-artifact",
    ),
    pytest.param(
        [(IMPACT, f"{IMPACT}\n  extra: More thoughts.")],
        [f"{S}:19:3: MC313 incomplete: beta asks no reflection question 'extra' [reflection.extra]"],
        id="unknown-question",
    ),
    pytest.param(
        [
            (
                "    description: The plan with the beta steps marked.\n",
                "    description: The plan.\n  video:\n    url: https://storage.north.example.org/v.mp4\n    description: The lesson.\n",
            )
        ],
        [f"{S}:17:3: MC313 incomplete: beta asks for no artifact 'video' [artifacts.video]"],
        id="unknown-artifact",
    ),
    pytest.param(
        [("version: 1.0.0", "version: 0.9.0")],
        [f"{S}:3:10: MC315 incomplete: the submission answers version 0.9.0; the requirements are now those of beta 1.0.0 [version]"],
        id="stale-version",
    ),
    pytest.param(
        [("  district: north", "  district: south")],
        [
            f"{S}:6:13: MC307 catalog/earners.yml lists dee under north, not south [earner.district]",
            f"{S}:6:13: MC317 incomplete: south does not endorse beta, directly or through a stack [earner.district]",
        ],
        id="not-endorsed",
    ),
    pytest.param(
        [('pre_approval:\n  reference: N-2026-9\n  approved_on: "2026-10-01"\n', "")],
        [f"{S}:6:13: MC318 incomplete: north requires pre-approval before the work starts; record it under pre_approval [earner.district]"],
        id="no-pre-approval",
    ),
    pytest.param(
        [("  own_work: true\n", "  own_work: true\n" + RESUBMISSION.format(of="dee-alpha-1"))],
        [
            f"{S}:23:7: MC319 incomplete: dee-alpha-1 is dee's submission for alpha; a resubmission follows dee's own earlier submission for beta [resubmission.of]"
        ],
        id="resubmission-of-another-credential",
    ),
    pytest.param(
        [("  own_work: true\n", "  own_work: true\n" + RESUBMISSION.format(of="dee-beta-1"))],
        [f"{S}:23:7: MC319 incomplete: a resubmission names the earlier submission, not itself [resubmission.of]"],
        id="resubmission-of-itself",
    ),
]


@pytest.mark.parametrize(("edits", "expected"), INCOMPLETE)
def test_incomplete_submission(edits: list[tuple[str, str]], expected: list[str], git_repo: Path, check: Callable[..., Run]) -> None:
    text = GOOD
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    commit(git_repo, {S: text})
    run = check()
    assert (run.code, lines(run)) == (1, expected)


CONTENT_RULES = ("MC310", "MC311", "MC312", "MC313", "MC319")


@pytest.mark.parametrize(("edits", "expected"), [p for p in INCOMPLETE if p.values[1][0].split(": ")[1][:5] in CONTENT_RULES])
def test_validate_reports_the_content_rules_as_check_pr_does(
    edits: list[tuple[str, str]], expected: list[str], git_repo: Path, cli: Callable[..., Run]
) -> None:
    text = GOOD
    for old, new in edits:
        text = text.replace(old, new)
    write(git_repo, {S: text})
    run = cli("validate", S, cwd=git_repo)
    assert (run.code, lines(run)) == (1, expected)


def test_what_depends_on_the_moment_of_submitting_is_check_pr_s_alone(
    git_repo: Path, check: Callable[..., Run], cli: Callable[..., Run]
) -> None:
    # An old submission answering a former major version, from a district that no longer endorses the credential:
    # the catalog stays valid, while a pull request adding it is told what to change.
    text = GOOD.replace("version: 1.0.0", "version: 0.9.0").replace("  district: north", "  district: south")
    commit(git_repo, {S: text.replace(IMPACT, "impact: ''")})
    assert cli("validate", "--strict", S, cwd=git_repo).out == ""
    assert lines(check()) == [
        f"{S}:3:10: MC315 incomplete: the submission answers version 0.9.0; the requirements are now those of beta 1.0.0 [version]",
        f"{S}:6:13: MC307 catalog/earners.yml lists dee under north, not south [earner.district]",
        f"{S}:6:13: MC317 incomplete: south does not endorse beta, directly or through a stack [earner.district]",
        f"{S}:18:11: MC310 incomplete: the reflection question 'impact' has no answer; answer it in at most 300 words: What changed? "
        "[reflection.impact]",
    ]


def test_credential_not_published(git_repo: Path, check: Callable[..., Run]) -> None:
    on_main(
        git_repo, {"catalog/credentials/beta.yml": edited(git_repo, "catalog/credentials/beta.yml", "status: published", "status: draft")}
    )
    commit(git_repo, {S: GOOD})
    assert lines(check()) == [
        f"{S}:2:13: MC314 incomplete: beta is draft; only a published micro-credential takes submissions [credential]"
    ]


def test_prerequisite_earned_only_when_merged_on_the_base(git_repo: Path, check: Callable[..., Run]) -> None:
    # dee's alpha submission is on the branch, not on main: not approved yet.
    alpha = (git_repo / "submissions/alpha/dee-alpha-1.yml").read_text()
    on_main(git_repo, {"submissions/alpha/dee-alpha-1.yml": None})
    commit(git_repo, {S: GOOD, "submissions/alpha/dee-alpha-1.yml": alpha})
    assert f"{S}:2:13: MC316 incomplete: beta requires alpha, and dee holds no alpha badge on main [credential]" in lines(check())


@pytest.mark.parametrize(
    "change",
    [
        {ALPHA_BADGE: None},  # merged, but not minted yet
        {ALPHA_BADGE: json.dumps({"id": ALPHA_URL, "type": "Assertion", "revoked": True, "revocationReason": "In error."})},
        {"badges/revocations.json": json.dumps({"type": "RevocationList", "revokedAssertions": [{"id": ALPHA_URL}]})},
    ],
    ids=["not-minted", "revoked", "listed-as-revoked"],
)
def test_prerequisite_earned_only_with_a_badge_that_stands(git_repo: Path, check: Callable[..., Run], change: Files) -> None:
    on_main(git_repo, change)
    commit(git_repo, {S: GOOD})
    assert lines(check()) == [f"{S}:2:13: MC316 incomplete: beta requires alpha, and dee holds no alpha badge on main [credential]"]


def test_prerequisite_earned_by_someone_else(git_repo: Path, check: Callable[..., Run]) -> None:
    on_main(git_repo, {"catalog/earners.yml": "districts:\n  north: [dee, eve]\n"})
    commit(
        git_repo, {"submissions/beta/eve-beta-1.yml": GOOD.replace("id: dee-beta-1", "id: eve-beta-1").replace("login: dee", "login: eve")}
    )
    assert lines(check("eve")) == [
        "submissions/beta/eve-beta-1.yml:2:13: MC316 incomplete: beta requires alpha, and eve holds no alpha badge on main [credential]"
    ]


def test_a_version_already_held_is_not_earned_again(git_repo: Path, check: Callable[..., Run]) -> None:
    alpha = (git_repo / "submissions/alpha/dee-alpha-1.yml").read_text()
    second = "submissions/alpha/dee-alpha-2.yml"
    commit(git_repo, {second: alpha.replace("id: dee-alpha-1", "id: dee-alpha-2")})
    assert f"{second}:3:10: MC305 dee already holds alpha 1.0.0 (the badge for dee-alpha-1); a version is earned once [version]" in lines(
        check()
    )
    on_main(git_repo, {ALPHA_BADGE: json.dumps({"id": ALPHA_URL, "type": "Assertion", "revoked": True, "revocationReason": "In error."})})
    git(git_repo, "checkout", "-q", "-")
    assert not [line for line in lines(check()) if "MC305" in line]  # revoked: it may be earned again


def test_a_renewal_of_a_badge_held_earns_its_version_again(git_repo: Path, check: Callable[..., Run]) -> None:
    alpha = (git_repo / "submissions/alpha/dee-alpha-1.yml").read_text()
    second = "submissions/alpha/dee-alpha-2.yml"
    commit(git_repo, {second: alpha.replace("id: dee-alpha-1", "id: dee-alpha-2") + "renews: dee-alpha-1\n"})
    assert not [line for line in lines(check()) if "MC305" in line or "MC223" in line]
    commit(git_repo, {second: alpha.replace("id: dee-alpha-1", "id: dee-alpha-2") + "renews: dee-alpha-9\n"})
    found = lines(check())
    assert any("MC305" in line for line in found)  # not a badge dee holds: an ordinary second try
    assert f"{second}:22:9: MC223 no submission 'dee-alpha-9' whose badge this renews [renews]" in found


@pytest.mark.parametrize(
    ("earners", "problem"),
    [
        (
            "districts:\n  north: [eve]\n",
            "MC307 dee is not listed in catalog/earners.yml; ask north to have a maintainer add your login under it",
        ),
        ("districts:\n  south: [dee]\n", "MC307 catalog/earners.yml lists dee under south, not north"),
        (None, "MC307 no valid catalog/earners.yml says which district dee teaches in; a maintainer keeps that list"),
    ],
    ids=["unlisted", "elsewhere", "no-file"],
)
def test_the_earners_district_is_the_one_the_maintainers_bind(
    git_repo: Path, check: Callable[..., Run], earners: str | None, problem: str
) -> None:
    on_main(git_repo, {"catalog/earners.yml": earners})
    commit(git_repo, {S: GOOD})
    assert lines(check()) == [f"{S}:6:13: {problem} [earner.district]"]


def test_only_maintainers_change_the_earners_districts(git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {"catalog/earners.yml": "districts:\n  north: [dee, eve]\n"})
    assert lines(check("eve")) == [f"catalog/earners.yml:1:1: {NOT_A_MAINTAINER}"]


def test_a_district_with_its_own_salt_takes_addresses_hashed_with_it(git_repo: Path, check: Callable[..., Run]) -> None:
    """With one salt per district an address gives one hash, so another earner's address shows as reused (MC306)."""
    north = "catalog/districts/north.yml"
    on_main(git_repo, {north: (git_repo / north).read_text() + 'recipient_salt: "0123456789abcdef"\n'})
    hashed = "  email_hash: sha256$" + "ab" * 32 + '\n  email_salt: "fedcba9876543210"\n'
    commit(git_repo, {S: GOOD.replace("  district: north\n", "  district: north\n" + hashed)})
    assert (
        f"{S}:8:15: MC306 north hashes its earners' addresses with its own salt: run `microcred hash-email --district north` "
        "[earner.email_salt]"
    ) in lines(check())


def test_another_earners_email_hash_is_refused(git_repo: Path, check: Callable[..., Run]) -> None:
    """eve copies dee's hash and salt: her badge would read as dee's to anyone who checks dee's address."""
    hashed = "  email_hash: sha256$" + "ab" * 32 + '\n  email_salt: "0123456789abcdef"\n'
    alpha = "submissions/alpha/dee-alpha-1.yml"
    on_main(git_repo, {alpha: edited(git_repo, alpha, "  district: north\n", "  district: north\n" + hashed)})
    eve = (
        GOOD.replace("id: dee-beta-1", "id: eve-beta-1")
        .replace("login: dee", "login: eve")
        .replace("  district: north\n", "  district: north\n" + hashed)
    )
    commit(git_repo, {"submissions/beta/eve-beta-1.yml": eve})
    assert (
        "submissions/beta/eve-beta-1.yml:7:15: MC306 this email hash stands for dee in dee-alpha-1; "
        "hash your own address with `microcred hash-email` [earner.email_hash]"
    ) in lines(check("eve"))


# Scope: what a pull request may change, and who may change it.


def test_submission_with_another_change(git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {S: GOOD, "docs/notes.md": "Notes.\n"})
    assert lines(check()) == [
        "docs/notes.md:1:1: MC300 a submission pull request adds or changes its one submission file and nothing else; this change needs a pull request of its own"
    ]


def test_two_submissions(git_repo: Path, check: Callable[..., Run]) -> None:
    alpha2 = (git_repo / "submissions/alpha/dee-alpha-1.yml").read_text().replace("id: dee-alpha-1", "id: dee-alpha-2")
    commit(git_repo, {S: GOOD, "submissions/alpha/dee-alpha-2.yml": alpha2})
    both = "the pull request adds or changes 2 submissions (submissions/alpha/dee-alpha-2.yml, submissions/beta/dee-beta-1.yml); each needs a pull request of its own"
    held = "MC305 dee already holds alpha 1.0.0 (the badge for dee-alpha-1); a version is earned once [version]"
    assert lines(check()) == [
        f"submissions/alpha/dee-alpha-2.yml:1:1: MC301 {both}",
        f"submissions/alpha/dee-alpha-2.yml:3:10: {held}",
        f"{S}:1:1: MC301 {both}",
    ]


@pytest.mark.parametrize(
    ("author", "change", "expected"),
    [
        ("eve", "edit", "MC302 changes a submission by dee; only its earner's pull request may change it"),
        ("eve", "delete", "MC302 deletes a submission by dee; only its earner's pull request may change it"),
        ("dee", "delete", "MC300 a submission pull request adds or changes a submission; it deletes none"),
    ],
)
def test_existing_submission(author: str, change: str, expected: str, git_repo: Path, check: Callable[..., Run]) -> None:
    rel = "submissions/alpha/dee-alpha-1.yml"
    commit(git_repo, {rel: None if change == "delete" else edited(git_repo, rel, "third week", "fourth week")})
    assert lines(check(author)) == [f"{rel}:1:1: {expected}"]


def test_changing_ones_own_merged_submission_passes(git_repo: Path, check: Callable[..., Run]) -> None:
    rel = "submissions/alpha/dee-alpha-1.yml"
    commit(git_repo, {rel: edited(git_repo, rel, "third week", "fourth week")})
    assert passes(check())


def test_wrong_author_for_the_earner(git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {S: GOOD})
    run = check("eve")
    assert (run.code, lines(run)) == (
        1,
        [f"{S}:5:10: MC303 the earner is dee, but eve opened the pull request; earners submit their own evidence [earner.login]"],
    )


PROTECTED = [
    ("scripts/tool.py", "print('hello')\n"),
    ("schemas/notes.txt", "Schema notes.\n"),
    (".github/workflows/extra.yml", "name: extra\n"),
    ("badges/README.md", "Badges.\n"),
]
NOT_CATALOG = (
    "MC340 catalog/ and rubrics/ hold only the catalog's YAML files (credentials, stacks, districts, rubrics); "
    "other files go elsewhere, by a maintainer"
)
NOT_A_MAINTAINER = "MC304 only maintainers may change files outside catalog/, rubrics/ and submissions/, or the consortium, reviewer and earner files; catalog/consortium.yml on main names ann, not eve"


@pytest.mark.parametrize(("rel", "content"), PROTECTED)
def test_protected_paths_need_a_maintainer(rel: str, content: str, git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {rel: content})
    run = check("eve")
    assert (run.code, lines(run)) == (1, [f"{rel}:1:1: {NOT_A_MAINTAINER}"])
    assert passes(check("ann")) and passes(check("Ann"))


def test_changing_a_schema_needs_a_maintainer(git_repo: Path, check: Callable[..., Run]) -> None:
    rel = "schemas/stack.schema.json"
    commit(git_repo, {rel: edited(git_repo, rel, '"title": "Stack"', '"title": "Stack of micro-credentials"')})
    assert lines(check("eve")) == [f"{rel}:1:1: {NOT_A_MAINTAINER}"]
    assert check("ann").code == 0


def test_adding_oneself_to_the_maintainers_gives_no_rights(git_repo: Path, check: Callable[..., Run]) -> None:
    consortium = edited(git_repo, "catalog/consortium.yml", "maintainers: [ann]", "maintainers: [ann, eve]")
    commit(git_repo, {"catalog/consortium.yml": consortium, "scripts/tool.py": "print('hello')\n"})
    assert lines(check("eve")) == [f"catalog/consortium.yml:1:1: {NOT_A_MAINTAINER}", f"scripts/tool.py:1:1: {NOT_A_MAINTAINER}"]


def test_proposal_passes(git_repo: Path, check: Callable[..., Run]) -> None:
    delta = (
        (git_repo / "catalog/credentials/alpha.yml").read_text().replace("id: alpha", "id: delta").replace("rubric: alpha", "rubric: delta")
    )
    commit(
        git_repo,
        {
            "catalog/credentials/delta.yml": delta,
            "rubrics/delta.yml": (git_repo / "rubrics/alpha.yml").read_text().replace("id: alpha", "id: delta"),
            "catalog/stacks/basics.yml": edited(
                git_repo, "catalog/stacks/basics.yml", "[alpha, beta, gamma]", "[alpha, beta, gamma, delta]"
            ),
        },
    )
    run = check("eve")
    assert (run.code, run.out, run.err) == (
        0,
        "catalog/credentials/delta.yml:1:5: MC219 warning: 2 active assessor(s) qualified (ann, bob); two reviews and a tie-break need 3 [id]\n",
        "3 file(s) checked: valid, 0 error(s), 1 warning(s)\n",
    )


def test_a_proposal_cannot_change_the_roster(git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {"catalog/reviewers.yml": edited(git_repo, "catalog/reviewers.yml", "login: bob", "login: eve")})
    assert lines(check("eve")) == [f"catalog/reviewers.yml:1:1: {NOT_A_MAINTAINER}"]


def test_proposal_stays_in_the_catalog(git_repo: Path, check: Callable[..., Run]) -> None:
    commit(
        git_repo, {"rubrics/alpha.yml": edited(git_repo, "rubrics/alpha.yml", "Sound.", "Sound and clear."), "docs/alpha.md": "Alpha.\n"}
    )
    assert lines(check("eve")) == [f"docs/alpha.md:1:1: {NOT_A_MAINTAINER}"]
    assert check("ann").code == 0  # a maintainer may migrate the catalog along with code or docs


def test_checks_what_validate_checks(git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {S: GOOD.replace("credential: beta", "credential: betta")})
    assert lines(check()) == [
        f"{S}:2:13: MC221 no micro-credential 'betta' to submit for [credential]",
        f"{S}:2:13: MC222 a submission for 'betta' belongs in submissions/betta/ [credential]",
    ]


# Privacy.

PRIVATE = [
    pytest.param(
        (IMPACT, "impact: Parents can write to me at Dee.Dunn+class@gmail.com any time."),
        f"{S}:18:38: MC320 a plain email address; an earner's appears only as the salted hash made by `microcred hash-email`",
        id="email",
    ),
    pytest.param(
        (IMPACT, "impact: Families called the office at learning@north.example.org."),
        f"{S}:18:41: MC320 a plain email address; an earner's appears only as the salted hash made by `microcred hash-email`",
        id="example-email-in-a-submission",
    ),
    pytest.param(
        (IMPACT, "impact: One parent, (555) 123-4567, asked for the plan."),
        f"{S}:18:23: MC321 a phone number; contact details of earners, students or families never go into the repository",
        id="phone",
    ),
    pytest.param(
        (PLAN_URL, PLAN_URL.replace("https", "http")),
        f"{S}:15:10: MC324 a http:// link; evidence links use https://, so nothing on the way can read the evidence",
        id="http-link",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), PRIVATE)
def test_private_data_in_a_submission(edit: tuple[str, str], expected: str, git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {S: GOOD.replace(*edit)})
    run = check()
    assert run.code == 1
    assert expected in lines(run)
    assert all(": MC1" in line for line in lines(run) if line != expected)  # the schema may say so too (http)


@pytest.mark.parametrize(
    ("url", "what"),
    [
        ("https://drive.google.com/file/d/1AbC/view?usp=sharing", "a Google Drive link shared by link"),
        ("https://youtu.be/dQw4w9WgXcQ", "a YouTube video"),
        ("https://www.dropbox.com/s/abc123/plan.pdf?dl=0", "a Dropbox shared link"),
    ],
)
def test_publicly_shared_link_is_a_warning(url: str, what: str, git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {S: GOOD.replace(PLAN_URL, url)})
    run = check()
    message = f"{what} looks open to anyone who has it; evidence about students belongs in storage that only the earner, the district and the reviewers can open"
    assert (run.code, lines(run)) == (0, [f"{S}:15:10: MC325 warning: {message}"])
    assert check("dee", "--strict").code == 1


@pytest.mark.parametrize(
    ("rel", "content", "expected"),
    [
        (
            "rubrics/class.JPG",
            b"\xff\xd8\xff\xe0 not really a photo",
            "MC322 a .jpg file; evidence, images and documents stay in access-controlled storage and are linked, never committed",
        ),
        ("rubrics/data.txt", b"text\0then binary", "MC322 the file holds binary data (a NUL byte); a pull request carries text only"),
        (
            "rubrics/big.md",
            "word\n" * 60000,
            "MC323 the file has 300,000 bytes; a file in a pull request may have at most 262,144 (256 KB)",
        ),
    ],
)
def test_files_a_pull_request_must_not_carry(
    rel: str, content: str | bytes, expected: str, git_repo: Path, check: Callable[..., Run]
) -> None:
    commit(git_repo, {rel: content})
    assert (check("ann").code, lines(check("ann"))) == (1, [f"{rel}:1:1: {expected}"])
    assert (check("eve").code, lines(check("eve"))) == (1, sorted([f"{rel}:1:1: {expected}", f"{rel}:1:1: {NOT_CATALOG}"]))


def test_media_file_beside_a_submission(git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {S: GOOD, "submissions/beta/plan.pdf": b"%PDF-1.7\n"})
    assert [line.split(" ", 2)[:2] for line in lines(check())] == [
        ["submissions/beta/plan.pdf:1:1:", "MC300"],
        ["submissions/beta/plan.pdf:1:1:", "MC322"],
    ]


def test_only_added_lines_are_scanned(git_repo: Path, check: Callable[..., Run]) -> None:
    on_main(git_repo, {"rubrics/contacts.md": "Call 555-123-4567.\n"})
    commit(git_repo, {"rubrics/contacts.md": "Call 555-123-4567.\nOr 555.987.6543.\n"})
    run = check("ann")  # a maintainer's file beside the catalog's (a contributor's is MC340)
    assert lines(run) == [
        "rubrics/contacts.md:2:4: MC321 a phone number; contact details of earners, students or families never go into the repository"
    ]


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("badges@tri-county.org", True),  # on main's catalog: an organisational address
        ("someone@example.org", True),  # a reserved example domain reaches no one
        ("office@north.test", True),
        ("jane.doe@gmail.com", False),
        ("learning@tri-county.org", False),  # same domain, not in the catalog
    ],
)
def test_emails_in_a_proposal(address: str, allowed: bool, git_repo: Path, check: Callable[..., Run]) -> None:
    on_main(
        git_repo,
        {"catalog/consortium.yml": edited(git_repo, "catalog/consortium.yml", "badges@consortium.example.org", "badges@tri-county.org")},
    )
    south = edited(
        git_repo,
        "catalog/districts/south.yml",
        "name: South District\n",
        f"name: South District\ncontact:\n  office: Learning\n  email: {address}\n",
    )
    commit(git_repo, {"catalog/districts/south.yml": south})
    expected = (
        []
        if allowed
        else [
            "catalog/districts/south.yml:5:10: MC320 a plain email address; an earner's appears only as the salted hash made by `microcred hash-email`"
        ]
    )
    assert lines(check("eve")) == expected


def test_maintainers_code_may_hold_examples_but_their_catalog_data_may_not(git_repo: Path, check: Callable[..., Run]) -> None:
    phone = "Call 555-123-4567.\n"
    commit(git_repo, {"tests/test_phone.py": f"EXAMPLE = {phone!r}\n", "docs/phone.md": phone})
    assert passes(check("ann"))
    assert sorted(line.split(" ", 2)[1] for line in lines(check("eve"))) == ["MC304", "MC304", "MC321", "MC321"]
    commit(git_repo, {"rubrics/alpha.yml": edited(git_repo, "rubrics/alpha.yml", "met: Clear.", "met: Clear; questions to 555-123-4567.")})
    assert lines(check("ann")) == [
        "rubrics/alpha.yml:16:32: MC321 a phone number; contact details of earners, students or families never go into the repository"
    ]


# Formats and usage.


def test_github_annotations(git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {S: GOOD.replace("version: 1.0.0", "version: 0.9.0")})
    run = check("dee", "--format", "github")
    assert run.code == 1
    assert run.out == (
        f"::error file={S},line=3,col=10,title=MC315 submission answers an outdated version::"
        "incomplete: the submission answers version 0.9.0; the requirements are now those of beta 1.0.0 [version]\n"
    )


def test_json_format(git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {S: GOOD})
    body = json.loads(check("eve", "--format", "json").out)
    assert (body["valid"], body["files"], [p["code"] for p in body["problems"]]) == (False, 1, ["MC303"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["check-pr", "--base", "main"],
            "microcred: error: give the pull request's author with --author LOGIN or the PR_AUTHOR environment variable\n",
        ),
        (["check-pr", "--base", "nowhere", "--author", "dee"], "microcred: error: git merge-base nowhere HEAD: "),
    ],
)
def test_usage_errors(args: list[str], message: str, git_repo: Path, cli: Callable[..., Run]) -> None:
    run = cli(*args, cwd=git_repo)
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith(message)


# The patterns themselves, both ways.


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("555-123-4567", "555-123-4567"),
        ("call (555) 123-4567 today", "(555) 123-4567"),
        ("+1 555 123 4567", "+1 555 123 4567"),
        ("1-555-123-4567", "1-555-123-4567"),
        ("555.123.4567", "555.123.4567"),
        ("(555)123-4567", "(555)123-4567"),
        ("on 2026-10-01", None),
        ("version 1.0.0 and 10.2.3", None),
        ("doi 10.1000/182-555-1234", None),
        ("https://doi.org/10.1234/555-123-4567", None),
        ("ISBN 978-0-306-40615-7", None),
        ("ISBN 0-306-40615-2", None),
        ("zip 12345-6789", None),
        ("order 5551234567", None),
        ("grades 6-8, 24 students, 2025-2026", None),
    ],
)
def test_phone_pattern(text: str, found: str | None) -> None:
    match = privacy.PHONE.search(text)
    assert (match.group() if match else None) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("write to jane.doe@gmail.com.", "jane.doe@gmail.com"),
        ("a+b@school.k12.ca.us", "a+b@school.k12.ca.us"),
        ("sha256$2c0c1a4a7a4e8b5c3d6f9e0b1a2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e", None),
        ("@dee on GitHub", None),
        ("user@localhost", None),
    ],
)
def test_email_pattern(text: str, found: str | None) -> None:
    match = privacy.EMAIL.search(text)
    assert (match.group() if match else None) == found


@pytest.mark.parametrize(
    ("url", "shared"),
    [
        ("https://docs.google.com/document/d/1x/edit?usp=sharing", True),
        ("https://drive.google.com/file/d/1x/view", True),
        ("https://www.dropbox.com/scl/fi/abc/plan.pdf?rlkey=x&dl=0", True),
        ("https://1drv.ms/v/s!Abc", True),
        ("https://app.box.com/s/abc123", True),
        ("https://bit.ly/3xyz", True),
        ("https://www.youtube.com/watch?v=abc", True),
        ("https://drive.google.com/drive/folders/1x", False),  # a folder link: access depends on the folder
        ("https://storage.north.example.org/evidence/plan.pdf", False),
        ("https://www.dropbox.com/home/evidence", False),
        ("https://north.box.com/file/123", False),
    ],
)
def test_public_share_pattern(url: str, shared: bool) -> None:
    assert (privacy.public_share(url) is not None) == shared


@pytest.mark.parametrize(
    "disguised",
    [
        '"maria.lopez\\x40gmail.com"',  # a YAML escape
        '"p.diaz@\\\n    yahoo.com"',  # a line continuation
        '"jos\\u00e9@district.org"',  # a non-ASCII address
    ],
)
def test_contact_details_hidden_by_yaml_are_found(disguised: str, git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {S: GOOD.replace(f"  {IMPACT}", f"  impact: {disguised}")})
    codes = [line.split(" ", 2)[1] for line in lines(check())]
    assert codes == ["MC320"]


def test_contact_details_in_a_commit_message(git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {S: GOOD}, "My submission\n\nCall me at 555-201-3344 or write to dee.home@gmail.com")
    sha = git(git_repo, "rev-parse", "--short=7", "HEAD").strip()
    run = check()
    assert run.code == 1
    assert run.out == (
        f"commit {sha}:3:12: MC321 a phone number; contact details of earners, students or families never go into the repository\n"
        f"commit {sha}:3:37: MC320 a plain email address; an earner's appears only as the salted hash made by `microcred hash-email`\n"
    )


def test_contact_details_in_a_merge_commit_and_in_names(git_repo: Path, check: Callable[..., Run]) -> None:
    commit(git_repo, {S: GOOD}, "My submission")
    git(git_repo, "checkout", "-qb", "side", "main")
    commit(git_repo, {"README.md": "side\n"}, "side")
    git(git_repo, "checkout", "-q", "-")
    git(git_repo, "merge", "-q", "--no-ff", "side", "-m", "Merge; text me on 555-201-3344", env={"GIT_COMMITTER_NAME": "Dee 555 201 3345"})
    merge = git(git_repo, "rev-parse", "--short=7", "HEAD").strip()
    phone = "MC321 a phone number; contact details of earners, students or families never go into the repository"
    found = [line for line in lines(check()) if line.startswith(f"commit {merge}")]
    assert found == [f"commit {merge}:1:19: {phone}", f"commit {merge} (name):1:1: {phone}"]


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("jane.doe\uff20gmail.com", ("MC320", 1)),  # a full-width at sign
        ("write to jane\u200b.doe@gmail\u200b.com", ("MC320", 10)),  # zero-width spaces inside the address
        ("mailto:jane.doe%40gmail.com", ("MC320", 8)),  # percent-encoded
        ("call \uff15\uff15\uff15-123-4567", ("MC321", 6)),  # full-width digits
        ("call 555\u2013123\u20134567", ("MC321", 6)),  # en dashes
        ("call 555\u00ad-123-4567", ("MC321", 6)),  # a soft hyphen
        ("ring +44 20 7946 0958 at noon", ("MC321", 6)),
        ("ring +33 1 23 45 67 89", ("MC321", 6)),
        ("text 5551234567 tonight", ("MC321", 6)),
        ("on 2026-10-01, grades 6-8, version 1.0.0, 24 students", None),
        ("ISBN 978-0-306-40615-7 and doi 10.1000/182-555-1234", None),
        ("sha256$2c0c1a4a7a4e8b5c3d6f9e0b1a2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e", None),
    ],
)
def test_contact_details_written_to_slip_past_are_found(line: str, found: tuple[str, int] | None) -> None:
    problems = list(privacy.scan_lines("f.yml", [(1, line)], lambda _: False, links=False))
    assert [(p.code, p.column) for p in problems] == ([found] if found else [])


def test_embedded_media_wrapped_over_lines_is_found() -> None:
    wrapped = [(n, "      " + "QUJD" * 19) for n in range(3, 8)]  # 76 characters a line, as base64 encoders wrap
    problems = list(privacy.scan_lines("f.yml", [(1, "photo: |"), *wrapped, (8, "next: x")], lambda _: False, links=False))
    assert [(p.line, p.column, p.code) for p in problems] == [(3, 7, "MC322")]
    short = list(privacy.scan_lines("f.yml", [(1, "QUJD" * 19), (2, "words")], lambda _: False, links=False))
    assert short == []


def test_personal_address_on_a_commit_is_warned_about(git_repo: Path, check: Callable[..., Run]) -> None:
    write(git_repo, {S: GOOD})
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "submission", env={"GIT_AUTHOR_EMAIL": "dee.home@gmail.com"})
    sha = git(git_repo, "rev-parse", "--short=7", "HEAD").strip()
    run = check()
    assert (run.code, run.out) == (
        0,
        f"commit {sha}:1:1: MC326 warning: the commit's author or committer address is a personal email address, published with the commit; "
        "commit with your GitHub noreply address (GitHub: Settings, Emails, Keep my email address private)\n",
    )
    assert check("dee", "--strict").code == 1


def test_noreply_commit_address_passes(git_repo: Path, check: Callable[..., Run]) -> None:
    write(git_repo, {S: GOOD})
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "submission", env={"GIT_AUTHOR_EMAIL": "1234+dee@users.noreply.github.com"})
    assert passes(check())
