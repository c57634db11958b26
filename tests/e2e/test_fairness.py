"""An applicant answers the voluntary survey from their status page; a recruiter reads the
fairness report where one step is flagged. Screenshots go to test-artifacts/screenshots/."""

import pytest
from playwright.sync_api import expect

from reports.models import SurveyResponse
from tests.e2e.test_posting_management import log_in
from tests.factories import PostingFactory, backend_engineer_posting, submit
from tests.reports.conftest import make_cohort

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture
def eeo(settings):
    settings.ATS_EEO_QUESTIONS = ["gender", "race", "veteran", "disability"]


def test_an_applicant_answers_the_voluntary_survey_and_changes_an_answer(
    live_server, page, screenshot, eeo, phone, desktop, fits_width
):
    application = submit(backend_engineer_posting(), name="Ada Lovelace", email="ada@example.com")
    page.goto(live_server.url + application.get_status_url())
    panel = page.locator("#self-identification")
    expect(panel).to_contain_text("never affects your application")
    panel.get_by_role("link", name="Answer the voluntary survey").click()
    expect(page.get_by_role("heading", name="Voluntary self-identification")).to_be_visible()
    page.get_by_label("Female").check()
    page.get_by_label("Two or More Races (not Hispanic or Latino)").check()
    page.get_by_label("I am not a protected veteran").check()
    page.get_by_label("I do not want to answer").check()
    screenshot("survey-desktop")
    phone()
    assert fits_width()
    screenshot("survey-phone")
    desktop()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator("main")).to_contain_text("your answers were saved")
    expect(page.locator("#self-identification")).to_contain_text("Thank you")
    answers = SurveyResponse.objects.get(application=application).answers()
    assert answers == {
        "gender": "female",
        "race": "two_or_more",
        "veteran": "not_protected",
        "disability": "declined",
    }

    page.get_by_role("link", name="Change my survey answers").click()
    expect(page.get_by_label("Female")).to_be_checked()
    page.get_by_label("I decline to self-identify").first.check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator("main")).to_contain_text("your answers were saved")
    assert SurveyResponse.objects.get(application=application).gender == "declined"
    screenshot("survey-saved-status")


def test_a_recruiter_reads_the_flagged_step_and_what_it_means(
    live_server, page, screenshot, recruiter, phone, desktop, fits_width
):
    posting = PostingFactory(title="Data Analyst", slug="data-analyst")
    make_cohort(posting, 3, reached="Screen", answers={"gender": "female", "race": "white"})
    make_cohort(posting, 7, reached="Applied", answers={"gender": "female", "race": "white"})
    make_cohort(posting, 8, reached="Screen", answers={"gender": "male", "race": "white"})
    make_cohort(posting, 2, reached="Applied", answers={"gender": "male", "race": "asian"})
    log_in(page, live_server, recruiter)
    page.goto(live_server.url + "/dashboard/reports/fairness/")
    page.get_by_role("link", name="Data Analyst").click()
    expect(page.locator("#fairness-flags")).to_contain_text("Applied → Screen (Gender: Female)")
    expect(page.locator("main")).to_contain_text("What these numbers can and cannot say")
    flagged = page.locator("tr.table-warning").first
    expect(flagged).to_contain_text("0.37")
    expect(flagged).to_contain_text("under 0.8")
    screenshot("fairness-desktop")
    phone()
    assert fits_width()
    screenshot("fairness-phone")
    desktop()
