"""The offer pages: the recruiter drafts, approvers decide, the recruiter sends, the candidate
answers from their status page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from offers import services
from offers.models import Offer, OfferEvent
from tests import factories
from tests.offers.conftest import hired_stage

pytestmark = pytest.mark.django_db

# Pinned: a change here is a change in what the page costs; say why in the commit.
QUERIES_OFFER_PAGE = 6
QUERIES_STATUS_PAGE = 7


def form_data(**overrides):
    today = timezone.localdate()
    return {
        "job_title": "Backend Engineer",
        "base_salary": "150000",
        "salary_period": "year",
        "equity": "",
        "bonus": "",
        "start_date": (today + timedelta(days=30)).isoformat(),
        "location": "Remote",
        "expires_on": (today + timedelta(days=7)).isoformat(),
        "letter": "Dear {{ candidate_name }}, you get {{ base_salary }}.",
        "justification": "",
        "save": "1",
        **overrides,
    }


def test_the_candidate_page_offers_a_recruiter_to_draft_in_the_offer_stage(
    client, recruiter, at_offer
):
    client.force_login(recruiter)
    page = client.get(at_offer.get_dashboard_url()).content.decode()
    assert reverse("dashboard:offer_new", args=[at_offer.pk]) in page


def test_a_hiring_manager_sees_the_offer_section_but_cannot_draft(client, hiring_manager, at_offer):
    client.force_login(hiring_manager)
    page = client.get(at_offer.get_dashboard_url()).content.decode()
    assert 'id="offers"' in page
    assert reverse("dashboard:offer_new", args=[at_offer.pk]) not in page
    assert client.get(reverse("dashboard:offer_new", args=[at_offer.pk])).status_code == 404


def test_the_draft_form_starts_from_the_default_letter_and_previews_it(client, recruiter, at_offer):
    client.force_login(recruiter)
    url = reverse("dashboard:offer_new", args=[at_offer.pk])
    page = client.get(url).content.decode()
    assert "{{ candidate_name }}" in page
    data = form_data(preview="1")
    del data["save"]
    preview = client.post(url, data).content.decode()
    assert "<p>Dear Jane Doe, you get $150,000 USD per year.</p>" in preview
    assert not Offer.objects.exists()


def test_a_salary_above_the_range_without_justification_is_a_form_error(
    client, recruiter, at_offer
):
    client.force_login(recruiter)
    url = reverse("dashboard:offer_new", args=[at_offer.pk])
    response = client.post(url, form_data(base_salary="999999"))
    assert response.status_code == 200
    assert "outside the posting&#x27;s published range" in response.content.decode()
    assert not Offer.objects.exists()
    response = client.post(url, form_data(base_salary="999999", justification="Staff level."))
    offer = Offer.objects.get()
    assert response.url == reverse("dashboard:offer", args=[offer.pk])


def test_injected_template_code_in_the_letter_is_a_form_error(client, recruiter, at_offer):
    client.force_login(recruiter)
    url = reverse("dashboard:offer_new", args=[at_offer.pk])
    response = client.post(url, form_data(letter="{{ settings.SECRET_KEY }}"))
    assert "Unknown placeholders: {{ settings.SECRET_KEY }}" in response.content.decode()
    assert not Offer.objects.exists()


def test_the_whole_chain_through_the_pages(
    client, recruiter, hiring_manager, frieda, need_pdf, at_offer
):
    client.force_login(recruiter)
    client.post(reverse("dashboard:offer_new", args=[at_offer.pk]), form_data())
    offer = Offer.objects.get()
    client.post(
        reverse("dashboard:offer_submit", args=[offer.pk]),
        {"approver_0": hiring_manager.pk, "approver_1": frieda.pk},
    )
    for approver in (hiring_manager, frieda):
        client.force_login(approver)
        page = client.get(reverse("dashboard:offer", args=[offer.pk])).content.decode()
        assert "Record my decision" in page
        client.post(reverse("dashboard:offer_decide", args=[offer.pk]), {"decision": "approve"})
    client.force_login(recruiter)
    client.post(reverse("dashboard:offer_send", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT
    pdf = client.get(reverse("dashboard:offer_letter", args=[offer.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    trail = client.get(reverse("dashboard:offer", args=[offer.pk])).content.decode()
    for label in ("Drafted", "Sent for approval", "Approved", "Sent to the candidate"):
        assert label in trail


def test_an_approver_not_yet_asked_has_no_decision_form(client, pending, frieda):
    client.force_login(frieda)
    page = client.get(reverse("dashboard:offer", args=[pending.pk])).content.decode()
    assert "Record my decision" not in page
    client.post(reverse("dashboard:offer_decide", args=[pending.pk]), {"decision": "approve"})
    assert pending.approvers.get(user=frieda).decision == "pending"


def test_editing_terms_after_an_approval_says_the_chain_restarts(
    client, recruiter, pending, hiring_manager
):
    services.decide(offer=pending, by=hiring_manager, approve=True)
    client.force_login(recruiter)
    url = reverse("dashboard:offer_edit", args=[pending.pk])
    assert "starts the approvals again" in client.get(url).content.decode()
    data = form_data(letter=pending.letter, location=pending.location, base_salary="155000")
    data["equity"] = pending.equity
    client.post(url, data)
    event = pending.events.get(action=OfferEvent.Action.RESTARTED)
    assert event.changes["base_salary"] == ["150000", "155000"]


def test_the_status_page_shows_the_sent_offer_and_its_letter(client, sent, at_offer):
    page = client.get(at_offer.get_status_url()).content.decode()
    assert "Your offer" in page
    assert "$150,000 USD per year" in page
    assert "To accept, type your full name" in page
    letter = client.get(reverse("offers:letter", args=[at_offer.status_token, sent.pk]))
    assert letter["Content-Type"] == "application/pdf"
    assert "no-cache" in letter["Cache-Control"] and "private" in letter["Cache-Control"]
    assert letter["Content-Disposition"].startswith("inline")
    download = client.get(
        reverse("offers:letter", args=[at_offer.status_token, sent.pk]) + "?download=1"
    )
    assert download["Content-Disposition"].startswith("attachment")


def test_a_draft_offer_is_not_on_the_status_page(client, draft, at_offer):
    page = client.get(at_offer.get_status_url()).content.decode()
    assert "Your offer" not in page
    url = reverse("offers:letter", args=[at_offer.status_token, draft.pk])
    assert client.get(url).status_code == 404


def test_another_applicants_token_cannot_reach_the_offer(client, sent, other_posting):
    other = factories.apply(other_posting, name="Jane Doe", email="jd@example.com")
    url = reverse("offers:accept", args=[other.status_token, sent.pk])
    assert client.post(url, {"name": "Jane Doe"}).status_code == 404


def test_the_candidate_accepts_from_the_status_page(client, sent, at_offer):
    url = reverse("offers:accept", args=[at_offer.status_token, sent.pk])
    response = client.post(url, {"name": "jane doe"}, REMOTE_ADDR="198.51.100.7", follow=True)
    assert "You accepted the offer" in response.content.decode()
    sent.refresh_from_db()
    assert (sent.status, sent.accepted_ip, sent.accepted_name) == (
        "accepted",
        "198.51.100.7",
        "jane doe",
    )
    at_offer.refresh_from_db()
    assert at_offer.stage == hired_stage(at_offer.posting)
    assert "signing as jane doe" in response.content.decode()


def test_a_wrong_name_is_refused_with_a_message(client, sent, at_offer):
    url = reverse("offers:accept", args=[at_offer.status_token, sent.pk])
    response = client.post(url, {"name": "Someone Else"}, follow=True)
    assert "Type your full name" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == "sent"


def test_the_candidate_declines_with_a_reason(client, sent, at_offer):
    url = reverse("offers:decline", args=[at_offer.status_token, sent.pk])
    client.post(url, {"reason": "Relocating."})
    sent.refresh_from_db()
    assert sent.status == "sent", "nothing happens without the confirmation"
    client.post(url, {"reason": "Relocating.", "confirm": "yes"})
    sent.refresh_from_db()
    assert (sent.status, sent.decline_reason) == ("declined", "Relocating.")


def test_an_expired_offer_shows_a_message_and_refuses_acceptance(client, sent, at_offer):
    Offer.objects.filter(pk=sent.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    page = client.get(at_offer.get_status_url()).content.decode()
    assert "This offer expired" in page
    assert "To accept, type your full name" not in page
    url = reverse("offers:accept", args=[at_offer.status_token, sent.pk])
    response = client.post(url, {"name": "Jane Doe"}, follow=True)
    assert "expired" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == "sent"


def test_a_withdrawn_offer_tells_the_candidate_on_the_status_page(
    client, sent, recruiter, at_offer
):
    client.force_login(recruiter)
    client.post(reverse("dashboard:offer_withdraw", args=[sent.pk]))
    client.logout()
    page = client.get(at_offer.get_status_url()).content.decode()
    assert "We withdrew the offer" in page


def test_revising_from_the_page_opens_the_new_version(client, sent, recruiter):
    client.force_login(recruiter)
    response = client.post(reverse("dashboard:offer_revise", args=[sent.pk]))
    newer = Offer.objects.get(version=2)
    assert response.url == reverse("dashboard:offer", args=[newer.pk])


def test_a_recruiter_saves_the_postings_letter_and_new_offers_start_from_it(
    client, recruiter, posting, at_offer
):
    client.force_login(recruiter)
    url = reverse("dashboard:offer_letter_template", args=[posting.pk])
    preview = client.post(url, {"body": "Hi {{ candidate_name }} <i>", "preview": "1"})
    assert "<p>Hi Jane Doe &lt;i&gt;</p>" in preview.content.decode()
    refused = client.post(url, {"body": "{% debug %}{{ settings.SECRET_KEY }}", "save": "1"})
    assert "Unknown placeholders" in refused.content.decode()
    client.post(url, {"body": "Welcome, {{ candidate_name }}!", "save": "1"})
    assert posting.offer_letter.body == "Welcome, {{ candidate_name }}!"
    form = client.get(reverse("dashboard:offer_new", args=[at_offer.pk])).content.decode()
    assert "Welcome, {{ candidate_name }}!" in form


def test_a_hiring_manager_cannot_change_the_postings_letter(client, hiring_manager, posting):
    client.force_login(hiring_manager)
    url = reverse("dashboard:offer_letter_template", args=[posting.pk])
    assert client.get(url).status_code == 404


def test_an_approver_reads_the_stored_letter_they_are_asked_to_approve(
    client, pending, hiring_manager
):
    client.force_login(hiring_manager)
    response = client.get(reverse("dashboard:offer_letter", args=[pending.pk]))
    assert b"".join(response.streaming_content) == pending.pdf.open("rb").read()
    page = client.get(reverse("dashboard:offer", args=[pending.pk])).content.decode()
    assert "PDF for approval" in page
    assert pending.pdf_sha256 in page


def test_a_draft_letter_is_previewed_as_a_pdf_made_now_and_not_stored(
    client, draft, recruiter, need_pdf
):
    client.force_login(recruiter)
    response = client.get(reverse("dashboard:offer_letter", args=[draft.pk]))
    assert response.content.startswith(b"%PDF-")
    draft.refresh_from_db()
    assert not draft.pdf, "a preview is not stored"


def test_the_offer_page_costs_the_same_queries_however_long_its_trail(
    client, recruiter, pending, hiring_manager, django_assert_num_queries
):
    client.force_login(recruiter)
    url = reverse("dashboard:offer", args=[pending.pk])
    client.get(url)
    with django_assert_num_queries(QUERIES_OFFER_PAGE):
        client.get(url)
    for n in range(30):
        OfferEvent.objects.create(
            offer=pending, by=hiring_manager, action="updated", changes={"bonus": ["", str(n)]}
        )
    with django_assert_num_queries(QUERIES_OFFER_PAGE):
        client.get(url)


def test_the_status_page_costs_the_same_queries_however_many_versions_came_before(
    client, sent, recruiter, at_offer, django_assert_num_queries
):
    url = at_offer.get_status_url()
    client.get(url)
    with django_assert_num_queries(QUERIES_STATUS_PAGE):
        client.get(url)
    for _ in range(3):
        newer = services.revise_offer(offer=Offer.objects.get(status="sent"), by=recruiter)
        Offer.objects.filter(pk=newer.pk).update(
            status="sent", sent_at=timezone.now(), pdf=sent.pdf.name, pdf_sha256=sent.pdf_sha256
        )
    with django_assert_num_queries(QUERIES_STATUS_PAGE):
        client.get(url)


def test_an_interviewer_on_the_candidates_loop_never_sees_the_offer(
    client, pending, interviewer, held_interview
):
    """Erin interviews Jane, who has an offer waiting for approval: none of Erin's pages show
    its terms, and every offer URL is a 404 for her."""
    client.force_login(interviewer)
    for url in (
        reverse("dashboard:home"),
        reverse("dashboard:my_interviews"),
        reverse("dashboard:interview", args=[held_interview.pk]),
        reverse("dashboard:scorecard", args=[held_interview.pk]),
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "150,000" not in page and "10,000 options" not in page, url
        assert "Offer v1" not in page, url
    # She does see Jane there: the pages above are the real ones, not errors.
    assert "Jane Doe" in client.get(reverse("dashboard:interview", args=[held_interview.pk])).text
    for name in ("dashboard:offer", "dashboard:offer_letter", "dashboard:offer_edit"):
        assert client.get(reverse(name, args=[pending.pk])).status_code == 404
