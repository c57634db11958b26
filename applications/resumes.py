"""Checking an uploaded resume by its content, and pulling out its text for search.

Every reader of the uploaded bytes runs under a size and time budget: the text is read in a
child process (applications/resume_reader.py) with a CPU, memory, page and character limit, and
the request waits for it no longer than READ_SECONDS whatever the file holds.
"""

import hashlib
import io
import json
import logging
import os
import re
import subprocess  # nosec B404 # the resume reader runs as a child process
import sys
import zlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

from applications import resume_reader
from applications.models import Resume

logger = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FRIENDLY_TYPES = "a PDF or Word (.docx) file"

# A real resume is read in tens of milliseconds. The child may spend this much CPU...
READ_CPU_SECONDS = 2
# ...and the request waits at most this long for it, however busy the machine.
READ_SECONDS = 3.0
# Python, pypdf and one 10 MB upload fit with room to spare; a file built to exhaust memory
# fails in its own process instead of bringing the out-of-memory killer to the server.
READ_MEMORY_BYTES = 1024 * 1024 * 1024
CHILD_ENVIRONMENT = ("PATH", "PYTHONPATH", "PYTHONHOME", "LANG", "LC_ALL", "LC_CTYPE")

TOO_BIG_UNPACKED = (
    "This file unpacks to far more than a resume needs. Export your resume again as PDF or "
    "DOCX and try again."
)
REFUSALS = {
    ("pdf", "unreadable"): (
        "We couldn't read this PDF; it may be damaged. Export it again and retry."
    ),
    ("pdf", "encrypted"): "This PDF is password-protected. Upload a copy without a password.",
    ("docx", "unreadable"): (
        "We couldn't read this Word file. Save it as .docx (or PDF) and try again."
    ),
    ("pdf", "too_large_unpacked"): TOO_BIG_UNPACKED,
    ("docx", "too_large_unpacked"): TOO_BIG_UNPACKED,
}
TOO_COMPLEX = (
    "This file is too complex for us to read. Export your resume again as PDF or DOCX and "
    "try again."
)


@dataclass(frozen=True)
class CheckedResume:
    content_type: str
    size: int
    sha256: str
    text: str
    original_filename: str
    # Partial when reading ran out of budget: the text is what was read in time.
    text_status: str = Resume.TextStatus.COMPLETE


