"""Everything that writes applications: submitting, moving through stages, withdrawing, erasing."""

import logging
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from applications import emails, exports, pipeline, privacy
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
from applications.signals import applications_erased, candidates_merged
from ats.storage import delete_files
from postings.models import Posting, Question
from postings.services import Direction, counted, renumber, swap

logger = logging.getLogger(__name__)


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

    def application_fields(self) -> dict:
        """What the person said of themselves, for the new application (never the candidate:
        whoever types an address is not proven to own it)."""
        return {
            "name": self.name,
            "phone": self.phone,
            "location": self.location,
            "links": self.links,
        }


@dataclass(frozen=True)
class Source:
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    referrer: str = ""


def create_default_pipeline(posting: Posting) -> list[Stage]:
    """Give a new posting the default pipeline (applications.pipeline.DEFAULT_PIPELINE).

    Called once, when the posting is created (the post_save receiver in applications.apps);
    a posting that already has stages keeps them. Pages only ever read a pipeline.
    """
    with transaction.atomic():
        if not posting.stages.exists():
            Stage.objects.bulk_create(
                pipeline.default_stages(posting=posting, stage_model=Stage),
                ignore_conflicts=True,  # Two callers at once both try; one set wins.
            )
    return list(posting.stages.all())


def _stage_of_kind(posting: Posting, kind: str) -> Stage:
    return posting.stages.get(kind=kind)


def _store_resume(application: Application, resume: CheckedResume, resume_file) -> str:
    """Save the checked file in private storage and its row; the stored file's name, which
    the caller deletes if its transaction rolls back (storage is not transactional)."""
    row = Resume(
        application=application,
        original_filename=resume.original_filename,
        content_type=resume.content_type,
        size=resume.size,
        sha256=resume.sha256,
        text=resume.text,
        text_status=resume.text_status,
    )
    resume_file.seek(0)
    row.file.save("resume", resume_file, save=False)
    # Known before the row is saved: a failure saving the row must still remove the file.
    stored_name = row.file.name
    row.save()
    return stored_name


def submit_application(
    *,
    posting: Posting,
    applicant: Applicant,
    answers: dict[Question, object],
    resume: CheckedResume,
    resume_file,
    cover_letter: str = "",
    source: Source = Source(),
    privacy_notice_version: str = privacy.CURRENT_VERSION,
) -> Application:
    """Store one application in one transaction: candidate, application, answers, resume,
    first stage and its history row, and the emails it causes.

    The submitter is anonymous: what they typed is kept on the new application and never
    changes an existing candidate. Their status link goes to the address they gave, never
    back to them. The applicant agreed, now, to the privacy notice of `privacy_notice_version`
    (the form takes no submission without it). Raises DuplicateApplication when this address
    already applied to this posting, after queuing a reminder to that address (nothing else
    changes).
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
                        **applicant.application_fields(),
                        cover_letter=cover_letter,
                        submitted_at=now,
                        stage_changed_at=now,
                        needs_review=bool(knockouts),
                        knocked_out=bool(knockouts),
                        utm_source=source.utm_source[:100],
                        utm_medium=source.utm_medium[:100],
                        utm_campaign=source.utm_campaign[:100],
                        referrer=source.referrer[:500],
                        consented_at=now,
                        privacy_notice_version=privacy_notice_version,
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
            stored_name = _store_resume(application, resume, resume_file)
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


class CannotAdd(ValueError):
    """The hiring team's addition is refused; the message says why, for the form."""


def add_application(
    *,
    posting: Posting,
    applicant: Applicant,
    stage: Stage,
    source: str,
    by,
    resume: CheckedResume | None = None,
    resume_file=None,
    send_confirmation: bool = False,
    alert_team: bool = False,
) -> Application:
    """Add a person to a posting on the hiring team's word (sourcing, an agency, a referral,
    Django admin), at `stage`, in one transaction: the candidate of the address (an existing
    one reused and never changed), the application, its resume if any, the stage history.

    The person agreed to nothing here, so no consent is recorded, and nothing is emailed to
    them unless `send_confirmation`: then the usual confirmation with their status link, to
    the address. Raises CannotAdd with the reason when the address already applied to the
    posting, the stage is not an open stage of it, or the source is not one of ADDED_SOURCES.
    """
    from applications.models import ADDED_SOURCES

    if source not in ADDED_SOURCES:
        raise CannotAdd(f"“{source}” is not a source for a person added by the team.")
    stored_name = None
    try:
        with transaction.atomic():
            # Re-read under lock: the stage may have been deleted or the posting changed.
            stage = Stage.objects.select_for_update().filter(pk=stage.pk, posting=posting).first()
            if stage is None or not pipeline.can_add_at(stage):
                raise CannotAdd("Choose one of the posting's open stages.")
            candidate = _candidate_for(applicant)
            existing = Application.objects.filter(candidate=candidate, posting=posting).first()
            if existing is not None:
                raise CannotAdd(
                    f"{applicant.email} is already in the pipeline of {posting.title}"
                    + (" (erased)." if existing.erased_at else ".")
                )
            now = timezone.now()
            try:
                with transaction.atomic():
                    application = Application.objects.create(
                        candidate=candidate,
                        posting=posting,
                        stage=stage,
                        **applicant.application_fields(),
                        submitted_at=now,
                        stage_changed_at=now,
                        utm_source=source,
                    )
            except IntegrityError:
                raise CannotAdd(
                    f"{applicant.email} was just added to {posting.title} by someone else."
                ) from None
            if resume is not None:
                stored_name = _store_resume(application, resume, resume_file)
            StageChange.objects.create(
                application=application, from_stage=None, to_stage=stage, by=by, at=now
            )
            if send_confirmation:
                emails.queue_application_received(application, added=True)
            if alert_team:
                emails.queue_new_application_alerts(application)
    except BaseException:
        # Nothing half-stored: a rolled-back row leaves no file behind.
        if stored_name:
            default_storage.delete(stored_name)
        raise
    return application


