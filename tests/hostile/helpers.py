"""Building hostile requests and checking what they left behind."""

import io
import uuid
import zipfile

from applications import pending_resumes, resumes
from applications.models import Answer, Application, Candidate, Resume, StageChange
from notifications.models import OutboxEmail

APPLY_URL = "/jobs/backend-engineer/apply/"


def multipart(fields: dict, files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body written by hand: the test client would strip directories
    from filenames before the server ever saw them."""
    boundary = f"hostile{uuid.uuid4().hex}"
    chunks = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                + str(item).encode()
                + b"\r\n"
            )
    for field, filename, content in files:
        chunks.append(
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{field}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def lasting_files(root):
    """Stored files but the resumes kept for an hour for a corrected try (pending_resumes)."""
    pending = root / pending_resumes.PENDING_DIR
    return [p for p in stored_files(root) if pending not in p.parents]


def row_counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Candidate, Application, Answer, Resume, StageChange, OutboxEmail)
    }


CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def docx_zip(
    document: bytes | None = None, *, extra: dict | None = None, stored: bool = False
) -> bytes:
    """A zip laid out like a DOCX, with the given word/document.xml and extra entries,
    compressed unless `stored`."""
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        if document is not None:
            archive.writestr("word/document.xml", document)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb_docx(unpacked_mb: int = 64) -> bytes:
    """A DOCX-looking zip whose word/document.xml inflates from tens of KB to `unpacked_mb` MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as document:
            document.write(b'<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>')
            block = b"A" * (1024 * 1024)
            for _ in range(unpacked_mb):
                document.write(block)
            document.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buffer.getvalue()


def many_entries_docx(entries: int = 2500) -> bytes:
    return docx_zip(b"<w:t>hi</w:t>", extra={f"word/media/{i}.xml": b"x" for i in range(entries)})


def damaged_docx(how: str) -> bytes:
    """A DOCX whose word/document.xml is corrupt deflate data, or uses a compression method
    nobody supports (99, WinZip AES)."""
    data = bytearray(docx_zip(b"<w:t>" + b"resume text " * 2000 + b"</w:t>"))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    local = info.header_offset
    name_len = int.from_bytes(data[local + 26 : local + 28], "little")
    extra_len = int.from_bytes(data[local + 28 : local + 30], "little")
    start = local + 30 + name_len + extra_len
    if how == "corrupt":
        data[start : start + 64] = b"\xff" * 64
    elif how == "unsupported-method":
        data[local + 8 : local + 10] = (99).to_bytes(2, "little")
        name = b"word/document.xml"
        central = data.index(b"PK\x01\x02")
        while data[central + 46 : central + 46 + len(name)] != name:
            central = data.index(b"PK\x01\x02", central + 4)
        data[central + 10 : central + 12] = (99).to_bytes(2, "little")
    return bytes(data)


def pdf_with_page_content(content: bytes) -> bytes:
    """A one-page PDF whose page content stream is `content`, Flate-compressed."""
    return resumes.pdf_with_page_content(content, compress=True)
