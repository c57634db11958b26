"""A recruiter sets up a posting in the dashboard, in Chromium: details and a new description
section, a screening question, a pipeline stage, then publishing. Screenshots of each page at
desktop and phone widths go to test-artifacts/screenshots/."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def log_in(page, live_server, user) -> None:
    """A session made by Django's test client, handed to the browser as its cookie."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def both_widths(page, screenshot, desktop, phone, name: str) -> None:
    screenshot(f"{name}-desktop")
    phone()
    screenshot(f"{name}-phone")
    desktop()


def test_a_recruiter_sets_up_and_publishes_a_posting(live_server, page, screenshot, desktop, phone):
    recruiter = factories.UserFactory(username="alice", role="recruiter")
    posting = factories.backend_engineer_posting()
    factories.submit(posting)
    factories.PostingFactory(title="Product Designer", status="draft", published_at=None)
    factories.UserFactory(username="bob", role="hiring_manager")
    errors = []
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server, recruiter)

    page.goto(live_server.url + "/dashboard/postings/")
    expect(page.get_by_role("link", name="Backend Engineer", exact=True)).to_be_visible()
    both_widths(page, screenshot, desktop, phone, "postings-list")

    # Details: a validation error beside its field, then a new section added by the script.
    page.get_by_role("link", name="Backend Engineer", exact=True).click()
    expect(page.get_by_role("heading", name="Backend Engineer")).to_be_visible()
    both_widths(page, screenshot, desktop, phone, "posting-edit")
    page.get_by_label("Maximum").fill("100")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("The maximum must be at least the minimum.")).to_be_visible()
    screenshot("posting-edit-error-desktop")
    page.get_by_label("Maximum").fill("250000")
    page.get_by_role("button", name="Add another section").click()
    page.locator("#id_sections-2-heading").fill("Benefits")
    page.locator("#id_sections-2-body").fill("- Health cover\n- Learning budget")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Changes saved.")).to_be_visible()
    assert list(posting.sections.values_list("heading", flat=True)) == [
        "About the role",
        "Benefits",
    ]

    # Questions: options appear for a choice question only; the new one moves to the top.
    page.get_by_role("link", name="Questions").click()
    options = page.get_by_label("Options")
    expect(options).to_be_hidden()
    page.locator("#id_label").fill("Where would you work from?")
    page.get_by_label("Answer type").select_option("single_choice")
    expect(options).to_be_visible()
    options.fill("Office\nHome")
    page.get_by_role("button", name="Add question").click()
    expect(page.get_by_text("Question added: “Where would you work from?”.")).to_be_visible()
    page.get_by_role("button", name="Move “Where would you work from?” up").click()
    expect(page.locator(".list-group-item").first).to_contain_text("Where would you work from?")
    both_widths(page, screenshot, desktop, phone, "posting-questions")

    # Pipeline: a stage that emails the applicant, moved before Offer.
    page.get_by_role("link", name="Pipeline").click()
    page.get_by_label("Name for the team").fill("Take-home")
    page.get_by_label("Name the applicant sees").fill("Exercise")
    page.get_by_label("Email the applicant when they are moved here").check()
    page.get_by_role("button", name="Add stage").click()
    expect(page.get_by_text("Stage added: “Take-home”.")).to_be_visible()
    page.get_by_role("button", name="Move “Take-home” earlier").click()
    assert list(posting.stages.values_list("name", flat=True))[3:5] == ["Take-home", "Offer"]
    both_widths(page, screenshot, desktop, phone, "posting-stages")

    # Hiring team, then close and reopen.
    page.get_by_role("link", name="Hiring team").click()
    page.get_by_label("Add a teammate").select_option(
        label="Bob · Hiring manager · bob@example.com"
    )
    page.get_by_role("button", name="Add to the team").click()
    expect(page.get_by_text("Bob is on the hiring team.")).to_be_visible()
    both_widths(page, screenshot, desktop, phone, "posting-team")
    page.get_by_role("button", name="Close posting").click()
    expect(page.get_by_text("no longer takes applications")).to_be_visible()
    page.get_by_role("button", name="Reopen").click()
    expect(page.get_by_text("“Backend Engineer” is open on the careers site.")).to_be_visible()

    assert errors == []
