"""Checking an uploaded resume by its content, and pulling out its text for search."""

import hashlib
import io
import logging
import re
import zipfile
import zlib
from dataclasses import dataclass
from html import unescape

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

logger = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FRIENDLY_TYPES = "a PDF or Word (.docx) file"

# A DOCX is a zip: refuse archives that unpack to far more than they weigh (zip bombs).
DOCX_MAX_UNCOMPRESSED = 50 * 1024 * 1024
DOCX_MAX_ENTRIES = 2000
DOCX_MAX_RATIO = 100
TEXT_MAX_CHARS = 100_000
PDF_MAX_PAGES = 50
# A resume page's content is kilobytes. A stream that inflates past this is a decompression
# bomb; pypdf's own limit (75 MB) would let one 70 KB upload cost seconds of CPU.
PDF_MAX_STREAM_BYTES = 4 * 1024 * 1024
PDF_LIMITS = {
    "zlib_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "lzw_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "run_length_maximum_output_length": PDF_MAX_STREAM_BYTES,
    "array_based_stream_maximum_output_length": PDF_MAX_STREAM_BYTES,
}
TOO_BIG_UNPACKED = (
    "This file unpacks to far more than a resume needs. Export your resume again as PDF or "
    "DOCX and try again."
)


@dataclass(frozen=True)
class CheckedResume:
    content_type: str
    size: int
    sha256: str
    text: str
    original_filename: str


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
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime == PDF and head.startswith(b"%PDF-"):
        text = _pdf_text(upload)
    elif mime in (DOCX, "application/zip") and head.startswith(b"PK\x03\x04"):
        text = _docx_text(upload)
        mime = DOCX
    else:
        raise ValidationError(
            f"This file is not {FRIENDLY_TYPES}. Export your resume as PDF or DOCX and try again.",
            code="bad_type",
        )
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
    )


def _safe_filename(name: str, mime: str) -> str:
    """The applicant's name for the file, for display only: no directories, no control chars."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip(" .")[:150]
    extension = ".pdf" if mime == PDF else ".docx"
    if not base.lower().endswith(extension):
        base = (base or "resume") + extension
    return base


def _pdf_text(upload) -> str:
    from pypdf import apply_configuration
    from pypdf.errors import LimitReachedError, PyPdfError

    try:
        with apply_configuration(**PDF_LIMITS):
            return _clean_text(_read_pdf(upload))
    except ValidationError:
        raise
    except LimitReachedError:
        raise ValidationError(TOO_BIG_UNPACKED, code="too_large_unpacked") from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        logger.info("Unreadable PDF upload: %s", exc)
        raise ValidationError(
            "We couldn't read this PDF; it may be damaged. Export it again and retry.",
            code="unreadable",
        ) from None


def _read_pdf(upload) -> str:
    from pypdf import PdfReader

    reader = PdfReader(upload)
    if reader.is_encrypted:
        raise ValidationError(
            "This PDF is password-protected. Upload a copy without a password.",
            code="encrypted",
        )
    parts = []
    for page in reader.pages[:PDF_MAX_PAGES]:
        parts.append(page.extract_text() or "")
        if sum(map(len, parts)) > TEXT_MAX_CHARS:
            break
    return " ".join(parts)


def _docx_text(upload) -> str:
    unreadable = ValidationError(
        "We couldn't read this Word file. Save it as .docx (or PDF) and try again.",
        code="unreadable",
    )
    try:
        archive = zipfile.ZipFile(upload)
        entries = archive.infolist()
        unpacked = sum(entry.file_size for entry in entries)
        packed = sum(entry.compress_size for entry in entries) or 1
        # Judged from the archive's directory alone, before anything is inflated.
        if (
            len(entries) > DOCX_MAX_ENTRIES
            or unpacked > DOCX_MAX_UNCOMPRESSED
            or unpacked / packed > DOCX_MAX_RATIO
        ):
            raise ValidationError(TOO_BIG_UNPACKED, code="too_large_unpacked")
        names = {entry.filename for entry in entries}
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            raise unreadable
        with archive.open("word/document.xml") as document:
            xml = document.read(DOCX_MAX_UNCOMPRESSED).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, RuntimeError):
        raise unreadable from None
    # Pull text runs with a pattern rather than an XML parser: no entity expansion, no XXE.
    paragraphs = re.split(r"</w:p>", xml)
    text = "\n".join(
        "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", paragraph))
        for paragraph in paragraphs
    )
    return _clean_text(unescape(text))


def _clean_text(text: str) -> str:
    text = text.replace("\x00", "")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\n\s*\n+", "\n", text)
    return text.strip()[:TEXT_MAX_CHARS]


def pdf_bytes_with_text(text: str) -> bytes:
    """A small valid PDF containing `text`: demo data and tests use it."""
    stream = f"BT /F1 12 Tf 72 720 Td ({_pdf_escape(text)}) Tj ET".encode("latin-1", "replace")
    return pdf_with_page_content(stream)


def pdf_with_page_content(content: bytes, *, compress: bool = False) -> bytes:
    """A one-page PDF whose page draws `content` (a PDF content stream), Flate-compressed
    if asked."""
    stream = zlib.compress(content, 9) if compress else content
    flate = b" /Filter /FlateDecode" if compress else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d%s >>\nstream\n" % (len(stream), flate) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
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
