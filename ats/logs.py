"""One log line per request and per task, as text or JSON, with a request id that follows a
request into the tasks it queues.

The id comes from the proxy's X-Request-ID when it is a plausible one (nginx: `proxy_set_header
X-Request-ID $request_id;`), so that the proxy's log and ours share it; otherwise it is made
here. It rides along in each task's message headers (see ats.celery), so a worker's lines for
an email carry the id of the request that queued it.

No Django import at module level: the logging configuration loads these classes early.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from ats.log_redaction import redact

REQUEST_ID = contextvars.ContextVar("request_id", default="")
HEADER = "X-Request-ID"
# What a proxy's id looks like (nginx's $request_id is 32 hex digits; others use UUIDs). Any
# other value is replaced rather than copied into every log line it would then forge.
_PLAUSIBLE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

# Attributes every LogRecord has; anything else on a record came from `extra=` and is a field.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_from(value: str | None) -> str:
    """The incoming id when it is plausible, else a new one."""
    if value and _PLAUSIBLE_ID.fullmatch(value):
        return value
    return new_request_id()


def fields_of(record: logging.LogRecord) -> dict:
    """The plain fields a call passed with `extra=`, in the order given, secret tokens in
    their text redacted. Objects (django.request's `request`) are left out: their repr holds
    the full URL, and a line has no room for them anyway."""
    return {
        k: redact(v) if isinstance(v, str) else v
        for k, v in vars(record).items()
        if k not in _STANDARD and isinstance(v, str | int | float | bool | None)
    }


class RequestIdFilter(logging.Filter):
    """Puts the current request (or task) id on every record; "-" outside of one."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get() or "-"
        return True


class TextFormatter(logging.Formatter):
    """`time level logger [request id] message key=value ...` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        parts = [
            self.formatTime(record, "%Y-%m-%d %H:%M:%S"),
            record.levelname,
            record.name,
            f"[{getattr(record, 'request_id', '-')}]",
            record.getMessage(),
        ]
        parts += [f"{k}={v}" for k, v in fields_of(record).items()]
        line = " ".join(parts)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: a newline in a message or a traceback is escaped, so a log
    shipper never splits a record or takes a line of user text for a record of its own."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
            **fields_of(record),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)
