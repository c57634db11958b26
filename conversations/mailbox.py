"""The IMAP mailbox replies arrive in: a small client over imaplib.

Every socket operation gives up after ATS_IMAP_TIMEOUT_SECONDS. Messages are fetched with
BODY.PEEK, which leaves them unread, so that only a message whose reply is stored is marked
(read, or moved to ATS_IMAP_PROCESSED_FOLDER). A message's size is asked before its body, and
one above ATS_IMAP_MAX_MESSAGE_BYTES is never downloaded: only its first HEADER_BYTES.
"""

import contextlib
import imaplib
import re
import ssl
from dataclasses import dataclass

from django.conf import settings

# Enough for the headers of any honest message; more is cut off, not downloaded.
HEADER_BYTES = 65_536
UID = re.compile(rb"\bUID (\d+)")
SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")


class MailboxError(Exception):
    """The mailbox could not be reached or refused a command; the next run tries again."""


@dataclass(frozen=True)
class Envelope:
    uid: bytes
    size: int
    headers: bytes


class Mailbox:
    """`with Mailbox() as box:` logs in and selects the folder; leaving logs out."""

    def __init__(self):
        self.host = settings.ATS_IMAP_HOST
        self.port = settings.ATS_IMAP_PORT
        self.security = settings.ATS_IMAP_SECURITY
        self.folder = settings.ATS_IMAP_FOLDER
        self.processed_folder = settings.ATS_IMAP_PROCESSED_FOLDER
        self.timeout = settings.ATS_IMAP_TIMEOUT_SECONDS
        self.connection: imaplib.IMAP4 | None = None
        # Bytes of message content downloaded in this session (headers and bodies).
        self.downloaded = 0
        self.capabilities: set[bytes] = set()

    def __enter__(self) -> "Mailbox":
        try:
            if self.security == "ssl":
                self.connection = imaplib.IMAP4_SSL(
                    self.host,
                    self.port,
                    ssl_context=ssl.create_default_context(),
                    timeout=self.timeout,
                )
            else:
                self.connection = imaplib.IMAP4(self.host, self.port, timeout=self.timeout)
                if self.security == "starttls":
                    self.connection.starttls(ssl_context=ssl.create_default_context())
            self.connection.login(settings.ATS_IMAP_USER, settings.ATS_IMAP_PASSWORD)
            # The greeting's capabilities are those before login; MOVE and UIDPLUS are
            # usually announced only after it.
            capabilities = self._ok(self.connection.capability(), "CAPABILITY")
            self.capabilities = set((capabilities[0] or b"").upper().split())
            self._ok(self.connection.select(_quoted(self.folder)), "SELECT")
        except (OSError, imaplib.IMAP4.error) as exc:
            self._close()
            raise MailboxError(f"{self.host}:{self.port}: {exc}") from exc
        return self

    def __exit__(self, *exc_info):
        self._close()

    def _close(self):
        if self.connection is None:
            return
        # The session is being dropped anyway.
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            self.connection.logout()
        self.connection = None

    def _ok(self, response, command: str):
        status, data = response
        if status != "OK":
            raise MailboxError(f"{command} refused: {data!r}")
        return data

    def _uid(self, *args):
        try:
            return self._ok(self.connection.uid(*args), args[0])
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailboxError(f"{args[0]}: {exc}") from exc

    def unseen(self, limit: int) -> list[bytes]:
        """The UIDs of unread messages, oldest first, at most `limit`."""
        data = self._uid("SEARCH", None, "UNSEEN")
        return (data[0] or b"").split()[:limit]

    def envelopes(self, uids: list[bytes]) -> list[Envelope]:
        """Size and the first HEADER_BYTES of headers of each message; no body."""
        if not uids:
            return []
        data = self._uid(
            "FETCH", b",".join(uids), f"(RFC822.SIZE BODY.PEEK[HEADER]<0.{HEADER_BYTES}>)"
        )
        found = []
        for item in data:
            if not isinstance(item, tuple):
                continue
            uid, size = UID.search(item[0]), SIZE.search(item[0])
            if uid and size:
                self.downloaded += len(item[1])
                found.append(Envelope(uid=uid.group(1), size=int(size.group(1)), headers=item[1]))
        return sorted(found, key=lambda envelope: int(envelope.uid))

    def fetch(self, uid: bytes) -> bytes:
        data = self._uid("FETCH", uid, "(BODY.PEEK[])")
        for item in data:
            if isinstance(item, tuple):
                self.downloaded += len(item[1])
                return item[1]
        raise MailboxError(f"message {uid!r} is gone")

    def mark_processed(self, uid: bytes) -> None:
        """Moved to the processed folder if there is one, else marked read."""
        if not self.processed_folder:
            self._uid("STORE", uid, "+FLAGS.SILENT", r"(\Seen)")
            return
        folder = _quoted(self.processed_folder)
        if b"MOVE" in self.capabilities:
            self._uid("MOVE", uid, folder)
            return
        # Without MOVE (RFC 6851): copy, then delete the original. A crash in between leaves
        # a copy in both folders; the one left unread is fetched again and skipped as stored.
        self._uid("COPY", uid, folder)
        self._uid("STORE", uid, "+FLAGS.SILENT", r"(\Seen \Deleted)")
        if b"UIDPLUS" in self.capabilities:
            self._uid("EXPUNGE", uid)

    def ensure_processed_folder(self) -> None:
        if self.processed_folder:
            # An existing folder answers NO, which is fine: the MOVE will say if it is not.
            self.connection.create(_quoted(self.processed_folder))


def _quoted(folder: str) -> str:
    """A mailbox name as an IMAP quoted string (names may hold spaces)."""
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
