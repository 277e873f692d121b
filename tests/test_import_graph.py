"""The apps' import graph, built from the source with ``ast``: the incidents app imports
no app built on it, and no two apps import each other, directly or through others.
Every import counts, also one inside a function (it still ties the apps together)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tryggnav"
# Apps that read the incidents and their counts; incidents must not depend on them.
ABOVE_INCIDENTS = {"lagesbild", "steering", "programmes", "surveys", "demo", "documents"}
# Imports against the layering that are older than this check and not about counting;
# each closes a cycle and is to be removed (then delete it here: the test insists the
# list is current). Any other cycle fails.
KNOWN_BACK_EDGES = {}


def _imported_modules(tree: ast.AST, module: str) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the importing module
                base = module.split(".")[: -node.level]
                found.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def app_graph() -> dict[str, set[str]]:
    """App → the other apps it imports (apps are the packages directly in tryggnav/)."""
    apps = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    graph: dict[str, set[str]] = {app: set() for app in apps}
    for app in apps:
        for path in (PACKAGE / app).rglob("*.py"):
            relative = path.relative_to(PACKAGE.parent).with_suffix("")
            module = ".".join(relative.parts)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for name in _imported_modules(tree, module):
                parts = name.split(".")
                if len(parts) > 1 and parts[0] == "tryggnav" and parts[1] in apps:
                    if parts[1] != app:
                        graph[app].add(parts[1])
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def test_incidents_imports_no_app_built_on_it():
    assert app_graph()["incidents"] & ABOVE_INCIDENTS == set()


def test_no_import_cycle_between_apps():
    graph = app_graph()
    assert {edge for edge in KNOWN_BACK_EDGES if edge[1] in graph[edge[0]]} == set(
        KNOWN_BACK_EDGES
    ), "a known back edge is gone: remove it from KNOWN_BACK_EDGES"
    for app, imported in KNOWN_BACK_EDGES:
        graph[app].discard(imported)
    assert cycles(graph) == []


def test_the_check_finds_a_cycle_and_an_upward_import():
    graph = {"incidents": {"lagesbild"}, "lagesbild": {"incidents"}, "lib": set()}
    assert cycles(graph) == [["incidents", "lagesbild"]]
    assert graph["incidents"] & ABOVE_INCIDENTS == {"lagesbild"}
    tree = ast.parse("def f():\n    from tryggnav.lagesbild import rollup\n")
    assert "tryggnav.lagesbild" in _imported_modules(tree, "tryggnav.incidents.x")


if __name__ == "__main__":
    for app, imports in sorted(app_graph().items()):
        print(f"{app:14} -> {', '.join(sorted(imports)) or '-'}")
    print("cycles:", cycles(app_graph()) or "none")
    graph = app_graph()
    for app, imported in KNOWN_BACK_EDGES:
        graph[app].discard(imported)
    print("cycles without the known back edges:", cycles(graph) or "none")
