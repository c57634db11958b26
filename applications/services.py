"""Everything that writes applications: submitting, moving through stages, withdrawing, erasing."""

import logging
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications import emails, pipeline
from applications.models import (
    Answer,
    Application,
    Candidate,
    RejectionReason,
    Resume,
    Stage,
    StageChange,
    new_status_token,
)
from applications.resumes import CheckedResume
from applications.signals import applications_erased
from postings.models import Posting, Question

logger = logging.getLogger(__name__)

# (name, candidate-facing name, kind, notify the candidate)
DEFAULT_PIPELINE = [
    ("Applied", "Application received", Stage.Kind.APPLIED, False),
    ("Screen", "Under review", Stage.Kind.ACTIVE, True),
    ("Interview", "Interviewing", Stage.Kind.ACTIVE, True),
    ("Offer", "Offer", Stage.Kind.ACTIVE, True),
    ("Hired", "Hired", Stage.Kind.HIRED, True),
    ("Rejected", "Not moving forward", Stage.Kind.REJECTED, True),
    ("Withdrawn", "Withdrawn", Stage.Kind.WITHDRAWN, False),
]


class DuplicateApplication(Exception):
    def __init__(self, application: Application):
        super().__init__("This person has already applied to this posting.")
        self.application = application


class PostingNotOpen(Exception):
    pass


@dataclass(frozen=True)
class Applicant:
    name: str
    email: str
    phone: str = ""
    location: str = ""
    links: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    referrer: str = ""


def ensure_pipeline(posting: Posting) -> list[Stage]:
    """The posting's stages, creating the default pipeline the first time it is needed."""
    stages = list(posting.stages.all())
    if stages:
        return stages
    with transaction.atomic():
        Stage.objects.bulk_create(
            [
                Stage(
                    posting=posting,
                    name=name,
                    candidate_name=candidate_name,
                    kind=kind,
                    position=position,
                    notify_candidate=notify,
                )
                for position, (name, candidate_name, kind, notify) in enumerate(DEFAULT_PIPELINE)
            ],
            ignore_conflicts=True,  # Two first submissions at once both try; one set wins.
        )
    return list(posting.stages.all())


def _stage_of_kind(posting: Posting, kind: str) -> Stage:
    return next(stage for stage in ensure_pipeline(posting) if stage.kind == kind)


def submit_application(
    *,
    posting: Posting,
    applicant: Applicant,
    answers: dict[Question, object],
    resume: CheckedResume,
    resume_file,
    cover_letter: str = "",
    source: Source = Source(),
) -> Application:
    """Store one application in one transaction: candidate, application, answers, resume,
    first stage and its history row, and the emails it causes.

    The submitter is anonymous: what they typed is kept on the new application and never
    changes an existing candidate. Their status link goes to the address they gave, never
    back to them. Raises DuplicateApplication when this address already applied to this
    posting, after queuing a reminder to that address (nothing else changes).
    """
    if not posting.is_open:
        raise PostingNotOpen(posting.slug)
    applied = _stage_of_kind(posting, Stage.Kind.APPLIED)
    knockouts = [q for q, value in answers.items() if q.is_knockout(value)]
    stored_name = None
    try:
        with transaction.atomic():
            candidate = _candidate_for(applicant)
            existing = Application.objects.filter(candidate=candidate, posting=posting).first()
            if existing:
                raise DuplicateApplication(existing)
            now = timezone.now()
            try:
                with transaction.atomic():
                    application = Application.objects.create(
                        candidate=candidate,
                        posting=posting,
                        stage=applied,
                        name=applicant.name,
                        phone=applicant.phone,
                        location=applicant.location,
                        links=applicant.links,
                        cover_letter=cover_letter,
                        submitted_at=now,
                        stage_changed_at=now,
                        needs_review=bool(knockouts),
                        knocked_out=bool(knockouts),
                        utm_source=source.utm_source[:100],
                        utm_medium=source.utm_medium[:100],
                        utm_campaign=source.utm_campaign[:100],
                        referrer=source.referrer[:500],
                    )
            except IntegrityError:
                # A concurrent submission of the same address won the unique constraint.
                raise DuplicateApplication(
                    Application.objects.get(candidate=candidate, posting=posting)
                ) from None
            Answer.objects.bulk_create(
                [
                    Answer.from_typed(application=application, question=question, value=value)
                    for question, value in answers.items()
                    if value is not None
                ]
            )
            resume_row = Resume(
                application=application,
                original_filename=resume.original_filename,
                content_type=resume.content_type,
                size=resume.size,
                sha256=resume.sha256,
                text=resume.text,
                text_status=resume.text_status,
            )
            resume_file.seek(0)
            resume_row.file.save("resume", resume_file, save=False)
            stored_name = resume_row.file.name
            resume_row.save()
            StageChange.objects.create(
                application=application, from_stage=None, to_stage=applied, at=now
            )
            emails.queue_application_received(application)
            emails.queue_new_application_alerts(application)
            if knockouts and posting.auto_reject_knockouts:
                move_application(
                    application=application,
                    to_stage=_stage_of_kind(posting, Stage.Kind.REJECTED),
                    by=None,
                    reason="Automatic: knock-out answer to "
                    + "; ".join(f"“{q.label}”" for q in knockouts),
                )
    except DuplicateApplication as duplicate:
        if stored_name:
            default_storage.delete(stored_name)
        # After the rollback, so that nothing of this submission is kept but the reminder.
        with transaction.atomic():
            _remind_of(duplicate.application)
        raise
    except BaseException:
        if stored_name:
            default_storage.delete(stored_name)
        raise
    return application


