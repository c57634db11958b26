"""Scheduling's people: Ivan and Olga interview for the Backend Engineer posting's technical
screen (Erin, the interviewer persona, is not on these interviews); Alice schedules."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tests import factories


def next_monday(hour: int = 10, weeks: int = 1) -> datetime:
    """A Monday at `hour`:00 UTC, at least `weeks` weeks ahead: inside default working hours
    and far past every cut-off."""
    today = timezone.now().astimezone(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return today + timedelta(days=(7 - today.weekday()) % 7 + 7 * weeks)


@pytest.fixture
def ivan(db):
    return factories.UserFactory(username="ivan", role="interviewer", last_name="Petrov, Jr.")


@pytest.fixture
def olga(db):
    return factories.UserFactory(username="olga", role="interviewer")


@pytest.fixture
def step(posting, ivan, olga):
    return factories.interview_step(posting, interviewers=[ivan, olga], duration_minutes=60)


@pytest.fixture
def monday():
    return next_monday()
