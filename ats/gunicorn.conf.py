"""Gunicorn's settings for production: `gunicorn -c ats/gunicorn.conf.py ats.wsgi`.

Environment: HOST (default 127.0.0.1: a proxy on this machine faces the Internet), PORT
(8000), WEB_CONCURRENCY (2 worker processes), GUNICORN_THREADS (4 threads each).
"""

import os
import sys
from pathlib import Path

import gunicorn.glogging

# Gunicorn reads this file before it puts the project on the import path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ats.log_redaction import REDACT_SECRETS


def _positive(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip() or str(default)
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name}={value!r} must be a whole number of at least 1.")
    return int(value)


_host = os.environ.get("HOST", "").strip() or "127.0.0.1"
bind = f"{f'[{_host}]' if ':' in _host else _host}:{_positive('PORT', 8000)}"

# Threads, not sync workers: a sync worker is held by one client for as long as it takes to
# send its body, so two idle sockets stalled the whole site. A thread is held the same way,
# but there are WEB_CONCURRENCY x GUNICORN_THREADS of them; the proxy in front, which buffers
# each request before passing it on, is what makes slow clients harmless.
worker_class = "gthread"
workers = _positive("WEB_CONCURRENCY", 2)
threads = _positive("GUNICORN_THREADS", 4)
timeout = 30
graceful_timeout = 30
keepalive = 5

# No access log of gunicorn's own: Django logs one line per request (ats.middleware's
# RequestLogMiddleware), with the request id and in the chosen format (DJANGO_LOG_FORMAT).
accesslog = None
errorlog = "-"


class Logger(gunicorn.glogging.Logger):
    """Gunicorn's logger, with status and reset tokens taken out of every line: the request
    line and Referer of the access log, and the error log's "Error handling request <uri>"."""

    def setup(self, cfg):
        super().setup(cfg)
        self.access_log.addFilter(REDACT_SECRETS)
        self.error_log.addFilter(REDACT_SECRETS)


logger_class = Logger
