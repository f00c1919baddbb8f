"""A rubric has a page of its own only when two or more micro-credentials use it; otherwise its one credential's page,
which shows the whole table, is where it is read.

In the base catalog here, beta (made a draft or retired: those count too) is scored by alpha's rubric,
gamma by its own, and the rubric beta had scores nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from microcred.catalog.validate import validate
from microcred.site.pages import render

LINK_TO_ALPHA = "The [scoring guide](../rubrics/alpha.md) is the same one reviewers use."
SHOWN_HERE = "The [scoring guide](#rubric) shown here is the same one reviewers use."
HOW = {"alpha": "Reviewers score alpha and beta alike.", "gamma": "Reviewers score gamma from the evidence alone."}


@pytest.fixture(params=["draft", "retired"])
def pages(repo: Path, request: pytest.FixtureRequest) -> dict[str, str]:
    beta = repo / "catalog/credentials/beta.yml"
    beta.write_text(beta.read_text().replace("status: published", f"status: {request.param}").replace("rubric: beta", "rubric: alpha"))
    for name, how in HOW.items():
        rubric = repo / f"rubrics/{name}.yml"
        rubric.write_text(rubric.read_text() + f"description: {how}\n")
    result = validate(repo, model=True)
    assert result.errors == [] and result.catalog is not None
    return render(result.catalog)


def test_only_a_shared_rubric_gets_a_page(pages: dict[str, str]) -> None:
    assert sorted(p for p in pages if p.startswith("catalog/rubrics/")) == ["catalog/rubrics/alpha.md"]
    rubric = pages["catalog/rubrics/alpha.md"]
    assert "Scores the micro-credential [Alpha](../credentials/alpha.md)." in rubric
    assert "Scores the micro-credential [Beta](../credentials/beta.md)." in rubric
    assert HOW["alpha"] in rubric and "| **Context is clear** | Overview: Context | Clear. | Unclear. |" in rubric


@pytest.mark.parametrize("credential", ["alpha", "beta"])
def test_the_credentials_of_a_shared_rubric_link_to_its_page(pages: dict[str, str], credential: str) -> None:
    page = pages[f"catalog/credentials/{credential}.md"]
    assert page.count("rubrics/") == 1 and LINK_TO_ALPHA in page
    assert SHOWN_HERE not in page and HOW["alpha"] not in page  # the rubric's page says how reviewers apply it
    assert "| **Context is clear** | Overview: Context | Clear. | Unclear. |" in page  # and the table is here too


def test_a_rubric_of_one_credential_is_shown_on_its_page_alone(pages: dict[str, str]) -> None:
    page = pages["catalog/credentials/gamma.md"]
    assert "rubrics/" not in page
    rubric = page.split("\n## Rubric\n\n", 1)[1].split("\n## ", 1)[0]
    assert rubric.splitlines() == [
        "Reviewers score gamma from the evidence alone.",
        "",
        "| Criterion | Part | Demonstrated | Not yet |",
        "| --- | --- | --- | --- |",
        "| **Context is clear** | Overview: Context | Clear. | Unclear. |",
        "| **Plan is sound** | Artifacts: Plan | Sound. | Not sound. |",
        "| **Impact is shown** | Reflection | Shown. | Not shown. |",
        "",
        "**To earn it:** Every criterion must be met. Levels that meet the bar: Demonstrated.",
        "",
        SHOWN_HERE,
    ]
