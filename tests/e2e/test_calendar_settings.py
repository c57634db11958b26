"""An interviewer in Chromium sets their time zone and working hours and connects their
CalDAV calendar (a real Radicale server) from the settings page."""

import pytest
from playwright.sync_api import expect

from interviews.models import CalendarConnection, WorkingHours
from tests.e2e.test_posting_management import log_in
from tests.interviews.conftest import CALDAV_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_an_interviewer_sets_hours_and_connects_a_calendar(
    live_server, page, interviewer, calendar_settings, new_calendar, screenshot, phone, fits_width
):
    url, _ = new_calendar("erin")
    log_in(page, live_server, interviewer)
    page.goto(live_server.url + "/dashboard/settings/")
    page.get_by_label("Time zone").select_option("Europe/Lisbon")
    page.get_by_label("Wednesday to").fill("08:00")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text("On Wednesday, \u201cto\u201d must be after \u201cfrom\u201d.")
    ).to_be_visible()
    screenshot("cal-settings-hours-error")

    page.get_by_label("Wednesday to").fill("12:00")
    page.get_by_label("Friday from").fill("")
    page.get_by_label("Friday to").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    assert interviewer.profile.__class__.objects.get(user=interviewer).time_zone == "Europe/Lisbon"
    assert sorted(WorkingHours.objects.values_list("weekday", flat=True)) == [0, 1, 2, 3]

    page.get_by_label("CalDAV address").fill(url)
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Password").fill("not her password")
    page.get_by_role("button", name="Connect").click()
    expect(
        page.get_by_text("The calendar server refused the username or password.")
    ).to_be_visible()
    screenshot("cal-settings-refused")
    page.get_by_label("Password").fill(CALDAV_PASSWORD)
    page.get_by_role("button", name="Connect").click()
    expect(page.get_by_text("Calendar connected.")).to_be_visible()
    expect(page.locator("dl")).to_contain_text(url)
    assert CalendarConnection.objects.get().calendar_url == url
    screenshot("cal-settings-connected")
    phone()
    assert fits_width()
    screenshot("cal-settings-phone")
