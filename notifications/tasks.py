"""Thin Celery tasks: they take ids and call delivery.

A transient failure is not retried through Celery: deliver() has already written the row's next
attempt time, and the sweep sends every row once it is due. One retry path, no long ETAs held
in Redis, and a row needing a retry survives the loss of any worker.
"""

import logging

from celery import shared_task

import ats.celery  # noqa: F401 - the app these tasks are bound to, configured
from notifications import delivery

logger = logging.getLogger(__name__)

# Rows per send_emails task from the sweep: one SMTP connection each.
SWEEP_BATCH = 50


@shared_task(acks_late=True, ignore_result=True)
def send_email(outbox_id: int) -> None:
    try:
        delivery.deliver(outbox_id)
    except delivery.TransientEmailError as exc:
        logger.info("Email %s will be retried by the sweep (%s)", outbox_id, exc)


@shared_task(acks_late=True, ignore_result=True)
def send_emails(outbox_ids: list[int]) -> dict:
    return dict(delivery.deliver_batch(outbox_ids))


@shared_task(acks_late=True, ignore_result=True)
def sweep_outbox() -> int:
    """Periodic: reclaim rows of lost workers and enqueue everything pending and due."""
    delivery.release_stale_claims()
    ids = delivery.due_ids()
    for start in range(0, len(ids), SWEEP_BATCH):
        send_emails.delay(ids[start : start + SWEEP_BATCH])
    return len(ids)
