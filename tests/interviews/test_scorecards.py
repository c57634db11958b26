"""Writing scorecards: drafts, submitting, the author's edit window, amendments with a
reason, and every refusal with a message a person can act on."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interviews import scorecards
from interviews.models import Interview, Scorecard, ScorecardAmendment
from interviews.scorecards import Feedback, ScorecardRefused

pytestmark = pytest.mark.django_db


def feedback(ratings, **fields):
    return Feedback(
        recommendation=fields.pop("recommendation", "yes"),
        key_points=fields.pop("key_points", "Scaled a queue to 10k jobs/s."),
        concerns=fields.pop("concerns", ""),
        ratings=ratings,
    )


def test_a_draft_saves_whatever_is_written_so_far(held_interview, interviewer, ratings):
    card = scorecards.save_draft(
        interview=held_interview,
        interviewer=interviewer,
        feedback=feedback(ratings, recommendation="", key_points="  Half a thought  "),
    )
    card.refresh_from_db()
    assert card.status == Scorecard.Status.DRAFT and card.submitted_at is None
    assert card.key_points == "Half a thought" and card.recommendation == ""
    assert {r.attribute.name: r.value for r in card.ratings.all()} == {"Python": 4, "Design": None}


def test_saving_a_draft_again_updates_the_same_scorecard(held_interview, interviewer, ratings):
    first = scorecards.save_draft(
        interview=held_interview, interviewer=interviewer, feedback=feedback({})
    )
    second = scorecards.save_draft(
        interview=held_interview,
        interviewer=interviewer,
        feedback=feedback(ratings, concerns="Slow"),
    )
    assert first.pk == second.pk and Scorecard.objects.count() == 1
    assert second.ratings.count() == 2 and Scorecard.objects.get().concerns == "Slow"


def test_submitting_needs_a_recommendation_and_stamps_the_time(
    held_interview, interviewer, ratings
):
    with pytest.raises(ScorecardRefused, match="recommendation"):
        scorecards.submit(
            interview=held_interview,
            interviewer=interviewer,
            feedback=feedback(ratings, recommendation=""),
        )
    assert not Scorecard.objects.submitted().exists()
    card = scorecards.submit(
        interview=held_interview,
        interviewer=interviewer,
        feedback=feedback(ratings, recommendation="no"),
    )
    card.refresh_from_db()
    assert card.is_submitted and card.recommendation == "no"
    assert timezone.now() - card.submitted_at < timedelta(seconds=5)


def test_a_submitted_scorecard_takes_no_more_drafts_and_no_second_submission(
    held_interview, interviewer, ratings
):
    scorecards.submit(interview=held_interview, interviewer=interviewer, feedback=feedback(ratings))
    with pytest.raises(ScorecardRefused, match="already submitted"):
        scorecards.save_draft(
            interview=held_interview, interviewer=interviewer, feedback=feedback({}, key_points="")
        )
    with pytest.raises(ScorecardRefused, match="already submitted"):
        scorecards.submit(
            interview=held_interview, interviewer=interviewer, feedback=feedback(ratings)
        )
    assert Scorecard.objects.get().key_points == "Scaled a queue to 10k jobs/s."


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"recommendation": "maybe"}, "recommendations offered"),
        ({"key_points": "x" * (Scorecard.NOTES_MAX + 1)}, "under 10,000"),
    ],
)
def test_bad_feedback_is_refused_and_nothing_is_stored(held_interview, interviewer, bad, message):
    with pytest.raises(ScorecardRefused, match=message):
        scorecards.save_draft(
            interview=held_interview, interviewer=interviewer, feedback=feedback({}, **bad)
        )
    assert not Scorecard.objects.exists()


def test_ratings_must_be_1_to_4_and_only_of_the_steps_attributes(
    held_interview, interviewer, ratings, posting
):
    python = next(iter(ratings))
    with pytest.raises(ScorecardRefused, match="from 1"):
        scorecards.save_draft(
            interview=held_interview, interviewer=interviewer, feedback=feedback({python: 5})
        )
    from tests.factories import interview_step

    other = interview_step(posting, name="Culture", attributes=("Kindness",))
    with pytest.raises(ScorecardRefused, match="only the attributes"):
        scorecards.save_draft(
            interview=held_interview,
            interviewer=interviewer,
            feedback=feedback({other.attributes.get().pk: 3}),
        )
    assert not Scorecard.objects.exists()


def test_only_someone_with_a_seat_may_write_the_scorecard(
    held_interview, recruiter, hiring_manager
):
    for person in (recruiter, hiring_manager):
        with pytest.raises(ScorecardRefused, match="Only the interviewers"):
            scorecards.save_draft(
                interview=held_interview, interviewer=person, feedback=feedback({})
            )
    assert not Scorecard.objects.exists()


def test_a_cancelled_interview_takes_no_feedback(held_interview, interviewer):
    Interview.objects.filter(pk=held_interview.pk).update(status=Interview.Status.CANCELLED)
    with pytest.raises(ScorecardRefused, match="cancelled"):
        scorecards.submit(interview=held_interview, interviewer=interviewer, feedback=feedback({}))
    assert not Scorecard.objects.exists()


def test_feedback_before_the_interview_starts_is_refused_saying_when_it_opens(
    upcoming_interview, interviewer
):
    with pytest.raises(ScorecardRefused, match="Feedback opens when the interview starts, on"):
        scorecards.save_draft(
            interview=upcoming_interview, interviewer=interviewer, feedback=feedback({})
        )
    assert not Scorecard.objects.exists()


def test_the_author_may_edit_within_the_window(held_interview, interviewer, ratings):
    card = scorecards.submit(
        interview=held_interview, interviewer=interviewer, feedback=feedback(ratings)
    )
    scorecards.edit(
        scorecard=card, by=interviewer, feedback=feedback(ratings, recommendation="strong_yes")
    )
    card.refresh_from_db()
    assert card.recommendation == "strong_yes" and not ScorecardAmendment.objects.exists()


def test_nobody_else_may_edit_or_amend_a_scorecard(held_interview, interviewer, frank, ratings):
    card = scorecards.submit(
        interview=held_interview, interviewer=interviewer, feedback=feedback(ratings)
    )
    with pytest.raises(ScorecardRefused, match="Only its author"):
        scorecards.edit(scorecard=card, by=frank, feedback=feedback(ratings, recommendation="no"))
    Scorecard.objects.filter(pk=card.pk).update(submitted_at=timezone.now() - timedelta(days=1))
    with pytest.raises(ScorecardRefused, match="Only its author"):
        scorecards.amend(scorecard=card, by=frank, feedback=feedback(ratings), reason="Mine now")
    card.refresh_from_db()
    assert card.recommendation == "yes"


def test_after_the_window_an_edit_is_refused_and_an_amendment_records_what_changed(
    held_interview, interviewer, ratings, settings
):
    settings.ATS_SCORECARD_EDIT_MINUTES = 30
    card = scorecards.submit(
        interview=held_interview, interviewer=interviewer, feedback=feedback(ratings)
    )
    Scorecard.objects.filter(pk=card.pk).update(submitted_at=timezone.now() - timedelta(minutes=31))
    with pytest.raises(ScorecardRefused, match="amend it"):
        scorecards.edit(scorecard=card, by=interviewer, feedback=feedback(ratings))
    python, design = ratings
    amendment = scorecards.amend(
        scorecard=card,
        by=interviewer,
        feedback=feedback({python: 4, design: 2}, recommendation="no", concerns="Weak on design"),
        reason="  Reread my notes.  ",
    )
    assert amendment.reason == "Reread my notes." and amendment.author == interviewer
    assert amendment.changes == {
        "Recommendation": ["Yes", "No"],
        "Concerns": ["", "Weak on design"],
        "Rating: Design": ["Not assessed", "No"],
    }
    card.refresh_from_db()
    assert card.recommendation == "no" and card.is_submitted


def test_an_amendment_needs_a_reason_and_a_change(held_interview, interviewer, ratings):
    card = scorecards.submit(
        interview=held_interview, interviewer=interviewer, feedback=feedback(ratings)
    )
    Scorecard.objects.filter(pk=card.pk).update(submitted_at=timezone.now() - timedelta(days=1))
    with pytest.raises(ScorecardRefused, match="Say why"):
        scorecards.amend(scorecard=card, by=interviewer, feedback=feedback(ratings), reason=" ")
    with pytest.raises(ScorecardRefused, match="Nothing changed"):
        scorecards.amend(scorecard=card, by=interviewer, feedback=feedback(ratings), reason="Hm")
    assert not ScorecardAmendment.objects.exists()


def test_within_the_window_no_amendment_is_taken(held_interview, interviewer, ratings):
    card = scorecards.submit(
        interview=held_interview, interviewer=interviewer, feedback=feedback(ratings)
    )
    with pytest.raises(ScorecardRefused, match="still edit"):
        scorecards.amend(
            scorecard=card, by=interviewer, feedback=feedback({}, concerns="x"), reason="Why"
        )
    assert not ScorecardAmendment.objects.exists()
