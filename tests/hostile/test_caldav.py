"""A hostile CalDAV server: whatever it answers (garbage, a flood, a trickle, silence, a
redirect elsewhere, broken iCalendar), the ATS records a short error of its own, stays inside
its time budget and never answers 500."""

import http.server
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse

from interviews import availability, calendars, crypto
from interviews.models import CalendarConnection

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 12, 7, tzinfo=UTC)
BUDGET = 2
# Well under the slow and silent answers (20 s, 10 s), with room for a loaded machine.
WITHIN_BUDGET = BUDGET + 2.5

MULTISTATUS = """<?xml version="1.0" encoding="utf-8"?>
<D:multistatus xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
 <D:response><D:href>/bad/cal/x.ics</D:href><D:propstat><D:prop>
  <D:getetag>"1"</D:getetag><C:calendar-data>{data}</C:calendar-data>
 </D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>
</D:multistatus>"""

GOOD_ICALENDAR = (
    "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//EN\nBEGIN:VEVENT\nUID:1\n"
    "DTSTAMP:20261201T000000Z\nDTSTART:20261207T100000Z\nDTEND:20261207T110000Z\n"
    "END:VEVENT\nEND:VCALENDAR"
)
BROKEN_ICALENDAR = [
    "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:not-a-date\nEND:VEVENT\nEND:VCALENDAR",
    "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261207T100000Z\nDTEND:20261207",
    "\x00\x01\x02 nothing like a calendar",
    "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261207\nDTEND:20261207T100000Z\n"
    "END:VEVENT\nEND:VCALENDAR",
]


class Hostile(http.server.BaseHTTPRequestHandler):
    """Answers every method according to the first part of the path."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        mode = self.path.strip("/").split("/")[0]
        if mode == "garbage":
            self.reply(207, b"<<<not xml at all" * 100, "text/xml")
        elif mode == "huge":
            self.send_response(207)
            self.send_header("Content-Type", "text/xml")
            self.end_headers()  # no length: streamed until the client gives up
            try:
                for _ in range(10_000):
                    self.wfile.write(b"<D:x>" + b"A" * 65_536 + b"</D:x>")
            except OSError:
                pass
            self.close_connection = True
        elif mode == "declared-huge":
            self.send_response(207)
            self.send_header("Content-Length", str(500 * 1024 * 1024))
            self.end_headers()
            self.close_connection = True
        elif mode == "slow":
            self.send_response(207)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            self.close_connection = True
        elif mode == "silent":
            time.sleep(BUDGET * 5)
            self.close_connection = True
        elif mode == "redirect":
            self.send_response(301)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif mode == "error":
            self.reply(500, b"<html>Internal <script>alert(1)</script></html>", "text/html")
        elif mode == "goodical":
            self.reply(207, MULTISTATUS.format(data=GOOD_ICALENDAR).encode(), "text/xml")
        elif mode.startswith("badical"):
            data = BROKEN_ICALENDAR[int(mode.removeprefix("badical"))]
            self.reply(207, MULTISTATUS.format(data=data).encode(), "text/xml")
        else:
            self.reply(404, b"", "text/plain")

    def reply(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_DELETE = do_OPTIONS = do_PROPFIND = do_REPORT = answer


@pytest.fixture(scope="module")
def hostile_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(autouse=True)
def _calendars_on(settings):
    settings.ATS_CALENDAR_KEY = Fernet.generate_key().decode()
    settings.ATS_CALDAV_ALLOW_PRIVATE = True
    settings.ATS_CALDAV_BUDGET_SECONDS = BUDGET


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("garbage", "could not be understood"),
        ("huge", "too large"),
        ("declared-huge", "too large"),
        ("slow", "took too long"),
        ("silent", "could not be reached (timed out)"),
        ("redirect", "sent us to another server"),
        ("error", "could not be understood"),
    ],
)
def test_connecting_to_a_hostile_server_is_a_short_error_within_budget(
    client, interviewer, hostile_server, mode, message
):
    client.force_login(interviewer)
    started = time.monotonic()
    response = client.post(
        reverse("dashboard:settings"),
        {
            "action": "calendar",
            "url": f"{hostile_server}/{mode}/",
            "username": "erin",
            "password": "secret",
        },
    )
    assert time.monotonic() - started < WITHIN_BUDGET
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "<script>alert(1)" not in page
    assert not CalendarConnection.objects.exists()


def hostile_connection(user, url):
    return CalendarConnection.objects.create(
        user=user,
        url=url,
        calendar_url=url,
        username="erin",
        password_encrypted=crypto.encrypt("secret"),
    )


@pytest.mark.parametrize("mode", ["garbage", "huge", "slow", "silent", "error", "redirect"])
def test_busy_times_from_a_hostile_server_are_none_and_the_error_is_recorded(
    interviewer, hostile_server, mode
):
    hostile_connection(interviewer, f"{hostile_server}/{mode}/cal/")
    started = time.monotonic()
    slots = availability.free_slots(
        users=[interviewer], duration=timedelta(hours=1), start=MONDAY, end=MONDAY + timedelta(1)
    )
    assert time.monotonic() - started < WITHIN_BUDGET
    assert len(slots) == 15
    error = CalendarConnection.objects.get().last_error
    assert error.startswith("The calendar server") and len(error) < 200


@pytest.mark.parametrize("index", range(len(BROKEN_ICALENDAR)))
def test_broken_icalendar_is_a_recorded_error_or_skipped_never_a_crash(
    interviewer, hostile_server, index
):
    hostile_connection(interviewer, f"{hostile_server}/badical{index}/cal/")
    busy = calendars.calendar_busy_times(interviewer, MONDAY, MONDAY + timedelta(1))
    assert busy == []
    connection = CalendarConnection.objects.get()
    assert connection.last_error in ("", "The calendar server's answer could not be understood.")


def test_the_same_answer_with_a_sound_event_is_read_as_busy(interviewer, hostile_server):
    """The control of the test above: its broken answers fail for their iCalendar alone."""
    hostile_connection(interviewer, f"{hostile_server}/goodical/cal/")
    busy = calendars.calendar_busy_times(interviewer, MONDAY, MONDAY + timedelta(1))
    assert busy == [(MONDAY.replace(hour=10), MONDAY.replace(hour=11))]


def test_a_hostile_connection_on_the_settings_page_shows_its_error_escaped(
    client, interviewer, hostile_server
):
    hostile_connection(interviewer, f"{hostile_server}/error/<b>x</b>/")
    calendars.calendar_busy_times(interviewer, MONDAY, MONDAY + timedelta(1))
    client.force_login(interviewer)
    page = client.get(reverse("dashboard:settings")).content.decode()
    assert "could not be understood" in page
    assert "/error/&lt;b&gt;x&lt;/b&gt;/" in page


def test_writing_an_event_to_a_hostile_server_records_the_error(
    interviewer, hostile_server, posting, application
):
    from interviews.models import InterviewerSeat
    from tests import factories

    step = factories.interview_step(posting, interviewers=[interviewer])
    interview = factories.scheduled_interview(application, step, interviewers=[interviewer])
    hostile_connection(interviewer, f"{hostile_server}/garbage/cal/")
    assert calendars.sync_interview(interview_id=interview.pk) == {
        InterviewerSeat.objects.get().pk: "failed"
    }
    assert "could not be understood" in CalendarConnection.objects.get().last_error
