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


def generate_seed_workforce(employees, *, seed, say):
    """Load the dictionary and the five seed agencies, and spread ``employees`` evenly over them."""
    import time

    import numpy as np
    from django.core.management import call_command

    from tna.generate.workforce import generate_workforce
    from tna.models import Agency
    from tna.services.positions import required_levels_apply_defaults

    started = time.perf_counter()
    call_command("loaddata", "competencies", "seed_regions", verbosity=0)
    required_levels_apply_defaults()
    agencies = list(Agency.objects.order_by("code"))
    shares = np.full(len(agencies), employees // len(agencies))
    shares[: employees % len(agencies)] += 1
    for agency, count in zip(agencies, shares.tolist(), strict=True):
        generate_workforce(agency=agency, employees=count, seed=seed)
        say("  workforce %-16s %8d employees  (%.0f s)" % (agency.code, count, time.perf_counter() - started))
