"""Independent feedback: an interviewer reads the others' scorecards for an application only
once their own is in; recruiters and the posting's hiring managers read them all."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interviews import scorecards
from interviews.policy import FeedbackPolicy
from interviews.scorecards import Feedback
from tests import factories

pytestmark = pytest.mark.django_db


def submit(interview, user, **fields):
    return scorecards.submit(
        interview=interview, interviewer=user, feedback=Feedback(recommendation="yes", **fields)
    )


def seen_by(user, application):
    return [card.interviewer.username for card in FeedbackPolicy(user).others_feedback(application)]


def test_an_interviewer_sees_nothing_of_the_others_until_she_submits(
    held_interview, interviewer, frank, application
):
    submit(held_interview, frank)
    assert not FeedbackPolicy(interviewer).sees_others_feedback(application)
    assert seen_by(interviewer, application) == []
    scorecards.save_draft(interview=held_interview, interviewer=interviewer, feedback=Feedback())
    assert seen_by(interviewer, application) == [], "a draft is not her own feedback yet"
    submit(held_interview, interviewer)
    assert seen_by(interviewer, application) == ["frank"]


def test_drafts_are_nobodys_but_their_authors(
    held_interview, interviewer, frank, recruiter, application
):
    scorecards.save_draft(
        interview=held_interview, interviewer=frank, feedback=Feedback(concerns="x")
    )
    submit(held_interview, interviewer)
    assert seen_by(interviewer, application) == []
    assert seen_by(recruiter, application) == ["erin"]


def test_recruiters_and_the_postings_hiring_managers_see_every_submitted_scorecard(
    held_interview, interviewer, frank, recruiter, hiring_manager, outsider, application
):
    submit(held_interview, interviewer)
    submit(held_interview, frank)
    for user in (recruiter, hiring_manager):
        assert FeedbackPolicy(user).decides(application)
        assert seen_by(user, application) == ["erin", "frank"]
    superuser = factories.UserFactory(username="root", profile=None)
    superuser.is_superuser = True
    superuser.save()
    assert seen_by(superuser, application) == ["erin", "frank"]
    # Charlie manages no team of this posting: he decides nothing here.
    assert not FeedbackPolicy(outsider).decides(application)
    assert seen_by(outsider, application) == []


def test_an_interviewer_owing_a_scorecard_for_a_later_interview_waits_again(
    held_interview, interviewer, frank, application, screen_step
):
    """Erin submitted for the first interview but has not for the second one she has since
    held_interview: the others' feedback would colour the scorecard she still owes."""
    submit(held_interview, frank)
    submit(held_interview, interviewer)
    second = factories.scheduled_interview(
        application,
        screen_step,
        interviewers=[interviewer],
        starts_at=timezone.now() - timedelta(minutes=screen_step.duration_minutes + 5),
    )
    assert seen_by(interviewer, application) == []
    submit(second, interviewer)
    assert seen_by(interviewer, application) == ["frank"]


def test_submitting_for_another_application_opens_nothing_here(
    held_interview, interviewer, frank, posting, screen_step, application
):
    ben = factories.apply(posting, name="Ben Okafor", email="ben@example.com")
    bens = factories.scheduled_interview(
        ben,
        screen_step,
        interviewers=[interviewer],
        starts_at=held_interview.starts_at - timedelta(hours=3),
    )
    submit(held_interview, frank)
    submit(bens, interviewer)
    assert seen_by(interviewer, application) == []
    assert seen_by(interviewer, ben) == []


def test_private_notes_are_for_the_people_who_decide(
    application, interviewer, recruiter, held_interview
):
    assert FeedbackPolicy(recruiter).sees_private_notes(application)
    assert not FeedbackPolicy(interviewer).sees_private_notes(application)
