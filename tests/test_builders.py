"""`microcred build --builder`: mkdocs and Zensical build the same pages from the same docs/, Pagefind indexes either."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from microcred.cli import main
from microcred.site.builders import BUILDERS, zensical_config
from microcred.site.theme import TEMPLATES
from support import Run
from test_build import _site_repo

TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """The sample catalog built once with each builder, each into a folder outside the repository."""
    repo = _site_repo(tmp_path_factory.mktemp("builders"))
    out = tmp_path_factory.mktemp("sites")
    for builder in BUILDERS:
        assert main(["build", "--root", str(repo), "--site", str(out / builder), "--builder", builder, "-q"]) == 0
    return repo, {builder: out / builder for builder in BUILDERS}


def _pages(site: Path) -> dict[str, str]:
    """Each HTML page by path, with its <title>."""
    return {p.relative_to(site).as_posix(): TITLE.search(p.read_text(encoding="utf-8")).group(1) for p in site.rglob("*.html")}  # type: ignore[union-attr]


def test_both_builders_make_the_same_pages_with_the_same_titles(sites: tuple[Path, dict[str, Path]]) -> None:
    _, built = sites
    mkdocs, zensical = _pages(built["mkdocs"]), _pages(built["zensical"])
    assert sorted(mkdocs) == sorted(zensical)
    assert mkdocs == zensical
    assert "catalog/credentials/exit-tickets/index.html" in mkdocs and "search/index.html" in mkdocs


def test_pagefind_indexes_the_same_pages_of_either_site(sites: tuple[Path, dict[str, Path]]) -> None:
    _, built = sites
    for builder, site in built.items():
        marked = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "<div data-pagefind-body>" in p.read_text())
        entry = json.loads((site / "pagefind/pagefind-entry.json").read_text())
        assert entry["languages"]["en"]["page_count"] == len(marked) > 20, builder
        assert (site / "pagefind/pagefind.js").is_file() and 'form class="mc-search"' in (site / "index.html").read_text(), builder
    marked = {
        b: sorted(p.relative_to(s).as_posix() for p in s.rglob("*.html") if "data-pagefind-body" in p.read_text()) for b, s in built.items()
    }
    assert marked["mkdocs"] == marked["zensical"]


def test_zensical_leaves_nothing_in_the_repository_and_has_no_search_of_its_own(sites: tuple[Path, dict[str, Path]]) -> None:
    repo, built = sites
    assert [p.name for p in repo.iterdir() if p.name.startswith(".zensical")] == []
    index = json.loads((built["zensical"] / "search.json").read_text())
    assert index["items"] == []  # its own search is off: Pagefind searches the site


def test_the_zensical_configuration_keeps_the_site_and_swaps_what_mkdocs_alone_reads() -> None:
    text = "site_name: X\ntheme:\n  name: material\n  features: [navigation.tabs]\nplugins:\n  - microcred\n  - tags\nsite_dir: site\n"
    config = yaml.safe_load(zensical_config(text, ".zensical-abc"))
    assert config == {
        "site_name": "X",
        "theme": {"name": "material", "features": ["navigation.tabs"], "custom_dir": str(TEMPLATES)},
        "plugins": ["tags", {"search": {"enabled": False}}],
        "site_dir": ".zensical-abc",
    }


def test_a_configuration_zensical_cannot_read_is_a_clear_error(tmp_path: Path, cli: Callable[..., Run]) -> None:
    repo = _site_repo(tmp_path)
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text() + "extra:\n  emoji: !!python/name:material.extensions.emoji.twemoji\n")
    run = cli("build", "-q", "--builder", "zensical", cwd=repo)
    assert run.code == 2
    assert run.err.startswith(
        "microcred: error: mkdocs.yml: Zensical builds read it as plain YAML, and it is not: could not determine a constructor"
    )
    assert not (repo / "site").exists()


def test_commands_that_do_not_build_with_zensical_never_load_it() -> None:
    probe = "import sys; from microcred.cli import main; main(['validate', '-q']); print('zensical' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert run.stdout == "False\n", run.stderr
