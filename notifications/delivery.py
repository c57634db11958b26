"""Delivering emails from the outbox.

Delivery claims the row with a conditional update, sends it, and records the outcome, so two
workers never send one row at the same time and a row sent is never sent again. The one window
left is a worker dying after the SMTP server accepted a message and before the row says "sent":
after the claim lease the row is sent again, with the same Message-ID, so delivery is at least
once and a receiver that deduplicates on Message-ID sees it once.
"""

import logging
import random
import smtplib
from collections import Counter
from collections.abc import Iterable
from datetime import timedelta
from email.mime.text import MIMEText
from hashlib import sha256
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F
from django.utils import timezone

from notifications.models import OutboxEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8

# Kinds whose body is not kept once sent: the erasure confirmation was the last use of the
# address, a digest lists candidates by name, which must not outlive their erasure, and a
# password-reset or manage-all-applications link is a key that only its inbox may hold.
_NOT_KEPT = {"body_text": "(not kept once sent)", "body_html": ""}
SCRUB_AFTER_SENDING = {
    OutboxEmail.Kind.ERASURE: {"to": "erased@invalid", "body_text": "(erased)", "body_html": ""},
    OutboxEmail.Kind.DIGEST: _NOT_KEPT,
    OutboxEmail.Kind.PASSWORD_RESET: _NOT_KEPT,
    OutboxEmail.Kind.MANAGE_LINK: _NOT_KEPT,
}


