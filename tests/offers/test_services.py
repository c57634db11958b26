import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from pypdf import PdfReader

from notifications.models import OutboxEmail
from offers import services
from offers.models import Offer, OfferApprover, OfferEvent, sha256_of
from tests.offers.conftest import hired_stage

pytestmark = pytest.mark.django_db


def kinds_to(address):
    return list(OutboxEmail.objects.filter(to=address).values_list("kind", flat=True))


def test_an_offer_is_drafted_only_in_the_offer_stage(application, recruiter, terms):
    with pytest.raises(ValidationError, match="Move the application to Offer"):
        services.draft_offer(application=application, by=recruiter, terms=terms())


def test_a_draft_copies_the_postings_currency_and_is_audited(draft, recruiter):
    assert draft.status == Offer.Status.DRAFT
    assert draft.version == 1
    assert draft.currency == "USD"
    assert draft.salary_display == "$150,000 USD per year"
    assert list(draft.events.values_list("action", "by")) == [("drafted", recruiter.pk)]


def test_a_second_live_offer_for_one_application_is_refused(draft, at_offer, recruiter, terms):
    with pytest.raises(ValidationError, match="already has an offer"):
        services.draft_offer(application=at_offer, by=recruiter, terms=terms())
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(
            application=at_offer,
            version=2,
            base_salary=1,
            currency="USD",
            start_date=draft.start_date,
            expires_on=draft.expires_on,
            letter="x",
        )


def test_a_salary_outside_the_range_needs_a_justification(at_offer, recruiter, terms, posting):
    with pytest.raises(ValidationError) as refused:
        services.draft_offer(application=at_offer, by=recruiter, terms=terms(base_salary=300_000))
    assert "justification" in refused.value.message_dict
    offer = services.draft_offer(
        application=at_offer,
        by=recruiter,
        terms=terms(base_salary=300_000, justification="Competing offer at 310k."),
    )
    assert offer.justification == "Competing offer at 310k."
    posting.refresh_from_db()
    assert (posting.salary_min, posting.salary_max) == (118_938, 244_872)


def test_a_salary_in_another_period_than_the_range_counts_as_outside(at_offer, recruiter, terms):
    with pytest.raises(ValidationError, match="outside the posting's published range"):
        services.draft_offer(
            application=at_offer, by=recruiter, terms=terms(base_salary=150, salary_period="hour")
        )


def test_a_start_date_in_the_past_is_refused(at_offer, recruiter, terms):
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.draft_offer(application=at_offer, by=recruiter, terms=terms(start_date=yesterday))
    assert refused.value.message_dict == {
        "start_date": ["The start date has passed: pick today or later."]
    }
    assert not Offer.objects.exists()


def test_unknown_placeholders_in_the_letter_are_refused(at_offer, recruiter, terms):
    with pytest.raises(ValidationError, match=r"settings\.SECRET_KEY"):
        services.draft_offer(
            application=at_offer,
            by=recruiter,
            terms=terms(letter="Hi {{ candidate_name }} {{ settings.SECRET_KEY }}"),
        )


def test_the_chain_asks_each_approver_in_order(pending, hiring_manager, frieda, recruiter):
    assert pending.status == Offer.Status.PENDING
    assert pending.current_approver().user == hiring_manager
    assert kinds_to(hiring_manager.email) == ["offer_approval"]
    assert kinds_to(frieda.email) == []

    with pytest.raises(ValidationError, match="not waiting for your decision"):
        services.decide(offer=pending, by=frieda, approve=True)

    services.decide(offer=pending, by=hiring_manager, approve=True, comment="Fair.")
    assert pending.current_approver().user == frieda
    assert kinds_to(frieda.email) == ["offer_approval"]

    services.decide(offer=pending, by=frieda, approve=True)
    pending.refresh_from_db()
    assert pending.status == Offer.Status.APPROVED
    assert pending.can_send
    assert kinds_to(recruiter.email) == ["offer_decided"]
    assert list(pending.events.values_list("action", flat=True)) == [
        "drafted",
        "submitted",
        "approved",
        "approved",
    ]


def test_a_rejection_returns_the_offer_to_draft_with_its_comment(
    pending, hiring_manager, recruiter
):
    with pytest.raises(ValidationError):
        services.decide(offer=pending, by=hiring_manager, approve=False, comment=" ")
    services.decide(offer=pending, by=hiring_manager, approve=False, comment="Too high.")
    pending.refresh_from_db()
    assert pending.status == Offer.Status.DRAFT
    assert pending.events.last().comment == "Too high."
    assert pending.approvers.get(user=hiring_manager).decision == OfferApprover.Decision.REJECTED
    email = OutboxEmail.objects.get(to=recruiter.email)
    assert "Too high." in email.body_text


