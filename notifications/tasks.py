"""Thin Celery tasks: they take ids and call services."""

from celery import shared_task

from notifications import services


@shared_task(bind=True, acks_late=True, max_retries=services.MAX_ATTEMPTS, ignore_result=True)
def send_email(self, outbox_id: int) -> None:
    try:
        services.deliver(outbox_id)
    except services.TransientEmailError as exc:
        if self.request.is_eager:
            return  # No countdown in-process: the sweep retries once the row is due.
        raise self.retry(countdown=exc.retry_in) from exc


@shared_task(acks_late=True, ignore_result=True)
def sweep_outbox() -> int:
    """Periodic: reclaim abandoned rows and enqueue everything pending and due."""
    services.release_stale_claims()
    ids = services.due_ids()
    for outbox_id in ids:
        send_email.delay(outbox_id)
    return len(ids)
