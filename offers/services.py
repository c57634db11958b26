"""Writes on offers. Each locks the offer (or application), re-reads it, acts, records an
OfferEvent and queues its emails in the same transaction. A refusal is a ValidationError
whose message is for the person who tried."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from applications import services as application_services
from applications.models import Application, Stage, same_person_name
from applications.pipeline import MoveNotAllowed
from ats.storage import delete_files
from offers import emails, letter, pdf, policy
from offers.models import LetterTemplate, Offer, OfferApprover, OfferEvent, sha256_of
from postings.models import Posting

JUSTIFY = "The salary is outside the posting's published range: say why for the approvers."


def _lock(offer: Offer) -> Offer:
    return (
        Offer.objects.select_for_update(of=("self",))
        .select_related("application__posting", "application__candidate", "created_by")
        .get(pk=offer.pk)
    )


def _check_terms(application, terms: dict) -> None:
    wording = terms.get("letter", "")
    unknown = letter.unknown_placeholders(wording)
    if unknown:
        raise ValidationError(
            {"letter": "Unknown placeholders: " + ", ".join(f"{{{{ {n} }}}}" for n in unknown)}
        )
    today = timezone.localdate()
    if terms["expires_on"] < today:
        raise ValidationError({"expires_on": "The offer must still be open: pick a later day."})
    if terms["start_date"] < today:
        raise ValidationError({"start_date": "The start date has passed: pick today or later."})
    out = policy.out_of_range(
        application.posting, terms["base_salary"], terms.get("salary_period", "")
    )
    if out and not terms.get("justification", "").strip():
        raise ValidationError({"justification": JUSTIFY})


def letter_wording(posting) -> str:
    """The wording a new offer starts from: the posting's own, else the default."""
    own = LetterTemplate.objects.filter(posting=posting).values_list("body", flat=True).first()
    return own or letter.DEFAULT_LETTER


