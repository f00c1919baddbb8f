"""`microcred revoke`: the exact files it writes, and every refusal."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from microcred.badges.revoke import Revoked, RevokeError, revoke
from microcred.catalog.validate import UsageError
from support import FIXTURES, ROOT, Run

UUID = "7d3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18"
OLD = "c2e8b6f4-9a1d-4f37-b05e-6d4a3c1f8e92"
BASE = "https://three-rivers.example.org/microcredentials/badges/"
REASON = "Evidence was found to be another teacher's work."

REVOKED_ASSERTION = f"""\
{{
  "@context": "https://w3id.org/openbadges/v2",
  "id": "{BASE}assertions/{UUID}.json",
  "type": "Assertion",
  "revoked": true,
  "revocationReason": "{REASON}"
}}
"""
REVOCATIONS = f"""\
{{
  "@context": "https://w3id.org/openbadges/v2",
  "type": "RevocationList",
  "id": "{BASE}revocations.json",
  "issuer": "{BASE}issuer.json",
  "revokedAssertions": [
    {{
      "id": "{BASE}assertions/{UUID}.json",
      "revocationReason": "{REASON}"
    }},
    {{
      "id": "{BASE}assertions/{OLD}.json",
      "revocationReason": "Issued in error: the submission was scored against a draft version of the rubric."
    }}
  ]
}}
"""


@pytest.fixture
def minted(repo: Path) -> Path:
    """The catalog repository with the sample badges, and a baked image beside the valid assertion."""
    shutil.copytree(FIXTURES / "badges", repo / "badges", ignore=shutil.ignore_patterns("*.md"))
    (repo / "badges" / "assertions" / f"{UUID}.png").write_bytes(b"\x89PNG\r\n\x1a\nbaked")
    return repo


def _snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    "given",
    [
        UUID,
        UUID.upper(),
        f"{BASE}assertions/{UUID}.json",
        f"badges/assertions/{UUID}.json",
        f"badges/assertions/{UUID}.png",
        f"{UUID}.json",
    ],
    ids=["uuid", "upper-case", "url", "file", "baked-image", "bare-file-name"],
)
def test_revoke_writes_exactly_two_files(minted: Path, given: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(minted)
    before = _snapshot(minted)
    done = revoke(minted, given, f"  {REASON}\n")
    assert done == Revoked(f"{BASE}assertions/{UUID}.json", (f"badges/assertions/{UUID}.json", "badges/revocations.json"))
    assert (minted / "badges" / "assertions" / f"{UUID}.json").read_text(encoding="utf-8") == REVOKED_ASSERTION
    assert (minted / "badges" / "revocations.json").read_text(encoding="utf-8") == REVOCATIONS
    after = _snapshot(minted)
    assert {rel for rel in after if after[rel] != before.get(rel)} == {f"badges/assertions/{UUID}.json", "badges/revocations.json"}
    assert set(after) == set(before)  # no file added (no temporary left behind) and none removed: the baked image stays


def test_revoking_twice_is_refused(minted: Path) -> None:
    revoke(minted, UUID, REASON)
    before = _snapshot(minted)
    with pytest.raises(RevokeError) as caught:
        revoke(minted, UUID, "Another reason.")
    assert str(caught.value) == f"badges/assertions/{UUID}.json: already revoked ({REASON}); nothing was changed"
    assert _snapshot(minted) == before


def test_an_interrupted_revocation_is_finished(minted: Path) -> None:
    """The list is written first: listed but not yet replaced, revoking again completes it with one entry."""
    listing = json.loads((minted / "badges" / "revocations.json").read_text(encoding="utf-8"))
    listing["revokedAssertions"].insert(0, {"id": f"{BASE}assertions/{UUID}.json", "revocationReason": "draft"})
    (minted / "badges" / "revocations.json").write_text(json.dumps(listing), encoding="utf-8")
    revoke(minted, UUID, REASON)
    assert (minted / "badges" / "revocations.json").read_text(encoding="utf-8") == REVOCATIONS


@pytest.mark.parametrize("failing", [1, 2], ids=["the-list", "the-assertion"])
def test_a_failing_write_leaves_whole_files_and_revoking_again_finishes(minted: Path, failing: int) -> None:
    before = _snapshot(minted)
    real, calls = os.replace, []

    def flaky(source: Any, target: Any) -> None:
        calls.append(Path(target).relative_to(minted).as_posix())
        if len(calls) == failing:
            raise OSError(errno.EIO, "Input/output error", str(target))
        real(source, target)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "replace", flaky)
        with pytest.raises(OSError, match="Input/output error"):
            revoke(minted, UUID, REASON)
    assert calls == ["badges/revocations.json", f"badges/assertions/{UUID}.json"][:failing]
    after = _snapshot(minted)
    assert set(after) == set(before)  # no temporary file left behind
    assert {rel for rel in after if after[rel] != before[rel]} == ({"badges/revocations.json"} if failing == 2 else set())
    revoke(minted, UUID, REASON)
    assert (minted / "badges" / "revocations.json").read_text(encoding="utf-8") == REVOCATIONS
    assert (minted / "badges" / "assertions" / f"{UUID}.json").read_text(encoding="utf-8") == REVOKED_ASSERTION


def test_a_missing_revocation_list_is_started_from_the_issuer(minted: Path) -> None:
    (minted / "badges" / "revocations.json").unlink()
    revoke(minted, UUID, REASON)
    expected = json.loads(REVOCATIONS)
    expected["revokedAssertions"] = expected["revokedAssertions"][:1]
    assert (minted / "badges" / "revocations.json").read_text(encoding="utf-8") == json.dumps(expected, indent=2) + "\n"
    (minted / "badges" / "revocations.json").unlink()
    (minted / "badges" / "issuer.json").unlink()
    shutil.copy(FIXTURES / "badges" / "assertions" / f"{UUID}.json", minted / "badges" / "assertions")
    with pytest.raises(RevokeError) as caught:
        revoke(minted, UUID, REASON)
    assert str(caught.value) == "badges/issuer.json is missing, so the revocation list cannot be started; run `microcred mint` first"


@pytest.mark.parametrize(
    ("given", "reason", "message"),
    [
        (
            "0e3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18",
            REASON,
            "0e3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18: no minted assertion 0e3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18 (badges/assertions/0e3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18.json does not exist)",
        ),
        (UUID, "  ", "--reason: say why the badge is revoked; the reason is published with it"),
        (
            "exit-tickets",
            REASON,
            "exit-tickets: file not understood; give the assertion's uuid (UUID), its file (badges/assertions/UUID.json, or UUID.json) "
            "or its URL (…/badges/assertions/UUID.json)",
        ),
        (
            f"{BASE}classes/exit-tickets-1.0.0.json",
            REASON,
            f"{BASE}classes/exit-tickets-1.0.0.json: URL not understood; give the assertion's uuid (UUID), its file "
            "(badges/assertions/UUID.json, or UUID.json) or its URL (…/badges/assertions/UUID.json)",
        ),
        ("/etc/passwd", REASON, "/etc/passwd: not a file of the catalog repository ROOT"),
        (
            f"{UUID}.yml",
            REASON,
            f"{UUID}.yml: file not understood; give the assertion's uuid (UUID), its file (badges/assertions/UUID.json, or UUID.json) "
            "or its URL (…/badges/assertions/UUID.json)",
        ),
    ],
    ids=["unknown", "no-reason", "not-an-assertion", "class-url", "outside", "bare-name-not-json"],
)
def test_usage_errors(minted: Path, given: str, reason: str, message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(minted)
    before = _snapshot(minted)
    with pytest.raises(UsageError) as caught:
        revoke(minted, given, reason)
    assert str(caught.value) == message.replace("ROOT", str(minted))
    assert _snapshot(minted) == before


def test_an_assertion_that_is_not_where_its_id_says(minted: Path) -> None:
    path = minted / "badges" / "assertions" / f"{UUID}.json"
    path.write_text(path.read_text(encoding="utf-8").replace(f"{UUID}.json", "elsewhere.json"), encoding="utf-8")
    with pytest.raises(RevokeError) as caught:
        revoke(minted, UUID, REASON)
    assert (
        str(caught.value)
        == f"badges/assertions/{UUID}.json: its id '{BASE}assertions/elsewhere.json' is not the URL of this file on the site"
    )


def test_command(minted: Path, cli: Callable[..., Run]) -> None:
    done = cli("revoke", UUID, "--reason", REASON, cwd=minted)
    assert (done.code, done.out) == (
        0,
        f"revoked {BASE}assertions/{UUID}.json\n  wrote badges/assertions/{UUID}.json\n  wrote badges/revocations.json\n",
    )
    assert (
        done.err
        == "microcred: commit these files and merge them by pull request; the site shows the badge revoked after the next publish\n"
    )
    again = cli("revoke", UUID, "--reason", REASON, "--root", str(minted), cwd=minted.parent)
    assert (again.code, again.out, again.err) == (
        1,
        "",
        f"microcred: error: badges/assertions/{UUID}.json: already revoked ({REASON}); nothing was changed\n",
    )
    unknown = cli("revoke", "0e3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18", "--reason", REASON, cwd=minted)
    assert unknown.code == 2
    assert unknown.err.startswith("microcred: error: 0e3f2a9c-1e4b-4c6a-8f5d-2b9e0c7a4d18: no minted assertion")
    with pytest.raises(SystemExit) as stopped:
        cli("revoke", UUID, cwd=minted)
    assert stopped.value.code == 2  # argparse: --reason is required


# -- a stack badge claims every member: revoking a member revokes it ------------------------------------

SAMPLE = "https://three-rivers.example.org/microcredentials/badges/assertions/"
STACK = "39bf8b4c-fa0f-5e3f-86b7-7c00c293b1b8"  # nsato: culturally responsive practice
CIRCLES = "d86c348f-e792-56c1-8ea7-504b8bc1c638"  # nsato: restorative circles, a member of it
OBELLO = "a53891ea-fa7e-5c4e-b4db-a1d634d07df6"  # obello: exit tickets, in no stack
SAMPLE_REVOKED = "ccc304c4-2444-5abb-b870-1110b12f851b"
BECAUSE = f"a member badge was revoked: {SAMPLE}{CIRCLES}.json: {REASON}"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of this repository's sample catalog, records and minted badges."""
    for name in ("catalog", "rubrics", "schemas", "submissions", "records", "badges"):
        shutil.copytree(ROOT / name, tmp_path / "sample" / name)
    return tmp_path / "sample"


