"""Synthetic catalogs are valid and reproducible, so benchmarks built on them compare like with like."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from microcred.catalog.synthetic import write_catalog
from support import ROOT, Run


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_generated_catalog_is_valid_with_no_warnings(tmp_path: Path, cli: Callable[..., Run]) -> None:
    write_catalog(tmp_path, 30, schemas=ROOT / "schemas")
    run = cli("validate", "--strict", cwd=tmp_path)
    assert (run.code, run.out) == (0, "")
    credentials = len(list((tmp_path / "catalog" / "credentials").glob("*.yml")))
    assert credentials == 30
    assert run.err.endswith(" file(s) checked: valid, 0 error(s), 0 warning(s)\n")


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    first, again, other = tmp_path / "first", tmp_path / "again", tmp_path / "other"
    write_catalog(first, 30, seed=7)
    write_catalog(again, 30, seed=7)
    write_catalog(other, 30, seed=8)
    files = _files(first)
    assert files == _files(again)
    assert len(files) > 60
    different = _files(other)
    same_names = sorted(different.keys() & files.keys())
    assert any(different[name] != files[name] for name in same_names if name.startswith("catalog/credentials/"))