def test_a_change_after_an_approval_restarts_the_chain(pending, hiring_manager, frieda, recruiter):
    services.decide(offer=pending, by=hiring_manager, approve=True)
    letter_before = pending.pdf_sha256
    changes = services.update_terms(
        offer=pending, by=recruiter, terms={"base_salary": 160_000, "bonus": "10%"}
    )
    pending.refresh_from_db()
    assert changes == {
        "base_salary": ["150000", "160000"],
        "bonus": ["", "10%"],
        # The letter is made again from the new terms: approvers approve what will be sent.
        "pdf_sha256": [letter_before, pending.pdf_sha256],
    }
    assert pending.pdf_sha256 != letter_before
    assert pending.status == Offer.Status.PENDING
    assert set(pending.approvers.values_list("decision", flat=True)) == {"pending"}
    assert pending.current_approver().user == hiring_manager
    # Asked again in the new round.
    assert kinds_to(hiring_manager.email) == ["offer_approval", "offer_approval"]
    restarted = pending.events.get(action=OfferEvent.Action.RESTARTED)
    assert restarted.changes["base_salary"] == ["150000", "160000"]
    assert restarted.by == recruiter


def test_an_approver_who_cannot_see_the_posting_is_refused(draft, recruiter, outsider):
    with pytest.raises(ValidationError, match="cannot see this posting"):
        services.submit_for_approval(offer=draft, by=recruiter, approvers=[outsider])


def text_of(offer) -> str:
    return "".join(page.extract_text() for page in PdfReader(offer.pdf.open("rb")).pages)


def test_going_for_approval_stores_the_letter_that_approvers_approve(
    pending, hiring_manager, frieda
):
    data = pending.pdf.open("rb").read()
    assert data.startswith(b"%PDF-")
    assert pending.pdf_sha256 == sha256_of(data)
    assert "$150,000 USD per year" in text_of(pending)
    submitted = pending.events.get(action=OfferEvent.Action.SUBMITTED)
    assert submitted.changes["pdf_sha256"] == pending.pdf_sha256
    services.decide(offer=pending, by=hiring_manager, approve=True)
    approval = pending.events.get(action=OfferEvent.Action.APPROVED)
    assert approval.changes == {"pdf_sha256": pending.pdf_sha256}


