"""Which event sends which email, to whom, saying what: the outbox on commit, through Django's
locmem backend (eager Celery, as without REDIS_URL)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from applications import emails, services
from applications.models import Application, Candidate, Stage
from applications.services import DuplicateApplication
from notifications.models import OutboxEmail
from tests.factories import PostingFactory, submit

pytestmark = pytest.mark.django_db


def sent(mailoutbox, to):
    return [message for message in mailoutbox if message.to == [to]]


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def status_url(application) -> str:
    return settings.SITE_URL + application.get_status_url()


def stage(posting, name) -> Stage:
    return posting.stages.get(name=name)


def test_an_applicant_gets_a_confirmation_with_their_status_link(team, apply, mailoutbox):
    application = apply(name="Jane Doe", email="jane@example.com")
    [message] = sent(mailoutbox, "jane@example.com")
    assert message.subject == "We received your application for Backend Engineer"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "Hi Jane Doe," in message.body
    assert status_url(application) in message.body
    assert f'href="{status_url(application)}"' in html_of(message)
    row = OutboxEmail.objects.get(kind=OutboxEmail.Kind.APPLICATION_RECEIVED)
    assert (row.status, row.application) == (OutboxEmail.Status.SENT, application)


def test_only_team_members_with_instant_alerts_hear_of_a_new_application(team, apply, mailoutbox):
    application = apply(name="Jane Doe")
    alerts = [m for m in mailoutbox if m.to != ["jane@example.com"]]
    assert [m.to for m in alerts] == [["bob@example.com"]]
    [alert] = alerts
    assert alert.subject == "New application for Backend Engineer: Jane Doe"
    assert "Hi Bob," in alert.body
    assert f"/{application.pk}/" in alert.body  # the link to the candidate
    assert "Jane Doe</strong> applied for <strong>Backend Engineer" in html_of(alert)


def test_a_knocked_out_application_is_flagged_in_the_alert(
    team, apply, mailoutbox, internship_question
):
    internship_question.knockout_answer = "yes"
    internship_question.save()
    apply(answers={internship_question: True})
    assert Application.objects.get().needs_review
    [alert] = sent(mailoutbox, "bob@example.com")
    assert alert.subject.startswith("[Review] New application")


def test_a_stage_that_notifies_emails_its_candidate_facing_name(
    team, apply, mailoutbox, django_capture_on_commit_callbacks, posting, settings
):
    settings.ATS_STAGE_EMAIL_HOLD_SECONDS = 0  # sent at once, not held for a second move
    application = apply()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.move_application(application=application, to_stage=stage(posting, "Screen"))
    [message] = mailoutbox
    assert message.to == ["jane@example.com"]
    assert message.subject == "Update on your application for Backend Engineer"
    assert '"Under review"' in message.body
    assert "&quot;Under review&quot;" in html_of(message)
    assert "Screen" not in message.body + html_of(message)  # the recruiters' name stays inside
    assert status_url(application) in message.body


def test_a_stage_that_does_not_notify_sends_nothing(
    team, apply, mailoutbox, django_capture_on_commit_callbacks, posting
):
    application = apply()
    mailoutbox.clear()
    quiet = stage(posting, "Interview")
    quiet.notify_candidate = False
    quiet.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.move_application(application=application, to_stage=quiet)
    assert mailoutbox == []
    assert not OutboxEmail.objects.filter(kind=OutboxEmail.Kind.STAGE_CHANGED).exists()


def test_a_rejection_waits_for_the_postings_delay_and_is_sent_once_due(
    team, apply, mailoutbox, django_capture_on_commit_callbacks, posting
):
    posting.rejection_email_delay_hours = 24
    posting.save()
    application = apply()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        change = services.move_application(
            application=application, to_stage=stage(posting, "Rejected")
        )
    row = OutboxEmail.objects.get(kind=OutboxEmail.Kind.REJECTION)
    assert row.send_after == change.at + timedelta(hours=24)
    assert row.status == OutboxEmail.Status.PENDING
    assert not OutboxEmail.objects.due(now=change.at + timedelta(hours=23, minutes=59)).exists()

    call_command("send_pending_email", stdout=None)
    assert mailoutbox == []  # not before it is due

    # A day passes.
    OutboxEmail.objects.filter(pk=row.pk).update(send_after=timezone.now() - timedelta(seconds=1))
    call_command("send_pending_email", stdout=None)
    [message] = mailoutbox
    assert message.to == ["jane@example.com"]
    assert message.subject == "Your application for Backend Engineer"
    assert "not to move forward" in message.body
    assert "not to move forward" in html_of(message)


def test_a_withdrawal_is_confirmed_and_sends_no_stage_email(
    team, apply, mailoutbox, django_capture_on_commit_callbacks
):
    application = apply()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(application=application)
    [message] = mailoutbox
    assert message.to == ["jane@example.com"]
    assert message.subject == "You withdrew your application for Backend Engineer"
    assert "we have withdrawn your application for Backend Engineer" in message.body
    assert "withdrawn your application for Backend Engineer" in html_of(message)


def test_erasure_is_confirmed_to_the_old_address_which_is_then_forgotten(
    team, apply, mailoutbox, django_capture_on_commit_callbacks
):
    application = apply(name="Jane Doe", email="jane@example.com")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.erase(application=application)
    [message] = mailoutbox
    assert message.to == ["jane@example.com"]
    assert message.subject == "Your data has been erased"
    assert "Hi Jane Doe," in message.body
    assert "erased your personal data" in html_of(message)
    [row] = OutboxEmail.objects.all()  # the emails about the application went with it
    assert (row.kind, row.status, row.to) == ("erasure", "sent", "erased@invalid")
    assert "Jane" not in row.body_text + row.body_html


def test_applying_again_reminds_the_address_of_its_link_at_most_once_per_window(
    team, apply, mailoutbox, django_capture_on_commit_callbacks
):
    application = apply()
    mailoutbox.clear()
    for _ in range(2):
        with pytest.raises(DuplicateApplication):
            apply()
    [message] = mailoutbox
    assert message.subject == "You have already applied for Backend Engineer"
    assert message.to == ["jane@example.com"]
    assert status_url(application) in message.body
    assert f'href="{status_url(application)}"' in html_of(message)


def test_the_manage_link_is_sent_to_the_address_at_most_once_per_window(
    team, apply, mailoutbox, django_capture_on_commit_callbacks
):
    application = apply()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.request_manage_link(email="JANE@example.com") is True
        assert services.request_manage_link(email="jane@example.com") is False
    [message] = mailoutbox
    assert message.subject == f"Your applications to {settings.COMPANY_NAME}"
    token = re.search(re.escape(settings.SITE_URL) + r"/my-applications/(\S+)/", message.body)
    assert Candidate.objects.for_manage_token(token[1]) == application.candidate
    assert "works for 24 hours" in message.body


def test_the_daily_digest_lists_the_days_applications_on_the_readers_postings(
    team, apply, mailoutbox, django_capture_on_commit_callbacks, posting
):
    jane = apply(name="Jane Doe", email="jane@example.com")
    apply(name="Max Power", email="max@example.com")
    older = apply(name="Old Timer", email="old@example.com")
    Application.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - timedelta(days=2))
    other_posting = PostingFactory(title="Designer")
    with django_capture_on_commit_callbacks(execute=True):
        submit(other_posting, name="Not Dana's", email="other@example.com")
    mailoutbox.clear()

    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert emails.queue_daily_digests(today) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert emails.queue_daily_digests(today) == 0  # idempotent
    [digest] = mailoutbox
    assert digest.to == ["dana@example.com"]
    assert digest.subject == f"2 new applications on {today:%B} {today.day}"
    for body in (digest.body, html_of(digest)):
        assert "Backend Engineer" in body
        assert "Jane Doe" in body and "Max Power" in body
        assert "Old Timer" not in body and "Not Dana" not in body and "Designer" not in body
    assert f"/{jane.pk}/" in digest.body
    row = OutboxEmail.objects.get(kind=OutboxEmail.Kind.DIGEST)
    assert row.key == f"digest:{team['dana'].pk}:{today.isoformat()}"
    assert row.body_text == "(not kept once sent)"  # candidate names do not outlive erasure


def test_no_digest_for_a_day_without_applications(team, posting):
    assert emails.queue_daily_digests(timezone.localdate()) == 0
    assert not OutboxEmail.objects.exists()


def test_a_rolled_back_submission_sends_nothing_and_leaves_no_row(
    team, mailoutbox, django_capture_on_commit_callbacks, posting
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submit(posting)
        assert OutboxEmail.objects.count() == 2  # written in the transaction...
        raise RuntimeError("something later in the request failed")
    assert callbacks == []
    assert mailoutbox == []
    assert not OutboxEmail.objects.exists()  # ...and gone with it
    assert not Application.objects.exists()


def test_the_same_event_twice_makes_one_email(team, apply, mailoutbox):
    application = apply()
    assert emails.queue_application_received(application) is None
    assert emails.queue_new_application_alerts(application) == [None]
    assert OutboxEmail.objects.filter(kind=OutboxEmail.Kind.APPLICATION_RECEIVED).count() == 1
    assert OutboxEmail.objects.filter(kind=OutboxEmail.Kind.NEW_APPLICATION).count() == 1
    assert len(sent(mailoutbox, "jane@example.com")) == 1


def test_a_name_with_line_breaks_cannot_inject_headers(team, apply, mailoutbox):
    apply(name="Jane\r\nBcc: victim@example.com\nX-Evil: 1", email="jane@example.com")
    [alert] = sent(mailoutbox, "bob@example.com")
    assert "\r" not in alert.subject and "\n" not in alert.subject
    assert alert.subject == (
        "New application for Backend Engineer: Jane Bcc: victim@example.com X-Evil: 1"
    )
    headers = alert.message()
    assert headers["Bcc"] is None and headers["X-Evil"] is None
    assert alert.recipients() == ["bob@example.com"]


def test_the_digest_command_queues_a_given_day_once(team, apply, mailoutbox, capsys):
    apply()
    mailoutbox.clear()
    today = timezone.localdate().isoformat()
    call_command("queue_daily_digests", day=today)
    call_command("queue_daily_digests", day=today)
    assert capsys.readouterr().out.splitlines() == ["Queued 1 digest(s).", "Queued 0 digest(s)."]
    assert OutboxEmail.objects.filter(kind=OutboxEmail.Kind.DIGEST).count() == 1


def test_the_digest_command_names_a_bad_day():
    with pytest.raises(CommandError, match="--day='yesterday' is not a date"):
        call_command("queue_daily_digests", day="yesterday")
