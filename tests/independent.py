"""Checks by implementations that are not ours: Digital Bazaar's Data Integrity and status list libraries (npm)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "tests" / "js"


def _node(script: str, files: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """Run tests/js/SCRIPT over the given JSON files (written to tmp_path), and read its one JSON line."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "@digitalbazaar" / "vc-bitstring-status-list").is_dir():
        if os.environ.get("MICROCRED_REQUIRE_BROWSER") == "1":
            pytest.fail("the independent checks need node and `npm ci`")
        pytest.skip("the independent checks need node and `npm ci`")
    for name, data in files.items():
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
    command = [node, str(SCRIPTS / script), *(name for name in files if not name.startswith("_"))]
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    outcome: dict[str, Any] = json.loads(run.stdout)
    return outcome


def data_integrity(credential: dict[str, Any], did_document: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """{"verified": bool, "errors": [...]} for the credential's eddsa-rdfc-2022 proof, the key from the DID document."""
    return _node("verify-proof.mjs", {"credential.json": credential, "did.json": did_document}, tmp_path)


def status(credential: dict[str, Any], did_document: dict[str, Any], lists: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """{"verified": bool, "revoked": bool | None, "errors": [...]}: the credential's status entry read in its signed list."""
    files = {f"_list{n}.json": doc for n, doc in enumerate(lists.values())}
    index = {url: f"_list{n}.json" for n, url in enumerate(lists)}
    return _node("check-status.mjs", {"credential.json": credential, "did.json": did_document, "lists.json": index, **files}, tmp_path)
