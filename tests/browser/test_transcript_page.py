"""A printed transcript, in Chromium: its QR codes lead to the badge pages, and it passes axe."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from support import FIXTURES

sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python: pip install playwright")
zxingcpp = pytest.importorskip("zxingcpp", reason="the QR check needs zxing-cpp: pip install zxing-cpp")
Image = pytest.importorskip("PIL.Image")

CREDIT = "credit:\n  units:\n    - unit: pdp\n      amount: 6\n      area: Professional Learning\n"


@pytest.fixture(scope="module")
def transcripts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("transcript")
    repo = base / "repo"
    shutil.copytree(FIXTURES / "history", repo)
    shutil.copytree(FIXTURES.parent.parent / "schemas", repo / "schemas")
    with (repo / "catalog/districts/north.yml").open("a", encoding="utf-8") as district:
        district.write(CREDIT)
    out = base / "out"
    run = subprocess.run(
        [sys.executable, "-m", "microcred", "report", "transcript", "--root", str(repo), "--district", "north",
         "--roster", str(FIXTURES / "roster/north.csv"), "--transcripts", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return out


def _open(page: Any, transcripts: Path, site: Path) -> None:
    """The page as HR opens it, served from the test server (the browser reaches nothing else)."""
    shutil.copyfile(transcripts / "N-0041.html", site / "__transcript.html")
    page.goto("__transcript.html")


def test_each_qr_code_decodes_to_its_badge_page(page: Any, transcripts: Path, site: Path) -> None:
    _open(page, transcripts, site)
    badges = page.locator("section.badge")
    assert badges.count() == 5
    for i in range(badges.count()):
        badge = badges.nth(i)
        shown = badge.locator("a").first.inner_text()
        picture = Image.open(io.BytesIO(badge.locator("svg").screenshot()))
        assert [code.text for code in zxingcpp.read_barcodes(picture)] == [shown]
        assert shown.startswith("https://consortium.example.org/catalog/badges/earned/")


def test_the_transcript_passes_axe(page: Any, transcripts: Path, axe_script: str, site: Path) -> None:
    _open(page, transcripts, site)
    page.add_script_tag(url=axe_script)
    violations = page.evaluate("async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})).violations")
    assert [v["id"] for v in violations] == []
