import pytest

pytestmark = pytest.mark.django_db


def test_a_scheduled_interview_whose_hour_has_passed_reads_as_held(
    upcoming_interview, held_interview
):
    assert (upcoming_interview.state_label, upcoming_interview.badge_tone) == (
        "Scheduled",
        "primary",
    )
    assert (held_interview.state_label, held_interview.badge_tone) == ("Held", "success")
    held_interview.status = held_interview.Status.NO_SHOW
    assert held_interview.state_label == "Candidate did not show up"
