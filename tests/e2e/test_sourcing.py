"""Sourcing in Chromium: a recruiter adds a candidate from the board, tags them and previews a
merge; an interviewer refers someone and follows them on "Your referrals"."""

import re

import pytest
from playwright.sync_api import expect

from applications.resumes import pdf_bytes_with_text
from tests import factories
from tests.e2e.test_posting_management import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


def test_a_recruiter_adds_tags_and_previews_a_merge(
    live_server, page, posting, other_posting, recruiter, screenshot, tmp_path
):
    factories.apply(other_posting, name="Sam Sourced", email="sam@home.example")
    log_in(page, live_server, recruiter)
    page.goto(live_server.url + f"/dashboard/postings/{posting.pk}/board/")
    page.get_by_role("link", name="Add a candidate").click()
    page.get_by_label("Full name").fill("Sam Sourced")
    page.get_by_label("Email").fill("sam@work.example")
    page.get_by_label("Links").fill("https://www.linkedin.com/in/sam")
    resume = tmp_path / "sam.pdf"
    resume.write_bytes(pdf_bytes_with_text("Sam Sourced Rust Go"))
    page.get_by_label("Resume").set_input_files(str(resume))
    page.get_by_label("Stage").select_option(label="Screen")
    screenshot("sourcing-add-form")
    page.get_by_role("button", name="Add to the pipeline").click()
    expect(page.get_by_role("alert").first).to_contain_text("they were not emailed")
    expect(page.locator(".origin")).to_contain_text("Sourced by")

    page.get_by_role("link", name="Candidate page").click()
    page.get_by_label("Add a tag").fill("Rust")
    page.get_by_role("button", name="Tag", exact=True).click()
    expect(page.locator(".candidate-tag")).to_contain_text("rust")
    screenshot("sourcing-candidate-page")

    page.get_by_label(re.compile("other candidate's email")).fill("sam@home.example")
    page.get_by_role("button", name="Preview a merge").click()
    expect(page.locator("#merge-preview")).to_contain_text("Data Scientist")
    screenshot("sourcing-merge-preview")
    page.get_by_role("button", name="Merge", exact=True).click()
    expect(page.locator("#applications")).to_contain_text("Data Scientist")
    expect(page.locator("#applications")).to_contain_text("Backend Engineer")


def test_an_interviewer_refers_someone_and_sees_their_status(
    live_server, page, posting, interviewer, screenshot
):
    log_in(page, live_server, interviewer)
    page.goto(live_server.url + "/dashboard/")
    page.get_by_role("link", name="Referrals").click()
    page.get_by_role("link", name="Refer someone").click()
    page.get_by_label("Posting").select_option(label=posting.title)
    page.get_by_label("Full name").fill("Rita Referred")
    page.get_by_label("Email").fill("rita@example.com")
    page.get_by_label("Links").fill("https://github.com/rita")
    page.get_by_label("How do you know them?").fill("We shipped the billing rewrite together.")
    page.get_by_role("button", name="Refer").click()
    expect(page.locator("#referrals")).to_contain_text("Rita Referred")
    expect(page.locator("#referrals")).to_contain_text("Application received")
    screenshot("sourcing-my-referrals")