def _remind_of(application: Application) -> None:
    """Someone submitted this address again: tell the address, with its link. An erased
    application has no one to tell."""
    if application.erased_at is None:
        emails.queue_already_applied(application)


def _candidate_for(applicant: Applicant) -> Candidate:
    """The candidate behind this email address (ignoring case), created with this submission's
    details if new. An existing candidate is returned as it is: an unauthenticated form may
    not change who a person is."""
    email = applicant.email.strip()
    candidate = Candidate.objects.with_email(email).first()
    if candidate is not None:
        return candidate
    try:
        with transaction.atomic():
            return Candidate.objects.create(
                name=applicant.name,
                email=email,
                phone=applicant.phone,
                location=applicant.location,
                links=applicant.links,
            )
    except IntegrityError:
        return Candidate.objects.with_email(email).get()


def move_application(
    *,
    application: Application,
    to_stage: Stage,
    by=None,
    reason: str = "",
    notify: bool | None = None,
    rejection_reason: RejectionReason | None = None,
) -> StageChange | None:
    """Move an application to another stage of its posting, record it, and queue the email.

    `notify` overrides the stage's own setting (a recruiter may reject without an email).
    Stage emails are held for ATS_STAGE_EMAIL_HOLD_SECONDS: a move within that time cancels
    the one held, and queues its own unless the application is back in the stage the
    applicant last heard of. So two quick moves send one email, and a move undone sends none.
    Returns None when the application already sits in that stage.
    """
    if to_stage.posting_id != application.posting_id:
        raise ValueError("A stage of another posting.")
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.stage_id == to_stage.pk:
            return None
        if locked.erased_at:
            raise ValueError("This application's data was erased.")
        now = timezone.now()
        change = StageChange.objects.create(
            application=locked,
            from_stage_id=locked.stage_id,
            to_stage=to_stage,
            by=by,
            at=now,
            reason=reason[:500],
            rejection_reason=rejection_reason if to_stage.kind == Stage.Kind.REJECTED else None,
        )
        fields = {"stage": to_stage, "stage_changed_at": now}
        if to_stage.kind == Stage.Kind.WITHDRAWN:
            fields["withdrawn_at"] = now
        Application.objects.filter(pk=locked.pk).update(**fields)
        for name, value in fields.items():
            setattr(application, name, value)
        emails.cancel_held_stage_emails(locked)
        should_notify = to_stage.notify_candidate if notify is None else notify
        if should_notify and to_stage.pk != _last_heard_stage_id(locked):
            emails.queue_stage_email(change)
    return change


def _last_heard_stage_id(application: Application) -> int | None:
    """The stage the applicant believes they are in: that of the last stage email they
    have had, or else the one they applied into (its "received" email told them)."""
    change_id = emails.last_heard_change_id(application)
    changes = StageChange.objects.filter(application=application)
    if change_id is None:
        changes = changes.filter(from_stage__isnull=True)
    else:
        changes = changes.filter(pk=change_id)
    return changes.values_list("to_stage_id", flat=True).first()


def withdraw(*, application: Application) -> StageChange | None:
    """The applicant withdraws from their status page, while the pipeline allows it
    (applications.pipeline). Returns None when it does not."""
    withdrawn = _stage_of_kind(application.posting, Stage.Kind.WITHDRAWN)
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("stage", "posting", "candidate")
            .get(pk=application.pk)
        )
        if not pipeline.can_withdraw(locked):
            return None
        change = move_application(
            application=locked, to_stage=withdrawn, reason="Withdrawn by the applicant"
        )
        emails.queue_withdrawal(locked)
    application.stage, application.withdrawn_at = locked.stage, locked.withdrawn_at
    return change


def export_data(*, application: Application) -> dict:
    """What we hold about one application, as its status link may download it (GDPR access).

    One application only: a status link proves access to one inbox at one time, and the
    other applications from that address are reached through the link for all of them
    (`export_all`)."""
    return {
        "exported_at": timezone.now().isoformat(),
        "applications": [_application_export(application)],
    }


