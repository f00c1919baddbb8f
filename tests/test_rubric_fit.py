"""A rubric that does not fit a credential using it is the rubric's mistake: reported at the rubric's own field.

In the base catalog, alpha uses rubrics/alpha.yml, whose criteria score the overview question
'context', the artifact 'plan' and the reflection.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from support import Run, git

RUBRIC, ALPHA, GAMMA = "rubrics/alpha.yml", "catalog/credentials/alpha.yml", "catalog/credentials/gamma.yml"
VIDEO = f"{RUBRIC}:21:19: MC203 criterion 'plan' scores 'video', which is not among the artifacts of the micro-credential 'alpha' [criteria[1].items[1]]"
NO_REFLECTION = f"{RUBRIC}:27:11: MC203 criterion 'impact' scores the reflection part, which the micro-credential 'gamma' does not ask for [criteria[2].part]"
GAMMA_REFLECTION = "  reflection:\n    - id: impact\n      prompt: What changed?\n      word_limit: 300\n"


def edit(repo: Path, rel: str, *edits: tuple[str, str]) -> None:
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def lines(run: Run) -> list[str]:
    return run.out.splitlines()


def scores_a_video(repo: Path) -> None:
    edit(repo, RUBRIC, ("items: [plan]", "items: [plan, video]"))


def gamma_uses_alpha_s_rubric_without_a_reflection(repo: Path) -> None:
    edit(repo, GAMMA, ("rubric: gamma", "rubric: alpha"), (GAMMA_REFLECTION, ""))


@pytest.mark.parametrize("files", [[RUBRIC], [ALPHA, RUBRIC], [ALPHA]], ids=["rubric", "both", "credential"])
def test_the_misfit_is_on_the_rubric_s_line(files: list[str], repo: Path, cli: Callable[..., Run]) -> None:
    scores_a_video(repo)
    run = cli("validate", *files, cwd=repo)
    assert (run.code, lines(run)) == (1, [VIDEO])


def test_the_rubric_is_checked_against_every_credential_using_it(repo: Path, cli: Callable[..., Run]) -> None:
    gamma_uses_alpha_s_rubric_without_a_reflection(repo)
    run = cli("validate", RUBRIC, cwd=repo)
    assert (run.code, lines(run)) == (1, [NO_REFLECTION])
    assert lines(cli("validate", cwd=repo)) == [NO_REFLECTION]  # once, though two credentials use the rubric


def test_a_part_the_rubric_does_not_score(repo: Path, cli: Callable[..., Run]) -> None:
    edit(
        repo,
        RUBRIC,
        (
            "  - id: impact\n    title: Impact is shown\n    part: reflection\n    descriptors:\n      met: Shown.\n      not-yet: Not shown.\n",
            "",
        ),
    )
    run = cli("validate", RUBRIC, cwd=repo)
    expected = f"{RUBRIC}:11:3: MC202 no criterion for the reflection part, which the micro-credential 'alpha' asks for [criteria]"
    assert (run.code, lines(run)) == (1, [expected])


@pytest.fixture
def git_repo(repo: Path) -> Path:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "catalog")
    git(repo, "checkout", "-qb", "proposal")
    return repo


@pytest.mark.parametrize(
    ("change", "expected"),
    [(scores_a_video, VIDEO), (gamma_uses_alpha_s_rubric_without_a_reflection, NO_REFLECTION)],
    ids=["rubric-changed", "credential-changed"],
)
def test_changed_since_places_it_on_the_rubric(
    change: Callable[[Path], None], expected: str, git_repo: Path, cli: Callable[..., Run]
) -> None:
    change(git_repo)
    run = cli("validate", "--changed-since", "main", cwd=git_repo)
    assert (run.code, lines(run)) == (1, [expected])
