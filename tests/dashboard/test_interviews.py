"""The staff pages of interviews: the candidate page's section, scheduling, offering times,
each interview's page and its .ics, rescheduling, cancelling and no-shows."""

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from interviews.models import Interview, InterviewerSeat
from notifications.models import OutboxEmail
from tests import factories
from tests.interviews.conftest import next_monday

pytestmark = pytest.mark.django_db


@pytest.fixture
def ivan(db):
    return factories.UserFactory(username="ivan", role="interviewer")


@pytest.fixture
def step(posting, ivan):
    return factories.interview_step(posting, interviewers=[ivan], duration_minutes=60)


@pytest.fixture
def berlin(recruiter):
    recruiter.profile.time_zone = "Europe/Berlin"
    recruiter.profile.save()
    return recruiter


def test_a_recruiter_schedules_in_their_own_time_zone_and_it_is_stored_in_utc(
    client, berlin, application, step, ivan
):
    client.force_login(berlin)
    monday = next_monday(hour=9)  # 10:00 in Berlin in winter, 11:00 in summer
    local = timezone.localtime(monday, timezone=zoneinfo.ZoneInfo("Europe/Berlin"))
    url = reverse("dashboard:interview_schedule", args=[application.pk, step.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "interviewers": [ivan.pk],
            "video_url": "https://meet.example.com/abc",
        },
    )
    interview = Interview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:interview", args=[interview.pk])
    assert interview.starts_at == monday
    page = client.get(response["Location"]).content.decode()
    assert local.strftime("%H:%M") in page and "Europe/Berlin" in page
    assert reverse("dashboard:interview_ics", args=[interview.pk]) in page


def test_scheduling_a_busy_interviewer_shows_the_reason_and_stores_nothing(
    as_recruiter, application, applicants, step, ivan
):
    monday = next_monday()
    factories.scheduled_interview(applicants["ben"], step, interviewers=[ivan], starts_at=monday)
    response = as_recruiter.post(
        reverse("dashboard:interview_schedule", args=[application.pk, step.pk]),
        {"starts_at": monday.strftime("%Y-%m-%dT%H:%M"), "interviewers": [ivan.pk]},
    )
    assert response.status_code == 200
    assert "Ivan is already booked at that time." in response.content.decode()
    assert Interview.objects.count() == 1


def test_bad_times_are_form_errors_not_500s(as_recruiter, application, step, ivan):
    url = reverse("dashboard:interview_schedule", args=[application.pk, step.pk])
    for value in ["", "yesterday", "2020-01-01T10:00", "99999-01-01T10:00"]:
        response = as_recruiter.post(url, {"starts_at": value, "interviewers": [ivan.pk]})
        assert response.status_code == 200, value
        assert 'class="invalid-feedback"' in response.content.decode(), value
    assert not Interview.objects.exists()


def test_an_interviewer_outside_the_steps_pool_cannot_be_chosen(
    as_recruiter, application, step, interviewer
):
    response = as_recruiter.post(
        reverse("dashboard:interview_schedule", args=[application.pk, step.pk]),
        {"starts_at": next_monday().strftime("%Y-%m-%dT%H:%M"), "interviewers": [interviewer.pk]},
    )
    assert response.status_code == 200 and not Interview.objects.exists()


def test_offering_times_proposes_free_times_and_emails_the_candidate(
    as_recruiter, application, step, ivan
):
    url = reverse("dashboard:interview_offer", args=[application.pk, step.pk])
    page = as_recruiter.get(url, {"interviewers": [ivan.pk], "days": 10})
    form = page.context["form"]
    values = [value for value, _ in form.fields["starts"].choices]
    assert values, "free times are proposed"
    starts = [datetime.fromisoformat(v) for v in values]
    assert all(s > timezone.now() for s in starts)
    assert all(9 <= s.astimezone(UTC).hour < 17 for s in starts)  # Ivan's default hours, UTC
    chosen = values[:3]
    response = as_recruiter.post(
        url, {"interviewers": [ivan.pk], "days": 10, "starts": chosen, "location": "Room 4"}
    )
    interview = Interview.objects.get()
    assert response.status_code == 302
    assert interview.is_awaiting_candidate and interview.location == "Room 4"
    assert [s.isoformat() for s in interview.slots.values_list("starts_at", flat=True)] == chosen
    assert OutboxEmail.objects.filter(kind=OutboxEmail.Kind.INTERVIEW_SLOTS).count() == 1


def test_the_staff_ics_is_the_interview_never_cached(as_recruiter, application, step, ivan):
    interview = factories.scheduled_interview(application, step, interviewers=[ivan])
    response = as_recruiter.get(reverse("dashboard:interview_ics", args=[interview.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["uid"]).startswith(interview.uid + "@")


def test_a_recruiter_reschedules_cancels_and_records_a_no_show(
    as_recruiter, application, applicants, step, ivan
):
    interview = factories.scheduled_interview(application, step, interviewers=[ivan])
    later = next_monday(weeks=2)
    response = as_recruiter.post(
        reverse("dashboard:interview_reschedule", args=[interview.pk]),
        {"starts_at": timezone.localtime(later).strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.starts_at == later and interview.sequence == 1
    as_recruiter.post(
        reverse("dashboard:interview_cancel", args=[interview.pk]), {"reason": "Filled"}
    )
    interview.refresh_from_db()
    assert interview.is_cancelled

    held = factories.scheduled_interview(
        applicants["ben"], step, interviewers=[ivan], starts_at=timezone.now() - timedelta(hours=2)
    )
    as_recruiter.post(reverse("dashboard:interview_no_show", args=[held.pk]))
    held.refresh_from_db()
    assert held.status == Interview.Status.NO_SHOW


def test_a_hiring_manager_on_the_team_views_but_cannot_change(as_manager, application, step, ivan):
    interview = factories.scheduled_interview(application, step, interviewers=[ivan])
    page = as_manager.get(reverse("dashboard:interview", args=[interview.pk]))
    assert page.status_code == 200
    assert reverse("dashboard:interview_cancel", args=[interview.pk]) not in page.content.decode()
    for name in ["interview_reschedule", "interview_cancel", "interview_no_show"]:
        assert as_manager.post(reverse(f"dashboard:{name}", args=[interview.pk])).status_code == 404
    assert (
        as_manager.get(
            reverse("dashboard:interview_schedule", args=[application.pk, step.pk])
        ).status_code
        == 404
    )
    interview.refresh_from_db()
    assert interview.is_scheduled


def test_an_interviewer_on_the_interview_sees_it_but_not_the_candidate_page(
    client, application, step, ivan
):
    interview = factories.scheduled_interview(application, step, interviewers=[ivan])
    client.force_login(ivan)
    page = client.get(reverse("dashboard:interview", args=[interview.pk])).content.decode()
    assert "Jane Doe" in page
    assert application.get_dashboard_url() not in page


def test_the_candidate_page_lists_interviews_in_constant_queries(
    as_recruiter, application, step, ivan, django_assert_num_queries
):
    url = application.get_dashboard_url()
    factories.scheduled_interview(application, step, interviewers=[ivan])
    as_recruiter.get(url)  # warm the session and the content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        page = as_recruiter.get(url).content.decode()
    assert "Technical screen" in page
    assert reverse("dashboard:interview_offer", args=[application.pk, step.pk]) in page
    for day in range(1, 10):
        factories.scheduled_interview(
            application, step, interviewers=[ivan], starts_at=next_monday(weeks=day)
        )
    with django_assert_num_queries(len(one.captured_queries)):
        as_recruiter.get(url)
    assert InterviewerSeat.objects.count() == 10
