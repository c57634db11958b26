"""Writing emails into the outbox and delivering them from it."""

import logging
import random
import smtplib
from datetime import datetime, timedelta
from hashlib import sha256

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications import emails
from notifications.models import OutboxEmail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
CLAIM_LEASE = timedelta(minutes=10)
# After the broker refuses a publish, skip publishing for a while instead of making every
# request wait for the connect timeout; the sweep sends what was left pending.
BROKER_BACKOFF = timedelta(seconds=30)
_broker_down_until: datetime | None = None


def queue_email(
    *,
    key: str,
    kind: str,
    to: str,
    template: str,
    context: dict,
    application=None,
    send_after: datetime | None = None,
) -> OutboxEmail | None:
    """Write one email into the outbox, in the caller's transaction; enqueue it on commit.

    The key makes this idempotent: queuing the same event twice returns None the second time.
    """
    rendered = emails.render(template, context)
    email, created = OutboxEmail.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "to": to,
            "subject": rendered.subject,
            "body_text": rendered.body_text,
            "body_html": rendered.body_html,
            "application": application,
            "send_after": send_after or timezone.now(),
        },
    )
    if not created:
        return None
    if email.send_after <= timezone.now():
        # Delayed emails are left to the periodic sweep: long ETAs in Redis are fragile.
        transaction.on_commit(lambda: enqueue(email.pk))
    return email


def enqueue(outbox_id: int) -> bool:
    """Hand one row to Celery; never raise, because the row is safe in the outbox regardless."""
    global _broker_down_until
    from notifications.tasks import send_email

    if _broker_down_until and timezone.now() < _broker_down_until:
        return False
    try:
        send_email.delay(outbox_id)
    except Exception as exc:  # kombu raises OperationalError and friends when Redis is down.
        if settings.CELERY_TASK_ALWAYS_EAGER:
            # In-process delivery failed: the row records why, and the sweep retries it.
            logger.exception("Sending outbox email %s in-process failed", outbox_id)
            return False
        _broker_down_until = timezone.now() + BROKER_BACKOFF
        logger.warning("Broker unavailable (%s); email %s stays pending", exc, outbox_id)
        return False
    _broker_down_until = None
    return True


def claim(outbox_id: int) -> OutboxEmail | None:
    """Take a due, pending row for sending. Only one caller can win: the update is conditional."""
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
    """Exponential backoff with full jitter: up to 30 s, 60 s, 120 s... capped at an hour."""
    jitter = random.uniform(0.5, 1.0)  # nosec B311 # spreads retries; not a secret
    return jitter * min(3600, 30 * 2 ** max(0, attempts - 1))


def message_for(email: OutboxEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={
            # Stable per outbox row: should a send ever repeat, mail systems see one message.
            "Message-ID": f"<{sha256(email.key.encode()).hexdigest()[:32]}@ats.outbox>",
            "X-ATS-Email-Kind": email.kind,
        },
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message


def deliver(outbox_id: int) -> OutboxEmail | None:
    """Claim, send and record one outbox row. Returns the row, or None if it was not ours.

    Raises TransientEmailError when the transport failed and the row was rescheduled.
    """
    email = claim(outbox_id)
    if email is None:
        return None
    try:
        message_for(email).send()
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
        return _fail(email, f"{exc.__class__.__name__}: {exc}")
    except smtplib.SMTPResponseException as exc:
        if 500 <= exc.smtp_code < 600:
            return _fail(email, f"SMTP {exc.smtp_code}: {exc.smtp_error!r}")
        _reschedule_or_fail(email, f"SMTP {exc.smtp_code}: {exc.smtp_error!r}")
    except (smtplib.SMTPException, OSError) as exc:
        _reschedule_or_fail(email, f"{exc.__class__.__name__}: {exc}")
    else:
        OutboxEmail.objects.filter(pk=email.pk).update(
            status=OutboxEmail.Status.SENT, sent_at=timezone.now(), last_error=""
        )
        if email.kind == OutboxEmail.Kind.ERASURE:
            # The confirmation was the last use of the address: keep no personal data.
            OutboxEmail.objects.filter(pk=email.pk).update(
                to="erased@invalid", body_text="(erased)", body_html=""
            )
        email.refresh_from_db()
        return email
    return email


def _fail(email: OutboxEmail, error: str) -> OutboxEmail:
    logger.error("Email %s failed permanently: %s", email.pk, error)
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxEmail.Status.FAILED, last_error=error[:2000]
    )
    email.refresh_from_db()
    return email


def _reschedule_or_fail(email: OutboxEmail, error: str) -> None:
    if email.attempts >= MAX_ATTEMPTS:
        _fail(email, f"gave up after {email.attempts} attempts: {error}")
        return
    retry_in = backoff_seconds(email.attempts)
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxEmail.Status.PENDING,
        send_after=timezone.now() + timedelta(seconds=retry_in),
        last_error=error[:2000],
        claimed_at=None,
    )
    raise TransientEmailError(retry_in)


def release_stale_claims() -> int:
    """Rows claimed by a worker that died before finishing go back to pending."""
    return OutboxEmail.objects.stale_claims(timezone.now() - CLAIM_LEASE).update(
        status=OutboxEmail.Status.PENDING, claimed_at=None
    )


def due_ids(limit: int = 500) -> list[int]:
    return list(
        OutboxEmail.objects.due().order_by("send_after", "id").values_list("pk", flat=True)[:limit]
    )


def retry_failed(queryset) -> int:
    """Admin action: give failed emails a fresh set of attempts."""
    ids = list(queryset.filter(status=OutboxEmail.Status.FAILED).values_list("pk", flat=True))
    OutboxEmail.objects.filter(pk__in=ids).update(
        status=OutboxEmail.Status.PENDING, attempts=0, send_after=timezone.now(), claimed_at=None
    )
    for pk in ids:
        transaction.on_commit(lambda pk=pk: enqueue(pk))
    return len(ids)
