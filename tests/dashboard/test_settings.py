"""The settings page: time zone, working hours, and the calendar connection's state."""

from datetime import UTC, datetime, time

import pytest
from django.urls import reverse

from interviews.models import CalendarConnection, WorkingHours
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:settings")


def profile_data(**overrides):
    """A complete save of the profile form: Berlin, instant emails, 09:00-17:00 weekdays."""
    data = {"action": "profile", "time_zone": "Europe/Berlin", "new_application_email": "instant"}
    for day in range(5):
        data[f"day{day}_from"], data[f"day{day}_to"] = "09:00", "17:00"
    data.update(overrides)
    return data


def test_a_user_picks_a_time_zone_and_the_dashboard_shows_times_in_it(as_manager, hiring_manager):
    response = as_manager.post(URL, profile_data(time_zone="Asia/Tokyo"), follow=True)
    assert "Settings saved." in response.content.decode()
    hiring_manager.profile.refresh_from_db()
    assert hiring_manager.profile.time_zone == "Asia/Tokyo"
    CalendarConnection.objects.create(
        user=hiring_manager,
        url="https://cal.example.com/",
        username="bob",
        password_encrypted="x",
        last_synced_at=datetime(2026, 12, 7, 10, 0, tzinfo=UTC),
    )
    page = as_manager.get(URL).content.decode()
    # 10:00 UTC is 19:00 in Tokyo.
    assert "Mon 7 Dec 2026, 19:00 JST" in page
    assert '<option value="Asia/Tokyo" selected>Asia/Tokyo</option>' in page


def test_an_unknown_time_zone_is_refused_with_a_message(as_manager, hiring_manager):
    response = as_manager.post(URL, profile_data(time_zone="Mars/Olympus_Mons"))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    hiring_manager.profile.refresh_from_db()
    assert hiring_manager.profile.time_zone == "UTC"


def test_working_hours_show_the_default_until_the_user_sets_their_own(as_manager, hiring_manager):
    page = as_manager.get(URL).content.decode()
    assert 'name="day0_from" id="id_day0_from" value="09:00"' in page
    assert 'name="day6_from" id="id_day6_from" value=""' in page
    data = profile_data(day0_from="13:00", day0_to="15:30", day4_from="", day4_to="")
    as_manager.post(URL, data)
    rows = WorkingHours.objects.filter(user=hiring_manager)
    hours = {(h.weekday, h.starts, h.ends) for h in rows}
    assert hours == {(0, time(13), time(15, 30))} | {(d, time(9), time(17)) for d in (1, 2, 3)}


def test_an_end_before_the_start_is_a_clear_error_and_nothing_is_saved(as_manager, hiring_manager):
    response = as_manager.post(
        URL, profile_data(day2_from="17:00", day2_to="09:00", time_zone="Asia/Tokyo")
    )
    page = response.content.decode()
    assert "On Wednesday, \u201cto\u201d must be after \u201cfrom\u201d." in page
    assert not WorkingHours.objects.filter(user=hiring_manager).exists()
    hiring_manager.profile.refresh_from_db()
    assert hiring_manager.profile.time_zone == "UTC"


def test_a_day_with_only_one_time_is_an_error(as_manager, hiring_manager):
    page = as_manager.post(URL, profile_data(day1_to="")).content.decode()
    assert "Give Tuesday both a start and an end, or leave both empty for a day off." in page
    assert not WorkingHours.objects.exists()


def test_no_working_hours_at_all_is_refused_rather_than_silently_meaning_the_default(
    as_manager,
):
    data = profile_data(**{f"day{d}_{end}": "" for d in range(5) for end in ("from", "to")})
    page = as_manager.post(URL, data).content.decode()
    assert "Give the hours of at least one day" in page
    assert not WorkingHours.objects.exists()


def test_interviewers_use_the_settings_page_without_the_application_emails(client, interviewer):
    client.force_login(interviewer)
    page = client.get(URL).content.decode()
    assert "Working hours" in page and "Your calendar" in page
    assert "Email me about new applications" not in page
    data = profile_data(time_zone="America/New_York")
    del data["new_application_email"]
    client.post(URL, data)
    interviewer.profile.refresh_from_db()
    assert interviewer.profile.time_zone == "America/New_York"
    assert WorkingHours.objects.filter(user=interviewer).count() == 5


def test_without_a_key_calendar_connections_are_off_with_a_message(as_manager, settings):
    settings.ATS_CALENDAR_KEY = None
    page = as_manager.get(URL).content.decode()
    assert "Calendar connections are off: ATS_CALENDAR_KEY is not set." in page
    response = as_manager.post(
        URL,
        {"action": "calendar", "url": "https://cal.example.com/", "username": "bob",
         "password": "secret"},
    )  # fmt: skip
    assert "Calendar connections are off: ATS_CALENDAR_KEY is not set." in response.content.decode()
    assert not CalendarConnection.objects.exists()


def test_one_user_never_sees_nor_disconnects_anothers_calendar(client, interviewer, recruiter):
    CalendarConnection.objects.create(
        user=interviewer, url="https://cal.example.com/erin/", username="erin-at-cal",
        password_encrypted="x", last_error="Erin's own error",
    )  # fmt: skip
    client.force_login(recruiter)
    page = client.get(URL).content.decode()
    assert "erin-at-cal" not in page and "Erin's own error" not in page
    client.post(URL, {"action": "disconnect", "user": interviewer.pk})
    assert CalendarConnection.objects.filter(user=interviewer).exists()


def test_disconnecting_forgets_the_connection(client, interviewer):
    CalendarConnection.objects.create(
        user=interviewer, url="https://cal.example.com/", username="erin", password_encrypted="x"
    )
    client.force_login(interviewer)
    response = client.post(URL, {"action": "disconnect"}, follow=True)
    assert "Calendar disconnected." in response.content.decode()
    assert not CalendarConnection.objects.exists()


def test_the_settings_page_reads_a_fixed_number_of_queries(
    client, interviewer, django_assert_num_queries
):
    factories.UserFactory(username="frank", role="interviewer")
    client.force_login(interviewer)
    client.get(URL)
    with django_assert_num_queries(5):
        assert client.get(URL).status_code == 200
