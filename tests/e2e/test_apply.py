"""A new applicant applies for Backend Engineer, fixes their mistakes, and checks their status;
one arrives from a LinkedIn link, fixes a typo without uploading twice, and is counted as LinkedIn
on the recruiter's board, in its filter and in the CSV; the keyboard's way through the pages
(skip link, error summary, focus ring) and the favicon."""

import csv
import io
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from applications.models import Application
from applications.resumes import pdf_bytes_with_text
from notifications.models import OutboxEmail
from postings.models import Posting
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]

INTERNSHIP = "Are you applying to the internship?"
VISA = "Will you now or in the future require visa sponsorship?"


def question(page, label):
    """The group of radio buttons under a screening question's legend."""
    return page.get_by_role("group", name=label)


def field_error(page, field_id):
    """The error Bootstrap shows under one field (crispy links it by aria-describedby)."""
    return page.locator(f"#{field_id}_error")


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_empty_application_form_reads_well(
    width, request, live_server, demo_data, page, screenshot, fits_width
):
    request.getfixturevalue(width)()
    page.goto(live_server.url + "/jobs/backend-engineer/apply/")
    expect(page.get_by_role("heading", name="Apply for Backend Engineer")).to_be_visible()
    expect(page.get_by_label("Full name")).to_be_visible()
    expect(question(page, INTERNSHIP).get_by_label("Yes")).to_be_visible()
    # The honeypot is for bots only: people neither see it nor reach it with Tab.
    expect(page.locator("#id_website")).not_to_be_in_viewport()
    expect(page.locator("#id_website")).to_have_attribute("tabindex", "-1")
    assert fits_width()
    screenshot(f"apply-form-{width}")


