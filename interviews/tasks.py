"""Thin Celery tasks of interviews: they take ids and call a service."""

from celery import shared_task

from interviews import calendars


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(calendars.TransportError,),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=6,
)
def sync_calendar_events(interview_id: int) -> dict:
    """Write (or delete) the interview's event in each connected interviewer's calendar.
    Idempotent: it writes the interview's current state, whatever change triggered it."""
    return calendars.sync_interview(interview_id=interview_id)
