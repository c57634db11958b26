"""Reading the text of an uploaded resume, in a process of its own that the server can kill.

The bytes come from anyone on the internet, and PDF and Word files can be built so that reading
them costs minutes of CPU or gigabytes of memory. So this module runs as a child process
(`python -m applications.resume_reader pdf|docx CPU_SECONDS MEMORY_BYTES`, the file on stdin)
that first puts itself under a CPU, memory and core-file limit, and reports what it finds as it
goes, so that the parent keeps the pages read before the budget ran out. It imports the
standard library, pypdf and defusedxml only, never Django: it starts small and holds nothing of
the server's (no settings, no database connection, no secrets).

Messages, one JSON object a line on stdout:
    {"error": "unreadable" | "encrypted" | "too_large_unpacked"}   the file is refused
    {"opened": true}   the file's structure is sound; text follows
    {"text": "..."}    one PDF page, or a block of Word paragraphs
    {"done": true}     all the text that will be read was sent
"""

import contextlib
import io
import json
import logging
import resource
import sys
import warnings
import zipfile
from collections.abc import Callable

# A DOCX is a zip: refuse archives that unpack to far more than they weigh (zip bombs).
DOCX_MAX_UNCOMPRESSED = 50 * 1024 * 1024
DOCX_MAX_ENTRIES = 2000
DOCX_MAX_RATIO = 100
# A resume's word/document.xml is tens or hundreds of KB; the images live in other entries.
DOCX_MAX_DOCUMENT_BYTES = 8 * 1024 * 1024
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
# Text is sent in blocks of about this many characters: few messages, little lost at a kill.
DOCX_BLOCK_CHARS = 2000

# Both the usual (transitional) and the strict OOXML namespace of WordprocessingML.
WORD_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)


class Refused(Exception):
    """The file is refused for a reason the applicant can act on."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


Send = Callable[[dict], None]


def read(kind: str, data: bytes, send: Send) -> None:
    """Send the text of `data`, a "pdf" or a "docx", as messages; raise Refused if it is
    unreadable. Any other exception also means unreadable: the caller decides."""
    if kind == "pdf":
        _read_pdf(data, send)
    elif kind == "docx":
        _read_docx(data, send)
    else:
        raise ValueError(kind)
    send({"done": True})


def main(argv: list[str]) -> None:
    """The child process's whole life: limit itself, read, report, and never raise."""
    kind, cpu_seconds, memory_bytes = argv[0], int(argv[1]), int(argv[2])
    send = limit_child(cpu_seconds, memory_bytes)
    # pypdf reports damage through logging and warnings; the parent reports the outcome.
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    try:
        read(kind, sys.stdin.buffer.read(), send)
    except Refused as refusal:
        _send_quietly(send, {"error": refusal.code})
    except BaseException:  # any failure to read a file is "unreadable"
        _send_quietly(send, {"error": "unreadable"})


def limit_child(cpu_seconds: int, memory_bytes: int) -> Send:
    """Put this child process under its CPU, memory and core-file limits; return the function
    that sends one message to the parent. Shared by the mail reader (conversations)."""
    # At the soft CPU limit the kernel sends SIGXCPU, whose default action ends the process;
    # the hard limit, a second later, is SIGKILL should anything catch the first.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    out = sys.stdout.buffer
    # Nothing but messages may reach the parent's pipe, whatever a library prints.
    sys.stdout = sys.stderr

    def send(message: dict) -> None:
        out.write(json.dumps(message).encode() + b"\n")
        out.flush()

    return send


def _send_quietly(send: Send, message: dict) -> None:
    # The parent may have stopped listening at its deadline.
    with contextlib.suppress(BaseException):
        send(message)


def _read_pdf(data: bytes, send: Send) -> None:
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError

    try:
        with apply_configuration(**PDF_LIMITS):
            try:
                reader = PdfReader(io.BytesIO(data))
            except Exception:
                # pypdf cannot even open some encryption schemes (V=0 raises
                # NotImplementedError): to the applicant, that is a locked file.
                if b"/Encrypt" in data:
                    raise Refused("encrypted") from None
                raise
            if reader.is_encrypted:
                raise Refused("encrypted")
            pages = reader.pages
            count = len(pages)
            send({"opened": True})
            chars = 0
            for number in range(min(count, PDF_MAX_PAGES)):
                text = pages[number].extract_text() or ""
                send({"text": text[: TEXT_MAX_CHARS - chars]})
                chars += len(text)
                if chars >= TEXT_MAX_CHARS:
                    break
    except LimitReachedError:
        raise Refused("too_large_unpacked") from None


def _read_docx(data: bytes, send: Send) -> None:
    from defusedxml.ElementTree import iterparse

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise Refused("unreadable") from None
    entries = archive.infolist()
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    # Judged from the archive's directory alone, before anything is inflated. Inflating never
    # yields more than an entry's declared file_size: zipfile stops there.
    if (
        len(entries) > DOCX_MAX_ENTRIES
        or unpacked > DOCX_MAX_UNCOMPRESSED
        or unpacked / packed > DOCX_MAX_RATIO
    ):
        raise Refused("too_large_unpacked")
    names = {entry.filename for entry in entries}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise Refused("unreadable")
    document = archive.getinfo("word/document.xml")
    if document.file_size > DOCX_MAX_DOCUMENT_BYTES:
        raise Refused("too_large_unpacked")
    send({"opened": True})

    # A streaming parse keeps memory flat and lets a partial text reach the parent. defusedxml
    # refuses any DTD, and with it every entity (billion laughs) and external reference (XXE):
    # Word never writes one.
    pending: list[str] = []
    pending_chars = sent_chars = 0
    path: list[str] = []
    with archive.open(document) as xml:
        for event, element in iterparse(xml, events=("start", "end"), forbid_dtd=True):
            namespace, _, name = element.tag[1:].partition("}")
            name = name if namespace in WORD_NAMESPACES else ""
            if event == "start":
                path.append(name)
                continue
            path.pop()
            piece = _docx_piece(name, element, parent=path[-1] if path else "")
            element.clear()
            if not piece:
                continue
            pending.append(piece)
            pending_chars += len(piece)
            if name == "p" and pending_chars >= DOCX_BLOCK_CHARS:
                send({"text": "".join(pending)})
                sent_chars += pending_chars
                pending, pending_chars = [], 0
                if sent_chars >= TEXT_MAX_CHARS:
                    return
    send({"text": "".join(pending)})


def _docx_piece(name: str, element, *, parent: str) -> str:
    """What one closing WordprocessingML element adds to the text."""
    if name == "t":
        return element.text or ""
    if name == "p":
        return "\n"
    # Inside a run these are characters; inside paragraph properties a <w:tab> is a tab stop.
    if parent == "r":
        if name in ("tab", "ptab"):
            return "\t"
        if name in ("br", "cr"):
            return "\n"
        if name == "noBreakHyphen":
            return "-"
    return ""


if __name__ == "__main__":
    main(sys.argv[1:])
