"""Password reset by email, through the outbox like every other email.

The request only takes note of the address: after the commit, a task finds the accounts that
use it and writes their emails into the outbox, which sends them. A known and an unknown
address then cost the request the same work, and the same time, so the form cannot tell
anyone who has an account.
"""

import logging
import uuid

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ats import queue
from notifications.models import OutboxEmail
from notifications.services import queue_email

logger = logging.getLogger(__name__)


def request_password_reset(*, email: str) -> None:
    """Take note of a reset request; the emails are written after the commit, elsewhere."""
    # Names this request, so that a task delivered twice writes its emails once.
    request_id = uuid.uuid4().hex
    transaction.on_commit(lambda: _publish(email=email, request_id=request_id))


def _publish(*, email: str, request_id: str) -> None:
    try:
        queue.send("accounts.tasks.send_password_reset", [email, request_id])
    except Exception:
        if queue.eager():
            logger.exception("Writing a password reset email in-process failed")
            return
        # Without a broker the person still gets their email: the rows are written here, and
        # the outbox's sweep sends them. Only while Redis is down does a known address cost
        # this request more than an unknown one.
        logger.warning("Broker unavailable; writing the password reset email in the request")
        queue_password_reset(email=email, request_id=request_id)


def queue_password_reset(*, email: str, request_id: str) -> int:
    """Write a reset email for each active account with a password that uses this address.

    Returns how many were written (none again for a request already handled).
    """
    queued = 0
    with transaction.atomic():
        # Django's own rule for who may reset: active, a usable password, the address matching
        # without regard to case.
        for user in PasswordResetForm().get_users(email):
            queued += bool(
                queue_email(
                    key=f"password_reset:{request_id}:user:{user.pk}",
                    kind=OutboxEmail.Kind.PASSWORD_RESET,
                    to=getattr(user, user.get_email_field_name()),
                    template="password_reset",
                    context={"user": user, "reset_url": _reset_url(user)},
                )
            )
    return queued


def _reset_url(user) -> str:
    # SITE_URL, never the Host header of the request that asked: that is the attacker's choice.
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"
