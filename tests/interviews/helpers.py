"""Interviews with feedback, written directly: for tests of what reads them."""

from datetime import timedelta

from django.utils import timezone

from interviews.models import AttributeRating, Rating, Scorecard
from tests import factories


def held_interview(application, step, *, interviewers, days_ago=1):
    """An interview of `step` that ended `days_ago` days ago."""
    starts_at = (timezone.now() - timedelta(days=days_ago)).replace(microsecond=0)
    return factories.scheduled_interview(
        application, step, interviewers=interviewers, starts_at=starts_at
    )


def submitted_scorecard(interview, interviewer, recommendation, ratings=None, **notes):
    """A submitted scorecard: `ratings` maps attribute names to a Rating (None: not assessed)."""
    card = Scorecard.objects.create(
        interview=interview,
        interviewer=interviewer,
        status=Scorecard.Status.SUBMITTED,
        recommendation=recommendation,
        submitted_at=timezone.now(),
        **notes,
    )
    attributes = {a.name: a for a in interview.step.attributes.all()}
    AttributeRating.objects.bulk_create(
        AttributeRating(scorecard=card, attribute=attributes[name], value=value)
        for name, value in (ratings or {}).items()
    )
    return card


__all__ = ["Rating", "held_interview", "submitted_scorecard"]
