"""Uploaded files waiting between the admin's preview and its confirmation, kept outside the web root.

The file goes to ``<FILE_UPLOAD_TEMP_DIR or the system temp dir>/latih-imports/<token>``, readable
only by the server's user; the random token lives in the uploader's session, so nobody else can
confirm it, and the SHA-256 kept beside it proves the bytes confirmed are the bytes previewed.
Files older than ``MAX_AGE`` are swept on every new upload. Deployments with several web
servers need sticky sessions or a shared ``FILE_UPLOAD_TEMP_DIR``.
"""

import hashlib
import os
import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings

MAX_AGE = 24 * 3600
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def pending_dir():
    base = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None) or tempfile.gettempdir()
    path = Path(base) / "latih-imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _sweep(directory):
    cutoff = time.time() - MAX_AGE
    for path in directory.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass  # another worker removed it first


def pending_save(data):
    """Store ``data``; return ``(token, sha256)`` to keep in the session."""
    directory = pending_dir()
    _sweep(directory)
    token = secrets.token_urlsafe(32)
    fd = os.open(directory / token, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return token, hashlib.sha256(data).hexdigest()


def pending_load(token, sha256):
    """The stored bytes, or None when the token is unknown, expired or the content changed."""
    if not TOKEN_RE.match(token or ""):
        return None
    try:
        data = (pending_dir() / token).read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def pending_discard(token):
    if TOKEN_RE.match(token or ""):
        (pending_dir() / token).unlink(missing_ok=True)
