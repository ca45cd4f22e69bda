"""The import rules in docs/architecture.md hold, and no module imports itself round a cycle.

The rules are read from the "Import rules" table in docs/architecture.md, so the document and the check
cannot drift apart. Every import counts for the rules (module level, inside functions, and under
TYPE_CHECKING: a dependency is a dependency however late it is loaded). Cycles are looked for among the
imports that run when a module is loaded: those at module level outside `if TYPE_CHECKING:`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("survey_app", "analysis", "questionnaires")
DOC = REPO / "docs" / "architecture.md"
#: the only packages that may define Flask blueprints (the web surfaces); everything else is below them
SURFACES = ("survey_app.respond", "survey_app.staff", "survey_app.public")


@dataclass(frozen=True)
class Import:
    """One import statement, resolved to the absolute name of the module it loads."""

    importer: str
    imported: str
    path: Path
    line: int
    #: runs when the importer is loaded (module level, not under TYPE_CHECKING)
    at_load: bool

    def where(self) -> str:
        """file:line, for failure messages."""
        return f"{self.path.relative_to(REPO)}:{self.line}"


@dataclass(frozen=True)
class Rule:
    """A row of the doc's table: modules in `part` never import any of `forbidden`."""

    part: str
    forbidden: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.part} never imports {', '.join(self.forbidden)}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _python_files() -> Iterator[Path]:
    for package in PACKAGES:
        yield from sorted((REPO / package).rglob("*.py"))


MODULES = {_module_name(path): path for path in _python_files()}


def _resolve(importer: str, path: Path, module: str | None, level: int) -> str:
    """The absolute module a (possibly relative) `from ... import` names."""
    if level == 0:
        return module or ""
    package = importer.split(".") if path.name == "__init__.py" else importer.split(".")[:-1]
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Collector(ast.NodeVisitor):
    """Walks one file, noting each import and whether it runs when the module is loaded."""

    def __init__(self, importer: str, path: Path) -> None:
        self.importer = importer
        self.path = path
        self.imports: list[Import] = []
        self._deferred = 0  # >0 inside a function body or an `if TYPE_CHECKING:` block

    def _add(self, imported: str, node: ast.stmt) -> None:
        self.imports.append(Import(self.importer, imported, self.path, node.lineno, self._deferred == 0))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = _resolve(self.importer, self.path, node.module, node.level)
        for alias in node.names:
            # `from package import name` loads package.name when that is a module, else the package.
            submodule = f"{base}.{alias.name}"
            self._add(submodule if submodule in MODULES else base, node)

    def _deferring(self, node: ast.AST) -> None:
        self._deferred += 1
        self.generic_visit(node)
        self._deferred -= 1

    visit_FunctionDef = _deferring
    visit_AsyncFunctionDef = _deferring
    visit_Lambda = _deferring

    def visit_If(self, node: ast.If) -> None:
        if not _is_type_checking(node.test):
            self.generic_visit(node)
            return
        self._deferred += 1
        for child in node.body:
            self.visit(child)
        self._deferred -= 1
        for child in node.orelse:
            self.visit(child)


def _all_imports() -> list[Import]:
    found: list[Import] = []
    for name, path in MODULES.items():
        collector = _Collector(name, path)
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        found.extend(collector.imports)
    return found


IMPORTS = _all_imports()


def _within(name: str, prefix: str) -> bool:
    """`flask_*` matches every top-level name starting flask_; otherwise the module or anything in it."""
    if prefix.endswith("*"):
        return name.startswith(prefix[:-1])
    return name == prefix or name.startswith(prefix + ".")