@dataclass(frozen=True)
class MergePlan:
    """What a merge of `merged` into `keep` does, for the preview and the service alike."""

    keep: Candidate
    merged: Candidate
    # The merged record's own and those merged into it before: all now show under `keep`.
    records: list[Candidate]
    applications: list[Application]
    # Postings both have applied to: both applications stay, side by side.
    shared_postings: list[str]


class CannotMerge(ValueError):
    pass


def merge_plan(*, keep: Candidate, merged: Candidate) -> MergePlan:
    keep, merged = keep.person, merged.person
    if keep.pk == merged.pk:
        raise CannotMerge("These are already the same person.")
    if keep.erased_at or merged.erased_at:
        raise CannotMerge("An erased candidate cannot be merged.")
    records = [merged, *Candidate.objects.filter(merged_into=merged).order_by("pk")]
    applications = list(
        Application.objects.active()
        .filter(candidate__in=records)
        .select_related("posting", "stage", "candidate")
        .order_by("-submitted_at")
    )
    kept_postings = set(
        Application.objects.active()
        .filter(candidate__in=[keep, *keep.merged.all()])
        .values_list("posting_id", flat=True)
    )
    shared = sorted({a.posting.title for a in applications if a.posting_id in kept_postings})
    return MergePlan(
        keep=keep,
        merged=merged,
        records=records,
        applications=applications,
        shared_postings=shared,
    )


def merge_candidates(*, keep: Candidate, merged: Candidate, by) -> MergePlan:
    """Show `merged` (and whatever was merged into it) as the same person as `keep`.

    Lock both, re-read, link, say what changed. The hiring team sees one candidate from then
    on, with every application, note and tag of both. Nothing the applicant sees changes:
    each address keeps its applications, its status links and its manage link, which lists
    only the applications submitted from that address; an email still goes to the address
    of the application it is about. A recruiter's merge is a judgement about who people are;
    an address proves nothing of the kind, so it never hands one inbox another's data.
    """
    with transaction.atomic():
        locked = {
            c.pk: c
            for c in Candidate.objects.select_for_update().filter(pk__in=[keep.pk, merged.pk])
        }
        if len(locked) != 2:
            raise CannotMerge("One of these candidates no longer exists.")
        plan = merge_plan(keep=locked[keep.pk], merged=locked[merged.pk])
        now = timezone.now()
        Candidate.objects.filter(pk__in=[r.pk for r in plan.records]).update(
            merged_into=plan.keep, merged_at=now
        )
        candidates_merged.send(sender=Candidate, keep=plan.keep, merged=plan.records, by=by)
        logger.info("Candidate %s merged into %s", plan.merged.pk, plan.keep.pk)
    return plan


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


