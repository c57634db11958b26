"""Hostile mail through the reply path: what a stranger can send to the jobs mailbox, read by
conversations.inbound (a child process under a budget) and stored by receiving.store. The
real mailbox is tests/conversations; here the bytes go straight to the reader, which is what
the fetcher does with each message it downloads.

Whatever arrives: the batch never stops, the message is stored once (in the Inbox, saying
what was wrong, when it cannot be read), and only files that pass the resume checks are kept.
"""

import base64
import time
from email.message import EmailMessage

import pytest

from applications.resumes import pdf_bytes_with_text
from conversations import inbound, receiving
from conversations.models import Attachment, Message
from tests.applications.docx import docx_bytes
from tests.hostile.helpers import stored_files, zip_bomb_docx

pytestmark = pytest.mark.django_db


def mail(text="Hello", **headers) -> EmailMessage:
    message = EmailMessage()
    message["From"] = headers.pop("sender", "Jane Doe <jane@example.com>")
    message["To"] = "jobs@careers.example.com"
    message["Subject"] = headers.pop("subject", "Re: your application")
    message["Message-ID"] = headers.pop("message_id", "<hostile@example.com>")
    message.set_content(text)
    return message


def store(raw: bytes) -> Message:
    message, created = receiving.store(inbound.read_message(raw))
    assert created
    return message


def with_attachment(data: bytes, filename: str, subtype="octet-stream") -> bytes:
    message = mail()
    message.add_attachment(data, maintype="application", subtype=subtype, filename=filename)
    return message.as_bytes()


@pytest.mark.parametrize(
    ("data", "filename", "reason"),
    [
        (b"MZ\x90\x00" + b"\x00" * 100, "invoice.exe", "not a PDF or Word file"),
        (b"<html><script>alert(1)</script>", "cv.pdf", "not a PDF or Word file"),
        (b"", "empty.pdf", "empty"),
        (zip_bomb_docx(64), "cv.docx", "unpacks to far more than it weighs"),
        (b"%PDF-1.4\n" + b"\x00" * (11 * 1024 * 1024), "big.pdf", "larger than the 10 MB"),
    ],
    ids=["executable", "html-named-pdf", "empty", "zip-bomb-docx", "over-10-mb"],
)
def test_a_refused_attachment_is_listed_not_kept(private_root, data, filename, reason):
    message = store(with_attachment(data, filename))
    assert not Attachment.objects.exists()
    assert stored_files(private_root) == []
    assert len(message.problems) == 1
    assert message.problems[0].startswith(f"Not kept: {filename}: {reason}")


def test_an_attachment_name_cannot_climb_out_or_break_lines(private_root):
    # "../../../etc/cron.d/x\r\n.pdf", as an encoded word: decoded, it holds a line break.
    name = b"=?utf-8?b?" + base64.b64encode(b"../../../etc/cron.d/x\r\n.pdf") + b"?="
    raw = (
        b"From: jane@example.com\r\nMessage-ID: <climb@example.com>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=x\r\n\r\n"
        b"--x\r\nContent-Type: text/plain\r\n\r\nMy CV.\r\n"
        b"--x\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="' + name + b'"\r\n\r\n'
        + base64.encodebytes(pdf_bytes_with_text("CV")) + b"--x--\r\n"
    )  # fmt: skip
    message = store(raw)
    kept = message.attachments.get()
    assert kept.file.name.startswith("replies/") and "etc" not in kept.file.name
    assert "\r" not in kept.original_name and "\n" not in kept.original_name
    assert "/" not in kept.original_name
    assert [path.relative_to(private_root).parts[0] for path in stored_files(private_root)] == [
        "replies"
    ]


def test_a_word_file_is_kept_and_only_ten_attachments_at_most():
    message = mail()
    word = docx_bytes("Jane Doe CV")
    for index in range(12):
        message.add_attachment(word, "application", "zip", filename=f"{index}.docx")
    stored = store(message.as_bytes())
    assert stored.attachments.count() == 10
    assert stored.problems == [
        "Not kept: 10.docx: more than ten attachments.",
        "Not kept: 11.docx: more than ten attachments.",
    ]