def export_all(*, candidate: Candidate) -> dict:
    """Every application from this address, for the emailed link that manages them all."""
    applications = (
        candidate.applications.active()
        .select_related("posting", "stage", "resume", "candidate")
        .prefetch_related("answers__question", "stage_changes__to_stage")
        .order_by("submitted_at")
    )
    return {
        "exported_at": timezone.now().isoformat(),
        "applications": [_application_export(app) for app in applications],
    }


def _application_export(app: Application) -> dict:
    return {
        "posting": app.posting.title,
        "submitted_at": app.submitted_at.isoformat(),
        "status": app.stage.candidate_name,
        "contact": {
            "name": app.name,
            "email": app.candidate.email,
            "phone": app.phone,
            "location": app.location,
            "links": app.links,
        },
        "cover_letter": app.cover_letter,
        "source": {
            "utm_source": app.utm_source,
            "utm_medium": app.utm_medium,
            "utm_campaign": app.utm_campaign,
            "referrer": app.referrer,
        },
        "answers": [
            {"question": answer.question.label, "answer": answer.display}
            for answer in app.answers.all()
        ],
        "resume": _resume_export(app),
        "history": [
            {"at": change.at.isoformat(), "status": change.to_stage.candidate_name}
            for change in app.stage_changes.all()
        ],
    }


def _resume_export(application: Application) -> dict | None:
    resume = getattr(application, "resume", None)
    if resume is None:
        return None
    return {
        "filename": resume.original_filename,
        "content_type": resume.content_type,
        "size": resume.size,
        "uploaded_at": resume.uploaded_at.isoformat(),
        "text": resume.text,
        "text_complete": resume.text_status == Resume.TextStatus.COMPLETE,
    }


def erase(*, application: Application) -> bool:
    """Erase one application: its contact details, answers, resume, cover letter, emails
    and notes. The person's address goes too once none of their applications is left.
    Returns False when it was erased already."""
    return _erase(candidate_id=application.candidate_id, only=[application.pk]) > 0


def erase_all(*, candidate: Candidate) -> int:
    """Erase every application from this address, and the address. Returns how many."""
    return _erase(candidate_id=candidate.pk, only=None)


def _erase(*, candidate_id: int, only: list[int] | None) -> int:
    """Application rows stay, stripped, so pipeline statistics still add up; their status
    tokens are replaced so old links lead nowhere."""
    now = timezone.now()
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate_id)
        applications = candidate.applications.active().select_related("posting")
        if only is not None:
            applications = applications.filter(pk__in=only)
        applications = list(applications)
        if not applications:
            return 0
        email = candidate.email
        name = applications[0].name or candidate.name
        resumes = Resume.objects.filter(application__in=applications)
        files = [resume.file.name for resume in resumes]
        resumes.delete()
        Answer.objects.filter(application__in=applications).delete()
        # Emails, and whatever other apps keep (notes), hold names and addresses: they go too.
        emails.forget_application_emails(applications)
        applications_erased.send(sender=Application, applications=applications)
        StageChange.objects.filter(application__in=applications).update(reason="")
        for app in applications:
            Application.objects.filter(pk=app.pk).update(
                name="",
                phone="",
                location="",
                links=[],
                cover_letter="",
                utm_source="",
                utm_medium="",
                utm_campaign="",
                referrer="",
                status_token=new_status_token(),
                erased_at=now,
            )
        forget_admin_history(Application, [app.pk for app in applications])
        address_kept = candidate.applications.active().exists()
        if not address_kept:
            Candidate.objects.filter(pk=candidate.pk).update(
                name="", email="", phone="", location="", links=[], erased_at=now
            )
            forget_admin_history(Candidate, [candidate.pk])
        # Digests not yet sent may list these applications by name.
        emails.rewrite_unsent_digests(applications)
        emails.queue_erasure_confirmation(
            key=f"application:{applications[0].pk}:erased",
            email=email,
            name=name,
            postings=[app.posting.title for app in applications],
            address_kept=address_kept,
        )
        # Files go only once the rows are gone for good.
        transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
    return len(applications)


def forget_admin_history(model, pks: list[int]) -> None:
    """Django admin's history names each object as it was (`object_repr`): an erased
    person's name must not stay there."""
    content_type = ContentType.objects.get_for_model(model)
    LogEntry.objects.filter(
        content_type=content_type, object_id__in=[str(pk) for pk in pks]
    ).update(object_repr=f"Erased {model._meta.verbose_name}")


def request_manage_link(*, email: str) -> bool:
    """Email the address a link to all of its applications, if it has any. The caller
    answers the same either way, so that nobody learns who applied."""
    candidate = Candidate.objects.with_email(email).filter(erased_at__isnull=True).first()
    if candidate is None or not candidate.applications.active().exists():
        return False
    with transaction.atomic():
        return emails.queue_manage_link(candidate) is not None
