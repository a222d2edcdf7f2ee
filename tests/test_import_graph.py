"""The import graph of every module: no cycles, no private names taken from another module, and
apps to the right of tna take their infrastructure from ``tna.infra`` only.

Imports inside functions count like module-level ones: a lazy import hides a cycle, it does not
remove it.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("tna", "courses", "lms", "cms")

# What the apps to the right of tna may import from it: its models and roles, its public
# services, selectors, hooks and signals, its settings, the generators the demo runs, its API
# router and URLs, the employee chooser, and the shared infrastructure in tna.infra.
TNA_PUBLIC = (
    "tna", "tna.models", "tna.roles", "tna.conf", "tna.hooks", "tna.signals", "tna.services",
    "tna.selectors", "tna.sentences", "tna.factories", "tna.generate.workforce",
    "tna.generate.evidence", "tna.generate.talent", "tna.grades", "tna.api.router", "tna.urls", "tna.admin.choosers", "tna.infra", "tna.talent", "tna.imports.command",
)


def project_modules():
    """Every module of the four apps (migrations left out), by dotted name."""
    modules = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


MODULES = project_modules()


def imports_of(name, path):
    """(imported module or module.name, imported names, line) for every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, (), node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield module, tuple(alias.name for alias in node.names), node.lineno


def resolve(target):
    """The project module ``target`` (a dotted module or module.name) lives in, or None."""
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


def edges():
    """Module → the project modules it imports (names imported from a package count as the
    submodule when one of that name exists)."""
    graph = {name: set() for name in MODULES}
    for name, path in MODULES.items():
        for module, names, _line in imports_of(name, path):
            targets = [module + "." + n for n in names if module + "." + n in MODULES] or [module]
            for target in targets:
                found = resolve(target)
                if found and found != name and not name.startswith(found + "."):
                    graph[name].add(found)
    return graph


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
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
    return found


def test_no_module_imports_itself_in_a_circle():
    assert cycles(edges()) == []


def test_the_cycle_finder_sees_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_private_name_is_imported_from_another_module():
    offending = [
        "%s:%d imports %s from %s" % (path.relative_to(ROOT), line, imported, module)
        for name, path in MODULES.items()
        for module, names, line in imports_of(name, path)
        if resolve(module)
        for imported in names
        if imported.startswith("_") and not imported.startswith("__")
    ]
    assert offending == []


@pytest.mark.parametrize("app", APPS[1:])
def test_apps_to_the_right_take_infrastructure_from_tna_infra_only(app):
    """Outside its public surface, tna's modules are its own business."""
    offending = []
    for name, path in MODULES.items():
        if not name.startswith(app + ".") and name != app:
            continue
        for module, names, line in imports_of(name, path):
            if module.split(".")[0] != "tna":
                continue
            targets = [module + "." + n for n in names if module + "." + n in MODULES] or [module]
            for target in targets:
                found = resolve(target) or target
                if not tna_public(found):
                    offending.append("%s:%d imports %s" % (path.relative_to(ROOT), line, found))
    assert offending == []


def tna_public(module):
    """True when ``module`` is part of what tna offers the apps to its right."""
    return module == "tna" or any(module == p or module.startswith(p + ".") for p in TNA_PUBLIC[1:])


def test_the_rule_tells_infrastructure_from_tna_internals():
    assert tna_public("tna.infra.spreadsheets") and tna_public("tna.models.people") and tna_public("tna")
    assert not tna_public("tna.imports.reader")
    assert not tna_public("tna.generate.bulk")
    assert not tna_public("tna.admin.scoping")
    assert not tna_public("tna.infrastructure")
