"""A resume kept while the applicant corrects the rest of the form, so nobody uploads twice.

A browser never sends a file back: after a submission that failed on, say, the email address,
the file input is empty again. So a resume that passed its checks is stored in private storage
under a name the server makes, and the form carries a signed, short-lived reference to it in a
hidden field. The reference names nothing but that random name, the applicant's own filename
(for display) and the posting: it cannot be made to point at another file or any path, since
the signature covers it and the name must be 32 hex digits. A stale one is removed by
`remove_stale` (Celery beat, or the remove_pending_resumes command).
"""

import logging
import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from ats.storage import walk

logger = logging.getLogger(__name__)

PENDING_DIR = "pending-resumes"
SALT = "applications.pending-resume"
NAME = re.compile(r"[0-9a-f]{32}")
# Ours stay under 1,400 characters, even for a filename of 150 accented letters.
REFERENCE_MAX = 2000
ATTACH_AGAIN = "We could not keep the resume you attached earlier. Please attach your resume again."


class PendingResumeError(Exception):
    """The reference is forged, expired, for another posting, or its file is gone."""


def _path(name: str) -> str:
    return f"{PENDING_DIR}/{name}"


def keep(upload, *, posting, original_filename: str) -> str:
    """Store a checked upload; the signed reference to put in the form."""
    name = uuid.uuid4().hex
    upload.seek(0)
    stored = default_storage.save(_path(name), upload)
    if stored != _path(name):  # a storage that renames would break the reference
        default_storage.delete(stored)
        raise PendingResumeError(stored)
    return signing.dumps(
        {"name": name, "filename": original_filename, "posting": posting.pk}, salt=SALT
    )


def _read(reference: str, *, posting) -> dict:
    if len(reference) > REFERENCE_MAX:
        raise PendingResumeError("too long to be ours")
    try:
        kept = signing.loads(reference, salt=SALT, max_age=settings.PENDING_RESUME_MAX_AGE)
    except signing.BadSignature as error:  # SignatureExpired is one too
        raise PendingResumeError("bad or expired reference") from error
    if (
        not isinstance(kept, dict)
        or not NAME.fullmatch(str(kept.get("name", "")))
        or not isinstance(kept.get("filename"), str)
        or kept.get("posting") != posting.pk
    ):
        raise PendingResumeError("not a reference for this form")
    return kept


def filename(reference: str, *, posting) -> str | None:
    """The applicant's name of the kept file, to say it is attached; None if not usable."""
    try:
        return _read(reference, posting=posting)["filename"]
    except PendingResumeError:
        return None


def open_kept(reference: str, *, posting) -> File:
    """The kept file, named as the applicant named it, ready to check and store again."""
    kept = _read(reference, posting=posting)
    path = _path(kept["name"])
    if not default_storage.exists(path):
        raise PendingResumeError("file removed")
    return File(default_storage.open(path, "rb"), name=kept["filename"])


def discard(reference: str, *, posting) -> None:
    """The application is in (it holds its own copy): the kept file goes."""
    try:
        kept = _read(reference, posting=posting)
    except PendingResumeError:
        return
    default_storage.delete(_path(kept["name"]))


def remove_stale() -> int:
    """Delete kept files older than any reference to them can be; how many went."""
    cutoff = timezone.now() - timedelta(seconds=settings.PENDING_RESUME_MAX_AGE + 60)
    removed = 0
    # One listing with the dates, which a bucket (where no folder "exists") answers too. A
    # file the submission that used it removed meanwhile is either not listed or deleted
    # again, which both storages take as done.
    for path, _, modified in walk(default_storage, under=PENDING_DIR):
        if modified < cutoff:
            default_storage.delete(path)
            removed += 1
    if removed:
        logger.info("Removed %d stale pending resume(s)", removed)
    return removed
