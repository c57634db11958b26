"""The board on a 1366 px laptop: every column fits, Rejected and Withdrawn open from their
count, each card says how long it has waited; and the list view of the same applications
sorts by a column and moves several at once. Screenshots go to test-artifacts/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from applications.models import Application
from applications.services import withdraw
from dashboard.services import reject
from tests import factories
from tests.e2e.test_posting_management import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def signed_in(live_server, page, demo_data):
    """Riley, a recruiter on Backend Engineer's team, signed in; one applicant rejected and
    one withdrawn. Returns the posting."""
    riley = factories.UserFactory(username="riley", role="recruiter")
    ada = Application.objects.get(candidate__email="ada.moreno@example.com")
    posting = ada.posting
    posting.hiring_team.add(riley)
    others = list(posting.applications.exclude(pk=ada.pk).order_by("pk"))
    reason = factories.RejectionReasonFactory(label="Skills mismatch")
    reject(application=ada, by=riley, rejection_reason=reason, note="Not a fit", notify=False)
    withdraw(application=others[0])
    log_in(page, live_server, riley)
    return posting


def test_every_column_fits_a_laptop_and_the_ways_out_open_from_their_count(
    live_server, page, signed_in, screenshot, phone
):
    page.set_viewport_size(LAPTOP)
    page.goto(live_server.url + f"/dashboard/postings/{signed_in.pk}/board/")
    columns = page.locator(".board-column")
    expect(columns).to_have_count(7)
    width = page.evaluate("window.innerWidth")
    for i in range(7):
        box = columns.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"column {i} sticks out"
    assert page.evaluate("document.getElementById('board').scrollWidth") <= page.evaluate(
        "document.getElementById('board').clientWidth"
    )
    expect(page.locator(".board-card .days-in-stage").first).to_have_text(
        re.compile(r"^In stage: (today|\d+ days?)$")
    )
    screenshot("board-1366")

    rejected = page.locator(
        "details.board-column", has=page.locator(":scope > summary", has_text="Rejected")
    )
    card = rejected.locator(".board-card", has_text="Ada Moreno")
    expect(card).to_be_hidden()
    expect(rejected.locator(".stage-count")).to_have_text("1")
    rejected.locator(":scope > summary").click()
    expect(card).to_be_visible()
    assert rejected.evaluate("details => details.open") is True
    screenshot("board-1366-rejected-open")
    phone()
    page.reload()
    screenshot("board-phone-collapsed")


def test_the_list_view_sorts_by_a_column_and_moves_the_ticked_applications(
    live_server, page, signed_in, screenshot, phone, fits_width
):
    page.goto(
        live_server.url + f"/dashboard/postings/{signed_in.pk}/board/?submitted_from=2000-01-01"
    )
    page.get_by_role("link", name="List", exact=True).click()
    expect(page).to_have_url(re.compile(r"/list/\?submitted_from=2000-01-01$"))
    table = page.locator("table.application-table")
    names = table.locator("tbody tr td:nth-child(2) a")

    table.get_by_role("link", name="Name").click()
    expect(table.locator("th[aria-sort=ascending]")).to_have_text(re.compile("Name"))
    ascending = names.all_inner_texts()
    assert ascending == sorted(ascending, key=str.casefold) and len(ascending) >= 3
    table.get_by_role("link", name="Name").click()
    expect(table.locator("th[aria-sort=descending]")).to_have_text(re.compile("Name"))
    assert names.all_inner_texts() == ascending[::-1]
    assert "submitted_from=2000-01-01" in page.url  # sorting keeps the filters

    first, second = ascending[-1], ascending[-2]
    page.get_by_label(f"Select {first}").check()
    page.get_by_label(f"Select {second}").check()
    action = page.get_by_label("Action for the selected applications")
    action.select_option(label="Move to Screen · emails")
    page.get_by_role("button", name="Apply to selected").click()
    expect(page.get_by_text("Moved 2 applications to Screen.")).to_be_visible()
    expect(table.locator("th[aria-sort=descending]")).to_have_text(re.compile("Name"))
    for name in (first, second):
        expect(table.locator("tr", has_text=name).locator("td").nth(2)).to_have_text("Screen")
        assert Application.objects.get(posting=signed_in, name=name).stage.name == "Screen"
    screenshot("list-desktop")
    phone()
    page.reload()
    assert fits_width()
    screenshot("list-phone")
