"""Thin Celery tasks of interviews: they take ids (or nothing) and call a service."""

from celery import shared_task

import ats.celery  # noqa: F401 - the app these tasks are bound to, configured
from interviews import calendars, scorecards, services


@shared_task(acks_late=True, ignore_result=True)
def send_scorecard_reminders() -> int:
    """Periodic: email each interviewer whose scorecard is overdue, once per seat."""
    return scorecards.queue_scorecard_reminders()


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


@shared_task(acks_late=True, ignore_result=True)
def send_interview_reminders() -> int:
    """Periodic (Celery beat): queue the reminders of interviews starting soon."""
    return services.queue_due_reminders()
