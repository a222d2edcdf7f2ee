"""The development secret key: made once per installation and kept in ``var/`` (git-ignored).

A key written in the repository would let anyone who read it forge signed links (invitation
replies, password resets, sessions) on every machine that ran the demo; a key made on first use
is known only to that machine. Production never comes here: it reads ``DJANGO_SECRET_KEY``.
"""

import os
from pathlib import Path

from django.core.management.utils import get_random_secret_key


def installation_secret_key(path: Path) -> str:
    """The key stored at ``path``, written there with a new random key on first use.

    Safe when several processes start at once (the autoreloader, test workers): the key is
    written to a temporary file and linked into place, so the first writer wins and everyone
    reads the same key.
    """
    path = Path(path)
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = ""
    if key:
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name("%s.%d.tmp" % (path.name, os.getpid()))
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(get_random_secret_key() + "\n")
    try:
        os.link(draft, path)
    except FileExistsError:
        pass  # another process wrote it first: use theirs
    finally:
        draft.unlink()
    return path.read_text(encoding="ascii").strip()
