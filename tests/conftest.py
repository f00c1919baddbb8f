"""Fixtures for every test: a throwaway catalog repository, the CLI run in-process, no network."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import github
import pytest

from microcred.cli import main
from support import Run, make_repo

# PyGithub binds a handler to whatever sys.stderr is when it is first imported: in a test, a capture that
# the next test closes, so a later retry log would land in another test's output as a logging error. Its
# records still reach pytest's log capture through the root logger.
github.logger.handlers.clear()


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may talk to this machine only."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else ""
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in ("127.0.0.1", "::1", "localhost"):
            raise OSError(f"tests must not reach the network (tried {address!r})")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Run]]:
    """Run `microcred ARGS` in-process from a folder; exit code and output."""

    def run(*args: str, cwd: Path) -> Run:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    yield run
