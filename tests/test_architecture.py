"""The shape of the code, read from the source with ``ast`` (nothing is imported):

- no import cycles between the modules of ``surveys`` and ``standards``, counting every
  import statement wherever it stands (module level, inside a function, under
  ``TYPE_CHECKING``): a cycle hidden in a function is still a cycle;
- ``standards`` never imports ``surveys`` (DESIGN.md: surveys → standards → nothing of ours);
- the rules of the questionnaire stay pure Python: no database, nothing of the rest of
  ``surveys``.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("surveys", "standards")
# The questionnaire modules that work on data alone (loading.py stores editions); a package
# stands for every module in it (the question types).
PURE_QUESTIONNAIRE = ("conditions", "consistency", "edition", "engine", "evaluation", "form_fields", "texts", "types")


@cache
def modules() -> dict[str, Path]:
    """Dotted module name → file, for every module of the packages (a package is its __init__)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imported_names(name: str) -> set[str]:
    """Every dotted name the module imports, relative imports resolved: ``from a import b``
    gives ``a.b`` (b may be a module or a name in a)."""
    path = modules()[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = f"{anchor}.{base}" if base else anchor
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _ours(dotted: str) -> str | None:
    """The module of ours a dotted name lies in (itself, or the nearest enclosing one)."""
    while dotted and dotted not in modules():
        dotted = dotted.rpartition(".")[0]
    return dotted or None


@cache
def graph() -> dict[str, frozenset[str]]:
    """Module → the modules of ours it imports."""
    edges = {}
    for name in modules():
        targets = {_ours(dotted) for dotted in imported_names(name)}
        edges[name] = frozenset(t for t in targets if t and t != name)
    return edges


def cycles(edges: dict[str, frozenset[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def _describe(component: list[str], edges: dict[str, frozenset[str]]) -> str:
    inside = set(component)
    links = [f"{a} → {b}" for a in component for b in sorted(edges[a] & inside)]
    return "; ".join(links)


def test_the_graph_sees_the_modules_and_their_imports():
    edges = graph()
    assert "surveys.questionnaire.engine" in edges and "standards.st13" in edges
    assert "surveys.questionnaire.edition" in edges["surveys.questionnaire.engine"]
    assert "surveys.models" in edges["surveys.responses.services"]
    assert "standards.models" in edges["surveys.models.accounts"]
    # Relative imports resolve inside their package.
    assert "surveys.api.views" in edges["surveys.api.urls"]


def test_the_cycle_finder_finds_cycles():
    edges = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset({"a"})}
    assert cycles(edges) == [["a", "b", "c"]]
    assert cycles({"a": frozenset({"b"}), "b": frozenset()}) == []


def test_no_import_cycles_between_modules():
    edges = graph()
    found = cycles(edges)
    assert not found, "import cycles: " + " | ".join(_describe(c, edges) for c in found)


def test_standards_never_imports_surveys():
    offenders = sorted(
        f"{name} imports {dotted}"
        for name in modules()
        if name.split(".")[0] == "standards"
        for dotted in imported_names(name)
        if dotted.split(".")[0] == "surveys"
    )
    assert not offenders, offenders


def _pure_questionnaire_modules() -> list[str]:
    wanted = [f"surveys.questionnaire.{module}" for module in PURE_QUESTIONNAIRE]
    return [name for name in modules() if any(name == w or name.startswith(w + ".") for w in wanted)]


def test_the_rules_of_the_questionnaire_are_pure_python():
    assert "surveys.questionnaire.types.grid" in _pure_questionnaire_modules()
    offenders = sorted(
        f"{name} imports {dotted}"
        for name in _pure_questionnaire_modules()
        for dotted in imported_names(name)
        if dotted.startswith(("django.db", "django.contrib", "django.http", "django.conf"))
        or (dotted.split(".")[0] == "surveys" and not dotted.startswith("surveys.questionnaire."))
        or dotted.startswith("surveys.questionnaire.loading")
    )
    assert not offenders, offenders


def test_the_map_for_newcomers_names_files_that_exist():
    """ARCHITECTURE.md names files and folders in back quotes; a room's path is relative to
    ``surveys/``. A file moved or renamed must be moved in the map too."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = {
        path.rstrip("/")
        for path in re.findall(r"`([^`\s]+)`", text)
        if ("/" in path or path.endswith((".py", ".md", ".js"))) and not re.search(r"[<{]", path)
    }
    assert len(named) > 20
    missing = sorted(p for p in named if not (ROOT / p).exists() and not (ROOT / "surveys" / p).exists())
    assert missing == []


def test_every_one_line_template_comment_ends_on_its_line():
    # Django reads {# … #} on one line only: a comment broken over two lines is printed on
    # the page as text. Longer comments use {% comment %}.
    broken = []
    for path in sorted((ROOT / "templates").rglob("*.html")) + sorted(ROOT.glob("*/templates/**/*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\{#(?!.*#\})", line):
                broken.append(f"{path.relative_to(ROOT)}:{number}")
    assert not broken, broken
