"""A recruiter's day in Chromium: sign in through the form, open Backend Engineer, filter to
internship applicants, drag one to Screen (htmx, no reload), move another with the keyboard;
the applicant's status page then says "Under review" and the email is in the outbox.
Screenshots of the dashboard, the board (desktop and phone) and the candidate page go to
test-artifacts/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from applications.models import Application
from notifications.models import OutboxEmail
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

PASSWORD = "a long demo passphrase"


@pytest.fixture
def problems(page):
    """CSP violations and script errors the pages report."""
    found = []
    page.on(
        "console",
        lambda m: found.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def test_a_recruiter_filters_interns_and_drags_one_to_screen(
    live_server, page, demo_data, settings, screenshot, desktop, phone, fits_width, problems
):
    settings.AXES_ENABLED = True  # the real login path, lockout checks included
    riley = factories.UserFactory(
        username="riley", role="recruiter", password=PASSWORD, first_name="Riley", last_name="Chen"
    )
    ada = Application.objects.get(candidate__email="ada.moreno@example.com")
    ada.posting.hiring_team.add(riley)

    page.goto(live_server.url + "/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/dashboard/$"))
    screenshot("login")
    page.get_by_label("Username").fill("riley")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_role("heading", name="Waiting for review")).to_be_visible()
    screenshot("dashboard-home")

    page.get_by_role("link", name="Backend Engineer", exact=True).click()
    expect(page.get_by_role("heading", name="Backend Engineer")).to_be_visible()
    expect(page.locator(".board-card")).to_have_count(6)  # the demo's six applicants

    # Filter to internship applicants.
    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Are you applying to the internship?").select_option("yes")
    page.get_by_role("button", name="Apply filters").click()
    cards = page.locator(".board-card")
    expect(cards).to_have_count(3)
    for name in ["Ada Moreno", "Chloé Martin", "Emi Tanaka"]:
        expect(cards.filter(has_text=name)).to_have_count(1)
    expect(cards.filter(has_text="Internship")).to_have_count(3)
    expect(page.locator(".filters summary")).to_contain_text("Internship: Yes")

    # Drag Ada to Screen: htmx posts the move and files the card under Screen, no reload.
    page.evaluate("window.__samePage = true")
    screen = page.locator(".board-column", has=page.get_by_role("heading", name="Screen"))
    page.locator(f"#card-{ada.pk}").drag_to(screen.locator(".board-cards"))
    expect(screen.locator(f"#card-{ada.pk}")).to_be_visible()
    expect(page.locator("#board-status")).to_contain_text(
        "Moved Ada Moreno to Screen. The candidate is emailed in 2 minutes unless the card"
        " moves again."
    )
    expect(screen.locator(".stage-count")).to_have_text("1")
    assert page.evaluate("window.__samePage") is True

    # The keyboard alone: Tab to a card's Move menu, open it, choose Interview, submit.
    chloe = page.locator(".board-card", has_text="Chloé Martin")
    chloe.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # arrive by keyboard, as :focus-visible expects
    expect(chloe).to_be_focused()
    outline = chloe.evaluate("card => getComputedStyle(card).outlineStyle")
    assert outline != "none"  # the focus is visible
    for _ in range(3):  # checkbox, name link, the Move menu
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(chloe.get_by_label("Move Chloé Martin to")).to_be_focused()
    chloe.get_by_label("Move Chloé Martin to").select_option(label="Interview · emails")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    interview = page.locator(".board-column", has=page.get_by_role("heading", name="Interview"))
    expect(interview.locator(".board-card", has_text="Chloé Martin")).to_be_visible()
    assert page.evaluate("window.__samePage") is True
    screenshot("board-desktop")
    phone()
    page.reload()
    assert fits_width()  # the board scrolls inside itself, not the page
    screenshot("board-phone")
    desktop()

    # The move is recorded, the email queued, and the applicant sees the new stage.
    ada.refresh_from_db()
    assert ada.stage.name == "Screen"
    [email] = OutboxEmail.objects.filter(application=ada, kind=OutboxEmail.Kind.STAGE_CHANGED)
    assert email.to == "ada.moreno@example.com"
    page.goto(live_server.url + ada.get_status_url())
    expect(page.locator("#application-stage")).to_have_text("Under review")

    # The candidate page, with a note for the team.
    page.goto(live_server.url + f"/dashboard/postings/{ada.posting_id}/applications/{ada.pk}/")
    expect(page.get_by_role("heading", name="Ada Moreno")).to_be_visible()
    page.get_by_label("Add a note").fill("Strong Django background; schedule a call.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Note added.")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("Strong Django background")
    expect(page.locator(".timeline")).to_contain_text("Screen")
    page.locator("iframe.resume-frame").scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # only so that the screenshot shows the rendered PDF
    page.evaluate("window.scrollTo(0, 0)")
    screenshot("candidate-page")
    phone()
    screenshot("candidate-page-phone")
    assert fits_width()
    desktop()
    assert problems == []


def test_a_card_dropped_on_rejected_asks_a_reason_before_it_moves(
    live_server, page, demo_data, screenshot, phone, desktop, fits_width, problems
):
    reason = factories.RejectionReasonFactory(label="Skills mismatch")
    riley = factories.UserFactory(username="riley", role="recruiter", password=PASSWORD)
    ada = Application.objects.get(candidate__email="ada.moreno@example.com")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("riley")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + f"/dashboard/postings/{ada.posting_id}/board/")

    # The columns that email the candidate say so.
    # Rejected is a collapsed column: its count, and a marker, in the summary that opens it.
    rejected = page.locator(
        ".board-column-collapsed", has=page.locator(".column-name", has_text="Rejected")
    )
    summary = rejected.locator("summary.card-header")
    expect(summary).to_contain_text("moving a card here emails the candidate")
    applied = page.locator(".board-column", has=page.get_by_role("heading", name="Applied"))
    expect(applied.locator(".stage-emails")).to_have_count(0)

    card = page.locator(f"#card-{ada.pk}")
    # Wide enough that both columns show at once, as a drag by hand needs.
    page.set_viewport_size({"width": 2200, "height": 900})
    card.drag_to(rejected.locator("summary.card-header"))
    # Not moved: the card's own reject form opens, its reason list focused.
    reason_list = card.get_by_label("Reason for rejecting")
    expect(reason_list).to_be_focused()
    expect(page.locator("#board-status")).to_contain_text("Choose a reason to reject")
    assert riley.pk and Application.objects.get(pk=ada.pk).stage.name != "Rejected"
    screenshot("board-reject-reason-desktop")

    reason_list.select_option(label="Skills mismatch")
    card.get_by_label("Note (optional, for the team)").fill("Needs more Go")
    card.get_by_role("button", name="Reject", exact=True).click()
    expect(page.get_by_text("Rejected Ada Moreno. The candidate is emailed in 48")).to_be_visible()
    rejected.locator("summary.card-header").click()
    expect(rejected.locator(f"#card-{ada.pk}")).to_be_visible()
    change = ada.stage_changes.latest()
    assert (change.rejection_reason, change.reason) == (reason, "Needs more Go")
    phone()
    page.reload()
    assert fits_width()
    screenshot("board-phone-after-reject")
    desktop()
    assert problems == []
