"""Thin Celery tasks for the conversation: the work is conversations.receiving's."""

import logging

from celery import shared_task

import ats.celery  # noqa: F401 - the app these tasks are bound to, configured
from conversations import receiving
from conversations.mailbox import MailboxError

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def fetch_replies() -> str:
    """Periodic: store the mailbox's new replies. Off (and quiet) without ATS_IMAP_HOST; a
    mailbox that cannot be reached is logged and tried again at the next run."""
    try:
        return str(receiving.fetch_replies())
    except receiving.NotConfigured:
        return "off"
    except MailboxError as exc:
        logger.warning("Fetching replies failed: %s", exc)
        return "failed"
