"""The project's modules import one another without a cycle.

A cycle hides as long as one of its imports sits inside a function, and breaks
the day someone moves it to the top of the file (a partly initialised module,
an ImportError at start-up). So the graph below counts every import statement,
function-level ones included, read with ``ast`` (nothing is imported).
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("quoteframe", "service", "training")


def module_files() -> dict[str, Path]:
    """Dotted module name -> file, for every .py file of the project's packages."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imported_names(module: str, path: Path) -> list[str]:
    """Every module ``module`` names in an import statement, anywhere in its file, absolute.

    ``from pkg import name`` yields ``pkg.name`` (which is kept only if it is a module) and ``pkg``.
    """
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    names = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(package, node.level, node.module)
            names.append(base)
            names.extend(f"{base}.{alias.name}" for alias in node.names)
    return names


def _resolve(package: str, level: int, name: str | None) -> str:
    """The absolute name of ``from <level dots><name> import ...`` written in ``package``."""
    if level == 0:
        return name or ""
    parts = package.split(".")
    base = parts[: len(parts) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def import_graph() -> dict[str, set[str]]:
    """module -> the project modules it imports."""
    files = module_files()
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        targets = set()
        for name in imported_names(module, path):
            # ``import a.b.c`` of a name that is not a module file: its nearest module
            while name and name not in files:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
        graph[module] = targets
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as [a, b, ..., a], or None (depth-first search, no recursion)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(graph):
        if state.get(start):
            continue
        path, stack = [start], [iter(sorted(graph[start]))]
        state[start] = 1
        while stack:
            child = next(stack[-1], None)
            if child is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(child) == 1:
                return path[path.index(child):] + [child]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append(iter(sorted(graph[child])))
    return None


def test_the_project_has_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_library_modules_never_import_the_cli():
    graph = import_graph()
    # ``python -m quoteframe`` (a __main__ module) is an entry point, not library code
    library = [m for m in graph if not m.startswith("quoteframe.cli") and not m.endswith("__main__")]
    offenders = sorted(f"{m} -> {t}" for m in library for t in graph[m] if t.startswith("quoteframe.cli"))
    assert not offenders, "library modules import the CLI: " + ", ".join(offenders)


# -- the checker itself must see what it is meant to see -------------------------------------------
def test_the_graph_counts_function_level_and_relative_imports():
    graph = import_graph()
    # training.train imports the labelled-quote reader at the top and the classifier inside train()
    assert "quoteframe.classifier.data" in graph["training.train"]
    assert "quoteframe.classifier.model" in graph["training.train"]


def test_a_cycle_is_found_and_named():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_relative_imports_resolve_against_the_package():
    assert _resolve("quoteframe.batch", 1, "score") == "quoteframe.batch.score"
    assert _resolve("quoteframe.batch", 2, "cli") == "quoteframe.cli"
    assert _resolve("quoteframe.batch", 1, None) == "quoteframe.batch"
