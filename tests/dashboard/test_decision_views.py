"""The candidate page's scorecard summary and decision form, and the board cards' interview
state, as the hiring manager sees them."""

import pytest
from django.urls import reverse

from applications.services import move_application
from interviews.models import Decision, Rating, Scorecard
from tests import factories
from tests.interviews.helpers import held_interview, submitted_scorecard

pytestmark = pytest.mark.django_db


@pytest.fixture
def interviewed(application, recruiter, interviewer):
    """Jane, in Interview, after a technical screen with Erin (submitted: yes) and Gus (draft)."""
    move_application(
        application=application,
        to_stage=application.posting.stages.get(name="Interview"),
        by=recruiter,
    )
    gus = factories.UserFactory(username="gus", first_name="Gus", role="interviewer")
    step = factories.interview_step(application.posting, name="Technical screen")
    interview = held_interview(application, step, interviewers=[interviewer, gus])
    submitted_scorecard(
        interview,
        interviewer,
        "strong_yes",
        {"Python": Rating.STRONG_YES, "System design": Rating.NO},
        key_points="Fast and careful.",
    )
    Scorecard.objects.create(
        interview=interview, interviewer=gus, recommendation="no", key_points="Draft thoughts"
    )
    return application


def page_of(client, application) -> str:
    return client.get(application.get_dashboard_url()).content.decode()


def test_the_candidate_page_summarises_submitted_scorecards_only(as_manager, interviewed):
    page = page_of(as_manager, interviewed)
    summary = page[page.index('id="scorecards"') :]
    assert "Technical screen" in summary and "1 strong yes" in summary
    assert "Erin" in summary and "Fast and careful." in summary
    assert "Draft thoughts" not in page and "Gus" not in summary
    python_row = summary[summary.index(">Python<") : summary.index(">System design<")]
    assert "Strong yes" in python_row


def test_the_hiring_manager_advances_the_candidate_to_the_next_stage(as_manager, interviewed):
    url = reverse("dashboard:decide", args=[interviewed.posting_id, interviewed.pk])
    response = as_manager.post(url, {"outcome": "advance", "note": "Go."}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Advanced Jane Doe to Offer."]
    interviewed.refresh_from_db()
    assert interviewed.stage.name == "Offer"
    page = response.content.decode()
    assert "Advance" in page and "→ Offer" in page and "Go." in page


def test_rejecting_without_a_reason_is_refused_with_a_message(as_manager, interviewed):
    url = reverse("dashboard:decide", args=[interviewed.posting_id, interviewed.pk])
    response = as_manager.post(url, {"outcome": "reject"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "The decision was not recorded: Choose a reason for rejecting."
    ]
    assert not Decision.objects.exists()


def test_rejecting_with_a_reason_and_holding_are_recorded(as_manager, interviewed, skills_mismatch):
    url = reverse("dashboard:decide", args=[interviewed.posting_id, interviewed.pk])
    as_manager.post(url, {"outcome": "hold", "note": "Waiting for a reference."})
    as_manager.post(url, {"outcome": "reject", "rejection_reason": skills_mismatch.pk})
    interviewed.refresh_from_db()
    assert interviewed.stage.kind == "rejected"
    assert list(Decision.objects.values_list("outcome", flat=True)) == ["reject", "hold"]
    assert Decision.objects.get(outcome="reject").rejection_reason == skills_mismatch


def test_an_advance_to_another_postings_stage_is_refused(as_manager, interviewed, other_posting):
    url = reverse("dashboard:decide", args=[interviewed.posting_id, interviewed.pk])
    elsewhere = other_posting.stages.get(name="Offer")
    response = as_manager.post(url, {"outcome": "advance", "to_stage": elsewhere.pk}, follow=True)
    [message] = response.context["messages"]
    assert "The decision was not recorded" in str(message)
    interviewed.refresh_from_db()
    assert interviewed.stage.name == "Interview"


def test_the_board_card_shows_feedback_due_and_the_recommendations(as_manager, interviewed):
    page = as_manager.get(reverse("dashboard:board", args=[interviewed.posting_id])).content
    card = page.decode().split(f'id="card-{interviewed.pk}"')[1].split("</article>")[0]
    assert "Feedback due (1)" in card
    assert "1 strong yes" in card


def test_the_board_card_shows_the_next_interview_and_all_feedback_in(as_manager, interviewed):
    Scorecard.objects.filter(interviewer__username="gus").delete()
    interview = interviewed.interviews.get()
    interview.seats.filter(user__username="gus").update(active=False)
    step = interview.step
    factories.scheduled_interview(
        interviewed, step, interviewers=[factories.UserFactory(username="hal")]
    )
    page = as_manager.get(reverse("dashboard:board", args=[interviewed.posting_id])).content
    card = page.decode().split(f'id="card-{interviewed.pk}"')[1].split("</article>")[0]
    assert "All feedback in" in card and "Interview <time" in card


def test_an_interviewer_neither_decides_nor_reaches_the_plan(client, interviewed, interviewer):
    client.force_login(interviewer)
    posting = interviewed.posting
    step = posting.stages.get(name="Interview").interview_steps.first()
    decide = reverse("dashboard:decide", args=[posting.pk, interviewed.pk])
    assert client.post(decide, {"outcome": "advance"}).status_code in (403, 404)
    for url in (
        reverse("dashboard:posting_plan", args=[posting.pk]),
        reverse("dashboard:step_edit", args=[posting.pk, step.pk]),
    ):
        assert client.get(url).status_code in (403, 404), url
    assert not Decision.objects.exists()
    interviewed.refresh_from_db()
    assert interviewed.stage.name == "Interview"
