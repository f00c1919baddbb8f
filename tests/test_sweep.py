"""A mint run with nothing new stops at the stamp of the last full sweep; any change means a full sweep (real git repositories)."""

from __future__ import annotations

import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from microcred.cli import main
from support import git
from test_mint import DEE_ALPHA, DEE_BASICS, DEE_BETA, KEY, MINTED, NO_KEY, NOW, mint, mint_repo, pem, snapshot

FAST = "microcred: minted 0 badges: nothing new since the last sweep (its stamp is in badges/swept/)\n"
FULL = NO_KEY + "microcred: minted 0 badges (0 stack badges); skipped 0\n"
HELD = ("submissions/beta/dee-beta-1.yml", "records/beta/dee-beta-1.yml")


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def stamps(repo: Path) -> list[str]:
    return sorted(p.name for p in (repo / "badges/swept").iterdir())


@pytest.fixture
def swept(tmp_path: Path) -> Path:
    """A committed repository minted once (dee's beta submission held back) and the mint committed."""
    repo = mint_repo(tmp_path / "repo")
    for rel in HELD:
        (tmp_path / "held" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(repo / rel, tmp_path / "held" / rel)
    commit(repo, "catalog")
    first = mint(repo, "--offline", *NOW)
    assert (first.code, first.out.splitlines()) == (0, [MINTED[0], MINTED[1], MINTED[3]])
    assert len(stamps(repo)) == 1 and (repo / "badges/swept" / stamps(repo)[0]).read_bytes() == b""
    commit(repo, "Mint badges")
    return repo


def test_a_run_with_nothing_new_stops_at_the_stamp_and_writes_nothing(swept: Path) -> None:
    before = snapshot(swept)
    again = mint(swept, "--offline", *NOW)
    assert (again.code, again.out, again.err) == (0, "", FAST)
    assert snapshot(swept) == before


def test_a_merge_means_a_full_sweep_and_a_new_stamp_in_place_of_the_old(swept: Path, tmp_path: Path) -> None:
    old = stamps(swept)
    for rel in HELD:
        shutil.move(tmp_path / "held" / rel, swept / rel)
    commit(swept, "merge dee's beta submission")
    run = mint(swept, "--offline", *NOW)
    assert (run.code, run.out.splitlines()) == (0, [MINTED[2], MINTED[4]])  # the badge, and the stack it completes
    assert (swept / f"badges/assertions/{DEE_BETA}.json").is_file() and (swept / f"badges/assertions/{DEE_BASICS}.json").is_file()
    assert len(stamps(swept)) == 1 and stamps(swept) != old
    commit(swept, "Mint badges")
    assert mint(swept, "--offline", *NOW).err == FAST


def test_an_uncommitted_change_means_a_full_sweep_and_no_stamp(swept: Path) -> None:
    old = stamps(swept)
    path = swept / "catalog/consortium.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    run = mint(swept, "--offline", *NOW)
    assert (run.code, run.out, run.err) == (0, "", FULL)
    assert stamps(swept) == old  # a state that is not committed is never stamped


def test_a_deleted_assertion_means_a_full_sweep_that_mints_it_again(swept: Path) -> None:
    path = swept / f"badges/assertions/{DEE_ALPHA}.json"
    minted = path.read_bytes()
    path.unlink()
    run = mint(swept, "--offline", *NOW)
    assert (run.code, run.out.splitlines()) == (0, [MINTED[0]])
    assert path.read_bytes() == minted


def test_a_revocation_or_another_key_means_a_full_sweep(swept: Path) -> None:
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        assert main(["revoke", "--root", str(swept), DEE_ALPHA, "--reason", "Withdrawn."]) == 0
    commit(swept, "revoke")
    run = mint(swept, "--offline", *NOW)
    assert (run.code, run.out, run.err) == (0, "", FULL)
    commit(swept, "Mint badges")
    assert mint(swept, "--offline", *NOW).err == FAST
    keyed = mint(swept, "--offline", *NOW, env={"MICROCRED_SIGNING_KEY": pem(KEY)})
    assert (keyed.code, keyed.err) == (0, "microcred: minted 0 badges (0 stack badges); skipped 0\n")
    assert (swept / "badges/issuer-v3.json").is_file()  # the full sweep published the new key's documents


def test_outside_git_every_run_is_a_full_sweep(tmp_path: Path) -> None:
    repo = mint_repo(tmp_path / "repo")  # a repository without a commit
    assert mint(repo, "--offline", *NOW).code == 0
    assert not (repo / "badges/swept").exists()
    assert mint(repo, "--offline", *NOW).err == FULL