@transaction.atomic
def draft_offer(*, application: Application, by, terms: dict) -> Offer:
    """A first offer for an application in its offer stage (offers.policy)."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("posting", "stage")
        .get(pk=application.pk)
    )
    policy.check_can_draft(application)
    if application.offers.filter(status__in=Offer.LIVE).exists():
        raise ValidationError("This application already has an offer in progress.")
    _check_terms(application, terms)
    last = application.offers.order_by("-version").values_list("version", flat=True).first()
    version = last or 0
    offer = Offer.objects.create(
        application=application,
        version=version + 1,
        currency=application.posting.salary_currency,
        created_by=by,
        **{name: terms[name] for name in Offer.TERMS if name in terms},
    )
    OfferEvent.objects.create(offer=offer, by=by, action=OfferEvent.Action.DRAFTED)
    return offer


def _round(offer) -> int:
    # Each submission or restart is a new round: approvers are emailed once per round.
    return offer.events.filter(
        action__in=[OfferEvent.Action.SUBMITTED, OfferEvent.Action.RESTARTED]
    ).count()


def _store_letter(offer: Offer) -> None:
    """Make the letter's PDF from the terms as they stand and keep it with its SHA-256.

    It is made when the offer goes for approval, so approvers approve this very document and
    sending sends it unchanged. The file it replaces goes once the change is committed.
    """
    if not pdf.available():
        raise ValidationError(
            "Offer letters cannot be made on this server: WeasyPrint's system libraries "
            "(Pango) are not installed."
        )
    try:
        data = pdf.render_pdf(offer)
    except pdf.LetterFailed as exc:
        raise ValidationError(str(exc)) from exc
    _drop_letter(offer)
    offer.pdf.save("letter.pdf", ContentFile(data), save=False)
    offer.pdf_sha256 = sha256_of(data)


def _drop_letter(offer: Offer) -> None:
    stale = offer.pdf.name
    if stale:
        transaction.on_commit(lambda: delete_files([stale]))
    offer.pdf = ""
    offer.pdf_sha256 = ""


def _stored_letter_intact(offer: Offer) -> bool:
    with offer.pdf.open("rb") as stored:
        return sha256_of(stored.read()) == offer.pdf_sha256


@transaction.atomic
def update_terms(*, offer: Offer, by, terms: dict) -> dict:
    """Change terms before the offer goes out; returns {term: [before, after]}. A change after
    anyone approved restarts the chain: every decision reset, the first approver asked again."""
    offer = _lock(offer)
    if not offer.is_editable:
        raise ValidationError("This offer was sent; revise it to change its terms.")
    _check_terms(offer.application, {**{n: getattr(offer, n) for n in Offer.TERMS}, **terms})
    changes = {}
    for name in Offer.TERMS:
        if name in terms and terms[name] != getattr(offer, name):
            changes[name] = [str(getattr(offer, name)), str(terms[name])]
            setattr(offer, name, terms[name])
    if not changes:
        return {}
    if offer.status == Offer.Status.DRAFT:
        _drop_letter(offer)  # made again, from these terms, when it goes for approval
    else:
        before = offer.pdf_sha256
        _store_letter(offer)
        changes["pdf_sha256"] = [before, offer.pdf_sha256]
    offer.save()
    OfferEvent.objects.create(offer=offer, by=by, action=OfferEvent.Action.UPDATED, changes=changes)
    approvers = list(offer.approvers.select_related("user"))
    if offer.status != Offer.Status.DRAFT and any(
        a.decision != OfferApprover.Decision.PENDING for a in approvers
    ):
        offer.approvers.update(decision=OfferApprover.Decision.PENDING, decided_at=None, comment="")
        offer.status = Offer.Status.PENDING
        offer.save(update_fields=["status"])
        OfferEvent.objects.create(
            offer=offer, by=by, action=OfferEvent.Action.RESTARTED, changes=changes
        )
        emails.approval_requested(offer, approvers[0], round_=_round(offer))
    return changes


@transaction.atomic
def submit_for_approval(*, offer: Offer, by, approvers: list) -> list[OfferApprover]:
    """Start the chain with `approvers` in order (users, no repeats)."""
    offer = _lock(offer)
    if offer.status != Offer.Status.DRAFT:
        raise ValidationError("Only a draft offer can be sent for approval.")
    people = list(dict.fromkeys(approvers))
    if not people:
        raise ValidationError("Choose at least one approver.")
    posting = offer.application.posting
    for user in people:
        if not user.is_active or not Posting.objects.for_user(user).filter(pk=posting.pk).exists():
            raise ValidationError(f"{user} cannot see this posting, so cannot approve its offer.")
    _store_letter(offer)
    offer.approvers.all().delete()
    chain = OfferApprover.objects.bulk_create(
        OfferApprover(offer=offer, user=user, position=i) for i, user in enumerate(people)
    )
    offer.status = Offer.Status.PENDING
    offer.save(update_fields=["status", "pdf", "pdf_sha256"])
    OfferEvent.objects.create(
        offer=offer,
        by=by,
        action=OfferEvent.Action.SUBMITTED,
        changes={
            "approvers": ", ".join(u.get_username() for u in people),
            "pdf_sha256": offer.pdf_sha256,
        },
    )
    emails.approval_requested(offer, chain[0], round_=_round(offer))
    return chain


@transaction.atomic
def decide(*, offer: Offer, by, approve: bool, comment: str = "") -> Offer:
    """The current approver's decision. Approval passes the offer to the next approver (who is
    emailed) or, from the last, makes it approved; a rejection returns it to draft."""
    offer = _lock(offer)
    current = offer.current_approver()
    if current is None or current.user_id != by.pk:
        raise ValidationError("This offer is not waiting for your decision.")
    if not approve and not comment.strip():
        raise ValidationError({"comment": "Say why you reject the offer."})
    now = timezone.now()
    current.decision = (
        OfferApprover.Decision.APPROVED if approve else OfferApprover.Decision.REJECTED
    )
    current.comment = comment.strip()
    current.decided_at = now
    current.save()
    OfferEvent.objects.create(
        offer=offer,
        by=by,
        at=now,
        action=OfferEvent.Action.APPROVED if approve else OfferEvent.Action.REJECTED,
        comment=current.comment,
        # Which document the approver read: the letter made when the chain (re)started.
        changes={"pdf_sha256": offer.pdf_sha256},
    )
    round_ = _round(offer)
    if not approve:
        offer.status = Offer.Status.DRAFT
        offer.save(update_fields=["status"])
        emails.decided(offer, approved=False, by=by, comment=current.comment, round_=round_)
        return offer
    following = offer.current_approver()
    if following is not None:
        emails.approval_requested(offer, following, round_=round_)
    else:
        offer.status = Offer.Status.APPROVED
        offer.save(update_fields=["status"])
        emails.decided(offer, approved=True, by=by, comment=current.comment, round_=round_)
    return offer


@transaction.atomic
def send_offer(*, offer: Offer, by) -> Offer:
    """Email the candidate the letter the approvers approved, as stored with its SHA-256."""
    offer = _lock(offer)
    if offer.status != Offer.Status.APPROVED:
        raise ValidationError("Only a fully approved offer can be sent.")
    if offer.expires_on < timezone.localdate():
        raise ValidationError("This offer's last day has passed; change it before sending.")
    if not offer.pdf:
        _store_letter(offer)  # approved before letters were made at submission
    elif not _stored_letter_intact(offer):
        raise ValidationError(
            "The approved letter's file no longer matches its recorded SHA-256, so it was not "
            "sent; change the offer to make the letter again and have it approved."
        )
    offer.status = Offer.Status.SENT
    offer.sent_at = timezone.now()
    offer.save()
    OfferEvent.objects.create(
        offer=offer, by=by, action=OfferEvent.Action.SENT, changes={"pdf_sha256": offer.pdf_sha256}
    )
    emails.sent(offer)
    return offer


@transaction.atomic
def withdraw_offer(*, offer: Offer, by, reason: str = "") -> Offer:
    """Take back an unanswered offer; a candidate who was sent it is told."""
    offer = _lock(offer)
    if not offer.can_withdraw:
        raise ValidationError("Only an offer not yet answered can be withdrawn.")
    was_sent = offer.status == Offer.Status.SENT
    offer.status = Offer.Status.WITHDRAWN
    offer.save(update_fields=["status"])
    OfferEvent.objects.create(
        offer=offer, by=by, action=OfferEvent.Action.WITHDRAWN, comment=reason.strip()
    )
    if was_sent:
        emails.withdrawn(offer)
    return offer


@transaction.atomic
def revise_offer(*, offer: Offer, by) -> Offer:
    """A new version with the same terms, as a draft; the sent (or declined) one stays as it
    was, void when it was still open."""
    offer = _lock(offer)
    if not offer.can_revise:
        raise ValidationError("Only a sent or declined offer is revised; edit a draft instead.")
    if offer.status == Offer.Status.SENT:
        offer.status = Offer.Status.VOID
        offer.save(update_fields=["status"])
    OfferEvent.objects.create(offer=offer, by=by, action=OfferEvent.Action.REVISED)
    newer = Offer.objects.create(
        application=offer.application,
        version=offer.version + 1,
        currency=offer.currency,
        created_by=by,
        **{name: getattr(offer, name) for name in Offer.TERMS},
    )
    OfferEvent.objects.create(
        offer=newer,
        by=by,
        action=OfferEvent.Action.DRAFTED,
        changes={"from_version": offer.version},
    )
    return newer


def _answerable(offer: Offer) -> None:
    if offer.status != Offer.Status.SENT:
        raise ValidationError("This offer can no longer be answered.")
    if offer.is_expired:
        raise ValidationError("This offer expired and can no longer be accepted.")


@transaction.atomic
def accept_offer(*, offer: Offer, typed_name: str, ip: str | None) -> Offer:
    """The candidate accepts by typing their full name. Records the name, time, IP and the
    letter's hash, moves the application to Hired by the pipeline's rules, tells the team."""
    offer = _lock(offer)
    _answerable(offer)
    application = offer.application
    if not typed_name.strip() or not same_person_name(typed_name, application.name):
        raise ValidationError({"name": "Type your full name as it appears on the letter."})
    hired = (
        Stage.objects.filter(posting_id=application.posting_id, kind=Stage.Kind.HIRED)
        .order_by("position")
        .first()
    )
    if hired is None:
        raise ValidationError("This posting has no Hired stage.")
    offer.status = Offer.Status.ACCEPTED
    offer.answered_at = timezone.now()
    offer.accepted_name = " ".join(typed_name.split())
    offer.accepted_ip = ip
    offer.accepted_letter_sha256 = offer.pdf_sha256
    offer.save()
    OfferEvent.objects.create(
        offer=offer,
        action=OfferEvent.Action.ACCEPTED,
        at=offer.answered_at,
        changes={"name": offer.accepted_name, "ip": ip, "letter_sha256": offer.pdf_sha256},
    )
    try:
        application_services.move_application(
            application=application, to_stage=hired, reason="Accepted the offer"
        )
    except MoveNotAllowed as exc:
        raise ValidationError(str(exc)) from exc
    emails.answered(offer)
    return offer


@transaction.atomic
def decline_offer(*, offer: Offer, reason: str = "") -> Offer:
    offer = _lock(offer)
    if offer.status != Offer.Status.SENT:
        raise ValidationError("This offer can no longer be answered.")
    offer.status = Offer.Status.DECLINED
    offer.answered_at = timezone.now()
    offer.decline_reason = reason.strip()[:2000]
    offer.save()
    OfferEvent.objects.create(
        offer=offer,
        action=OfferEvent.Action.DECLINED,
        at=offer.answered_at,
        comment=offer.decline_reason,
    )
    emails.answered(offer)
    return offer


@transaction.atomic
def save_letter_template(*, posting: Posting, body: str) -> LetterTemplate:
    """The wording new offers of this posting start from; offers already drafted keep theirs."""
    unknown = letter.unknown_placeholders(body)
    if unknown:
        raise ValidationError(
            {"body": "Unknown placeholders: " + ", ".join(f"{{{{ {n} }}}}" for n in unknown)}
        )
    template, _ = LetterTemplate.objects.update_or_create(posting=posting, defaults={"body": body})
    return template


ERASED = "[erased]"


def forget_erased(*, applications) -> int:
    """Erasure: an erased applicant's offers keep their numbers (salary, dates, status) for
    the statistics, and lose every word about the person: the letter and its PDF, the name
    and address they accepted from, their reason, comments and recorded changes. An offer
    still in progress is void: nobody is left to offer it to. Returns the offers changed."""
    offers = list(
        Offer.objects.select_for_update().filter(application__in=[a.pk for a in applications])
    )
    # The files go once the erasure is committed: a rollback must not lose them.
    files = [offer.pdf.name for offer in offers if offer.pdf]
    transaction.on_commit(lambda: delete_files(files))
    for offer in offers:
        if offer.status in (*Offer.EDITABLE, Offer.Status.SENT):
            offer.status = Offer.Status.VOID
        offer.letter = ERASED
        offer.justification = ""
        offer.pdf_sha256 = ERASED if offer.pdf_sha256 else ""
        offer.pdf = ERASED if offer.sent_at else ""
        offer.accepted_name = ERASED if offer.accepted_name else ""
        offer.accepted_ip = None
        offer.decline_reason = ""
        offer.save()
    OfferApprover.objects.filter(offer__in=offers).update(comment="")
    OfferEvent.objects.filter(offer__in=offers).update(comment="", changes={})
    return len(offers)
