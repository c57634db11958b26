"""The applicant's side: their interviews on the status page, picking a time, cancelling, the
time zone they read times in, and the .ics, all through their own status link only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from interviews import services
from interviews.models import Interview
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def offered(application, step, ivan, recruiter, monday):
    return services.offer_slots(
        application=application,
        step=step,
        starts=[monday, monday + timedelta(hours=2)],
        interviewers=[ivan],
        by=recruiter,
        video_url="https://meet.example.com/jane",
    )


def urls(interview):
    token, uid = interview.application.status_token, interview.uid
    return {
        "status": reverse("applications:status", args=[token]),
        "ics": reverse("interviews:ics", args=[token, uid]),
        "book": reverse("interviews:book", args=[token, uid]),
        "cancel": reverse("interviews:cancel", args=[token, uid]),
        "time_zone": reverse("interviews:time_zone", args=[token]),
    }


def test_the_status_page_offers_the_times_and_the_candidate_books_one_in_their_zone(
    client, offered, monday
):
    url = urls(offered)
    page = client.get(url["status"]).content.decode()
    assert "Times on offer (UTC)" in page
    assert monday.strftime("%H:%M") in page
    client.post(url["time_zone"], {"time_zone": "Asia/Kolkata"})
    page = client.get(url["status"]).content.decode()
    kolkata = monday + timedelta(hours=5, minutes=30)
    assert "Times on offer (Asia/Kolkata)" in page and kolkata.strftime("%H:%M") in page
    assert '<option value="Asia/Kolkata" selected>' in page

    second = offered.slots.last()
    response = client.post(url["book"], {"slot": second.pk, "time_zone": "Asia/Kolkata"})
    assert response.status_code == 302 and response["Location"].endswith("#interviews")
    offered.refresh_from_db()
    assert offered.is_scheduled and offered.starts_at == second.starts_at
    page = client.get(url["status"]).content.decode()
    assert "Your interview is booked" in page
    assert (second.starts_at + timedelta(hours=5, minutes=30)).strftime("%H:%M") in page
    assert url["ics"] in page


def test_the_applicants_ics_is_their_interview_and_never_cached(client, offered):
    services.book_slot(interview=offered, slot=offered.slots.first())
    response = client.get(urls(offered)["ics"])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    assert calendar["method"] == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]).startswith(offered.uid + "@")
    assert event.decoded("dtstart") == offered.slots.first().starts_at
    assert "attendee" not in event  # a copy to add, not an invitation to answer


def test_another_applicants_token_finds_none_of_these_interviews(client, offered, applicants):
    services.book_slot(interview=offered, slot=offered.slots.first())
    other = applicants["ben"].status_token
    uid = offered.uid
    for name in ["ics", "book", "cancel"]:
        url = reverse(f"interviews:{name}", args=[other, uid])
        response = client.get(url) if name == "ics" else client.post(url, {"confirm": "yes"})
        assert response.status_code == 404, name
    offered.refresh_from_db()
    assert offered.is_scheduled


def test_a_slot_of_another_interview_cannot_be_booked(client, offered, applicants, step, ivan,
                                                      recruiter, monday):  # fmt: skip
    theirs = services.offer_slots(
        application=applicants["ben"],
        step=step,
        starts=[monday + timedelta(hours=4)],
        interviewers=[ivan],
        by=recruiter,
    )
    for value in [theirs.slots.get().pk, "", "abc", "99999999999999999999"]:
        response = client.post(urls(offered)["book"], {"slot": value}, follow=True)
        assert "Pick one of the times offered." in response.content.decode(), value
    assert Interview.objects.filter(status=Interview.Status.SCHEDULED).count() == 0


def test_the_candidate_cancels_with_a_confirmation(client, offered):
    services.book_slot(interview=offered, slot=offered.slots.first())
    url = urls(offered)
    page = client.post(url["cancel"], {}, follow=True).content.decode()
    assert "tick the box" in page
    offered.refresh_from_db()
    assert offered.is_scheduled
    page = client.post(url["cancel"], {"confirm": "yes", "reason": "Took another offer"},
                       follow=True).content.decode()  # fmt: skip
    offered.refresh_from_db()
    assert offered.is_cancelled and "Your interview is cancelled" in page


def test_inside_the_cutoff_the_page_offers_no_change_and_says_how(
    client, application, step, ivan, settings
):
    settings.ATS_INTERVIEW_CHANGE_CUTOFF_HOURS = 24
    soon = timezone.now() + timedelta(hours=3)
    interview = factories.scheduled_interview(
        application, step, interviewers=[ivan], starts_at=soon
    )
    page = client.get(urls(interview)["status"]).content.decode()
    assert "reply to the invitation email" in page
    assert urls(interview)["cancel"] not in page
    response = client.post(urls(interview)["cancel"], {"confirm": "yes"}, follow=True)
    assert "too late" in response.content.decode()
    interview.refresh_from_db()
    assert interview.is_scheduled


def test_changes_are_rate_limited_per_application(client, offered):
    url = urls(offered)
    for _ in range(20):
        client.post(url["time_zone"], {"time_zone": "Europe/Paris"})
    page = client.post(url["time_zone"], {"time_zone": "Asia/Tokyo"}, follow=True)
    assert "Too many changes" in page.content.decode()
    offered.refresh_from_db()
    assert offered.candidate_time_zone == "Europe/Paris"


def test_an_unknown_time_zone_is_a_clear_message(client, offered):
    page = client.post(urls(offered)["time_zone"], {"time_zone": "Mars/Olympus"}, follow=True)
    assert "Pick a time zone from the list." in page.content.decode()


def test_the_status_page_without_interviews_shows_no_panel(client, application):
    page = client.get(application.get_status_url()).content.decode()
    assert "Your interviews" not in page
