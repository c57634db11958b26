"""Imports run down the layers, and no module imports one that imports it back."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "ats",
    "notifications",
    "accounts",
    "postings",
    "applications",
    "sourcing",
    "search",
    "dashboard",
]


def project_imports() -> dict[str, set[str]]:
    """Each project module and the project modules it imports, wherever in the file."""
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            modules[name] = path
    graph = {}
    for name, path in modules.items():
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            imported |= {t for t in targets if t in modules and t != name}
        graph[name] = imported
    return graph


def cycle_through(graph, start) -> list[str]:
    """A path of imports from `start` back to itself, or []."""
    stack, seen = [(start, [start])], set()
    while stack:
        module, path = stack.pop()
        for target in graph[module]:
            if target == start:
                return [*path, start]
            if target not in seen:
                seen.add(target)
                stack.append((target, [*path, target]))
    return []


def test_postings_imports_nothing_of_applications():
    graph = project_imports()
    assert {
        (module, target)
        for module, targets in graph.items()
        if module.startswith("postings")
        for target in targets
        if target.startswith(("applications", "dashboard"))
    } == set()


def test_search_imports_nothing_of_the_dashboard_that_shows_it():
    """The dashboard hands its notes to the index through search.services.register_text."""
    graph = project_imports()
    assert {
        (module, target)
        for module, targets in graph.items()
        if module.startswith("search")
        for target in targets
        if target.startswith("dashboard")
    } == set()


def test_the_careers_cache_the_pipeline_and_the_outbox_have_no_import_cycle():
    graph = project_imports()
    cycles = {
        module: cycle_through(graph, module)
        for module in graph
        if module.startswith(("postings", "applications", "notifications"))
    }
    assert {module: cycle for module, cycle in cycles.items() if cycle} == {}