def check_resume(upload) -> CheckedResume:
    """Accept a PDF or DOCX by what its bytes are, never by its name or declared type."""
    size = upload.size
    if size == 0:
        raise ValidationError("This file is empty. Choose your resume again.", code="empty")
    if size > settings.RESUME_MAX_BYTES:
        raise ValidationError(
            f"Your resume is {size / 1_048_576:.1f} MB; the limit is "
            f"{settings.RESUME_MAX_BYTES // 1_048_576} MB.",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guessed = filetype.guess(head)
    mime = guessed.mime if guessed else None
    if mime == PDF and head.startswith(b"%PDF-"):
        kind = "pdf"
    elif mime in (DOCX, "application/zip") and head.startswith(b"PK\x03\x04"):
        kind, mime = "docx", DOCX
    else:
        raise ValidationError(
            f"This file is not {FRIENDLY_TYPES}. Export your resume as PDF or DOCX and try again.",
            code="bad_type",
        )
    upload.seek(0)
    text, text_status = read_text(kind, upload.read())
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedResume(
        content_type=mime,
        size=size,
        sha256=digest.hexdigest(),
        text=text,
        original_filename=_safe_filename(upload.name, mime),
        text_status=text_status,
    )


def _safe_filename(name: str, mime: str) -> str:
    """The applicant's name for the file, for display only: no directories, no control chars."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip(" .")[:150]
    extension = ".pdf" if mime == PDF else ".docx"
    if not base.lower().endswith(extension):
        base = (base or "resume") + extension
    return base


def read_text(kind: str, data: bytes) -> tuple[str, str]:
    """The text of a "pdf" or "docx" and whether it is complete, read under the budget; a
    ValidationError with the applicant's message if the file cannot be read."""
    messages = _read_in_child(kind, data)
    for message in messages:
        if "error" in message:
            code = message["error"] if (kind, message["error"]) in REFUSALS else "unreadable"
            logger.info("Resume refused by the reader: %s %s", kind, code)
            raise ValidationError(REFUSALS[kind, code], code=code)
    if not any("opened" in message for message in messages):
        # The budget ran out, or the child died, before the file's structure was read.
        logger.info("Resume too complex to open within the budget: %s", kind)
        raise ValidationError(TOO_COMPLEX, code="too_complex")
    separator = "\n" if kind == "pdf" else ""
    text = _clean_text(separator.join(m["text"] for m in messages if "text" in m))
    if any("done" in message for message in messages):
        return text, Resume.TextStatus.COMPLETE
    logger.info("Resume text partial: the reading budget ran out (%s)", kind)
    return text, Resume.TextStatus.PARTIAL


# Why a subprocess running a small module: the reader must share nothing with the server
# process it protects, whatever that process is (a gunicorn sync or gthread worker, a Celery
# prefork child, runserver). A plain fork copies every other thread's locks mid-use, which can
# leave the child deadlocked; multiprocessing's forkserver and spawn re-run the server's main
# script in each child on this Python. A fresh interpreter costs a few tens of milliseconds
# (about 0.1 s with pypdf's import), inherits no threads, sockets, database connections or
# signal handlers, and subprocess starts it safely from any thread.
def _read_in_child(kind: str, data: bytes) -> list[dict]:
    """The messages the child sent before it finished, failed, or ran out of time."""
    arguments = [kind, str(READ_CPU_SECONDS), str(READ_MEMORY_BYTES)]
    return run_reader("applications.resume_reader", arguments, data, timeout=READ_SECONDS)


def run_reader(module: str, arguments: list[str], data: bytes, *, timeout: float) -> list[dict]:
    """Run `python -m module arguments` with `data` on stdin for at most `timeout` seconds;
    the JSON messages it wrote, one a line, before it finished, failed or was killed. Shared
    by the mail reader (conversations.inbound)."""
    command = [sys.executable, "-m", module, *arguments]
    # Our interpreter and module with fixed arguments, no shell; the file goes to stdin. The
    # environment is cut to what Python needs to find its packages: a reader that hostile
    # input subverted would find no secret key or database password there.
    environment = {name: os.environ[name] for name in CHILD_ENVIRONMENT if name in os.environ}
    with subprocess.Popen(  # noqa: S603  # nosec B603 # fixed arguments, no shell
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=settings.BASE_DIR,
        env=environment,
    ) as child:
        try:
            output, _ = child.communicate(data, timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            # What the child wrote before the deadline is kept: the pages it finished.
            output, _ = child.communicate()
        except BaseException:
            child.kill()
            raise
    messages = []
    for line in output.splitlines():
        try:
            messages.append(json.loads(line))
        except ValueError:
            # The last line of a child killed mid-write.
            break
    return messages


def _clean_text(text: str) -> str:
    text = text.replace("\x00", "")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n", text)
    return text.strip()[: resume_reader.TEXT_MAX_CHARS]


def pdf_bytes_with_text(text: str) -> bytes:
    """A small valid PDF containing `text`: demo data and tests use it."""
    stream = f"BT /F1 12 Tf 72 720 Td ({_pdf_escape(text)}) Tj ET".encode("latin-1", "replace")
    return pdf_with_page_content(stream)


def pdf_with_page_content(content: bytes, *, compress: bool = False) -> bytes:
    """A one-page PDF whose page draws `content` (a PDF content stream), Flate-compressed
    if asked."""
    return pdf_with_pages([content], compress=compress)


def pdf_with_pages(contents: list[bytes], *, compress: bool = False) -> bytes:
    """A PDF with one page per content stream in `contents`, Flate-compressed if asked."""
    flate = b" /Filter /FlateDecode" if compress else b""
    kids = b" ".join(b"%d 0 R" % (4 + 2 * index) for index in range(len(contents)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(contents)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for index, content in enumerate(contents):
        stream = zlib.compress(content, 9) if compress else content
        objects += [
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * index),
            b"<< /Length %d%s >>\nstream\n" % (len(stream), flate) + stream + b"\nendstream",
        ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
