"""Interview personas: Erin and Frank interview Jane for Backend Engineer; the interview was
held this morning, an hour and a quarter ago it ended."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories


@pytest.fixture
def frank(db):
    return factories.UserFactory(username="frank", role="interviewer")


@pytest.fixture
def step(posting):
    return factories.interview_step(
        posting, guidance="Ask about a system they scaled.", attributes=("Python", "Design")
    )


@pytest.fixture
def held(application, step, interviewer, frank):
    """Jane's technical screen with Erin and Frank, over for an hour and a quarter."""
    starts = timezone.now() - timedelta(minutes=step.duration_minutes + 75)
    return factories.scheduled_interview(
        application, step, interviewers=[interviewer, frank], starts_at=starts
    )


@pytest.fixture
def upcoming(application, step, interviewer):
    """Tomorrow's interview with Erin."""
    return factories.scheduled_interview(application, step, interviewers=[interviewer])


@pytest.fixture
def ratings(step):
    """Strong yes on Python, Design not assessed."""
    python, design = step.attributes.all()
    return {python.pk: 4, design.pk: None}
