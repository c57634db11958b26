"""Overdue scorecards: each interviewer of an interview that ended more than
ATS_SCORECARD_REMINDER_HOURS ago without a submitted scorecard is emailed, exactly once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from interviews import scorecards, tasks
from interviews.models import Interview
from interviews.scorecards import Feedback
from notifications.models import OutboxEmail
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_over(held_interview):
    """The interview ended three hours ago: past the default two."""
    Interview.objects.filter(pk=held_interview.pk).update(
        starts_at=timezone.now() - timedelta(hours=4), ends_at=timezone.now() - timedelta(hours=3)
    )
    return held_interview


def reminders():
    return OutboxEmail.objects.filter(kind=OutboxEmail.Kind.SCORECARD_DUE).order_by("to")


def test_each_interviewer_without_a_submitted_scorecard_is_reminded_exactly_once(
    long_over, interviewer, frank, django_capture_on_commit_callbacks
):
    scorecards.submit(
        interview=long_over, interviewer=frank, feedback=Feedback(recommendation="yes")
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert scorecards.queue_scorecard_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert scorecards.queue_scorecard_reminders() == 0
        tasks.send_scorecard_reminders.delay()
    out = StringIO()
    call_command("send_scorecard_reminders", stdout=out)
    assert out.getvalue().strip() == "Queued 0 scorecard reminders."
    assert [email.to for email in reminders()] == ["erin@example.com"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["erin@example.com"]
    assert message.subject == "Scorecard due: Technical screen with Jane Doe (Backend Engineer)"
    assert f"/dashboard/interviews/{long_over.pk}/scorecard/" in message.body


def test_nobody_is_reminded_before_the_configured_hours_have_passed(
    held_interview, interviewer, settings
):
    assert scorecards.queue_scorecard_reminders() == 0, "ended 75 minutes ago, 2 hours allowed"
    settings.ATS_SCORECARD_REMINDER_HOURS = 1
    assert scorecards.queue_scorecard_reminders() == 2
    assert [email.to for email in reminders()] == ["erin@example.com", "frank@example.com"]


def test_a_draft_is_not_enough_but_cancelled_and_no_show_interviews_need_no_scorecard(
    long_over, interviewer, frank, application, screen_step
):
    scorecards.save_draft(interview=long_over, interviewer=interviewer, feedback=Feedback())
    ended = timezone.now() - timedelta(hours=5)
    for status in (Interview.Status.CANCELLED, Interview.Status.NO_SHOW):
        other = factories.scheduled_interview(
            application, screen_step, interviewers=[interviewer], starts_at=ended
        )
        Interview.objects.filter(pk=other.pk).update(status=status)
        ended -= timedelta(hours=2)
    out = StringIO()
    call_command("send_scorecard_reminders", stdout=out)
    assert out.getvalue().strip() == "Queued 2 scorecard reminders."
    assert {email.to for email in reminders()} == {"erin@example.com", "frank@example.com"}


def test_the_reminder_shows_the_end_in_the_interviewers_time_zone(long_over, interviewer):
    interviewer.profile.time_zone = "Asia/Tokyo"
    interviewer.profile.save()
    scorecards.queue_scorecard_reminders()
    email = reminders().get(to="erin@example.com")
    assert "JST" in email.body_text


def test_the_beat_schedule_runs_the_reminders(settings):
    assert (
        settings.CELERY_BEAT_SCHEDULE["scorecard-reminders"]["task"]
        == "interviews.tasks.send_scorecard_reminders"
    )
