"""The package's structure: wings that import one way, no circle, small modules, light start-up per command."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scripts" / "microcred"
ROOT = PACKAGE.parents[1]

# What each wing may import besides itself (cli, on top, may import every wing). Each wing's __init__ says the same.
ALLOWED = {
    "catalog": set(),
    "review": {"catalog"},
    "badges": {"catalog", "review"},
    "verify": {"catalog", "badges"},
    "pullrequests": {"catalog", "badges"},
    "reports": {"catalog", "badges"},
    "site": {"catalog", "badges", "reports"},
}
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that a module imports anywhere in it (also inside functions and TYPE_CHECKING blocks)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if not base.startswith("microcred"):
                continue
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.add(target if target in known else base)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("microcred"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in known and node.value != name:
            found.add(node.value)  # a module loaded by name (the CLI's lazy commands)
    return {target for target in found if target in known and target != name}


def _wing(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else None


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def test_the_wings_are_those_the_rule_names() -> None:
    wings = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert wings == sorted(ALLOWED)
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "cli.py"]


def test_imports_flow_one_way(graph: dict[str, set[str]]) -> None:
    backwards = []
    for module, targets in graph.items():
        wing = _wing(module)
        for target in targets:
            other = _wing(target)
            if wing is None or other is None or other == wing:
                if wing is not None and other is None and target != "microcred":
                    backwards.append(f"{module} -> {target} (a wing imports the top)")
                continue
            if other not in ALLOWED[wing]:
                backwards.append(f"{module} -> {target}")
    assert backwards == []


def test_no_module_imports_itself_in_a_circle(graph: dict[str, set[str]]) -> None:
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                circles.append([*trail[trail.index(target) :], target] if target in trail else [module, target])
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_the_rule_reads_relative_imports_into_wings(tmp_path: Path) -> None:
    """The walk resolves relative imports: a catalog module importing the site wing is seen as such."""
    bad = tmp_path / "bad.py"
    bad.write_text("from ..site.pages import render\nfrom .load import parse\n", encoding="utf-8")
    known = {"microcred.site.pages", "microcred.catalog.load"}
    assert _imports("microcred.catalog.bad", bad, known) == known
    assert _wing("microcred.site.pages") not in ALLOWED["catalog"]


@pytest.mark.parametrize("wing", sorted(ALLOWED))
def test_each_wing_says_what_it_holds_and_may_import(wing: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / wing / "__init__.py").read_text(encoding="utf-8")))
    assert doc is not None and doc.startswith(f"The {wing.replace('pullrequests', 'pull-requests')} wing")
    allowed = ALLOWED[wing]
    if allowed:
        said = doc.split("May import the ", 1)[1].split(" wing", 1)[0]
        assert sorted(w.strip() for w in said.replace(" and ", ", ").split(",")) == sorted(allowed)
    else:
        assert "Imports no other wing" in doc


def test_no_module_is_long() -> None:
    long = {name: n for name, path in _modules().items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


HEAVY = ("github", "jwt", "PIL", "cryptography", "jinja2", "mkdocs", "jsonschema", "http.client")
PROBE = """
import json, sys
from microcred.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
wings = sorted({m.split(".")[1] for m in sys.modules if m.startswith("microcred.") and m.count(".") >= 1})
heavy = sorted(h for h in json.loads(HEAVY) if h in sys.modules)
print(json.dumps({"wings": wings, "heavy": heavy}), file=sys.__stderr__)
"""


def _loaded(*argv: str) -> dict[str, list[str]]:
    code = PROBE.replace("json.loads(HEAVY)", repr(list(HEAVY)))
    run = subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT, capture_output=True, text=True, check=False)
    loaded: dict[str, list[str]] = json.loads(run.stderr.strip().splitlines()[-1])
    return loaded


@pytest.mark.parametrize(
    ("argv", "wings", "heavy"),
    [
        (("validate", "-q"), ["catalog", "cli"], []),
        (("--help",), ["catalog", "cli"], []),
        (("report", "reviews", "--format", "csv"), ["badges", "catalog", "cli", "reports"], []),
        (("revoke", "--help"), ["badges", "catalog", "cli"], []),
        (("verify", "--help"), ["badges", "catalog", "cli", "verify"], ["cryptography", "http.client"]),
        (("gate", "--help"), ["catalog", "cli", "review"], []),
        (("check-pr", "--base", "HEAD", "--author", "a-designer", "-q"), ["badges", "catalog", "cli", "pullrequests"], []),
        (("mint", "--help"), ["badges", "catalog", "cli", "review"], ["cryptography"]),
        (("hash-email", "--email", "a@example.org", "--salt", "00" * 8), ["catalog", "cli", "pullrequests"], []),
    ],
)
def test_each_command_loads_only_the_wings_it_uses(argv: tuple[str, ...], wings: list[str], heavy: list[str]) -> None:
    assert _loaded(*argv) == {"wings": wings, "heavy": heavy}
