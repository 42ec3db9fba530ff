"""The layering the code relies on, read statically from the sources (ast, nothing imported).

- features (`service/<feature>/`) import each other without a cycle, so each can be read,
  tested and changed from the bottom up;
- `service/common/` (the shared rules) imports no feature;
- logic (every feature module but routes.py, schemas.py and tasks.py) imports neither Flask
  nor Celery nor the workers: it runs the same in a request, a task and a command;
- only a feature's tasks.py imports Celery or the workers, and nothing imports a tasks.py
  (jobs are asked for by task name, `service.common.jobs.enqueue_after_commit`).
"""

from __future__ import annotations

import ast
from functools import cache
from graphlib import CycleError, TopologicalSorter
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVICE = ROOT / "service"
#: feature modules that belong to the web layer (routes, request/response shapes) or the
#: worker layer (tasks); every other feature module is logic
WEB_OR_WORKER = {"routes.py", "schemas.py", "tasks.py"}
FRAMEWORKS = ("flask", "flask_smorest", "flask_jwt_extended", "werkzeug", "celery", "workers")


def _imported(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            # `from service.evidence import tasks` imports the module service.evidence.tasks
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@cache
def _modules() -> dict[str, set[str]]:
    """service.<…> module name -> the modules it imports."""
    return {".".join(path.relative_to(ROOT).with_suffix("").parts): _imported(path)
            for path in SERVICE.rglob("*.py")}


def _features() -> list[str]:
    return sorted(path.name for path in SERVICE.iterdir()
                  if path.is_dir() and (path / "__init__.py").exists() and path.name != "common")


def _feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "service" else None


def feature_graph() -> dict[str, dict[str, str]]:
    """Feature -> {feature it imports: one module of it that does}."""
    features = set(_features())
    graph: dict[str, dict[str, str]] = {feature: {} for feature in features}
    for module, imports in sorted(_modules().items()):
        source = _feature_of(module)
        for target in map(_feature_of, imports):
            if source in features and target in features and target != source:
                graph[source].setdefault(target, module)
    return graph


def test_the_graph_sees_the_features_and_their_imports():
    graph = feature_graph()
    assert {"auth", "regions", "inspections", "evidence", "assignments"} <= set(graph)
    assert "inspections" in graph["evidence"]  # photos belong to inspections


def import_cycle(graph: dict[str, dict[str, str]]) -> str | None:
    """One import cycle of the graph, readable, or None."""
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        cycle = error.args[1]  # [a, b, …, a]: each imported by the one after it
        return ", ".join(f"{b} imports {a} ({graph[b][a]})" for a, b in pairwise(cycle))
    return None


def test_a_cycle_is_found_and_named():
    graph = {"auth": {"regions": "service.auth.logic"},
             "regions": {"auth": "service.regions.routes"}}
    assert "(service.regions.routes)" in import_cycle(graph)
    assert import_cycle({"auth": {}, "regions": {"auth": "service.regions.routes"}}) is None


def test_features_import_each_other_without_a_cycle():
    assert import_cycle(feature_graph()) is None


def test_the_shared_rules_import_no_feature():
    features = set(_features())
    leaks = sorted(f"{module} imports {imported}" for module, imports in _modules().items()
                   if module.startswith("service.common.")
                   for imported in imports if _feature_of(imported) in features)
    assert leaks == []


def _is_framework(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in FRAMEWORKS)


@pytest.mark.parametrize("feature", _features())
def test_logic_imports_neither_flask_nor_celery(feature):
    offenders = sorted(
        f"{module} imports {imported}" for module, imports in _modules().items()
        if _feature_of(module) == feature and module.rsplit(".", 1)[-1] + ".py" not in
        WEB_OR_WORKER for imported in imports if _is_framework(imported))
    assert offenders == []


def test_only_tasks_modules_use_celery_and_nothing_imports_them():
    offenders = []
    for module, imports in _modules().items():
        is_tasks = module.endswith(".tasks") and _feature_of(module) is not None
        for imported in imports:
            if imported.endswith(".tasks") and _feature_of(imported) is not None:
                offenders.append(f"{module} imports {imported}")
            if not is_tasks and (imported == "celery" or imported.startswith("celery.")):
                offenders.append(f"{module} imports {imported}")
    assert sorted(offenders) == []
