"""Interviewers' CalDAV calendars against a real server (Radicale, started by the suite):
connecting, busy times read into the offered slots, interviews written as events."""

from datetime import UTC, datetime, timedelta

import caldav
import pytest
from cryptography.fernet import Fernet
from django.db import connection as db
from django.urls import reverse

from interviews import availability, calendars, crypto
from interviews.models import CalendarConnection, Interview, InterviewerSeat
from interviews.signals import interview_changed
from tests import factories
from tests.interviews.conftest import CALDAV_PASSWORD

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 12, 7, tzinfo=UTC)
SETTINGS = reverse("dashboard:settings")


def vevent(uid, starts, ends, **extra):
    lines = "".join(f"{key}:{value}\r\n" for key, value in extra.items())
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20261201T000000Z\r\n"
        f"DTSTART:{starts:%Y%m%dT%H%M%SZ}\r\nDTEND:{ends:%Y%m%dT%H%M%SZ}\r\n"
        f"SUMMARY:Dentist\r\n{lines}END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


@pytest.fixture
def erins_calendar(calendar_settings, new_calendar, interviewer):
    """Erin's calendar on the server, connected to the ATS."""
    url, calendar = new_calendar("erin")
    calendars.connect_calendar(user=interviewer, url=url, username="erin", password=CALDAV_PASSWORD)
    return calendar


def connect_to_nothing(user):
    """A connection saved earlier, to a server that no longer answers."""
    return CalendarConnection.objects.create(
        user=user,
        url="http://127.0.0.1:9/erin/",
        calendar_url="http://127.0.0.1:9/erin/work/",
        username="erin",
        password_encrypted=crypto.encrypt("x"),
    )


def connect_form(url, password=CALDAV_PASSWORD):
    return {"action": "calendar", "url": url, "username": "erin", "password": password}


def test_an_interviewer_connects_their_calendar_from_the_settings_page(
    client, interviewer, calendar_settings, new_calendar
):
    url, _ = new_calendar("erin")
    client.force_login(interviewer)
    response = client.post(SETTINGS, connect_form(url), follow=True)
    page = response.content.decode()
    assert "Calendar connected." in page
    connection = CalendarConnection.objects.get(user=interviewer)
    assert connection.calendar_url == url
    assert connection.last_error == "" and connection.last_synced_at is not None
    assert url in page and "Disconnect" in page


def test_the_password_is_stored_encrypted_and_nowhere_in_clear(
    interviewer, calendar_settings, new_calendar
):
    url, _ = new_calendar("erin")
    calendars.connect_calendar(user=interviewer, url=url, username="erin", password=CALDAV_PASSWORD)
    with db.cursor() as cursor:
        cursor.execute("SELECT * FROM interviews_calendarconnection")
        row = cursor.fetchone()
    assert not any(CALDAV_PASSWORD in str(value) for value in row)
    stored = CalendarConnection.objects.get().password_encrypted
    assert crypto.decrypt(stored) == CALDAV_PASSWORD


def test_a_wrong_password_is_refused_and_nothing_is_stored(
    client, interviewer, calendar_settings, new_calendar
):
    url, _ = new_calendar("erin")
    client.force_login(interviewer)
    page = client.post(SETTINGS, connect_form(url, password="wrong")).content.decode()
    assert "The calendar server refused the username or password." in page
    assert not CalendarConnection.objects.exists()


def test_an_address_where_no_server_answers_is_a_clear_error(
    client, interviewer, calendar_settings, radicale
):
    client.force_login(interviewer)
    page = client.post(SETTINGS, connect_form("http://127.0.0.1:9/")).content.decode()
    assert "The calendar server could not be reached" in page
    assert not CalendarConnection.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://cal.example.com/", "Use an https:// address for your calendar."),
        ("https://127.0.0.1/dav/", "private network address"),
        ("https://localhost/dav/", "private network address"),
        ("https://[::1]/dav/", "private network address"),
        ("https://169.254.169.254/latest/", "private network address"),
        ("https://10.0.0.8/", "private network address"),
        ("https://erin:pw@cal.example.com/", "not the address"),
    ],
)
def test_addresses_the_server_must_not_fetch_are_refused(
    client, interviewer, settings, url, message
):
    settings.ATS_CALENDAR_KEY = Fernet.generate_key().decode()
    settings.ATS_CALDAV_ALLOW_PRIVATE = False
    client.force_login(interviewer)
    page = client.post(SETTINGS, connect_form(url)).content.decode()
    assert message in page
    assert not CalendarConnection.objects.exists()


def test_busy_times_in_the_calendar_are_not_offered(erins_calendar, interviewer):
    erins_calendar.save_event(vevent("dentist", MONDAY.replace(hour=10), MONDAY.replace(hour=11)))
    # Free time (TRANSP) and a cancelled event make nobody busy.
    erins_calendar.save_event(
        vevent("focus", MONDAY.replace(hour=13), MONDAY.replace(hour=14), TRANSP="TRANSPARENT")
    )
    erins_calendar.save_event(
        vevent("gone", MONDAY.replace(hour=14), MONDAY.replace(hour=15), STATUS="CANCELLED")
    )
    slots = availability.free_slots(
        users=[interviewer],
        duration=timedelta(hours=1),
        start=MONDAY.replace(hour=9),
        end=MONDAY.replace(hour=16),
    )
    assert MONDAY.replace(hour=9) in slots
    assert MONDAY.replace(hour=9, minute=30) not in slots
    assert MONDAY.replace(hour=10) not in slots and MONDAY.replace(hour=10, minute=30) not in slots
    assert MONDAY.replace(hour=11) in slots
    assert MONDAY.replace(hour=13) in slots and MONDAY.replace(hour=14) in slots
    assert CalendarConnection.objects.get().last_error == ""


