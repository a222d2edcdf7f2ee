"""The database a benchmark script works in: ``DATABASE_URL`` when set, otherwise a fresh SQLite file."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(name, employees, reuse):
    """Set Django up for benchmark ``name`` with ``employees``.

    Without ``DATABASE_URL`` the database is ``var/bench-<name>-<employees>.sqlite3``, created
    afresh unless ``reuse`` (then the workforce already in it is timed again). DEBUG is off: the
    debug cursor would keep every statement of millions of rows in memory.
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    if not os.environ.get("DATABASE_URL"):
        path = ROOT / "var" / ("bench-%s-%d.sqlite3" % (name, employees))
        path.parent.mkdir(exist_ok=True)
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = "sqlite:///%s" % path
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
