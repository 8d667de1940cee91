"""House style: ruff's rule set on the whole tree and mypy --strict on the package (pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; `make test` installs it with the test extras")
    return found


def test_ruff_is_clean() -> None:
    proc = subprocess.run([_tool("ruff"), "check", "--output-format", "concise", "toolkit", "tests", "bench"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_is_clean() -> None:
    proc = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _internal_imports() -> dict[str, set[str]]:
    """Module -> the package modules it imports at run time (lazy imports inside functions count)."""
    import ast

    package = ROOT / "toolkit"
    modules: dict[str, Path] = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        here = name if is_package else name.rpartition(".")[0]
        edges: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                       and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
                       for stmt in block.body for n in ast.walk(stmt)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not node.level or id(node) in typing_only:
                continue
            base = here.split(".")
            base = base[:len(base) - (node.level - 1)]
            target = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                edges.add(sub if sub in modules else target)
        graph[name] = {e for e in edges if e in modules and e != name}
    return graph


def test_imports_run_one_way() -> None:
    """No import cycles inside the package (the top-level re-export surface aside)."""
    graph = _internal_imports()
    graph.pop("toolkit", None)
    for edges in graph.values():
        edges.discard("toolkit")
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_rule_modules_do_not_import_the_registry() -> None:
    graph = _internal_imports()
    rule_modules = [m for m in graph if m.startswith("toolkit.rules.")]
    assert len(rule_modules) >= 6
    for module in rule_modules:
        assert "toolkit.rules" not in graph[module], f"{module} imports the registry above it"


#: The parts of the package, lowest first: a part imports only parts before it (and the base).
LAYERS = ("spec", "rules", "lint", "builder", "render", "review", "scaffold", "cli")
BASE = {"toolkit.errors", "toolkit.findings", "toolkit.limits", "toolkit._io", "toolkit._paths", "toolkit.i18n"}


def _part(module: str) -> str:
    if module in BASE:
        return "base"
    return module.split(".")[1] if module.count(".") else "toolkit"


def test_parts_import_downwards_only() -> None:
    """The folder list is the architecture: base < spec < rules < lint < builder < render < review
    < scaffold < cli, and no part imports one above it (lazy imports count)."""
    graph = _internal_imports()
    rank = {"base": -1, **{name: i for i, name in enumerate(LAYERS)}}
    parts = {_part(m) for m in graph} - {"toolkit", "__main__"}
    assert parts == set(rank), f"a part outside the layering: {sorted(parts - set(rank))}"
    upward = sorted(f"{m} -> {t}" for m, edges in graph.items() for t in edges
                    if _part(m) in rank and _part(t) in rank and rank[_part(t)] > rank[_part(m)])
    assert not upward, "imports against the layering: " + "; ".join(upward)
    assert not [m for m in graph if _part(m) == "base" and any(_part(t) != "base" for t in graph[m])]


def test_no_module_over_500_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / "toolkit").rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert not long, f"split these modules: {long}"
