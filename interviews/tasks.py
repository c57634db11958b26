"""Thin Celery tasks of interviews: they call the services and return what they did."""

from celery import shared_task

from interviews import scorecards


@shared_task(acks_late=True, ignore_result=True)
def send_scorecard_reminders() -> int:
    """Periodic: email each interviewer whose scorecard is overdue, once per seat."""
    return scorecards.queue_scorecard_reminders()