def claim(outbox_id: int) -> OutboxEmail | None:
    """Take a due, pending row for sending. Only one caller can win: the update is conditional.

    The row's claimed_at is the claim's token: the outcome is recorded only while it holds.
    """
    now = timezone.now()
    claimed = (
        OutboxEmail.objects.due(now)
        .filter(pk=outbox_id)
        .update(status=OutboxEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    return OutboxEmail.objects.get(pk=outbox_id)


class TransientEmailError(Exception):
    def __init__(self, retry_in: float):
        super().__init__(f"retry in {retry_in:.0f}s")
        self.retry_in = retry_in


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with jitter: 15–30 s, 30–60 s, 60–120 s... capped at an hour."""
    jitter = random.uniform(0.5, 1.0)  # nosec B311 # spreads retries; not a secret
    return jitter * min(3600, 30 * 2 ** max(0, attempts - 1))


def claim_lease() -> timedelta:
    return timedelta(seconds=settings.ATS_EMAIL_CLAIM_LEASE_SECONDS)


def message_id_for_key(key: str) -> str:
    """Stable per outbox row, so that a repeated send is recognisably the same message."""
    domain = urlparse(settings.SITE_URL).hostname or "localhost"
    return f"<{sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def message_id(email: OutboxEmail) -> str:
    return email.message_id or message_id_for_key(email.key)


def message_for(email: OutboxEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        reply_to=[email.reply_to] if email.reply_to else None,
        headers={
            "Message-ID": message_id(email),
            # RFC 3834: out-of-office robots must not answer.
            "Auto-Submitted": "auto-generated",
            "X-ATS-Email-Kind": email.kind,
        },
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    if email.attachment_text:
        message.attach(_text_attachment(email))
    return message


def _text_attachment(email: OutboxEmail) -> MIMEText:
    """A text attachment whose Content-Type keeps its parameters: calendars act on an
    invitation only when it says "text/calendar; method=REQUEST" (or CANCEL)."""
    mimetype, *params = (part.strip() for part in email.attachment_type.split(";"))
    _, _, subtype = mimetype.partition("/")
    part = MIMEText(email.attachment_text, subtype or "plain", "utf-8")
    for param in params:
        key, _, value = param.partition("=")
        part.set_param(key.strip(), value.strip().strip('"'))
    part.add_header("Content-Disposition", "attachment", filename=email.attachment_name)
    return part


def deliver(outbox_id: int, *, connection=None) -> OutboxEmail | None:
    """Claim, send and record one outbox row. Returns the row, or None if it was not ours.

    With `connection` (an open email backend, as deliver_batch passes) the message goes over
    it; otherwise over a connection of its own, closed only once the outcome is recorded, so
    the SMTP QUIT is not part of the window in which a crash would repeat the email.

    Raises TransientEmailError when the transport failed and the row was rescheduled.
    """
    email = claim(outbox_id)
    if email is None:
        return None
    own_connection = connection is None
    if own_connection:
        connection = get_connection()
    try:
        connection.open()
        if not connection.send_messages([message_for(email)]):
            raise smtplib.SMTPException("the email backend sent nothing")
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        error = f"recipient refused: {exc.recipients!r}"
        if codes and all(500 <= code < 600 for code in codes):
            return _fail(email, error)
        _close_quietly(connection)
        _reschedule_or_fail(email, error)
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        # This message was refused; 4xx means "try later", 5xx means never.
        error = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
        if 500 <= exc.smtp_code < 600:
            return _fail(email, error)
        _close_quietly(connection)
        _reschedule_or_fail(email, error)
    except Exception as exc:
        # Connecting, greeting, authenticating, a timeout, or a bug: nothing about this
        # message in particular, so it is tried again later, up to MAX_ATTEMPTS times.
        logger.warning("Email %s not sent: %r", email.pk, exc)
        _close_quietly(connection)
        _reschedule_or_fail(email, f"{exc.__class__.__name__}: {exc}")
    else:
        _record(
            email,
            status=OutboxEmail.Status.SENT,
            sent_at=timezone.now(),
            last_error="",
            **SCRUB_AFTER_SENDING.get(email.kind, {}),
        )
        return email
    finally:
        if own_connection:
            _close_quietly(connection)


def deliver_batch(outbox_ids: Iterable[int]) -> Counter:
    """Deliver several rows over one SMTP connection. Counts outcomes: sent, failed, retrying,
    and skipped (rows another worker had, or that were not due)."""
    outcomes = Counter()
    connection = get_connection()
    try:
        for outbox_id in outbox_ids:
            try:
                email = deliver(outbox_id, connection=connection)
            except TransientEmailError:
                outcomes["retrying"] += 1
                continue
            if email is None:
                outcomes["skipped"] += 1
            else:
                outcomes[email.status] += 1
    finally:
        _close_quietly(connection)
    return outcomes


def _close_quietly(connection) -> None:
    """Close the connection; the next send opens a fresh one."""
    try:
        connection.close()
    except (smtplib.SMTPException, OSError) as exc:
        logger.info("Closing the email connection failed: %r", exc)


def _record(email: OutboxEmail, **fields) -> bool:
    """Write the outcome of a send, only while our claim still holds.

    Had the lease expired and another worker claimed the row, the other worker's outcome is
    the one that counts.
    """
    updated = OutboxEmail.objects.filter(
        pk=email.pk, status=OutboxEmail.Status.SENDING, claimed_at=email.claimed_at
    ).update(**fields)
    if not updated:
        logger.warning("Email %s: the claim expired before the outcome was recorded", email.pk)
    for name, value in fields.items():
        setattr(email, name, value)
    return bool(updated)


def _fail(email: OutboxEmail, error: str) -> OutboxEmail:
    logger.error("Email %s failed permanently: %s", email.pk, error)
    # An erasure confirmation that cannot be delivered must not keep the address either.
    scrub = SCRUB_AFTER_SENDING[email.kind] if email.kind == OutboxEmail.Kind.ERASURE else {}
    _record(email, status=OutboxEmail.Status.FAILED, last_error=error[:2000], **scrub)
    return email


def _reschedule_or_fail(email: OutboxEmail, error: str) -> None:
    if email.attempts >= MAX_ATTEMPTS:
        _fail(email, f"gave up after {email.attempts} attempts: {error}")
        return
    retry_in = backoff_seconds(email.attempts)
    _record(
        email,
        status=OutboxEmail.Status.PENDING,
        send_after=timezone.now() + timedelta(seconds=retry_in),
        last_error=error[:2000],
        claimed_at=None,
    )
    raise TransientEmailError(retry_in)


def release_stale_claims() -> int:
    """Rows claimed by a worker that died before recording the outcome go back to pending
    (or to failed, once they used up their attempts: an email that kills its worker must not
    loop for ever). Returns how many went back to pending."""
    stale = OutboxEmail.objects.stale_claims(timezone.now() - claim_lease())
    exhausted = stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=OutboxEmail.Status.FAILED,
        last_error=f"gave up after {MAX_ATTEMPTS} attempts: the worker was lost while sending",
    )
    if exhausted:
        logger.error("%s email(s) failed: their worker was lost on every attempt", exhausted)
    released = stale.update(
        status=OutboxEmail.Status.PENDING,
        claimed_at=None,
        last_error="the worker was lost while sending; sending again",
    )
    if released:
        logger.warning("Released %s email(s) whose worker was lost while sending", released)
    return released


def due_ids(limit: int = 2000) -> list[int]:
    return list(
        OutboxEmail.objects.due().order_by("send_after", "id").values_list("pk", flat=True)[:limit]
    )
