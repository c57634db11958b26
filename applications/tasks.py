"""Thin Celery tasks of the applications app."""

from datetime import date

from celery import shared_task

import ats.celery  # noqa: F401 - the app these tasks are bound to, configured
from applications import emails, pending_resumes


@shared_task(acks_late=True, ignore_result=True)
def queue_daily_digests(day: str | None = None) -> int:
    """Periodic (Celery beat, daily): queue yesterday's digests, or those of `day` (ISO date)."""
    return emails.queue_daily_digests(date.fromisoformat(day) if day else None)


@shared_task(acks_late=True, ignore_result=True)
def remove_stale_pending_resumes() -> int:
    """Periodic (Celery beat, hourly): delete resumes kept for a form nobody resubmitted."""
    return pending_resumes.remove_stale()
