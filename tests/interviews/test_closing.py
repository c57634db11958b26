"""When an application closes under its interviews: the candidate withdraws, or is erased, or
is rejected with an interview still standing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from applications import services as application_services
from interviews import scorecards, services
from interviews.models import Decision, Interview, ScorecardAmendment
from interviews.scorecards import Feedback
from notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


def test_withdrawing_cancels_the_interviews_ahead_and_tells_everyone(
    application, upcoming_interview, held_interview
):
    application_services.withdraw(application=application)

    upcoming_interview.refresh_from_db()
    held_interview.refresh_from_db()
    assert upcoming_interview.status == Interview.Status.CANCELLED
    assert not upcoming_interview.seats.filter(active=True).exists()
    # What already happened stays as it was, feedback and all.
    assert held_interview.status == Interview.Status.SCHEDULED
    cancelled = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.INTERVIEW_CANCELLED)
    assert set(cancelled.values_list("to", flat=True)) == {"jane@example.com", "erin@example.com"}
    invite = Calendar.from_ical(cancelled.first().attachment_text)
    assert str(invite["METHOD"]) == "CANCEL"
    for address in ("erin@example.com", "jane@example.com"):
        assert "The application was withdrawn." in cancelled.get(to=address).body_text


def test_erasure_cancels_the_interviews_ahead_silently_and_forgets_what_was_written(
    application, upcoming_interview, held_interview, interviewer, hiring_manager
):
    card = scorecards.submit(
        interview=held_interview,
        interviewer=interviewer,
        feedback=Feedback(recommendation="yes", key_points="Knew the queue.", concerns="Shy."),
    )
    ScorecardAmendment.objects.create(
        scorecard=card, author=interviewer, reason="Jane followed up", changes={"a": ["b", "c"]}
    )
    Decision.objects.create(
        application=application, outcome="hold", note="Jane asked for time", decided_by=None
    )

    application_services.erase(application=application)

    upcoming_interview.refresh_from_db()
    assert upcoming_interview.status == Interview.Status.CANCELLED
    assert not OutboxEmail.objects.filter(kind=OutboxEmail.Kind.INTERVIEW_CANCELLED).exists()
    card.refresh_from_db()
    assert (card.key_points, card.concerns, card.recommendation) == ("", "", "yes")
    amendment = card.amendments.get()
    assert (amendment.reason, amendment.changes) == ("(erased)", {})
    assert Decision.objects.get().note == ""


def test_no_reminder_goes_out_for_a_rejected_candidates_interview(
    application, upcoming_interview, recruiter
):
    rejected = application.posting.stages.get(name="Rejected")
    application_services.move_application(
        application=application, to_stage=rejected, by=recruiter, notify=False
    )
    tomorrow = upcoming_interview.starts_at
    assert services.queue_due_reminders(now=tomorrow - timedelta(hours=2)) == 0
    application_services.move_application(
        application=application,
        to_stage=application.posting.stages.get(name="Interview"),
        by=recruiter,
    )
    assert services.queue_due_reminders(now=tomorrow - timedelta(hours=2)) == 2
    assert timezone.now() < tomorrow
