"""The interview plan and the decision in Chromium: a recruiter builds a step of the plan; a
hiring manager reads the scorecard summary and advances the candidate. Screenshots go to
test-artifacts/screenshots/ (plan-*.png)."""

import pytest
from playwright.sync_api import expect

from applications.services import move_application
from interviews.models import InterviewStep, Rating
from tests import factories
from tests.e2e.test_posting_management import log_in
from tests.interviews.helpers import held_interview, submitted_scorecard

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture
def shot(screenshot):
    def take(name: str) -> None:
        screenshot(f"plan-{name}")

    return take


def test_a_recruiter_adds_reorders_and_edits_a_step_and_is_told_why_one_stays(
    live_server, page, posting, recruiter, interviewer, application, shot
):
    technical = InterviewStep.objects.get(stage__posting=posting, name="Technical interview")
    factories.scheduled_interview(application, technical, interviewers=[interviewer])
    log_in(page, live_server, recruiter)
    page.goto(live_server.url + f"/dashboard/postings/{posting.pk}/plan/")
    expect(page.get_by_role("heading", name="Interview plan")).to_be_visible()

    form = page.locator("#add-step")
    form.get_by_label("Step name").fill("System design")
    form.get_by_label("Held in stage").select_option(label="Interview")
    form.get_by_label("Kind").select_option(label="On-site")
    form.get_by_label("Duration (minutes)").fill("90")
    form.get_by_label("Guidance for interviewers").fill("A whiteboard, a feed and a cache.")
    form.get_by_label("Attributes it assesses").fill("Scalability\nTrade-offs\nData modelling")
    form.get_by_label("Erin").check()
    form.get_by_role("button", name="Add step").click()
    expect(page.get_by_text("Step added: “System design”.")).to_be_visible()
    step = page.locator(".plan-step", has_text="System design")
    expect(step).to_contain_text("On-site · 90 min")
    expect(step).to_contain_text("Interviewers: Erin")
    expect(step.locator(".badge")).to_have_text(["Scalability", "Trade-offs", "Data modelling"])

    step.get_by_role("button", name="Move “System design” earlier").click()
    names = page.locator(f"#plan-stage-{technical.stage_id} .plan-step .fw-semibold")
    expect(names).to_have_text(["Technical interview", "System design", "Team interview"])
    shot("tab")

    page.locator(".plan-step", has_text="System design").get_by_role(
        "link", name="Edit “System design”"
    ).click()
    page.get_by_label("Attributes it assesses").fill("Trade-offs\nScalability")
    shot("step-edit")
    page.get_by_role("button", name="Save step").click()
    expect(page.locator(".plan-step", has_text="System design").locator(".badge")).to_have_text(
        ["Trade-offs", "Scalability"]
    )

    page.locator(".plan-step", has_text="Technical interview").get_by_role(
        "link", name="Delete “Technical interview”"
    ).click()
    expect(page.get_by_text("1 interview was held or scheduled for this step")).to_be_visible()
    shot("delete-refused")


def test_a_hiring_manager_reads_the_summary_and_advances_the_candidate(
    live_server, page, posting, recruiter, hiring_manager, interviewer, application, shot
):
    move_application(
        application=application, to_stage=posting.stages.get(name="Interview"), by=recruiter
    )
    gus = factories.UserFactory(username="gus", first_name="Gus", role="interviewer")
    step = InterviewStep.objects.get(stage__posting=posting, name="Technical interview")
    interview = held_interview(application, step, interviewers=[interviewer, gus])
    submitted_scorecard(
        interview,
        interviewer,
        "strong_yes",
        {"Problem solving": Rating.STRONG_YES, "Technical depth": Rating.YES},
        key_points="Designed the cache first, then the endpoint.",
    )
    submitted_scorecard(
        interview,
        gus,
        "no",
        {"Problem solving": Rating.NO, "Technical depth": Rating.YES, "Code quality": None},
        concerns="Rushed the tests.",
    )
    log_in(page, live_server, hiring_manager)
    page.goto(live_server.url + f"/dashboard/postings/{posting.pk}/board/")
    card = page.locator(f"#card-{application.pk}")
    expect(card.locator(".card-interviews")).to_contain_text("All feedback in")
    expect(card.locator(".recommendations .badge")).to_have_text(["1 strong yes", "1 no"])
    shot("board-card")

    card.get_by_role("link", name="Jane Doe").click()
    summary = page.locator("#scorecards")
    expect(summary).to_contain_text("Technical interview")
    row = summary.locator("tr", has_text="Problem solving")
    expect(row.locator(".opinion")).to_have_text(["Strong yes", "No"])
    summary.get_by_text("notes").first.click()
    expect(summary).to_contain_text("Designed the cache first")
    shot("candidate-summary")

    summary.get_by_role("radio", name="Advance").check()
    summary.get_by_label("Note for the team").fill("Strong technical signal; team loop next.")
    summary.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Advanced Jane Doe to Offer.")).to_be_visible()
    expect(page.locator("h1 + p .badge").first).to_have_text("Offer")
    expect(page.locator("#scorecards .decisions")).to_contain_text("Advance → Offer")
    shot("decision-recorded")
    application.refresh_from_db()
    assert application.stage.name == "Offer"


def test_a_hiring_manager_reads_the_plan_at_both_widths(
    live_server, page, posting, hiring_manager, shot, phone, desktop, fits_width
):
    log_in(page, live_server, hiring_manager)
    page.goto(live_server.url + f"/dashboard/postings/{posting.pk}/plan/")
    expect(page.locator(".plan-step")).to_have_count(3)
    expect(page.locator("main form")).to_have_count(0)
    shot("read-only")
    phone()
    assert fits_width()
    shot("read-only-phone")
    desktop()
    page.get_by_role("link", name="Details of “Team interview”").click()
    expect(page.locator("dl.read-only-settings")).to_contain_text(
        "Collaboration, Ownership, Communication"
    )
    shot("step-read-only")
