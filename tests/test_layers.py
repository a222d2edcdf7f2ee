"""The apps import only leftwards: tna ← courses ← lms ← cms.

A host site can install ``tna`` alone, or ``tna`` and ``courses``; that holds only if no module of
an app imports an app to its right, not even lazily inside a function.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["tna", "courses", "lms", "cms"]


def imported_apps(path):
    """The top-level Latih apps ``path`` imports, with the line of each import."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = path.relative_to(ROOT).parts[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package[: len(package) - node.level + 1]
                names = [".".join([*base, node.module or ""])]
            else:
                names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in LAYERS:
                yield top, node.lineno


@pytest.mark.parametrize("app", LAYERS[:-1])
def test_an_app_imports_nothing_to_its_right(app):
    right = set(LAYERS[LAYERS.index(app) + 1 :])
    offending = [
        "%s:%d imports %s" % (path.relative_to(ROOT), line, top)
        for path in sorted((ROOT / app).rglob("*.py"))
        for top, line in imported_apps(path)
        if top in right
    ]
    assert offending == []


def test_the_check_sees_a_rightward_import(tmp_path, monkeypatch):
    """The walker itself: a lazy import inside a function is found."""
    module = ROOT / "tna" / "_layer_probe.py"
    monkeypatch.setattr(Path, "read_text", lambda self: "def f():\n    from lms.models import Enrollment\n")
    assert list(imported_apps(module)) == [("lms", 2)]
