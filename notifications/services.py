"""Writing emails into the outbox and handing them to the workers that deliver them.

An email is a row written in the transaction of the change that causes it, so it exists exactly
when the change does. Sending it is notifications.delivery's, run by the tasks: this module
imports the tasks, they import delivery, and delivery imports neither.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from ats import queue
from notifications import emails
from notifications.delivery import message_id_for_key
from notifications.models import OutboxEmail

logger = logging.getLogger(__name__)

# After the broker refuses a publish, skip publishing for a while instead of making every
# request wait for the connect timeout; the sweep sends what was left pending.
BROKER_BACKOFF = timedelta(seconds=30)
_broker_down_until: datetime | None = None

# Who answers where: an app above this one (conversations) registers a function of
# (application, to) that returns the Reply-To address for an email about that application,
# or "" for none. This app imports nothing above it, so the address comes through this hook.
_reply_to_sources: list[Callable[..., str]] = []


def register_reply_to(source: Callable[..., str]) -> None:
    """Register `source(application, to) -> str`, consulted by queue_email when an email about
    an application names no Reply-To. The first non-empty answer wins."""
    if source not in _reply_to_sources:
        _reply_to_sources.append(source)


def reply_to_for(application, to: str) -> str:
    for source in _reply_to_sources:
        address = source(application, to)
        if address:
            return address
    return ""


def queue_email(
    *,
    key: str,
    kind: str,
    to: str,
    template: str,
    context: dict,
    application=None,
    send_after: datetime | None = None,
    attachment: tuple[str, str, str] | None = None,
    reply_to: str = "",
) -> OutboxEmail | None:
    """Write one email into the outbox, in the caller's transaction; enqueue it on commit.

    The key makes this idempotent: queuing the same event twice returns None the second time.
    `attachment` is (filename, MIME type, text), e.g. an iCalendar invitation.
    """
    rendered = emails.render(template, context)
    name, mimetype, text = attachment or ("", "", "")
    if not reply_to and application is not None:
        reply_to = reply_to_for(application, to)
    email, created = OutboxEmail.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "to": to,
            "reply_to": reply_to,
            "message_id": message_id_for_key(key),
            "subject": rendered.subject,
            "body_text": rendered.body_text,
            "body_html": rendered.body_html,
            "application": application,
            "send_after": send_after or timezone.now(),
            "attachment_name": name,
            "attachment_type": mimetype,
            "attachment_text": text,
        },
    )
    if not created:
        return None
    if email.send_after <= timezone.now():
        # Delayed emails are left to the periodic sweep: long ETAs in Redis are fragile.
        transaction.on_commit(lambda: enqueue(email.pk))
    return email


def cancel_pending(queryset) -> int:
    """Cancel the rows of `queryset` that are still waiting for their time: pending and not
    yet due. Returns how many.

    A due row is left alone, since a worker may be about to send it; the update is
    conditional on the status, so a row a worker claimed meanwhile is not touched either.
    """
    return queryset.filter(status=OutboxEmail.Status.PENDING, send_after__gt=timezone.now()).update(
        status=OutboxEmail.Status.CANCELLED
    )


def enqueue(outbox_id: int) -> bool:
    """Hand one row to Celery; never raise, because the row is safe in the outbox regardless."""
    global _broker_down_until
    if _broker_down_until and timezone.now() < _broker_down_until:
        return False
    try:
        queue.send("notifications.tasks.send_email", [outbox_id])
    except Exception as exc:  # kombu raises OperationalError and friends when Redis is down.
        if queue.eager():
            # In-process delivery failed: the row records why, and the sweep retries it.
            logger.exception("Sending outbox email %s in-process failed", outbox_id)
            return False
        _broker_down_until = timezone.now() + BROKER_BACKOFF
        logger.warning("Broker unavailable (%s); email %s stays pending", exc, outbox_id)
        return False
    _broker_down_until = None
    return True


def retry_failed(queryset) -> int:
    """Admin action: give failed emails a fresh set of attempts."""
    ids = list(queryset.filter(status=OutboxEmail.Status.FAILED).values_list("pk", flat=True))
    OutboxEmail.objects.filter(pk__in=ids).update(
        status=OutboxEmail.Status.PENDING,
        attempts=0,
        send_after=timezone.now(),
        claimed_at=None,
        last_error="",
    )
    for pk in ids:
        transaction.on_commit(lambda pk=pk: enqueue(pk))
    return len(ids)
