"""Thin Celery tasks of the accounts app."""

from celery import shared_task

import ats.celery  # noqa: F401 - the app these tasks are bound to, configured
from accounts import services


@shared_task(acks_late=True, ignore_result=True)
def send_password_reset(email: str, request_id: str) -> int:
    return services.queue_password_reset(email=email, request_id=request_id)