def _rules_from_doc() -> list[Rule]:
    """The rows of the table under the "Import rules" heading: `part` | never imports `a`, `b` | why."""
    text = DOC.read_text(encoding="utf-8")
    section = re.search(r"^## Import rules\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert section, f"{DOC.relative_to(REPO)} has no '## Import rules' section"
    rules = []
    for row in section.group(1).splitlines():
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        if len(cells) < 2 or not cells[0].startswith("`"):
            continue  # the header, the separator and prose
        forbidden = tuple(re.findall(r"`([^`]+)`", cells[1]))
        for part in re.findall(r"`([^`]+)`", cells[0]):
            rules.append(Rule(part, forbidden))
    return rules


RULES = _rules_from_doc()


def test_the_doc_states_the_rules_the_layering_rests_on() -> None:
    """The table cannot quietly lose the rules that keep the layers apart."""
    stated = {(rule.part, forbidden) for rule in RULES for forbidden in rule.forbidden}
    essential = {
        ("analysis", "flask"),
        ("analysis", "survey_app"),
        ("questionnaires", "analysis"),
        ("questionnaires", "survey_app"),
        ("questionnaires", "flask"),
        ("survey_app.respond", "survey_app.staff"),
        ("survey_app.survey", "survey_app.respond"),
        ("survey_app.survey", "survey_app.staff"),
        ("survey_app.models", "survey_app.respond"),
        ("survey_app.models", "survey_app.staff"),
    }
    assert essential <= stated, f"missing from {DOC.relative_to(REPO)}: {sorted(essential - stated)}"


@pytest.mark.parametrize("rule", RULES, ids=str)
def test_import_rule(rule: Rule) -> None:
    """No module in the part imports anything the doc forbids it."""
    assert any(_within(module, rule.part) for module in MODULES), f"{rule.part} names no module: fix the doc"
    broken = sorted(
        {
            f"{found.where()}: {found.importer} imports {found.imported}"
            for found in IMPORTS
            if _within(found.importer, rule.part) and any(_within(found.imported, bad) for bad in rule.forbidden)
        }
    )
    assert not broken, f"{rule}:\n" + "\n".join(broken)


def test_blueprints_live_only_in_the_web_surfaces() -> None:
    """A new blueprint is a new surface: it belongs in docs/architecture.md and in SURFACES first."""
    outside = []
    for name, path in MODULES.items():
        calls = [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.Call)]
        for call in calls:
            is_blueprint = (isinstance(call.func, ast.Name) and call.func.id == "Blueprint") or (
                isinstance(call.func, ast.Attribute) and call.func.attr == "Blueprint"
            )
            if is_blueprint and not any(_within(name, surface) for surface in SURFACES):
                outside.append(f"{path.relative_to(REPO)}:{call.lineno}")
    assert not outside, "Blueprints outside respond/ and staff/:\n" + "\n".join(outside)


def _cycles(modules: set[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(edges.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycles(package: str) -> None:
    """Modules that import each other at load time work only in one order; name each such knot."""
    modules = {name for name in MODULES if _within(name, package)}
    edges: dict[str, set[str]] = {}
    lines: dict[tuple[str, str], str] = {}
    for found in IMPORTS:
        inside = found.importer in modules and found.imported in modules
        if found.at_load and inside and found.importer != found.imported:
            edges.setdefault(found.importer, set()).add(found.imported)
            lines.setdefault((found.importer, found.imported), found.where())
    knots = _cycles(modules, edges)
    described = []
    for knot in knots:
        members = set(knot)
        links = sorted(
            f"  {importer} -> {imported}  ({lines[(importer, imported)]})"
            for importer in knot
            for imported in edges.get(importer, ())
            if imported in members
        )
        described.append(f"{', '.join(knot)}:\n" + "\n".join(links))
    assert not knots, f"import cycles in {package}:\n" + "\n".join(described)


def _part(module: str) -> str:
    """The part a module belongs to: its package one level below the top (survey_app.campaigns)."""
    return ".".join(module.split(".")[:2])


@pytest.mark.parametrize("package", PACKAGES)
def test_no_cycles_between_parts(package: str) -> None:
    """Parts depend one way: if campaigns uses respond, respond may not use campaigns, even from inside
    a function (a deferred import hides a cycle from Python, not from the reader)."""
    parts = {_part(name) for name in MODULES if _within(name, package)}
    edges: dict[str, set[str]] = {}
    lines: dict[tuple[str, str], str] = {}
    for found in IMPORTS:
        source, target = _part(found.importer), _part(found.imported)
        if source in parts and target in parts and source != target and source != package:
            edges.setdefault(source, set()).add(target)
            lines.setdefault((source, target), found.where())
    knots = _cycles(parts, edges)
    described = [
        f"{', '.join(knot)}:\n"
        + "\n".join(
            f"  {source} -> {target}  (first at {lines[(source, target)]})"
            for source in knot
            for target in sorted(edges.get(source, ()))
            if target in knot
        )
        for knot in knots
    ]
    assert not knots, f"parts of {package} that import each other:\n" + "\n".join(described)


def test_the_checker_sees_imports_inside_functions_and_type_checking() -> None:
    """The parser itself: deferred imports count for the rules but not for cycles."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "import flask\n"
        "if TYPE_CHECKING:\n"
        "    from survey_app.staff import x\n"
        "def f() -> None:\n"
        "    from . import sibling\n"
    )
    collector = _Collector("survey_app.respond.views", REPO / "survey_app" / "respond" / "views.py")
    collector.visit(ast.parse(source))
    seen = {(found.imported, found.at_load) for found in collector.imports}
    assert ("flask", True) in seen
    assert ("survey_app.staff", False) in seen or ("survey_app.staff.x", False) in seen
    assert ("survey_app.respond.sibling", False) in seen or ("survey_app.respond", False) in seen
