"""Private storage, whichever it is: the local directory or a bucket (ats/bucket.py).

Nothing here imports boto3; the bucket's own code loads only when the bucket is configured.
"""

import hashlib
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024


def private_file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """Every FileField of every model that keeps its files in private storage."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and field.storage is default_storage
    ]


def delete_files(names) -> list[str]:
    """Delete each stored file, going on past any that fails; the names that failed.

    Called once a transaction has committed (erasure, a replaced letter): the rows are gone
    for good by then, so a store that is down must not turn the request into an error. What it
    left behind is logged, and `manage.py storage_orphans --delete` removes it later.
    """
    failed = []
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:
            logger.exception("Could not delete %s from private storage; left as an orphan", name)
            failed.append(name)
    return failed


def walk(storage=default_storage, *, under: str = ""):
    """(name, size, last modified) of every file the storage holds, or holds under a folder.

    A bucket answers with one listing, sizes and dates included; a directory is walked. A
    file removed meanwhile is left out.
    """
    if hasattr(storage, "walk"):
        yield from storage.walk(under=under)
        return
    root = Path(storage.location)
    for directory, _, files in os.walk(root / under):
        for file in files:
            path = Path(directory, file)
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            yield (
                path.relative_to(root).as_posix(),
                stat.st_size,
                datetime.fromtimestamp(stat.st_mtime, tz=UTC),
            )


def sha256_of(storage, name: str) -> str:
    """The SHA-256 of a stored file, read in chunks whatever its size."""
    digest = hashlib.sha256()
    with storage.open(name, "rb") as stored:
        while chunk := stored.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def check() -> str:
    """For /readyz: "ok" when private storage can be used, else "error: <kind>"."""
    try:
        if hasattr(default_storage, "ping"):
            default_storage.ping()
        elif not _writable(Path(default_storage.location)):
            return "error: not writable"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _writable(path: Path) -> bool:
    # The directory is made on the first save; until then its nearest parent must allow it.
    while not path.exists() and path != path.parent:
        path = path.parent
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)
