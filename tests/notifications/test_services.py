"""Delivering outbox rows through Django's SMTP backend to a real SMTP sink: what each kind of
failure does to a row, claims, stale claims, and the admin's retry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.services import move_application
from notifications import delivery, services
from notifications.models import OutboxEmail
from tests.factories import submit
from tests.notifications.conftest import free_port

pytestmark = pytest.mark.django_db


def outbox_row(to="jane@example.com", key=None, **fields) -> OutboxEmail:
    fields.setdefault("kind", OutboxEmail.Kind.APPLICATION_RECEIVED)
    return OutboxEmail.objects.create(
        key=key or f"test:{to}",
        to=to,
        subject="We received your application",
        body_text="Hello\n",
        body_html="<p>Hello</p>",
        **fields,
    )


def test_a_delivered_email_is_marked_sent_and_carries_a_stable_message_id(smtp_email):
    row = outbox_row()
    delivered = delivery.deliver(row.pk)
    row.refresh_from_db()
    assert (delivered.status, row.status, row.attempts) == ("sent", "sent", 1)
    assert row.sent_at is not None and row.claimed_at is not None
    [received] = smtp_email.received
    assert received.to == ("jane@example.com",)
    assert received.subject == "We received your application"
    assert received.message_id == delivery.message_id(row)
    assert received.message["Auto-Submitted"] == "auto-generated"
    assert received.message.is_multipart()  # the text and the HTML alternative
    assert delivery.message_id(row) == delivery.message_id(OutboxEmail.objects.get(pk=row.pk))
    assert delivery.message_id(row) != delivery.message_id(outbox_row(key="test:other"))


def test_a_transient_smtp_error_reschedules_the_row_with_backoff(smtp_email):
    row = outbox_row(to="transient@example.com")
    before = timezone.now()
    with pytest.raises(delivery.TransientEmailError) as raised:
        delivery.deliver(row.pk)
    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.PENDING
    assert row.attempts == 1
    assert "451" in row.last_error
    assert row.claimed_at is None
    assert row.send_after >= before + timedelta(seconds=15)
    assert 15 <= raised.value.retry_in <= 30
    assert smtp_email.received == []
    assert delivery.deliver(row.pk) is None  # not due yet: nobody may send it early


def test_an_unreachable_server_is_a_transient_error(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    row = outbox_row()
    with pytest.raises(delivery.TransientEmailError):
        delivery.deliver(row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in row.last_error


def test_a_permanent_5xx_fails_the_row_and_keeps_the_reason(smtp_email):
    row = outbox_row(to="bounce@example.com")
    delivered = delivery.deliver(row.pk)
    row.refresh_from_db()
    assert delivered.status == row.status == OutboxEmail.Status.FAILED
    assert "550" in row.last_error and "No such user" in row.last_error
    assert row.sent_at is None
    assert delivery.due_ids() == []  # the sweep leaves it alone


def test_an_undeliverable_erasure_confirmation_forgets_the_address_too(smtp_email):
    row = outbox_row(to="bounce@example.com", kind=OutboxEmail.Kind.ERASURE)
    delivery.deliver(row.pk)
    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.FAILED
    assert (row.to, row.body_text) == ("erased@invalid", "(erased)")


def test_the_last_allowed_attempt_fails_the_row_instead_of_rescheduling(smtp_email):
    row = outbox_row(to="transient@example.com", attempts=delivery.MAX_ATTEMPTS - 1)
    delivery.deliver(row.pk)  # no TransientEmailError: there is no next time
    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.FAILED
    assert row.attempts == delivery.MAX_ATTEMPTS
    assert row.last_error.startswith(f"gave up after {delivery.MAX_ATTEMPTS} attempts")


def test_a_claimed_row_cannot_be_claimed_twice(smtp_email):
    row = outbox_row()
    first = delivery.claim(row.pk)
    assert first.status == OutboxEmail.Status.SENDING
    assert delivery.claim(row.pk) is None
    assert delivery.deliver(row.pk) is None
    assert smtp_email.received == []


def test_a_row_of_a_lost_worker_is_released_after_the_lease_and_sent_again(smtp_email, settings):
    settings.ATS_EMAIL_CLAIM_LEASE_SECONDS = 60
    lost, busy = outbox_row(key="test:lost"), outbox_row(key="test:busy")
    delivery.claim(lost.pk)
    delivery.claim(busy.pk)
    OutboxEmail.objects.filter(pk=lost.pk).update(claimed_at=timezone.now() - timedelta(minutes=2))

    assert delivery.release_stale_claims() == 1
    lost.refresh_from_db()
    busy.refresh_from_db()
    assert (lost.status, lost.claimed_at) == ("pending", None)
    assert busy.status == "sending"  # still within its lease
    assert delivery.deliver(lost.pk).status == "sent"
    assert [r.message_id for r in smtp_email.received] == [delivery.message_id(lost)]


def test_a_row_that_lost_its_worker_on_every_attempt_fails(settings):
    settings.ATS_EMAIL_CLAIM_LEASE_SECONDS = 60
    row = outbox_row(attempts=delivery.MAX_ATTEMPTS - 1)
    delivery.claim(row.pk)
    OutboxEmail.objects.filter(pk=row.pk).update(claimed_at=timezone.now() - timedelta(minutes=2))
    assert delivery.release_stale_claims() == 0
    row.refresh_from_db()
    assert row.status == OutboxEmail.Status.FAILED
    assert "worker was lost" in row.last_error


def test_a_late_outcome_does_not_overwrite_the_next_claim(settings, smtp_email):
    settings.ATS_EMAIL_CLAIM_LEASE_SECONDS = 60
    row = outbox_row()
    slow = delivery.claim(row.pk)
    OutboxEmail.objects.filter(pk=row.pk).update(claimed_at=timezone.now() - timedelta(minutes=2))
    delivery.release_stale_claims()
    assert delivery.deliver(row.pk).status == "sent"
    # The slow worker finally gives up on its SMTP server: the row stays sent.
    with pytest.raises(delivery.TransientEmailError):
        delivery._reschedule_or_fail(slow, "timed out")
    row.refresh_from_db()
    assert row.status == "sent"


def test_a_batch_shares_one_connection_and_reports_each_outcome(smtp_email):
    rows = [
        outbox_row(to="jane@example.com"),
        outbox_row(to="transient@example.com"),
        outbox_row(to="bounce@example.com"),
        outbox_row(to="max@example.com"),
    ]
    claimed = outbox_row(to="taken@example.com")
    delivery.claim(claimed.pk)
    outcomes = delivery.deliver_batch([row.pk for row in [*rows, claimed]])
    assert outcomes == {"sent": 2, "retrying": 1, "failed": 1, "skipped": 1}
    assert sorted(r.to for r in smtp_email.received) == [
        ("jane@example.com",),
        ("max@example.com",),
    ]


def test_the_admin_retry_action_resets_a_failed_row_and_sends_it(
    client, django_user_model, django_capture_on_commit_callbacks, mailoutbox
):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.com", "pw")
    client.force_login(admin)
    failed = outbox_row(status=OutboxEmail.Status.FAILED, attempts=8, last_error="SMTP 550")
    untouched = outbox_row(key="test:sent", status=OutboxEmail.Status.SENT, sent_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/notifications/outboxemail/",
            {"action": "retry", "_selected_action": [failed.pk, untouched.pk]},
            follow=True,
        )
    assert "1 email(s) queued to be sent again." in response.content.decode()
    failed.refresh_from_db()
    untouched.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("sent", 1, "")
    assert untouched.status == "sent"
    assert [m.to for m in mailoutbox] == [["jane@example.com"]]


def test_an_applications_email_history_reads_oldest_first(posting, django_assert_num_queries):
    application = submit(posting)
    move_application(application=application, to_stage=posting.stages.get(name="Screen"))
    submit(posting, email="max@example.com")
    assert list(
        OutboxEmail.objects.for_application(application).values_list("kind", flat=True)
    ) == ["application_received", "stage_changed"]
    with django_assert_num_queries(1):
        list(OutboxEmail.objects.for_application(application))


@pytest.mark.parametrize("kind", ["password_reset", "manage_link"])
def test_an_email_carrying_a_secret_link_keeps_no_body_once_sent(kind, mailoutbox):
    email = services.queue_email(
        key=f"secret-link:{kind}",
        kind=kind,
        to="jane@example.com",
        template="manage_link",
        context={
            "manage_url": "https://jobs.example.com/my-applications/SECRET/",
            "valid_hours": 24,
        },
    )
    delivery.deliver(email.pk)
    email.refresh_from_db()
    assert email.status == "sent"
    assert "SECRET" in mailoutbox[0].body
    assert "SECRET" not in email.body_text + email.body_html
