"""Thin Celery tasks of the applications app."""

from datetime import date

from celery import shared_task

from applications import emails


@shared_task(acks_late=True, ignore_result=True)
def queue_daily_digests(day: str | None = None) -> int:
    """Periodic (Celery beat, daily): queue yesterday's digests, or those of `day` (ISO date)."""
    return emails.queue_daily_digests(date.fromisoformat(day) if day else None)