def test_a_new_applicant_applies_for_backend_engineer_and_sees_their_status(
    live_server, demo_data, page, screenshot, tmp_path
):
    resume = tmp_path / "ada-lovelace-resume.pdf"
    resume.write_bytes(pdf_bytes_with_text("Ada Lovelace - analytical engines, Python, Django"))

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Backend Engineer").click()
    page.get_by_role("link", name="Apply for this role").locator("visible=true").first.click()
    expect(page.get_by_role("heading", name="Apply for Backend Engineer")).to_be_visible()

    # First attempt: a typo in the email, no resume, the required questions unanswered.
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Email").fill("ada@example")
    page.get_by_label("Where are you based?").fill("London, UK")
    page.get_by_role("button", name="Submit application").click()

    expect(page.get_by_role("alert")).to_contain_text("Please fix these 5 before you submit:")
    expect(page.get_by_label("Full name")).to_have_value("Ada Lovelace")
    expect(page.get_by_label("Email")).to_have_value("ada@example")
    expect(page.get_by_label("Where are you based?")).to_have_value("London, UK")
    expect(page.get_by_label("Email")).to_have_class(re.compile(r"\bis-invalid\b"))
    for field_id, message in [
        ("id_email", "Enter a valid email address."),
        ("id_resume", "Please attach your resume."),
        ("id_consent", "We need your consent"),
    ]:
        expect(field_error(page, field_id)).to_be_visible()
        expect(field_error(page, field_id)).to_contain_text(message)
    internship_error = question(page, INTERNSHIP).locator(".invalid-feedback")
    expect(internship_error).to_be_visible()
    expect(internship_error).to_contain_text("Please answer this question.")
    assert not Application.objects.filter(candidate__email="ada@example.com").exists()
    screenshot("apply-errors")

    # Second attempt: everything in order.
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Resume").set_input_files(resume)
    question(page, INTERNSHIP).get_by_label("Yes").check()
    question(page, VISA).get_by_label("No").check()
    question(page, "Which team interests you most?").get_by_label("Core").check()
    page.get_by_label("I agree that my data is stored").check()
    page.get_by_role("button", name="Submit application").click()

    expect(page.get_by_role("heading", name="Thank you for applying")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Backend Engineer")
    screenshot("confirmation")

    expect(page.locator("#where-to-look")).to_contain_text("Check your inbox")
    # The status link reaches the applicant through their inbox only.
    received = OutboxEmail.objects.get(kind="application_received", to="ada@example.com")
    [status_path] = re.findall(r"/status/[\w-]+/", received.body_text)
    assert status_path not in page.content()
    page.goto(live_server.url + status_path)
    expect(page.locator("#application-stage")).to_have_text("Application received")
    expect(page.locator("main")).to_contain_text("Ada Lovelace")
    screenshot("status")

    application = Application.objects.select_related("resume", "candidate").get(
        candidate__email="ada@example.com", posting__slug="backend-engineer"
    )
    assert application.name == application.candidate.name == "Ada Lovelace"
    assert application.answers.get(question__label=INTERNSHIP).value is True
    assert application.answers.get(question__label=VISA).value is False
    assert application.resume.content_type == "application/pdf"
    assert application.resume.original_filename == "ada-lovelace-resume.pdf"
    with application.resume.file.open("rb") as stored:
        assert stored.read() == resume.read_bytes()
    assert page.url == live_server.url + application.get_status_url()


PASSWORD = "a long demo passphrase"
LANDING = "/jobs/backend-engineer/?utm_source=linkedin&utm_medium=social&utm_campaign=fall"


def answer_the_questions(page):
    for label, choice in [
        ("Are you applying to the internship?", "No"),
        ("Will you now or in the future require visa sponsorship?", "No"),
        ("Which team interests you most?", "Core"),
    ]:
        page.get_by_role("group", name=label).get_by_label(choice).check()
    page.get_by_label("I agree that my data is stored").check()


def test_a_linkedin_visitor_applies_once_and_is_counted_as_linkedin_everywhere(
    live_server, demo_data, page, browser, screenshot, tmp_path, phone, desktop
):
    resume = tmp_path / "Grace Hopper CV.pdf"
    resume.write_bytes(pdf_bytes_with_text("Grace Hopper - compilers, COBOL, Python"))

    page.goto(live_server.url + LANDING)
    page.get_by_role("link", name="Apply for this role").locator("visible=true").first.click()
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Email").fill("grace@example")  # a typo
    page.get_by_label("Resume").set_input_files(resume)
    answer_the_questions(page)
    page.get_by_role("button", name="Submit application").click()

    # The summary has the focus and names the one mistake; the resume is still attached.
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Please fix this before you submit:")
    expect(page.locator("#resume-attached")).to_have_text(
        "Grace Hopper CV.pdf is attached — choose another file to replace it."
    )
    for width, use in [("phone", phone), ("desktop", desktop)]:
        use()
        screenshot(f"apply-kept-resume-{width}")
    summary.get_by_role("link", name="Email: Enter a valid email address.").click()
    expect(page.get_by_label("Email")).to_be_focused()
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_role("heading", name="Thank you for applying")).to_be_visible()

    grace = Application.objects.select_related("resume").get(candidate__email="grace@example.com")
    assert (grace.utm_source, grace.utm_campaign, grace.referrer) == ("linkedin", "fall", "")
    assert grace.resume.original_filename == "Grace Hopper CV.pdf"

    # The recruiter's view, in a browser of their own.
    riley = factories.UserFactory(username="riley", role="recruiter", password=PASSWORD)
    posting = Posting.objects.get(slug="backend-engineer")
    posting.hiring_team.add(riley)
    context = browser.new_context()
    staff = context.new_page()
    staff.goto(live_server.url + "/accounts/login/")
    staff.get_by_label("Username").fill("riley")
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    staff.goto(live_server.url + reverse("dashboard:board", args=[posting.pk]))
    expect(staff.locator(f"#card-{grace.pk}")).to_contain_text("LinkedIn")

    staff.locator("summary", has_text="Filters").click()
    source = staff.get_by_label("Source")
    labels = source.locator("option").all_inner_texts()
    assert labels == [
        "Any source", "LinkedIn", "Indeed", "Referral", "Sourced", "Agency", "Event",
        "Careers site", "Direct", "Other",
    ]  # fmt: skip
    source.select_option(label="LinkedIn")
    staff.get_by_role("button", name="Apply filters").click()
    cards = staff.locator(".board-card")
    expect(cards.filter(has_text="Grace Hopper")).to_have_count(1)
    linkedin = posting.applications.from_source("linkedin").count()
    expect(cards).to_have_count(linkedin)
    expect(cards.filter(has_text="· LinkedIn")).to_have_count(linkedin)
    assert linkedin < posting.applications.count()

    export = staff.request.get(live_server.url + reverse("dashboard:export_csv", args=[posting.pk]))
    rows = list(csv.DictReader(io.StringIO(export.text().lstrip("\ufeff"))))
    assert {row["Name"]: row["Source"] for row in rows}["Grace Hopper"] == "LinkedIn"
    context.close()


def test_the_keyboard_finds_a_skip_link_and_a_visible_focus_ring(
    live_server, demo_data, page, screenshot, phone
):
    page.goto(live_server.url + "/jobs/backend-engineer/")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).not_to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    box = skip.bounding_box()
    assert box["width"] > 50 and box["height"] > 20
    screenshot("skip-link-desktop")
    page.keyboard.press("Tab")
    brand = page.locator(".navbar-brand")
    expect(brand).to_be_focused()
    outline = brand.evaluate(
        "e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth"
    )
    assert outline == "solid 3px"
    phone()
    screenshot("focus-ring-phone")

    icon = page.request.get(live_server.url + "/static/img/favicon.ico")
    assert icon.ok and icon.body()[:4] == b"\x00\x00\x01\x00"
    assert page.request.get(live_server.url + "/static/img/favicon.svg").ok
