"""The invitations, parsed back with icalendar as a calendar would read them."""

from datetime import timedelta
from email import message_from_bytes

import pytest
from django.core import mail
from icalendar import Calendar

from interviews import invites, services
from notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


def parsed(email: OutboxEmail):
    calendar = Calendar.from_ical(email.attachment_text)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def attendees(event) -> dict[str, dict]:
    found = event.get("attendee")
    found = found if isinstance(found, list) else [found]
    return {str(a).removeprefix("mailto:"): dict(a.params) for a in found}


@pytest.fixture
def scheduled(application, step, ivan, olga, recruiter, monday, settings):
    settings.SITE_URL = "https://careers.example.com"
    settings.DEFAULT_FROM_EMAIL = "Example Careers <jobs@careers.example.com>"
    recruiter.first_name, recruiter.last_name = "Alice", "Smith, Recruiting"
    recruiter.save()
    return services.schedule_interview(
        application=application,
        step=step,
        starts_at=monday,
        interviewers=[ivan, olga],
        location='Room "4", Floor 2;\nback door',
        video_url="https://meet.example.com/abc?x=1,2",
        by=recruiter,
    )


def invite_to(address: str, kind=OutboxEmail.Kind.INTERVIEW_INVITE, sequence=0):
    event = "cancel" if kind == OutboxEmail.Kind.INTERVIEW_CANCELLED else "invite"
    return OutboxEmail.objects.get(kind=kind, to=address, key__contains=f":{event}:{sequence}:")


def test_the_invitation_is_a_request_with_a_stable_uid_organizer_attendees_and_utc_times(
    scheduled, monday
):
    email = invite_to("jane@example.com")
    calendar, event = parsed(email)
    assert calendar["method"] == "REQUEST"
    assert str(event["uid"]) == f"{scheduled.uid}@careers.example.com"
    assert event["sequence"] == 0
    assert event["status"] == "CONFIRMED"
    assert event.decoded("dtstart") == monday
    assert event.decoded("dtend") == monday + timedelta(hours=1)
    # In UTC, written with a Z: no VTIMEZONE for a calendar to misread.
    assert f"DTSTART:{monday:%Y%m%dT%H%M%S}Z" in email.attachment_text
    assert f"DTEND:{monday + timedelta(hours=1):%Y%m%dT%H%M%S}Z" in email.attachment_text
    assert event.decoded("dtstamp").utcoffset() == timedelta(0)
    assert str(event["summary"]) == "Technical screen · Pinterest"
    assert "Jane" not in str(event["summary"])
    organizer = event["organizer"]
    assert str(organizer) == "mailto:jobs@careers.example.com"
    assert organizer.params["CN"] == "Alice Smith, Recruiting"
    people = attendees(event)
    assert set(people) == {"jane@example.com", "ivan@example.com", "olga@example.com"}
    assert people["ivan@example.com"]["CN"] == "Ivan Petrov, Jr."
    for params in people.values():
        assert params["ROLE"] == "REQ-PARTICIPANT"
        assert params["PARTSTAT"] == "NEEDS-ACTION" and params["RSVP"] == "TRUE"


def test_every_text_value_is_escaped_so_no_input_adds_a_line_or_property(scheduled):
    email = invite_to("jane@example.com")
    _, event = parsed(email)
    assert str(event["location"]) == 'Room "4", Floor 2;\nback door'
    assert str(event["url"]) == "https://meet.example.com/abc?x=1,2"
    raw = email.attachment_text
    assert 'LOCATION:Room "4"\\, Floor 2\\;\\nback door' in raw.replace("\r\n ", "")
    assert 'CN="Ivan Petrov, Jr."' in raw.replace("\r\n ", "")
    lines = raw.split("\r\n")
    assert not any(line.startswith("back door") for line in lines)


def test_a_name_with_a_line_break_cannot_add_an_attendee(scheduled):
    scheduled.application.name = "Jane\r\nATTENDEE:mailto:evil@example.com"
    ics = invites.build(scheduled)
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert "evil@example.com" not in attendees(event)
    assert attendees(event)["jane@example.com"]["CN"] == "Jane ATTENDEE:mailto:evil@example.com"


def test_rescheduling_sends_the_same_uid_with_a_higher_sequence(scheduled, recruiter, monday):
    services.reschedule_interview(
        interview=scheduled, starts_at=monday + timedelta(days=2, hours=3), by=recruiter
    )
    _, first = parsed(invite_to("olga@example.com", sequence=0))
    calendar, moved = parsed(invite_to("olga@example.com", sequence=1))
    assert calendar["method"] == "REQUEST"
    assert moved["uid"] == first["uid"]
    assert moved["sequence"] == 1
    assert moved.decoded("dtstart") == monday + timedelta(days=2, hours=3)


def test_cancelling_sends_method_cancel_with_the_same_uid(scheduled, recruiter):
    services.cancel_interview(interview=scheduled, by=recruiter)
    email = invite_to("ivan@example.com", kind=OutboxEmail.Kind.INTERVIEW_CANCELLED, sequence=1)
    assert email.attachment_type == "text/calendar; method=CANCEL"
    calendar, event = parsed(email)
    assert calendar["method"] == "CANCEL"
    assert str(event["uid"]) == f"{scheduled.uid}@careers.example.com"
    assert event["sequence"] == 1 and event["status"] == "CANCELLED"
    assert set(attendees(event)) == {"jane@example.com", "ivan@example.com", "olga@example.com"}


def test_the_outbox_sends_the_invitation_as_a_text_calendar_part(
    scheduled, django_capture_on_commit_callbacks
):
    from notifications.delivery import deliver

    email = invite_to("jane@example.com")
    deliver(email.pk)
    (sent,) = [m for m in mail.outbox if m.to == ["jane@example.com"]]
    message = message_from_bytes(sent.message().as_bytes())
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0]["Content-Type"] == 'text/calendar; charset="utf-8"; method="REQUEST"'
    assert parts[0].get_param("method") == "REQUEST"
    assert parts[0].get_content_charset() == "utf-8"
    assert parts[0].get_filename() == "invite.ics"
    calendar = Calendar.from_ical(parts[0].get_payload(decode=True))
    assert calendar["method"] == "REQUEST"
    assert "Technical screen" in sent.subject
