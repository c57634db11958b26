"""Secrets that travel in URLs, kept out of logs.

An applicant's status link (/status/<token>/...) is the only key to their application, their
emailed link to all of them (/my-applications/<token>/) is the key to those, and a
password-reset link carries a token too. Access logs, Django's request logging and the Referer
header all print paths; this filter rewrites each such path before any handler sees it.

No Django import: gunicorn's config uses it before Django is set up.
"""

import logging
import re

PLACEHOLDER = "<token>"
# Each pattern keeps group 1 and replaces what follows it.
SECRET_IN_PATH = [
    re.compile(r"(/status/)[A-Za-z0-9_-]+"),
    # The emailed link to all of an address's applications: a signed value with colons.
    re.compile(r"(/my-applications/)[A-Za-z0-9_:.-]+"),
    # The reset link; Django then redirects it to .../set-password/, which holds no secret.
    re.compile(r"(/reset/[A-Za-z0-9_-]+/)(?!set-password\b)[A-Za-z0-9_:-]+"),
]


def redact(text: str) -> str:
    """`text` with every token of a secret URL replaced by <token>."""
    for pattern in SECRET_IN_PATH:
        text = pattern.sub(rf"\g<1>{PLACEHOLDER}", text)
    return text


class RedactSecrets(logging.Filter):
    """Rewrites a record's message with redact(); it never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


# One instance, so that adding it again (gunicorn sets its loggers up on every reopen) is a
# no-op: Filterer.addFilter skips a filter it already has.
REDACT_SECRETS = RedactSecrets()
