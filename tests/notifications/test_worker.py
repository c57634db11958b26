"""Real components end to end: an application commits, its emails go through Redis to a real
Celery worker, which sends them with Django's SMTP backend to an SMTP sink."""

import pytest

from accounts.models import Profile
from notifications import tasks
from notifications.models import OutboxEmail
from tests.factories import UserFactory, submit
from tests.notifications.conftest import wait_for

pytestmark = [
    pytest.mark.redis,
    pytest.mark.xdist_group("celery"),
    pytest.mark.django_db(transaction=True),
]


def all_sent() -> bool:
    return not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists()


def test_one_application_sends_one_confirmation_and_one_alert_per_instant_member(
    celery_worker, smtp_email, posting, hiring_manager, recruiter, outsider
):
    dana = UserFactory(username="dana")
    Profile.objects.filter(user=dana).update(new_application_email=Profile.EmailFrequency.DAILY)
    posting.hiring_team.add(recruiter, dana)  # Bob is on it already; Charlie is not
    application = submit(posting, email="jane@example.com")

    wait_for(lambda: smtp_email.count() >= 3 and all_sent(), timeout=30, message="3 emails")
    assert tasks.sweep_outbox.apply().get() == 0  # nothing left for the sweep to send again
    received = smtp_email.received
    assert sorted(r.to for r in received) == [
        ("alice@example.com",),
        ("bob@example.com",),
        ("jane@example.com",),
    ]
    [confirmation] = [r for r in received if r.to == ("jane@example.com",)]
    assert confirmation.subject == "We received your application for Backend Engineer"
    assert application.get_status_url() in confirmation.message.as_string()
    assert len(smtp_email.message_id_counts()) == 3  # three messages, each once
