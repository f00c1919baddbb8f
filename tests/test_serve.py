"""`microcred serve`: a real preview server on 127.0.0.1 that follows catalog edits."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from support import ROOT, Run
from test_build import _site_repo


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a loopback URL built above
        return str(response.read().decode("utf-8"))


def _wait_for(url: str, needle: str, deadline: float) -> str:
    last = ""
    while time.monotonic() < deadline:
        try:
            last = _fetch(url)
            if needle in last:
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {needle!r}; last page began {last[:200]!r}")


def test_serve_regenerates_pages_when_a_credential_changes(tmp_path: Path) -> None:
    repo = _site_repo(tmp_path)
    (repo / "badges/assertions").mkdir(parents=True)
    (repo / "badges/assertions/sample.json").write_text('{"id": "sample"}\n')
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    server = subprocess.Popen(
        [sys.executable, "-m", "microcred", "serve", "--address", f"127.0.0.1:{port}"],
        cwd=repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/microcredentials/catalog/credentials/exit-tickets/"
        _wait_for(url, "Exit Tickets That Shape the Next Lesson", time.monotonic() + 60)
        path = repo / "catalog/credentials/exit-tickets.yml"
        path.write_text(path.read_text().replace("title: Exit Tickets That Shape the Next Lesson", "title: Exit Tickets, Revised"))
        _wait_for(url, "Exit Tickets, Revised", time.monotonic() + 60)
        # The minted badges are in the preview too, at their place under the site's path.
        assert _fetch(f"http://127.0.0.1:{port}/microcredentials/badges/assertions/sample.json") == '{"id": "sample"}\n'
    finally:
        os.killpg(server.pid, signal.SIGINT)
        output = server.communicate(timeout=20)[0]
    assert "Traceback" not in output
    assert f"serving on http://127.0.0.1:{port}/microcredentials/ (Ctrl-C stops)" in output
    assert not (repo / "docs/badges").exists() and not (repo / "docs/badges").is_symlink()  # the preview's link is gone


def test_serve_refuses_a_public_address(cli: Callable[..., Run]) -> None:
    run = cli("serve", "--address", "0.0.0.0:8000", cwd=ROOT)
    assert run.code == 2
    assert run.err == "microcred: error: --address 0.0.0.0:8000: give 127.0.0.1:PORT; the preview is for this machine only\n"
