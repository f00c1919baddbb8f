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

import pytest

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


def _start(repo: Path, port: int, *flags: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "microcred", "serve", "--address", f"127.0.0.1:{port}", *flags],
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(ROOT / "scripts")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _port_is_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.parametrize(
    ("stop", "flags"), [(signal.SIGTERM, ()), (signal.SIGINT, ()), (signal.SIGTERM, ("-q",))], ids=["sigterm", "ctrl-c", "quiet"]
)
def test_stopping_serve_stops_mkdocs(tmp_path: Path, stop: signal.Signals, flags: tuple[str, ...]) -> None:
    repo = _site_repo(tmp_path)
    port = _free_port()
    server = _start(repo, port, *flags)
    try:
        _wait_for(f"http://127.0.0.1:{port}/microcredentials/", "Three Rivers", time.monotonic() + 60)
        # Redirects: the site's path without its slash, and a page's folder without its slash.
        for path in ("/microcredentials", "/microcredentials/catalog"):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                assert response.url.endswith("/")
        (child,) = _children(server.pid)
        os.kill(server.pid, stop)  # the serve process alone, as a service manager or `kill` does
        output = server.communicate(timeout=30)[0]
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert server.returncode == 0
    assert not Path(f"/proc/{child}").exists(), "mkdocs serve outlived microcred serve"
    assert _port_is_free(port)
    assert "Traceback" not in output and "WARNING" not in output and "code 302" not in output
    if flags:
        assert output == ""
    else:
        assert f"microcred: serving on http://127.0.0.1:{port}/microcredentials/ (Ctrl-C stops)\n" in output
        assert f"Serving on http://127.0.0.1:{port}/microcredentials/\n" in output  # mkdocs still speaks without -q
