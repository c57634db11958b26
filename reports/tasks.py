"""Thin Celery tasks of the reports app."""

from celery import shared_task

from reports import alerts


@shared_task(acks_late=True, ignore_result=True)
def email_new_fairness_flags() -> int:
    """Periodic (Celery beat, weekly): tell recruiters of adverse-impact flags not told before."""
    return alerts.email_new_flags()
