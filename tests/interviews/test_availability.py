from datetime import UTC, datetime, time, timedelta

import pytest

from interviews import availability
from interviews.models import WorkingHours
from tests import factories

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 12, 7, tzinfo=UTC)


@pytest.fixture
def step(posting, interviewer):
    return factories.interview_step(posting, interviewers=[interviewer], duration_minutes=60)


def test_free_slots_follow_default_working_hours_in_the_interviewers_time_zone(interviewer):
    interviewer.profile.time_zone = "Europe/Berlin"  # UTC+1 in December
    interviewer.profile.save()
    slots = availability.free_slots(
        users=[interviewer], duration=timedelta(hours=1), start=MONDAY, end=MONDAY + timedelta(1)
    )
    assert slots[0] == MONDAY.replace(hour=8)  # 09:00 in Berlin
    assert slots[-1] == MONDAY.replace(hour=15)  # the last hour ends at 17:00 in Berlin
    assert len(slots) == 15


def test_a_weekend_offers_nothing_without_weekend_hours(interviewer):
    saturday = MONDAY - timedelta(days=2)
    assert (
        availability.free_slots(
            users=[interviewer], duration=timedelta(hours=1), start=saturday, end=MONDAY
        )
        == []
    )


def test_own_working_hours_replace_the_default(interviewer):
    WorkingHours.objects.create(user=interviewer, weekday=0, starts=time(13), ends=time(15))
    slots = availability.free_slots(
        users=[interviewer], duration=timedelta(hours=1), start=MONDAY, end=MONDAY + timedelta(1)
    )
    assert slots == [MONDAY.replace(hour=13), MONDAY.replace(hour=13, minute=30),
                     MONDAY.replace(hour=14)]  # fmt: skip


def test_existing_interviews_and_every_interviewer_are_respected(
    step, application, interviewer, recruiter
):
    factories.scheduled_interview(
        application, step, interviewers=[interviewer], starts_at=MONDAY.replace(hour=10)
    )
    slots = availability.free_slots(
        users=[interviewer, recruiter],
        duration=timedelta(hours=1),
        start=MONDAY.replace(hour=9),
        end=MONDAY.replace(hour=13),
    )
    # 10:00-11:00 is taken: nothing may overlap it, a start at 09:30 included.
    assert slots == [MONDAY.replace(hour=9), MONDAY.replace(hour=11),
                     MONDAY.replace(hour=11, minute=30), MONDAY.replace(hour=12)]  # fmt: skip
    clash = availability.conflicts(
        users=[interviewer, recruiter],
        starts_at=MONDAY.replace(hour=10, minute=30),
        ends_at=MONDAY.replace(hour=11, minute=30),
    )
    assert clash == [interviewer]
