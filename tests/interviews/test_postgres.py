"""What only PostgreSQL's exclusion constraint `seat_no_double_booking` can guarantee: no
interviewer is booked twice even when two requests both passed the service's check."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from interviews import availability, services
from interviews.models import Interview, InterviewerSeat
from tests import factories

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the exclusion constraint (tstzrange, btree_gist) exists only on PostgreSQL; "
    "on SQLite the service's check is the rule, tested in test_services.py",
)
pytestmark = [postgres_only]


@pytest.mark.django_db
def test_the_database_refuses_an_overlapping_active_seat_written_directly(
    application, applicants, step, ivan, monday
):
    factories.scheduled_interview(application, step, interviewers=[ivan], starts_at=monday)
    other = Interview.objects.create(
        application=applicants["ben"],
        step=step,
        starts_at=monday + timedelta(minutes=30),
        ends_at=monday + timedelta(minutes=90),
    )
    with pytest.raises(IntegrityError, match="seat_no_double_booking"), transaction.atomic():
        InterviewerSeat.objects.create(
            interview=other,
            user=ivan,
            starts_at=other.starts_at,
            ends_at=other.ends_at,
            active=True,
        )
    # Inactive seats (an offer, a cancellation) and back-to-back times are allowed.
    InterviewerSeat.objects.create(interview=other, user=ivan, active=False)
    InterviewerSeat.objects.filter(interview=other).update(
        starts_at=monday + timedelta(hours=1), ends_at=monday + timedelta(hours=2), active=True
    )


@pytest.mark.django_db
def test_the_constraint_behind_a_missed_check_becomes_the_same_clear_error(
    application, applicants, step, ivan, recruiter, monday, monkeypatch
):
    services.schedule_interview(
        application=application, step=step, starts_at=monday, interviewers=[ivan], by=recruiter
    )
    real = availability.conflicts
    calls = []

    def check_that_misses_once(**kwargs):
        # The first check sees nothing, as a request racing another one would; the database
        # must refuse the seat, and the message still names who is busy.
        calls.append(kwargs)
        return [] if len(calls) == 1 else real(**kwargs)

    monkeypatch.setattr(availability, "conflicts", check_that_misses_once)
    with pytest.raises(ValidationError, match=r"Ivan Petrov, Jr\. is already booked"):
        services.schedule_interview(
            application=applicants["ben"],
            step=step,
            starts_at=monday + timedelta(minutes=15),
            interviewers=[ivan],
            by=recruiter,
        )
    assert Interview.objects.filter(application=applicants["ben"]).count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_candidates_booking_the_same_interviewers_time_at_once_get_one_booking(
    posting, step, ivan, recruiter, monday, monkeypatch
):
    jane = factories.apply(posting, name="Jane Doe", email="jane@example.com")
    ben = factories.apply(posting, name="Ben Okafor", email="ben@example.com")
    offers = [
        services.offer_slots(
            application=applicant, step=step, starts=[monday], interviewers=[ivan], by=recruiter
        )
        for applicant in (jane, ben)
    ]
    # Both requests pass the service's check before either writes: only the database's
    # constraint stands between them.
    both_checked = threading.Barrier(2, timeout=10)
    real = availability.conflicts

    def check_then_wait(**kwargs):
        found = real(**kwargs)
        both_checked.wait()
        return found

    monkeypatch.setattr(availability, "conflicts", check_then_wait)
    outcomes = {}

    def book(interview):
        try:
            services.book_slot(interview=interview, slot=interview.slots.get())
            outcomes[interview.pk] = "booked"
        except ValidationError as exc:
            outcomes[interview.pk] = " ".join(exc.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(offer,)) for offer in offers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["That time was just taken. Please pick another.", "booked"]
    assert InterviewerSeat.objects.filter(user=ivan, active=True).count() == 1
    assert Interview.objects.filter(status=Interview.Status.SCHEDULED).count() == 1
    assert Interview.objects.filter(status=Interview.Status.AWAITING_CANDIDATE).count() == 1