def test_a_weekly_meeting_is_busy_on_each_of_its_days(erins_calendar, interviewer):
    weekly = vevent(
        "standup", MONDAY.replace(hour=9), MONDAY.replace(hour=10), RRULE="FREQ=DAILY;COUNT=5"
    )
    erins_calendar.save_event(weekly)
    busy = calendars.calendar_busy_times(interviewer, MONDAY, MONDAY + timedelta(days=7))
    assert sorted(busy) == [
        (MONDAY.replace(hour=9) + timedelta(days=d), MONDAY.replace(hour=10) + timedelta(days=d))
        for d in range(5)
    ]


def test_a_calendar_that_is_down_records_its_error_and_slots_are_still_offered(
    interviewer, calendar_settings
):
    connect_to_nothing(interviewer)
    slots = availability.free_slots(
        users=[interviewer], duration=timedelta(hours=1), start=MONDAY, end=MONDAY + timedelta(1)
    )
    assert len(slots) == 15
    assert "could not be reached" in CalendarConnection.objects.get().last_error


@pytest.fixture
def interview(posting, application, interviewer, recruiter):
    step = factories.interview_step(posting, interviewers=[interviewer], duration_minutes=60)
    return factories.scheduled_interview(
        application, step, interviewers=[interviewer, recruiter], starts_at=MONDAY.replace(hour=10)
    )


def changed(interview, action):
    interview_changed.send(sender=Interview, interview_id=interview.pk, action=action)


def stored_event(calendar, interview):
    found = calendar.event_by_uid(calendars.event_uid(interview))
    return found.icalendar_instance.walk("VEVENT")[0]


def test_a_scheduled_interview_is_written_to_the_interviewers_calendar(
    erins_calendar, interview, interviewer, recruiter
):
    changed(interview, "scheduled")
    event = stored_event(erins_calendar, interview)
    assert str(event["UID"]) == f"{interview.uid}@127.0.0.1"
    assert event["DTSTART"].dt == MONDAY.replace(hour=10)
    assert event["DTEND"].dt == MONDAY.replace(hour=11)
    assert event["SEQUENCE"] == 0
    assert "Technical screen" in str(event["SUMMARY"])
    seat = InterviewerSeat.objects.get(interview=interview, user=interviewer)
    assert seat.calendar_event_url.startswith(str(erins_calendar.url))
    # Alice has no calendar connected: nothing to write for her seat.
    assert InterviewerSeat.objects.get(interview=interview, user=recruiter).calendar_event_url == ""


def test_a_rescheduled_interview_updates_the_same_event_with_a_higher_sequence(
    erins_calendar, interview
):
    changed(interview, "scheduled")
    later = MONDAY.replace(hour=14)
    Interview.objects.filter(pk=interview.pk).update(
        starts_at=later, ends_at=later + timedelta(hours=1), sequence=1
    )
    InterviewerSeat.objects.filter(interview=interview).update(
        starts_at=later, ends_at=later + timedelta(hours=1)
    )
    changed(interview, "rescheduled")
    assert len(erins_calendar.events()) == 1
    event = stored_event(erins_calendar, interview)
    assert event["SEQUENCE"] == 1
    assert event["DTSTART"].dt == later
    # Its own interview does not make Erin busy twice, nor block its old time.
    assert calendars.calendar_busy_times(interview.seats.first().user, MONDAY, later) == []


def test_a_cancelled_interview_is_deleted_from_the_calendar(erins_calendar, interview, interviewer):
    changed(interview, "scheduled")
    Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.CANCELLED)
    InterviewerSeat.objects.filter(interview=interview).update(active=False)
    changed(interview, "cancelled")
    with pytest.raises(caldav.lib.error.NotFoundError):
        erins_calendar.event_by_uid(calendars.event_uid(interview))
    seat = InterviewerSeat.objects.get(interview=interview, user=interviewer)
    assert seat.calendar_event_url == ""
    # Running the task again is harmless.
    changed(interview, "cancelled")


def test_writing_twice_leaves_one_event(erins_calendar, interview):
    changed(interview, "scheduled")
    changed(interview, "scheduled")
    assert len(erins_calendar.events()) == 1


def test_a_calendar_server_that_is_down_is_retried_with_its_error_recorded(
    interview, interviewer, calendar_settings
):
    from celery.exceptions import Retry

    from interviews.tasks import sync_calendar_events

    connect_to_nothing(interviewer)
    # Eagerly run, the task raises the Retry a worker would schedule, with a backoff.
    with pytest.raises(Retry) as retry:
        sync_calendar_events.apply(args=[interview.pk])
    assert isinstance(retry.value.exc, calendars.TransportError)
    # Celery's backoff is jittered (anywhere from 0 to 30 s for the first retry).
    assert 0 <= retry.value.when <= 30
    assert "could not be reached" in CalendarConnection.objects.get().last_error
    assert InterviewerSeat.objects.get(user=interviewer).calendar_event_url == ""


def test_a_calendar_that_is_down_never_fails_the_change_that_sent_the_signal(
    interview, interviewer, calendar_settings
):
    connect_to_nothing(interviewer)
    changed(interview, "scheduled")  # eager Celery: the task ran here and asked for a retry
    assert "could not be reached" in CalendarConnection.objects.get().last_error
