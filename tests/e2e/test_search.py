"""Search in Chromium: a recruiter searches from the navigation and reads the ranked,
highlighted results; filters narrow them."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.test_posting_management import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_a_recruiter_searches_from_the_navigation(
    live_server, page, posting, other_posting, recruiter, screenshot
):
    factories.apply(
        posting,
        name="Ben Okafor",
        email="ben@example.com",
        resume_text="Go, Kafka streams and gRPC services for payments",
    )
    factories.apply(
        other_posting,
        name="Zoe Other",
        email="zoe@example.com",
        resume_text="Statistics, Kafka consumers, <script>alert(1)</script> Python",
    )
    factories.apply(posting, name="Ada Moreno", email="ada@example.com", resume_text="Rust")
    log_in(page, live_server, recruiter)
    page.goto(live_server.url + "/dashboard/")

    box = page.get_by_role("searchbox", name="Search applications").first
    box.fill("kafka")
    box.press("Enter")
    expect(page.get_by_role("heading", name="2 results")).to_be_visible()
    results = page.locator(".search-result")
    expect(results).to_have_count(2)
    expect(page.locator(".search-snippet mark").first).to_have_text("Kafka")
    expect(page.locator(".search-result").filter(has_text="Zoe Other")).to_contain_text(
        "Data Scientist"
    )
    screenshot("search-results")

    page.get_by_label("Posting").select_option(label="Backend Engineer")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    page.get_by_role("link", name="Ben Okafor").click()
    expect(page).to_have_url(re.compile(rf"/dashboard/postings/{posting.pk}/applications/\d+/$"))
