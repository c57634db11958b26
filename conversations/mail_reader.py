"""Reading one email from the mailbox, in a process of its own that the server can kill.

Anyone can send us mail, and the standard library's email package spends time and memory
in proportion to what it is given (deep multipart nesting, thousands of parts, headers of
megabytes, folded address lists its parser handles slowly). So, as with resumes
(applications/resume_reader.py), the bytes are read by a child process
(`python -m conversations.mail_reader CPU_SECONDS MEMORY_BYTES MAX_ATTACHMENT_BYTES`, the
message on stdin) under a CPU, memory and core-file limit, and the parent waits for it a
fixed time (conversations/inbound.py). It imports the standard library, nh3 and the resume reader's
process limits only, never Django: it holds no settings, connections or secrets.

Messages, one JSON object a line on stdout, in this order:
    {"headers": {...}}        the headers the fetcher matches and shows
    {"body": {...}}           text, sanitised HTML, problems found
    {"attachment": {...}}     one per attachment: name, declared type, size, base64 data
    {"done": true}
or {"error": "<what was wrong>"} when the message is malformed beyond reading.
"""

import base64
import contextlib
import html
import re
import sys
from email import policy
from email.header import decode_header, make_header
from email.parser import BytesParser
from email.utils import getaddresses

from applications.resume_reader import limit_child

HEADER_BLOCK_MAX = 256 * 1024
HEADERS_MAX = 500
HEADER_VALUE_MAX = 4000
PARTS_MAX = 100
DEPTH_MAX = 10
ATTACHMENTS_MAX = 10
TEXT_MAX_CHARS = 200_000
SUBJECT_MAX = 300
ADDRESSES_MAX = 50

# The HTML of a reply keeps its formatting and nothing that can act: the same rule as the
# Markdown of postings (postings/templatetags/markdown.py), plus the tags mail clients use.
HTML_TAGS = {
    "p", "br", "div", "span", "ul", "ol", "li", "strong", "b", "em", "i", "u", "a",
    "h1", "h2", "h3", "h4", "blockquote", "code", "pre", "table", "tr", "td", "th",
    "tbody", "thead",
}  # fmt: skip
HTML_ATTRIBUTES = {"a": {"href", "title"}}
# Where a block of text starts or ends: a line break in the text.
BLOCK_EDGE = re.compile(r"<br\s*/?>|</?(?:p|div|li|tr|h[1-4]|blockquote|pre|table)\b[^>]*>", re.I)

# Multipart damage that means the parts cannot be told apart: reading on would be guessing.
FATAL_DEFECTS = {
    "NoBoundaryInMultipartDefect",
    "StartBoundaryNotFoundDefect",
    "MultipartInvariantViolationDefect",
}


class Malformed(Exception):
    """The message cannot be read safely; the message says why, for the recruiter."""


def read(data: bytes, send, max_attachment_bytes: int) -> None:
    head_end = _header_end(data)
    if head_end is None or head_end > HEADER_BLOCK_MAX:
        raise Malformed("its headers are missing or too large")
    headers_only = BytesParser(policy=policy.compat32).parsebytes(data[:head_end], headersonly=True)
    if len(headers_only.keys()) > HEADERS_MAX:
        raise Malformed("it has too many headers")
    send({"headers": headers(headers_only)})
    if len(data) <= head_end + 4 and not data[head_end:].strip():
        send({"body": {"text": "", "html": "", "problems": []}})
        send({"done": True})
        return
    # compat32 keeps header values as the strings they are: no structured parsing of headers
    # nobody reads. Payloads are decoded only for the parts kept.
    message = BytesParser(policy=policy.compat32).parsebytes(data)
    parts = list(_walk(message))
    for part, _depth in parts:
        names = {type(defect).__name__ for defect in part.defects}
        if names & FATAL_DEFECTS:
            raise Malformed("its MIME structure is broken (" + ", ".join(sorted(names)) + ")")
    problems = []
    text = html_body = ""
    attachments = []
    for part, _depth in parts:
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        filename = _decoded(part.get_filename() or "")
        is_attachment = disposition == "attachment" or bool(filename)
        if not is_attachment and content_type == "text/plain" and not text:
            text = _text_of(part)
        elif not is_attachment and content_type == "text/html" and not html_body:
            html_body = _text_of(part)
        elif is_attachment or not content_type.startswith(("text/", "multipart/")):
            attachments.append((part, filename, content_type))
    cleaned_html = ""
    if html_body:
        cleaned_html = sanitise_html(html_body)
        if not text:
            text = html_to_text(cleaned_html)
    if len(text) > TEXT_MAX_CHARS:
        problems.append(f"the text was cut at {TEXT_MAX_CHARS:,} characters")
        text = text[:TEXT_MAX_CHARS]
    send({"body": {"text": text, "html": cleaned_html[:TEXT_MAX_CHARS], "problems": problems}})
    for index, (part, filename, content_type) in enumerate(attachments):
        name = filename or f"attachment-{index + 1}"
        if index >= ATTACHMENTS_MAX:
            send({"attachment": {"name": name, "problem": "more than ten attachments"}})
            continue
        payload = part.get_payload(decode=True) or b""
        entry = {"name": name, "declared_type": content_type, "size": len(payload)}
        if len(payload) > max_attachment_bytes:
            entry["problem"] = "too_large"
        else:
            entry["data"] = base64.b64encode(payload).decode()
        send({"attachment": entry})
    send({"done": True})