@transaction.atomic
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
    Returns None when the application already sits in that stage; raises
    pipeline.MoveNotAllowed when the pipeline's rules refuse the move.
    """
    # The rules are checked against the row as it is now, locked until this move is done.
    current = (
        Application.objects.select_for_update(of=("self",))
        .select_related("stage")
        .get(pk=application.pk)
    )
    pipeline.check_move(current, to_stage)
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
        # The applicant's own view of it: a rejection not told by email yet is not in here
        # either, or downloading the data would tell it early.
        "status": app.candidate_stage.candidate_name,
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
            {"at": step.at.isoformat(), "status": step.stage.candidate_name}
            for step in app.candidate_steps
        ],
        "consent": {
            "privacy_notice_version": app.privacy_notice_version,
            "privacy_notice": app.privacy_notice,
            "consented_at": app.consented_at.isoformat() if app.consented_at else None,
        },
        # What other apps hold about this application (the voluntary survey, say).
        **exports.sections_for(app),
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
            # A recruiter's judgement that this was the same person as another record is
            # about the person too: it goes with them.
            Candidate.objects.filter(pk=candidate.pk).update(
                name="",
                email="",
                phone="",
                location="",
                links=[],
                erased_at=now,
                merged_into=None,
                merged_at=None,
            )
            Candidate.objects.filter(merged_into=candidate).update(merged_into=None, merged_at=None)
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
        transaction.on_commit(lambda: delete_files(files))
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


# Configuring a posting's pipeline stages


def _stage_name_taken(posting: Posting, name: str, exclude_pk=None) -> bool:
    return posting.stages.filter(name__iexact=name).exclude(pk=exclude_pk).exists()


def _stage_name_error(name: str) -> ValidationError:
    return ValidationError({"name": f"This pipeline already has a stage called “{name}”."})


def add_stage(
    *, posting: Posting, name: str, candidate_name: str, notify_candidate: bool = False
) -> Stage:
    """Add an in-progress stage just before the first final stage (hired, rejected…)."""
    name, candidate_name = name.strip(), candidate_name.strip() or name.strip()
    with transaction.atomic():
        stages = list(Stage.objects.select_for_update().filter(posting=posting))
        if any(stage.name.lower() == name.lower() for stage in stages):
            raise _stage_name_error(name)
        index = next(
            (i for i, stage in enumerate(stages) if stage.kind in Stage.TERMINAL_KINDS),
            len(stages),
        )
        stage = Stage(
            posting=posting,
            name=name,
            candidate_name=candidate_name,
            kind=Stage.Kind.ACTIVE,
            notify_candidate=notify_candidate,
            position=index,
        )
        stage.full_clean(exclude=["posting"], validate_constraints=False)
        try:
            with transaction.atomic():
                stage.save()
        except IntegrityError:
            raise _stage_name_error(name) from None
        stages.insert(index, stage)
        renumber(stages)
    return stage


def update_stage(*, stage: Stage, name: str, candidate_name: str, notify_candidate: bool) -> Stage:
    """Rename a stage (for the team and for the applicant) and choose whether moving someone
    here emails them. Renaming changes history too: it shows stages by their current name."""
    name, candidate_name = name.strip(), candidate_name.strip() or name.strip()
    with transaction.atomic():
        if _stage_name_taken(stage.posting, name, exclude_pk=stage.pk):
            raise _stage_name_error(name)
        stage.name, stage.candidate_name, stage.notify_candidate = (
            name,
            candidate_name,
            notify_candidate,
        )
        stage.full_clean(exclude=["posting"], validate_constraints=False)
        try:
            with transaction.atomic():
                stage.save(update_fields=["name", "candidate_name", "notify_candidate"])
        except IntegrityError:
            raise _stage_name_error(name) from None
    return stage


def move_stage(*, stage: Stage, direction: Direction) -> bool:
    """Move a stage one place along the pipeline, among the stages between Applied and the exits.

    False when it cannot go further that way.
    """
    if stage.kind in pipeline.FIXED_KINDS:
        return False
    with transaction.atomic():
        stages = list(Stage.objects.select_for_update().filter(posting=stage.posting_id))
        return swap(stages, stage, direction, movable=lambda s: s.kind not in pipeline.FIXED_KINDS)


def delete_stage(*, stage: Stage) -> None:
    """Delete a stage no application is in or has ever been in.

    Applied, Rejected and Withdrawn are what applying, rejecting and withdrawing move people
    to, so they stay. A stage in an application's history stays so that its timeline stays true.
    """
    if stage.kind in pipeline.FIXED_KINDS:
        raise ValidationError(
            f"“{stage.name}” cannot be deleted: every pipeline needs its "
            f"{stage.get_kind_display().lower()} stage. You can rename it."
        )
    with transaction.atomic():
        Stage.objects.select_for_update().filter(pk=stage.pk).first()
        current = stage.applications.count()
        if current:
            which = counted(current, "application is", "applications are")
            raise ValidationError(
                f"“{stage.name}” cannot be deleted: {which} in it. "
                "Move them to another stage first."
            )
        past = StageChange.objects.filter(to_stage=stage).values("application").distinct().count()
        if past:
            raise ValidationError(
                f"“{stage.name}” cannot be deleted: it is in the history of "
                f"{counted(past, 'application', 'applications')}. You can rename it instead."
            )
        try:
            stage.delete()
        except ProtectedError:  # Someone moved an application here meanwhile.
            raise ValidationError(
                f"“{stage.name}” cannot be deleted: applications have been in it."
            ) from None
        renumber(list(Stage.objects.filter(posting=stage.posting_id)))