def _gone(uuid: str, reason: str) -> dict[str, Any]:
    return {
        "@context": "https://w3id.org/openbadges/v2",
        "id": f"{SAMPLE}{uuid}.json",
        "type": "Assertion",
        "revoked": True,
        "revocationReason": reason,
    }


def _listed(root: Path) -> list[tuple[str, str]]:
    entries = json.loads((root / "badges/revocations.json").read_text(encoding="utf-8"))["revokedAssertions"]
    return [(e["id"].removeprefix(SAMPLE), e["revocationReason"]) for e in entries]


def test_revoking_a_member_revokes_the_stack_badge_and_mint_leaves_it(
    sample: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(sample)
    done = cli("revoke", f"{CIRCLES}.json", "--reason", REASON, cwd=sample)
    assert (done.code, done.out) == (
        0,
        f"revoked {SAMPLE}{CIRCLES}.json\n"
        f"revoked {SAMPLE}{STACK}.json too: the stack badge it is a member of\n"
        f"  wrote badges/assertions/{CIRCLES}.json\n"
        f"  wrote badges/assertions/{STACK}.json\n"
        "  wrote badges/revocations.json\n",
    )
    after = _snapshot(sample)
    assert {rel for rel in after if after[rel] != before.get(rel)} == {
        f"badges/assertions/{CIRCLES}.json",
        f"badges/assertions/{STACK}.json",
        "badges/revocations.json",
    }
    assert json.loads((sample / f"badges/assertions/{STACK}.json").read_text(encoding="utf-8")) == _gone(STACK, BECAUSE)
    assert json.loads((sample / f"badges/assertions/{CIRCLES}.json").read_text(encoding="utf-8")) == _gone(CIRCLES, REASON)
    assert _listed(sample) == [
        (f"{STACK}.json", BECAUSE),
        (
            f"{SAMPLE_REVOKED}.json",
            json.loads((ROOT / "badges/revocations.json").read_text(encoding="utf-8"))["revokedAssertions"][0]["revocationReason"],
        ),
        (f"{CIRCLES}.json", REASON),
    ]
    # mint skips revoked ids: the stack badge is not minted again, and nothing else is written
    for name in ("MICROCRED_SIGNING_KEY", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)
    again = cli("mint", "--offline", "--now", "2027-01-01T00:00:00Z", cwd=sample)
    assert (again.code, again.out) == (0, "")
    assert again.err.endswith("microcred: minted 0 badges (0 stack badges); skipped 0\n")
    assert _snapshot(sample) == after


def test_a_badge_in_no_stack_revokes_only_itself(sample: Path) -> None:
    done = revoke(sample, OBELLO, REASON)
    assert done == Revoked(f"{SAMPLE}{OBELLO}.json", (f"badges/assertions/{OBELLO}.json", "badges/revocations.json"), ())


def test_a_stack_badge_already_revoked_is_left_as_it_is(sample: Path) -> None:
    revoke(sample, STACK, "Revoked on its own.")
    stack = (sample / f"badges/assertions/{STACK}.json").read_bytes()
    done = revoke(sample, CIRCLES, REASON)
    assert (done.written, done.stacks) == ((f"badges/assertions/{CIRCLES}.json", "badges/revocations.json"), ())
    assert (sample / f"badges/assertions/{STACK}.json").read_bytes() == stack
    assert (f"{STACK}.json", "Revoked on its own.") in _listed(sample)


def test_an_interrupted_cascade_is_finished_by_revoking_the_member_again(sample: Path) -> None:
    """The list, then the stack, then the member: stopped before the member, revoking it again completes the job."""
    real, calls = os.replace, []

    def flaky(source: Any, target: Any) -> None:
        calls.append(Path(target).relative_to(sample).as_posix())
        if len(calls) == 3:
            raise OSError(errno.EIO, "Input/output error", str(target))
        real(source, target)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "replace", flaky)
        with pytest.raises(OSError, match="Input/output error"):
            revoke(sample, CIRCLES, REASON)
    assert calls == ["badges/revocations.json", f"badges/assertions/{STACK}.json", f"badges/assertions/{CIRCLES}.json"]
    assert json.loads((sample / f"badges/assertions/{CIRCLES}.json").read_text(encoding="utf-8")).get("revoked") is None
    done = revoke(sample, CIRCLES, REASON)
    assert done.stacks == ()  # already replaced in the first run
    assert json.loads((sample / f"badges/assertions/{STACK}.json").read_text(encoding="utf-8")) == _gone(STACK, BECAUSE)
    assert [rel for rel, _ in _listed(sample)] == [f"{STACK}.json", f"{SAMPLE_REVOKED}.json", f"{CIRCLES}.json"]
