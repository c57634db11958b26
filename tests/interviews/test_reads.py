"""What the candidate page and the board read of the interviews: the scorecard summary
(submitted scorecards only, strong opinions first) and each card's interview state."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interviews.models import Interview, Rating, Scorecard
from interviews.progress import interview_states
from interviews.summary import summary_for
from tests import factories
from tests.interviews.helpers import held_interview, submitted_scorecard

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(db):
    return {
        name: factories.UserFactory(username=name, first_name=name.title(), role="interviewer")
        for name in ("erin", "femi", "gus")
    }


@pytest.fixture
def step(posting, panel):
    return factories.interview_step(
        posting, name="Technical screen", attributes=("Python", "System design", "Communication")
    )


def test_the_summary_counts_submitted_scorecards_only_with_strong_opinions_first(
    application, step, panel, hiring_manager
):
    interview = held_interview(application, step, interviewers=panel.values())
    submitted_scorecard(
        interview,
        panel["erin"],
        "yes",
        {"Python": Rating.YES, "System design": Rating.NO, "Communication": None},
        key_points="Clean code.",
    )
    submitted_scorecard(
        interview,
        panel["femi"],
        "strong_no",
        {"Python": Rating.STRONG_NO, "System design": Rating.NO},
        concerns="Could not explain the cache.",
    )
    Scorecard.objects.create(interview=interview, interviewer=panel["gus"], recommendation="yes")

    summary = summary_for(application, hiring_manager)

    [step_summary] = summary.steps
    assert step_summary.step == step
    recommendations = [(o.interviewer.username, o.label) for o in step_summary.recommendations]
    assert recommendations == [("femi", "Strong no"), ("erin", "Yes")]  # not gus's draft
    rows = {row.attribute.name: row for row in step_summary.attributes}
    assert list(rows) == ["Python", "System design", "Communication"]
    assert [(o.interviewer.username, o.label) for o in rows["Python"].opinions] == [
        ("femi", "Strong no"),
        ("erin", "Yes"),
    ]
    assert rows["Communication"].opinions == [] and rows["Communication"].not_assessed == 1
    assert [t.label for t in summary.tallies] == ["1 strong no", "1 yes"]


def test_an_interviewer_reads_the_others_feedback_only_after_submitting_their_own(
    application, step, panel
):
    interview = held_interview(application, step, interviewers=panel.values())
    submitted_scorecard(interview, panel["erin"], "yes")
    assert summary_for(application, panel["femi"]).visible is False
    assert summary_for(application, panel["femi"]).steps == []
    submitted_scorecard(interview, panel["femi"], "no")
    assert summary_for(application, panel["femi"]).scorecard_count == 2


def test_a_card_shows_the_next_interview_feedback_due_and_all_feedback_in(
    posting, applicants, step, panel
):
    jane, ben, ada, dev = (applicants[k] for k in ("jane", "ben", "ada", "dev"))
    later = timezone.now() + timedelta(days=2)
    factories.scheduled_interview(jane, step, interviewers=[panel["erin"]], starts_at=later)
    factories.scheduled_interview(
        jane, step, interviewers=[panel["gus"]], starts_at=later + timedelta(days=1)
    )
    due = held_interview(ben, step, interviewers=[panel["erin"], panel["femi"]])
    submitted_scorecard(due, panel["erin"], "strong_yes")
    done = held_interview(ada, step, interviewers=[panel["erin"]], days_ago=3)
    submitted_scorecard(done, panel["erin"], "no")
    cancelled = held_interview(dev, step, interviewers=[panel["femi"]], days_ago=5)
    Interview.objects.filter(pk=cancelled.pk).update(status=Interview.Status.CANCELLED)

    states = interview_states([jane.pk, ben.pk, ada.pk, dev.pk])

    assert states[jane.pk].is_scheduled and states[jane.pk].next_at == later
    assert not states[jane.pk].is_feedback_due and not states[jane.pk].is_all_feedback_in
    assert states[ben.pk].is_feedback_due and states[ben.pk].feedback_due == 1
    assert [t.label for t in states[ben.pk].tallies] == ["1 strong yes"]
    assert states[ada.pk].is_all_feedback_in and not states[ada.pk].is_feedback_due
    assert [t.label for t in states[ada.pk].tallies] == ["1 no"]
    assert states[dev.pk].is_empty
