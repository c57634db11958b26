"""Thin Celery tasks of interviews: they call the services."""

from celery import shared_task

from interviews import services


@shared_task(acks_late=True, ignore_result=True)
def send_interview_reminders() -> int:
    """Periodic (Celery beat): queue the reminders of interviews starting soon."""
    return services.queue_due_reminders()
