"""The 1EdTech Open Badges 2.0 validator (PyPI `openbadges` 1.1.2) on hosted badges served from 127.0.0.1.

The validator lives in its own venv, .venv-ob (scripts/setup-ob-validator.sh), and runs through
tests/fixtures/verify/run_ob_validator.py, which answers its request for the JSON-LD context
https://w3id.org/openbadges/v2 from the reference copy in ../shared/reference/openbadges/ and lets it
reach nothing but 127.0.0.1. The badges are served with their ids moved to the local server: the
hand-written samples of tests/fixtures/badges, and the site `microcred build` makes of this repository.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from microcred.cli import main
from support import FIXTURES, REFERENCE, ROOT
from test_mint import NOW, mint, seed_copy

PYTHON = ROOT / ".venv-ob" / "bin" / "python"
CONTEXT = REFERENCE / "ob_v2p0_context.json"
RUNNER = FIXTURES / "verify" / "run_ob_validator.py"
PUBLISHED = "https://three-rivers.example.org/microcredentials/"
VALID = "badges/assertions/7d3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18.json"
REVOKED = "badges/assertions/c2e8b6f4-9a1d-4f37-b05e-6d4a3c1f8e92.json"


@pytest.fixture(autouse=True)
def validator() -> None:
    """The validator's venv and the context it needs; CI (MICROCRED_REQUIRE_BROWSER=1) fails without the venv."""
    if not PYTHON.exists():
        message = f"the Open Badges validator is not installed ({PYTHON} is missing); run scripts/setup-ob-validator.sh"
        if os.environ.get("MICROCRED_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    if not CONTEXT.is_file():
        pytest.skip(f"the reference Open Badges 2.0 context is absent ({CONTEXT}); the validator would fetch it from the internet")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served on 127.0.0.1 (the site's root), and the URL the badges' base URL becomes."""
    folder = tmp_path / "www"
    folder.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(folder)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}/microcredentials/"
    finally:
        server.shutdown()
        server.server_close()


def _publish(badges: Path, folder: Path, site_url: str, local: str) -> None:
    """Copy a badges/ folder under /microcredentials/, its ids moved from site_url to the local server."""
    target = folder / "microcredentials" / "badges"
    shutil.copytree(badges, target, ignore=shutil.ignore_patterns("*.md"))
    for path in target.rglob("*.json"):
        path.write_text(path.read_text(encoding="utf-8").replace(site_url, local), encoding="utf-8")


def _validate(*badges: dict[str, str | None]) -> list[dict[str, Any]]:
    run = subprocess.run(
        [str(PYTHON), str(RUNNER), str(CONTEXT)],
        input=json.dumps(list(badges)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", ""), "NO_PROXY": "127.0.0.1"},
    )
    assert run.returncode == 0, run.stderr
    return list(json.loads(run.stdout))


def test_sample_badges(served: tuple[Path, str]) -> None:
    folder, local = served
    _publish(FIXTURES / "badges", folder, PUBLISHED, local)
    valid, wrong_email, revoked = _validate(
        {"url": local + VALID, "email": "jordan.avery@alder-creek.example.org"},
        {"url": local + VALID, "email": "someone.else@example.org"},
        {"url": local + REVOKED, "email": None},
    )
    assert (valid["valid"], valid["errors"], valid["warnings"]) == (True, [], [])
    assert wrong_email["valid"] is False
    # The validator shortens the assertion's id in this message, by a length that depends on the port.
    assert wrong_email["errors"][0].startswith("Profile _:b")
    assert " identifier(s) someone.else@example.org of type email did not match assertion http://127.0.0.1:" in wrong_email["errors"][0]
    assert wrong_email["errors"][0].endswith(" recipient hash sha256$c681b29db6bb653bf6b4567e6e9a8399879a20226c4f1065ecadadb3103c68c3.")
    # Validator 1.1.2 checks revocation lists for signed badges only: a hosted assertion in its revoked form
    # is reported invalid, for lacking what a badge must have.
    assert revoked["valid"] is False
    assert revoked["errors"][:4] == [
        f"Required property {name} not present in unknown type node {local}{REVOKED}"
        for name in ("recipient", "badge", "verification", "issuedOn")
    ]


def test_the_built_sites_hosted_assertions(served: tuple[Path, str], tmp_path: Path) -> None:
    """Every assertion of the site built from this repository, sample badges included, as the validator sees it."""
    repo = tmp_path / "repo"
    for name in ("catalog", "rubrics", "schemas", "submissions", "records", "badges", "docs"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("catalog") if name == "docs" else None)
    shutil.copyfile(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    assert main(["build", "--root", str(repo), "--quiet"]) == 0
    site = repo / "site"
    assertions = sorted((site / "badges" / "assertions").glob("*.json"))
    assert len(assertions) == 6  # the sample badges: five credentials (one revoked) and a stack
    site_url = yaml.safe_load((ROOT / "catalog" / "consortium.yml").read_text(encoding="utf-8"))["site_url"]
    folder, local = served
    _publish(site / "badges", folder, site_url, local)
    revoked = {path.name for path in assertions if json.loads(path.read_text(encoding="utf-8")).get("revoked") is True}
    assert len(revoked) == 1
    results = _validate(*({"url": f"{local}badges/assertions/{path.name}", "email": None} for path in assertions))
    for path, result in zip(assertions, results, strict=True):
        if path.name in revoked:  # 1.1.2 reads a revoked hosted assertion as one lacking what a badge must have
            assert result["valid"] is False
            assert result["errors"][:4] == [
                f"Required property {name} not present in unknown type node {local}badges/assertions/{path.name}"
                for name in ("recipient", "badge", "verification", "issuedOn")
            ]
        else:
            assert (path.name, result["valid"], result["errors"], result["warnings"]) == (path.name, True, [], [])
    print(f"{len(assertions)} assertions of the built site checked ({len(revoked)} revoked)", file=sys.stderr)


def test_badges_minted_now_without_an_image_of_their_own(served: tuple[Path, str], tmp_path: Path) -> None:
    """The sample catalog minted afresh: assertions that name no image (their class's artwork is the image) validate."""
    repo = seed_copy(tmp_path / "seed", badges=False)
    assert mint(repo, "--offline", *NOW).code == 0
    assertions = sorted((repo / "badges/assertions").glob("*.json"))
    assert len(assertions) == 6 and not list((repo / "badges/assertions").glob("*.png"))
    assert all("image" not in json.loads(path.read_text(encoding="utf-8")) for path in assertions)
    site_url = yaml.safe_load((repo / "catalog" / "consortium.yml").read_text(encoding="utf-8"))["site_url"]
    folder, local = served
    _publish(repo / "badges", folder, site_url, local)
    results = _validate(*({"url": f"{local}badges/assertions/{path.name}", "email": None} for path in assertions))
    assert [(path.name, r["valid"], r["errors"], r["warnings"]) for path, r in zip(assertions, results, strict=True)] == [
        (path.name, True, [], []) for path in assertions
    ]


def test_badges_of_a_badge_site_validate_where_the_issuer_allows_their_site(served: tuple[Path, str], tmp_path: Path) -> None:
    """A badge site on the issuer's origin: the widened startsWith accepts its badges, the catalog's own prefix would not."""
    repo = seed_copy(tmp_path / "seed", badges=False)
    consortium = repo / "catalog" / "consortium.yml"
    site_url = yaml.safe_load(consortium.read_text(encoding="utf-8"))["site_url"]
    origin = site_url.removesuffix("microcredentials/")
    consortium.write_text(consortium.read_text(encoding="utf-8") + f'badge_sites:\n  - url: {origin}badges-2026/\n    from: "2026-05-01"\n')
    assert mint(repo, "--offline", *NOW).code == 0
    folder, local = served
    local_origin = local.removesuffix("microcredentials/")
    for where in ("microcredentials", "badges-2026"):  # each site publishes the repository's badges/; ids say which is whose
        target = folder / where / "badges"
        shutil.copytree(repo / "badges", target)
        for path in target.rglob("*.json"):
            path.write_text(path.read_text(encoding="utf-8").replace(origin, local_origin), encoding="utf-8")
    issuer = json.loads((folder / "microcredentials/badges/issuer.json").read_text(encoding="utf-8"))
    assert issuer["verification"] == {"type": "VerificationObject", "startsWith": local_origin}
    ids = [json.loads(p.read_text(encoding="utf-8"))["id"] for p in sorted((folder / "badges-2026/badges/assertions").glob("*.json"))]
    moved = [i for i in ids if "/badges-2026/" in i]
    assert len(moved) == 2  # the last credential badge, merged 2026-05-26, and the stack it completed
    results = _validate(*({"url": url, "email": None} for url in moved))
    assert [(r["valid"], r["errors"], r["warnings"]) for r in results] == [(True, [], [])] * 2
    narrow = {**issuer, "verification": {"type": "VerificationObject", "startsWith": f"{local}badges/assertions/"}}
    (folder / "microcredentials/badges/issuer.json").write_text(json.dumps(narrow), encoding="utf-8")
    refused = _validate(*({"url": url, "email": None} for url in moved))
    assert [(r["valid"], r["errors"]) for r in refused] == [
        (False, [f"Assertion id {url}does not start with any permitted values in its issuer's verification policy."]) for url in moved
    ]