def test_a_change_while_pending_replaces_the_letter_and_removes_the_old_file(
    pending, recruiter, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    old_name = pending.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        services.update_terms(offer=pending, by=recruiter, terms={"base_salary": 155_000})
    pending.refresh_from_db()
    assert pending.pdf.name != old_name
    assert not default_storage.exists(old_name)
    assert "$155,000 USD per year" in text_of(pending)


def test_a_change_to_a_draft_drops_its_stale_letter_until_it_goes_again(
    pending, recruiter, hiring_manager, django_capture_on_commit_callbacks
):
    services.decide(offer=pending, by=hiring_manager, approve=False, comment="Lower, please.")
    with django_capture_on_commit_callbacks(execute=True):
        services.update_terms(offer=pending, by=recruiter, terms={"base_salary": 140_000})
    pending.refresh_from_db()
    assert (pending.pdf.name, pending.pdf_sha256) == ("", "")
    services.submit_for_approval(offer=pending, by=recruiter, approvers=[hiring_manager])
    pending.refresh_from_db()
    assert "$140,000 USD per year" in text_of(pending)


def test_sending_sends_the_approved_letter_unchanged(approved, recruiter):
    name, digest = approved.pdf.name, approved.pdf_sha256
    sent = services.send_offer(offer=approved, by=recruiter)
    assert (sent.pdf.name, sent.pdf_sha256) == (name, digest)
    assert sent.events.get(action=OfferEvent.Action.SENT).changes == {"pdf_sha256": digest}


def test_a_stored_letter_that_no_longer_matches_its_hash_is_not_sent(approved, recruiter):
    from django.core.files.storage import default_storage

    with default_storage.open(approved.pdf.name, "wb") as stored:
        stored.write(b"%PDF-1.7 something else")
    with pytest.raises(ValidationError, match="no longer matches"):
        services.send_offer(offer=approved, by=recruiter)
    approved.refresh_from_db()
    assert approved.status == Offer.Status.APPROVED
    assert not OutboxEmail.objects.filter(kind="offer_sent").exists()


def test_only_an_approved_offer_is_sent(pending, recruiter):
    with pytest.raises(ValidationError, match="fully approved"):
        services.send_offer(offer=pending, by=recruiter)


def test_sending_stores_a_real_pdf_with_its_hash_and_emails_the_candidate(sent, at_offer):
    data = sent.pdf.open("rb").read()
    assert data.startswith(b"%PDF-")
    assert sent.pdf_sha256 == sha256_of(data)
    assert sent.pdf.name.startswith("offers/")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Jane Doe" in text
    assert "$150,000 USD per year" in text
    email = OutboxEmail.objects.get(kind="offer_sent")
    assert email.to == "jane@example.com"
    assert at_offer.get_status_url() in email.body_text


def test_accepting_records_everything_and_hires(sent, at_offer, hiring_manager, recruiter):
    offer = services.accept_offer(offer=sent, typed_name="  jane   DOE ", ip="203.0.113.9")
    assert offer.status == Offer.Status.ACCEPTED
    assert offer.accepted_name == "jane DOE"
    assert offer.accepted_ip == "203.0.113.9"
    assert offer.accepted_letter_sha256 == sent.pdf_sha256
    assert offer.answered_at is not None
    at_offer.refresh_from_db()
    assert at_offer.stage == hired_stage(at_offer.posting)
    assert "offer_answered" in kinds_to(hiring_manager.email)
    assert "offer_answered" in kinds_to(recruiter.email)


def test_accepting_with_another_name_is_refused(sent):
    with pytest.raises(ValidationError, match="full name"):
        services.accept_offer(offer=sent, typed_name="John Doe", ip=None)
    sent.refresh_from_db()
    assert sent.status == Offer.Status.SENT


def test_an_expired_offer_cannot_be_accepted(sent):
    Offer.objects.filter(pk=sent.pk).update(expires_on=timezone.localdate() - timedelta(days=1))
    sent.refresh_from_db()
    assert sent.is_expired
    assert sent.state_label == "Expired"
    with pytest.raises(ValidationError, match="expired"):
        services.accept_offer(offer=sent, typed_name="Jane Doe", ip=None)


def test_declining_records_the_reason_and_tells_the_team(sent, hiring_manager, at_offer):
    offer = services.decline_offer(offer=sent, reason="Took another job.")
    assert offer.status == Offer.Status.DECLINED
    assert offer.decline_reason == "Took another job."
    told = OutboxEmail.objects.get(to=hiring_manager.email, kind="offer_answered")
    assert "Took another job." in told.body_text
    at_offer.refresh_from_db()
    assert at_offer.stage.name == "Offer"


def test_withdrawing_a_sent_offer_tells_the_candidate(sent, recruiter):
    services.withdraw_offer(offer=sent, by=recruiter)
    sent.refresh_from_db()
    assert sent.status == Offer.Status.WITHDRAWN
    assert "offer_withdrawn" in kinds_to("jane@example.com")
    with pytest.raises(ValidationError):
        services.accept_offer(offer=sent, typed_name="Jane Doe", ip=None)


def test_a_revision_is_a_new_draft_and_the_sent_one_is_void(sent, recruiter):
    newer = services.revise_offer(offer=sent, by=recruiter)
    sent.refresh_from_db()
    assert sent.status == Offer.Status.VOID
    assert (newer.version, newer.status, newer.base_salary) == (2, "draft", 150_000)
    assert newer.events.get().changes == {"from_version": 1}


def test_erasure_keeps_the_numbers_and_drops_every_word_and_the_pdf(
    sent, at_offer, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from applications.services import erase

    services.accept_offer(offer=sent, typed_name="Jane Doe", ip="203.0.113.9")
    pdf_name = sent.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        erase(application=at_offer)
    sent.refresh_from_db()
    assert (sent.status, sent.base_salary) == ("accepted", 150_000)
    assert (sent.letter, sent.accepted_name, sent.accepted_ip) == ("[erased]", "[erased]", None)
    assert not default_storage.exists(pdf_name)
    assert not sent.events.exclude(changes={}).exists()


def test_erasure_voids_an_offer_in_progress(pending, at_offer):
    from applications.services import erase

    erase(application=at_offer)
    pending.refresh_from_db()
    assert pending.status == Offer.Status.VOID
    assert pending.current_approver() is None


def test_a_letter_that_cannot_be_made_in_its_budget_is_not_sent_for_approval(
    need_pdf, draft, recruiter, hiring_manager, monkeypatch
):
    from offers import pdf

    monkeypatch.setattr(pdf, "PDF_SECONDS", 0.01)
    with pytest.raises(ValidationError, match="took too long"):
        services.submit_for_approval(offer=draft, by=recruiter, approvers=[hiring_manager])
    draft.refresh_from_db()
    assert (draft.status, draft.pdf.name, draft.pdf_sha256) == ("draft", "", "")
    assert not draft.approvers.exists()
    assert not OutboxEmail.objects.filter(kind="offer_approval").exists()


def test_withdrawing_an_offer_never_sent_tells_the_candidate_nothing(pending, recruiter):
    services.withdraw_offer(offer=pending, by=recruiter, reason="Budget frozen.")
    pending.refresh_from_db()
    assert pending.status == Offer.Status.WITHDRAWN
    assert not any(kind.startswith("offer_") for kind in kinds_to("jane@example.com"))
    assert pending.events.last().comment == "Budget frozen."
