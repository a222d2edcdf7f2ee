"""CI's probe of the installed package (not part of what an integrator writes).

The apps come from site-packages, not from a checkout; the data they load at runtime shipped; and
every third-party module they import, lazily inside a function too, is installed, except those
behind an extra this environment left out. Exits non-zero naming each problem.
"""

import ast
import importlib.util
import sys
import sysconfig
from pathlib import Path

APPS = ("tna", "courses", "lms")
# Imported only behind an optional extra: module -> the extra that provides it.
EXTRAS = {"psycopg": "postgres", "factory": "factories"}
SHIPPED = [
    "tna/fixtures/competencies.json",
    *("%s/locale/id/LC_MESSAGES/django.mo" % app for app in APPS),
    "tna/templates/tna/gaps/profile.html",
    "courses/templates/courses/course_preview.html",
    "lms/templates/lms/budget/dashboard.html",
]


def imported_modules(path):
    """Top-level names of the absolute imports in ``path``, at any depth of the module."""
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            yield node.module.split(".")[0]


def main(installed_extras):
    site = Path(sysconfig.get_paths()["purelib"])
    problems = []
    for app in APPS:
        origin = importlib.util.find_spec(app).origin
        if not origin.startswith(str(site)):
            problems.append("%s is imported from %s, not from the installed package" % (app, origin))
    if importlib.util.find_spec("cms") is not None:
        problems.append("the package ships cms, the repository's own site")
    problems += ["%s is not in the package" % name for name in SHIPPED if not (site / name).is_file()]

    missing = {}
    for app in APPS:
        for path in sorted((site / app).rglob("*.py")):
            for module in imported_modules(path):
                if module in sys.stdlib_module_names or module in APPS:
                    continue
                if EXTRAS.get(module) not in (None, *installed_extras):
                    continue
                if importlib.util.find_spec(module) is None:
                    missing.setdefault(module, path.relative_to(site))
    problems += ["%s imports %s, which the package does not install" % (p, m) for m, p in sorted(missing.items())]
    if problems:
        sys.exit("package: " + "; ".join(problems))
    print("package: the apps, their data and every import they need are installed")


if __name__ == "__main__":
    main(sys.argv[1:])