def headers(message) -> dict:
    def one(name: str) -> str:
        value = message.get(name)
        return _decoded(str(value)[:HEADER_VALUE_MAX]) if value is not None else ""

    def addresses(name: str) -> list[list[str]]:
        values = [str(value)[:HEADER_VALUE_MAX] for value in message.get_all(name) or []]
        found = []
        for display, address in getaddresses(values)[:ADDRESSES_MAX]:
            if "@" in address:
                found.append([_decoded(display)[:200], address.strip().lower()[:320]])
        return found

    return {
        "from": addresses("From")[:1],
        "to": addresses("To"),
        "cc": addresses("Cc"),
        "delivered_to": addresses("Delivered-To"),
        "x_original_to": addresses("X-Original-To"),
        "subject": " ".join(one("Subject").split())[:SUBJECT_MAX],
        "message_id": _one_id(one("Message-ID")),
        "in_reply_to": _one_id(one("In-Reply-To")),
        "references": _ids(one("References"))[-50:],
        "date": one("Date")[:100],
    }


MESSAGE_ID = re.compile(r"<[^<>\s]{1,900}>")


def _ids(value: str) -> list[str]:
    return MESSAGE_ID.findall(value)


def _one_id(value: str) -> str:
    found = _ids(value)
    return found[0] if found else ""


def _decoded(value: str) -> str:
    """RFC 2047 words decoded; anything undecodable left as it came."""
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # malformed encoded words, unknown charsets
        return value


def _header_end(data: bytes) -> int | None:
    ends = [at for at in (data.find(b"\r\n\r\n"), data.find(b"\n\n")) if at != -1]
    if ends:
        return min(ends)
    # A message of headers alone (an oversized one read by its headers).
    return len(data) if data.strip() else None


def _walk(message, depth: int = 0):
    """Every part, depth first, within the limits of depth and count."""
    stack = [(message, 0)]
    count = 0
    while stack:
        part, depth = stack.pop()
        count += 1
        if count > PARTS_MAX:
            raise Malformed(f"it has more than {PARTS_MAX} parts")
        if depth > DEPTH_MAX:
            raise Malformed(f"its parts nest more than {DEPTH_MAX} deep")
        yield part, depth
        if part.is_multipart():
            children = part.get_payload()
            if not isinstance(children, list):
                raise Malformed("its MIME structure is broken")
            stack.extend((child, depth + 1) for child in reversed(children))


def _text_of(part) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know
        return payload.decode("utf-8", errors="replace")


def sanitise_html(markup: str) -> str:
    import nh3

    return nh3.clean(
        markup,
        tags=HTML_TAGS,
        attributes={"*": set(), **HTML_ATTRIBUTES},
        generic_attribute_prefixes=set(),
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def html_to_text(cleaned: str) -> str:
    """The text of sanitised HTML: block ends become line breaks, tags go, entities decode."""
    import nh3

    with_breaks = BLOCK_EDGE.sub("\n", cleaned)
    text = html.unescape(nh3.clean(with_breaks, tags=set()))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def main(argv: list[str]) -> None:
    cpu_seconds, memory_bytes, max_attachment_bytes = (int(arg) for arg in argv[:3])
    send = limit_child(cpu_seconds, memory_bytes)
    try:
        read(sys.stdin.buffer.read(), send, max_attachment_bytes)
    except Malformed as exc:
        with contextlib.suppress(BaseException):
            send({"error": str(exc)})
    except BaseException:  # any other failure to read is a malformed message
        with contextlib.suppress(BaseException):
            send({"error": "it could not be read"})


if __name__ == "__main__":
    main(sys.argv[1:])
