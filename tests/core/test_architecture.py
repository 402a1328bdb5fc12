"""The house rules, checked against the code itself: docs/architecture.md names every
module, imports point one way, and no module or function outgrows a reader (data tables
excepted)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.kit.local import ROOT

PACKAGE = ROOT / "claude_doctor"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
MODULE_LINES = 500
FUNCTION_LINES = 80

#: Areas that the core (the data, the engine, the verdict, the report) never imports.
ABOVE_CORE = ("checks", "guided", "pipeline", "commands", "cli")
#: What no check imports: checks find, they never decide, render, ask or run commands.
NOT_FOR_CHECKS = ("guided", "pipeline", "commands", "cli", "render", "decide", "engine")
#: The only imports from one branch package into another (``which uses what``).
BRANCH_USES = {
    ("login", "route"),  # the login check reads the route's credentials and words
    ("network", "login"),  # a certificate failing on dates asks the one clock judgement
    ("session", "payload"),  # a session's failing request goes through the payload validator
}
BRANCHES = ("status", "login", "session", "route", "network", "payload")


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_paths() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def has_code(path: Path) -> bool:
    """More than a docstring: an ``__init__.py`` that only describes its package does not
    need a line of its own in the architecture doc."""
    body = _tree(path).body
    return any(not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)) for n in body)


def imports_of(path: Path) -> set[str]:
    """Every ``claude_doctor`` module ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "claude_doctor":
                found |= {f"claude_doctor.{a.name}" for a in node.names}
            elif node.module.startswith("claude_doctor."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("claude_doctor.")}
    return found


def area(module: str) -> str:
    """``claude_doctor.checks.route.state`` -> ``checks.route``; ``claude_doctor.model`` ->
    ``model``."""
    parts = module.split(".")[1:]
    if not parts:
        return ""
    if parts[0] == "checks" and len(parts) > 1:
        return f"checks.{parts[1]}"
    return parts[0]


def test_the_architecture_doc_names_every_module_and_only_real_ones() -> None:
    named = set(re.findall(r"`(claude_doctor/[\w/]+\.py)`", ARCHITECTURE.read_text("utf-8")))
    real = {str(p.relative_to(ROOT)) for p in module_paths()}
    needed = {str(p.relative_to(ROOT)) for p in module_paths() if has_code(p)}
    assert sorted(needed - named) == [], "modules missing from docs/architecture.md"
    assert sorted(named - real) == [], "docs/architecture.md names modules that do not exist"


def test_every_branch_has_one_package() -> None:
    for branch in BRANCHES:
        assert (PACKAGE / "checks" / branch / "__init__.py").is_file(), branch
        assert (PACKAGE / "checks" / f"{branch}.py").exists() is False, branch


@pytest.mark.parametrize("path", module_paths(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_one_way(path: Path) -> None:
    here = area(_module_name(path))
    targets = {area(m) for m in imports_of(path)} - {here}
    if here in ("model", "settings", "context", "engine", "board", "decide", "limits"):
        assert not {t for t in targets if t.split(".")[0] in ABOVE_CORE}
    if here in ("redact", "report", "store", "net", "claude_home", "explain", "classify"):
        assert not {t for t in targets if t.split(".")[0] in ABOVE_CORE}
    if here.startswith("checks.") and here != "checks.registry":
        assert not {t for t in targets if t in NOT_FOR_CHECKS}
        mine = here.removeprefix("checks.")
        for t in targets:
            other = t.removeprefix("checks.")
            if t.startswith("checks.") and other in BRANCHES and mine in BRANCHES:
                assert (mine, other) in BRANCH_USES, f"{here} imports {t}"
    if here == "render":
        assert not targets & {"pipeline", "guided", "commands", "cli", "decide", "engine"}
    if here == "pipeline":
        assert not targets & {"guided", "commands", "cli", "render"}
    if here == "guided":
        assert not targets & {"commands", "cli"}


def test_the_cli_imports_only_the_commands_at_start() -> None:
    """``claude-doctor --help`` loads the CLI's module and nothing heavy."""
    top = {
        node.module
        for node in _tree(PACKAGE / "cli.py").body
        if isinstance(node, ast.ImportFrom) and node.module and "claude_doctor" in node.module
    }
    assert top <= {"claude_doctor", "claude_doctor.commands"}


def _is_data_table(node: ast.stmt) -> bool:
    """A module-level constant that is a literal table (or a table of records)."""
    value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
    return isinstance(value, ast.Dict | ast.List | ast.Tuple | ast.Set | ast.Call)


def code_lines(path: Path) -> int:
    """A module's lines, less its data tables."""
    text = path.read_text(encoding="utf-8")
    tables = sum(
        (n.end_lineno or n.lineno) - n.lineno + 1 for n in _tree(path).body if _is_data_table(n)
    )
    return len(text.splitlines()) - tables


@pytest.mark.parametrize("path", module_paths(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_outgrows_a_reader(path: Path) -> None:
    assert code_lines(path) <= MODULE_LINES


def test_no_function_outgrows_a_reader() -> None:
    long: list[str] = []
    for path in module_paths():
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length})")
    assert long == []


def test_the_rules_catch_what_they_are_for(tmp_path: Path) -> None:
    """The measures themselves: a long function is counted, a data table is not."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "TABLE = {\n" + "".join(f"    {i}: {i},\n" for i in range(600)) + "}\n"
        "def f():\n" + "    x = 1\n" * 90
    )
    assert code_lines(sample) == 91
    assert area("claude_doctor.checks.route.state") == "checks.route"
    assert area("claude_doctor.render.console") == "render"
