#!/usr/bin/env python3
"""Set up a local environment and run Latih's demo or its tests, needing only Python 3.11.

    python3 dev.py demo     # venv, migrate SQLite, load demo data, serve on 127.0.0.1:8000 (no debug pages)
    python3 dev.py test     # venv, run the whole test suite (extra args go to pytest)

The virtual environment lives in ``.venv`` and is only reinstalled when the
requirements files change.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"


def run(*args, **kwargs):
    """Run a command from the project root, stopping on failure."""
    result = subprocess.run([str(a) for a in args], cwd=ROOT, **kwargs)
    if result.returncode:
        sys.exit(result.returncode)


def ensure_venv(requirements):
    """Create the venv and install ``requirements`` unless they are already installed."""
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py runs on whatever python3 the user has)
        sys.exit("Latih needs Python 3.11 or newer (found %s)." % sys.version.split()[0])
    if not PYTHON.exists():
        print("Creating the virtual environment in .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    files = [ROOT / requirements, ROOT / "requirements.txt", ROOT / "pyproject.toml"]
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
    stamp = VENV / (".installed-" + requirements)
    if stamp.exists() and stamp.read_text() == digest:
        return
    print("Installing %s …" % requirements, flush=True)
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-r", requirements)
    stamp.write_text(digest)


def demo(args):
    ensure_venv("requirements.txt")
    # cms.settings.demo: debug off, so a visitor meets the site's error pages, with static files served.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "cms.settings.demo")}
    run(PYTHON, "manage.py", "migrate", "--no-input", env=env)
    run(PYTHON, "manage.py", "demo", env=env)
    address = args[0] if args else "127.0.0.1:8000"
    host = address.rpartition(":")[0]  # "8000" alone is a port on 127.0.0.1
    # Serving on another address (a LAN IP, or every interface) must let requests for it through.
    extra = "*" if host in ("0.0.0.0", "::", "[::]") else host
    env["DJANGO_ALLOWED_HOSTS"] = ",".join(h for h in (env.get("DJANGO_ALLOWED_HOSTS", ""), extra) if h)
    print("\nServing Latih at http://%s/ (Ctrl+C to stop)\n" % address, flush=True)
    try:
        run(PYTHON, "manage.py", "runserver", address, env=env)
    except KeyboardInterrupt:
        pass


def test(args):
    ensure_venv("requirements-dev.txt")
    run(PYTHON, "-m", "pytest", *args)


def main():
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