def nested(depth: int) -> bytes:
    head = b"From: jane@example.com\r\nMessage-ID: <deep@example.com>\r\nMIME-Version: 1.0\r\n"
    body = b"Content-Type: text/plain\r\n\r\ndeep\r\n"
    for level in range(depth):
        boundary = f"b{level}".encode()
        body = (
            b"Content-Type: multipart/mixed; boundary=" + boundary + b"\r\n\r\n--" + boundary
            + b"\r\n" + body + b"\r\n--" + boundary + b"--\r\n"
        )  # fmt: skip
    return head + body


def many_parts(count: int) -> bytes:
    parts = b"".join(
        b"--x\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % index for index in range(count)
    )
    return (
        b"From: jane@example.com\r\nMessage-ID: <parts@example.com>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=x\r\n\r\n" + parts + b"--x--\r\n"
    )


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (nested(40), "Malformed: its parts nest more than 10 deep."),
        (many_parts(500), "Malformed: it has more than 100 parts."),
        (
            b"From: jane@example.com\r\nX-Junk: " + b"a" * 300_000 + b"\r\n\r\nhi",
            "Malformed: its headers are missing or too large.",
        ),
        (b"From: a@b.c\r\n" * 600 + b"\r\nhi", "Malformed: it has too many headers."),
        (b"", "Malformed: its headers are missing or too large."),
    ],
    ids=["deep-nesting", "many-parts", "huge-header", "many-headers", "empty"],
)
def test_mail_built_to_exhaust_the_parser_goes_to_the_inbox_saying_why(raw, problem):
    started = time.monotonic()
    message = store(raw)
    assert time.monotonic() - started < inbound.READ_SECONDS + 2
    assert message.application is None and message.body_text == ""
    assert message.problems == [problem]


def test_mail_that_cannot_be_read_in_time_is_stored_by_what_was_read(monkeypatch):
    monkeypatch.setattr(inbound, "READ_SECONDS", 0.001)
    message = store(mail().as_bytes())
    assert message.problems == [
        "Malformed: it could not be read within the time and memory allowed."
    ]
    assert message.body_text == ""


def test_encoded_headers_cannot_inject_lines():
    """An encoded word that decodes to a line break and a header: one line all the same."""
    raw = (
        b"From: jane@example.com\r\nMessage-ID: <subject@example.com>\r\n"
        b"Subject: =?utf-8?b?SGkNCkJjYzogZXZpbEBleGFtcGxlLmNvbQ==?=\r\n\r\nhello\r\n"
    )
    stored = store(raw)
    assert stored.subject == "Hi Bcc: evil@example.com"


def test_html_bodies_lose_everything_that_can_act():
    message = mail()
    message.set_content(
        '<iframe src="https://evil.example"></iframe><form action="https://evil.example">'
        '<input name="password"></form><style>body{display:none}</style>'
        '<img src="data:image/png;base64,AAAA"><a href="javascript:alert(1)" onclick="x()">'
        'click</a><div style="position:fixed" hx-get="/dashboard/">Hello</div>',
        subtype="html",
    )
    stored = store(message.as_bytes())
    for gone in ("iframe", "<form", "<input", "<style", "display:none", "<img", "javascript:"):
        assert gone not in stored.body_html
    for gone in ("onclick", "style=", "hx-get"):
        assert gone not in stored.body_html
    assert stored.body_text == "click\nHello"


def test_an_unknown_charset_is_read_with_replacements():
    raw = (
        b"From: jane@example.com\r\nMessage-ID: <charset@example.com>\r\n"
        b"Content-Type: text/plain; charset=x-no-such-charset\r\n\r\ncaf\xe9\r\n"
    )
    assert store(raw).body_text == "caf\ufffd"


def test_the_same_hostile_mail_twice_is_stored_once():
    raw = many_parts(500)
    store(raw)
    _, created = receiving.store(inbound.read_message(raw))
    assert not created
    assert Message.objects.count() == 1
