"""One email from the mailbox, read into what the conversation stores.

The bytes are parsed by conversations/mail_reader.py in a child process under a CPU and
memory limit, and waited for at most READ_SECONDS: a child process rather than a budget in
this one, because the email package cannot be interrupted mid-parse from inside (a thread
cannot be killed, and a signal-based alarm works only in the main thread, which a Celery
worker or a web request does not always have), while a process can be killed whatever it is
doing, and its memory limit cannot take the fetcher down. What it reports before its budget
ran out is kept: the headers come first, so a message too costly to read still reaches the
Inbox under its own sender and subject.
"""

import base64
import hashlib
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings

from applications.resumes import run_reader

logger = logging.getLogger(__name__)

READ_CPU_SECONDS = 3
READ_SECONDS = 8.0
READ_MEMORY_BYTES = 1024 * 1024 * 1024


@dataclass
class RawAttachment:
    name: str
    declared_type: str = ""
    size: int = 0
    data: bytes | None = None
    # Why it is not kept, when the reader already knows ("too_large", "more than ten ...").
    problem: str = ""


@dataclass
class Inbound:
    """What one email says, as far as it could be read safely."""

    message_id: str
    from_name: str = ""
    from_address: str = ""
    to: list[str] = field(default_factory=list)
    # Every address the mail was delivered to: To, Cc, Delivered-To, X-Original-To.
    recipients: list[str] = field(default_factory=list)
    subject: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    text: str = ""
    full_text: str = ""
    html: str = ""
    attachments: list[RawAttachment] = field(default_factory=list)
    # What was wrong with the message as a whole (oversized, malformed): it goes to the
    # Inbox with this said, and no body beyond what was safely read.
    refused: str = ""
    problems: list[str] = field(default_factory=list)


def read_message(raw: bytes) -> Inbound:
    """An email's bytes, read under the budget; never raises for what the bytes hold."""
    messages = _read_in_child(raw, max_attachment_bytes=settings.RESUME_MAX_BYTES)
    inbound = _from_headers(messages, fallback_id=_hash_id(raw))
    errors = [m["error"] for m in messages if "error" in m]
    if errors:
        inbound.refused = f"Malformed: {errors[0]}."
    elif not any("done" in m for m in messages):
        inbound.refused = "Malformed: it could not be read within the time and memory allowed."
    if inbound.refused:
        return inbound
    body = next(m["body"] for m in messages if "body" in m)
    inbound.full_text = body["text"].strip()
    inbound.text = trim_quoted(inbound.full_text)
    inbound.html = body["html"]
    inbound.problems = list(body["problems"])
    for message in messages:
        if "attachment" in message:
            entry = message["attachment"]
            inbound.attachments.append(
                RawAttachment(
                    name=entry["name"],
                    declared_type=entry.get("declared_type", ""),
                    size=entry.get("size", 0),
                    data=base64.b64decode(entry["data"]) if "data" in entry else None,
                    problem=entry.get("problem", ""),
                )
            )
    return inbound


def read_oversized(headers: bytes, size: int) -> Inbound:
    """A message too large to download, known by its headers alone."""
    messages = _read_in_child(headers, max_attachment_bytes=0)
    # Not a hash of the whole message, which was never downloaded: of what is known of it.
    inbound = _from_headers(messages, fallback_id=_hash_id(headers + str(size).encode()))
    limit = settings.ATS_IMAP_MAX_MESSAGE_BYTES
    inbound.refused = (
        f"Too large: {size / 1_048_576:.1f} MB, above the limit of {limit / 1_048_576:.0f} MB. "
        "It was not downloaded; ask the sender for a smaller message or a link."
    )
    return inbound


def _from_headers(messages: list[dict], *, fallback_id: str) -> Inbound:
    found = next((m["headers"] for m in messages if "headers" in m), None)
    if found is None:
        return Inbound(message_id=fallback_id)
    sender = found["from"][0] if found["from"] else ["", ""]
    recipients = []
    for name in ("to", "cc", "delivered_to", "x_original_to"):
        recipients += [address for _, address in found[name]]
    return Inbound(
        message_id=found["message_id"] or fallback_id,
        from_name=sender[0],
        from_address=sender[1],
        to=[address for _, address in found["to"]],
        recipients=list(dict.fromkeys(recipients)),
        subject=found["subject"],
        in_reply_to=found["in_reply_to"],
        references=found["references"],
    )


def _hash_id(raw: bytes) -> str:
    """A Message-ID for mail that has none: the same bytes always get the same one, so a
    message fetched twice is still stored once."""
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@no-message-id.invalid>"


# Why a subprocess: see applications/resumes.py (_read_in_child), whose reasons hold here.
def _read_in_child(data: bytes, *, max_attachment_bytes: int) -> list[dict]:
    arguments = [str(READ_CPU_SECONDS), str(READ_MEMORY_BYTES), str(max_attachment_bytes)]
    messages = run_reader("conversations.mail_reader", arguments, data, timeout=READ_SECONDS)
    if not any("done" in message or "error" in message for message in messages):
        logger.info("An email could not be read within its budget")
    return messages


# Where the quoted history of a reply begins. Line by line, each pattern anchored and
# bounded, so that no text makes them slow.
ATTRIBUTION = re.compile(r"^\s*On .{1,300} wrote:\s*$")
ATTRIBUTION_START = re.compile(r"^\s*On .{1,300}$")
WROTE = re.compile(r"^.{0,300}wrote:\s*$")
ORIGINAL = re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.I)
OUTLOOK_FROM = re.compile(r"^\s*\**From:\**\s.{1,400}$")
OUTLOOK_FIELD = re.compile(r"^\s*\**(Sent|Date|To|Subject|Cc):\**\s", re.I)
RULE = re.compile(r"^\s*_{10,}\s*$")


def trim_quoted(text: str) -> str:
    """The new part of a reply: up to the quoted history ("On ... wrote:", an Outlook
    "From:/Sent:" block, "-----Original Message-----") and without the trailing "> " lines.
    The whole text is kept beside it; if trimming would leave nothing, nothing is trimmed."""
    lines = text.splitlines()
    cut = len(lines)
    for index, line in enumerate(lines):
        following = lines[index + 1 : index + 5]
        if ATTRIBUTION.match(line) or ORIGINAL.match(line):
            cut = index
        elif ATTRIBUTION_START.match(line) and following and WROTE.match(following[0]):
            cut = index  # Gmail folds a long attribution over two lines
        elif (OUTLOOK_FROM.match(line) or RULE.match(line)) and (
            sum(bool(OUTLOOK_FIELD.match(other)) for other in following) >= 2
        ):
            cut = index
        if cut < len(lines):
            break
    kept = lines[:cut]
    while kept and (not kept[-1].strip() or kept[-1].lstrip().startswith(">")):
        kept.pop()
    trimmed = "\n".join(kept).strip()
    return trimmed or text.strip()
