"""Thin Celery tasks of the reports app."""

from celery import shared_task

import ats.celery  # noqa: F401 - the app these tasks are bound to, configured
from reports import alerts


@shared_task(acks_late=True, ignore_result=True)
def email_new_fairness_flags() -> int:
    """Periodic (Celery beat, weekly): tell recruiters of adverse-impact flags not told before."""
    return alerts.email_new_flags()
