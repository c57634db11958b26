"""The interviewer's pages: "your interviews", and the scorecard page with the candidate as an
interviewer needs them, the form (saved as one types, submitted, edited, amended) and the
others' feedback as interviews.policy allows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard.models import Note
from dashboard.services import add_note
from interviews import scorecards
from interviews.models import Interview, Scorecard, ScorecardAmendment
from interviews.scorecards import Feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_erin(client, interviewer):
    client.force_login(interviewer)
    return client


def scorecard_url(interview) -> str:
    return reverse("dashboard:scorecard", args=[interview.pk])


def form_data(ratings, action="save", **fields):
    data = {f"rating_{pk}": "" if value is None else str(value) for pk, value in ratings.items()}
    return {
        "action": action,
        "recommendation": "",
        "key_points": "",
        "concerns": "",
        **data,
        **fields,
    }


def test_an_interviewers_dashboard_home_sends_her_to_her_interviews(as_erin):
    response = as_erin.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:my_interviews")


def test_your_interviews_lists_scorecards_due_and_upcoming_interviews_in_her_time_zone(
    as_erin, interviewer, held_interview, upcoming_interview
):
    interviewer.profile.time_zone = "Asia/Tokyo"
    interviewer.profile.save()
    page = as_erin.get(reverse("dashboard:my_interviews")).content.decode()
    due, upcoming = page.split('id="upcoming"')
    assert scorecard_url(held_interview) in due and "Write scorecard" in due
    assert scorecard_url(upcoming_interview) in upcoming
    tokyo = timezone.localtime(upcoming_interview.starts_at, timezone=_tokyo())
    assert f"{tokyo:%H:%M}" in upcoming and "Asia/Tokyo" in page
    scorecards.submit(
        interview=held_interview, interviewer=interviewer, feedback=Feedback(recommendation="yes")
    )
    page = as_erin.get(reverse("dashboard:my_interviews")).content.decode()
    assert "No scorecards due" in page


def _tokyo():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Tokyo")


def test_the_nav_links_your_interviews_and_hides_postings_from_an_interviewer(
    client, interviewer, recruiter
):
    client.force_login(interviewer)
    page = client.get(reverse("dashboard:my_interviews")).content.decode()
    assert 'href="/dashboard/interviews/mine/"' in page
    assert 'href="/dashboard/postings/"' not in page
    client.force_login(recruiter)
    page = client.get(reverse("dashboard:postings")).content.decode()
    assert 'href="/dashboard/interviews/mine/"' in page and 'href="/dashboard/postings/"' in page


def test_the_scorecard_page_shows_what_an_interviewer_needs_and_nothing_private(
    as_erin, held_interview, application, recruiter, posting
):
    add_note(application=application, author=recruiter, body="Team note: strong on queues.")
    add_note(
        application=application, author=recruiter, body="Private: salary ask 240k", private=True
    )
    page = as_erin.get(scorecard_url(held_interview)).content.decode()
    assert "Jane Doe" in page and "Technical screen" in page
    assert "Ask about a system they scaled." in page and "Design" in page
    assert "Are you applying to the internship?" in page
    assert f"/dashboard/interviews/{held_interview.pk}/resume/" in page
    assert f"/dashboard/interviews/{held_interview.pk}/resume/download/" in page
    assert "Team note: strong on queues." in page
    assert "salary ask" not in page
    for salary in ("118,938", "118938", "244,872", "244872", posting.pay_transparency_note):
        assert salary not in page
    assert "jane@example.com" not in page, "contact details are the recruiters'"
    assert f"/dashboard/postings/{posting.pk}/" not in page


def test_the_resume_is_served_through_the_interview(as_erin, held_interview):
    inline = as_erin.get(reverse("dashboard:interview_resume_inline", args=[held_interview.pk]))
    assert inline.status_code == 200 and inline["Content-Type"] == "application/pdf"
    assert b"".join(inline.streaming_content).startswith(b"%PDF")
    download = as_erin.get(reverse("dashboard:interview_resume_download", args=[held_interview.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_a_draft_saves_with_the_plain_button_and_submit_locks_it(
    as_erin, interviewer, held_interview, ratings
):
    url = scorecard_url(held_interview)
    response = as_erin.post(url, form_data(ratings, key_points="Clear thinker"))
    assert response.status_code == 302 and response["Location"] == url
    card = Scorecard.objects.get(interviewer=interviewer)
    assert card.key_points == "Clear thinker" and not card.is_submitted

    refused = as_erin.post(url, form_data(ratings, action="submit"))
    assert refused.status_code == 400
    assert "Choose an overall recommendation before submitting." in refused.content.decode()
    assert not Scorecard.objects.submitted().exists()

    as_erin.post(url, form_data(ratings, action="submit", recommendation="strong_yes"))
    card.refresh_from_db()
    assert card.is_submitted and card.recommendation == "strong_yes"
    page = as_erin.get(url).content.decode()
    assert "Save changes" in page and "Submit scorecard" not in page
    assert "hx-post" not in page, "edits are deliberate: no autosave after submitting"


def test_autosave_stores_the_draft_and_answers_with_a_status_line(
    as_erin, interviewer, held_interview, ratings
):
    page = as_erin.get(scorecard_url(held_interview)).content.decode()
    autosave = reverse("dashboard:scorecard_autosave", args=[held_interview.pk])
    assert f'hx-post="{autosave}"' in page
    response = as_erin.post(
        autosave, form_data(ratings, concerns="Quiet at first"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Draft saved at" in response.content.decode()
    assert Scorecard.objects.get(interviewer=interviewer).concerns == "Quiet at first"
    assert as_erin.get(autosave).status_code == 405


def test_bad_input_is_a_form_error_and_nothing_is_stored(as_erin, held_interview, ratings):
    python = next(iter(ratings))
    response = as_erin.post(scorecard_url(held_interview), form_data({python: 9}))
    assert response.status_code == 400 and "not saved" in response.content.decode()
    response = as_erin.post(
        reverse("dashboard:scorecard_autosave", args=[held_interview.pk]), form_data({python: 9})
    )
    assert "Not saved yet" in response.content.decode()
    assert not Scorecard.objects.exists()


def test_before_the_interview_starts_the_page_says_when_feedback_opens(
    as_erin, upcoming_interview, ratings
):
    page = as_erin.get(scorecard_url(upcoming_interview)).content.decode()
    assert "Feedback opens when the interview starts" in page and "Submit scorecard" not in page
    response = as_erin.post(scorecard_url(upcoming_interview), form_data(ratings))
    assert response.status_code == 400
    assert "Feedback opens when the interview starts" in response.content.decode()
    assert not Scorecard.objects.exists()


def test_a_cancelled_interview_takes_no_feedback_on_the_page(as_erin, held_interview, ratings):
    Interview.objects.filter(pk=held_interview.pk).update(status=Interview.Status.CANCELLED)
    response = as_erin.post(scorecard_url(held_interview), form_data(ratings))
    assert response.status_code == 400 and "cancelled" in response.content.decode()
    assert not Scorecard.objects.exists()


def test_she_reads_the_others_scorecards_only_after_submitting_her_own(
    as_erin, frank, held_interview, ratings
):
    scorecards.submit(
        interview=held_interview,
        interviewer=frank,
        feedback=Feedback(recommendation="no", key_points="Frank's independent view"),
    )
    url = scorecard_url(held_interview)
    page = as_erin.get(url).content.decode()
    assert "Frank's independent view" not in page and 'id="feedback-hidden"' in page
    as_erin.post(url, form_data(ratings, action="submit", recommendation="yes"))
    page = as_erin.get(url).content.decode()
    assert "Frank&#x27;s independent view" in page and 'id="feedback-hidden"' not in page


def test_a_recruiter_reads_every_submitted_scorecard_and_has_no_form(
    as_recruiter, interviewer, frank, held_interview
):
    for person, words in ((interviewer, "Erin's view"), (frank, "Frank's view")):
        scorecards.submit(
            interview=held_interview,
            interviewer=person,
            feedback=Feedback(recommendation="yes", key_points=words),
        )
    page = as_recruiter.get(scorecard_url(held_interview)).content.decode()
    assert "Erin&#x27;s view" in page and "Frank&#x27;s view" in page
    assert 'id="your-scorecard"' not in page
    response = as_recruiter.post(scorecard_url(held_interview), form_data({}))
    assert response.status_code == 400 and "Only the interviewers" in response.content.decode()


def test_after_the_window_the_page_offers_an_amendment_with_a_reason(
    as_erin, interviewer, held_interview, ratings
):
    card = scorecards.submit(
        interview=held_interview, interviewer=interviewer, feedback=Feedback(recommendation="yes")
    )
    Scorecard.objects.filter(pk=card.pk).update(submitted_at=timezone.now() - timedelta(days=1))
    url = scorecard_url(held_interview)
    page = as_erin.get(url).content.decode()
    assert "Amend scorecard" in page and "Save changes" not in page
    refused = as_erin.post(url, form_data(ratings, action="edit", recommendation="no"))
    assert refused.status_code == 400 and "amend it" in refused.content.decode()
    no_reason = as_erin.post(url, form_data(ratings, action="amend", recommendation="no"))
    assert no_reason.status_code == 400 and "Say why" in no_reason.content.decode()
    as_erin.post(url, form_data(ratings, action="amend", recommendation="no", reason="Slept on it"))
    amendment = ScorecardAmendment.objects.get()
    assert amendment.changes["Recommendation"] == ["Yes", "No"]
    page = as_erin.get(url).content.decode()
    assert "Slept on it" in page and "Recommendation:" in page


def test_a_note_can_be_marked_private_on_the_candidate_page(
    as_recruiter, application, held_interview, interviewer, client
):
    page = as_recruiter.get(application.get_dashboard_url()).content.decode()
    assert "Private (hidden from interviewers)" in page
    url = reverse("dashboard:add_note", args=[application.posting_id, application.pk])
    as_recruiter.post(url, {"body": "Only for us", "private": "on"})
    as_recruiter.post(url, {"body": "For everyone"})
    assert dict(Note.objects.values_list("body", "private")) == {
        "Only for us": True,
        "For everyone": False,
    }
    client.force_login(interviewer)
    page = client.get(scorecard_url(held_interview)).content.decode()
    assert "For everyone" in page and "Only for us" not in page
