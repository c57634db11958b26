"""Writes the dashboard makes: notes with @mentions, rejecting, moving many at once, and
wrapping up a filled posting.

A single move is applications.services.move_application; these build on it.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from accounts.models import Profile
from applications.models import Application, RejectionReason, Stage, StageChange
from applications.pipeline import OPEN_KINDS, MoveNotAllowed
from applications.services import move_application
from dashboard import emails
from dashboard.models import Note
from dashboard.scope import can_manage_postings
from postings.models import Posting
from postings.services import close_posting

# "@bob" or "@ana.lima", but not the "@example.com" of an email address.
MENTION = re.compile(r"(?<![\w.@+-])@([\w][\w.@+-]*)")
MAX_MENTIONS = 20


# A move the pipeline does not allow; the message is for the person who tried. The rules
# live in applications.pipeline, which raises it.
CannotMove = MoveNotAllowed


def mentioned_usernames(body: str) -> list[str]:
    """The @usernames in a note, once each, in order (a trailing full stop is punctuation)."""
    names = {}
    for match in MENTION.finditer(body):
        name = match.group(1).rstrip(".-+@")
        if name:
            names.setdefault(name.lower(), name)
    return list(names.values())[:MAX_MENTIONS]


def mentionable_users(posting: Posting, usernames: Iterable[str]) -> list:
    """The active staff with these usernames (any case) who work on the posting: its hiring
    team, and recruiters, who work on every posting.

    Not everyone who can see the posting: a superuser sees every posting but is mentioned
    only from its hiring team, so a note cannot reach the site's administrators, nor list
    them, by guessing their names.
    """
    query = Q()
    for name in usernames:
        query |= Q(username__iexact=name)
    if not query:
        return []
    works_on_posting = Q(hiring_postings=posting) | Q(profile__role=Profile.Role.RECRUITER)
    is_staff = Q(profile__isnull=False) | Q(is_superuser=True)
    return list(
        get_user_model()
        .objects.filter(query, works_on_posting, is_staff, is_active=True)
        .select_related("profile")
        .distinct()
        .order_by("username")
    )


@dataclass(frozen=True)
class NoteAdded:
    note: Note
    notified: list = field(default_factory=list)
    # Mentioned names nobody was emailed about, the author's aside: whether the name is
    # nobody's, someone's outside the posting or a teammate's without an email address, they
    # are told apart nowhere, so a note cannot probe which usernames exist.
    ignored: list[str] = field(default_factory=list)


def add_note(*, application: Application, author, body: str, private: bool = False) -> NoteAdded:
    """Store a note and email each teammate it mentions who can see the posting. A private
    note is for the hiring team: interviewers never see it."""
    body = body.strip()
    if not body:
        raise ValueError("A note needs some text.")
    if len(body) > Note.BODY_MAX:
        raise ValueError(f"Keep a note under {Note.BODY_MAX:,} characters.")
    names = mentioned_usernames(body)
    with transaction.atomic():
        note = Note.objects.create(
            application=application, author=author, body=body, private=private
        )
        teammates = mentionable_users(application.posting, names)
        note.mentions.set(teammates)
        notified = [user for user in teammates if user != author and user.email]
        for user in notified:
            emails.queue_mention(note, user)
    told = {user.username.lower() for user in notified} | {author.get_username().lower()}
    return NoteAdded(
        note=note, notified=notified, ignored=[n for n in names if n.lower() not in told]
    )


def move(
    *,
    application: Application,
    to_stage: Stage,
    by,
    reason: str = "",
    notify=None,
    rejection_reason: RejectionReason | None = None,
):
    """One move from the dashboard: like move_application, with a message when it cannot be.
    A move into the rejected stage needs a reason from the list."""
    if application.erased_at:
        raise CannotMove("This applicant erased their data; their application cannot move.")
    _require_rejection_reason(to_stage, rejection_reason)
    return move_application(
        application=application,
        to_stage=to_stage,
        by=by,
        reason=reason.strip(),
        notify=notify,
        rejection_reason=rejection_reason,
    )


def _require_rejection_reason(to_stage: Stage, rejection_reason) -> None:
    if to_stage.kind == Stage.Kind.REJECTED and rejection_reason is None:
        raise CannotMove("Choose a reason for rejecting.")


def rejected_stage(posting: Posting) -> Stage:
    return posting.stages.get(kind=Stage.Kind.REJECTED)


def reject(
    *,
    application: Application,
    by,
    rejection_reason: RejectionReason | None,
    note: str = "",
    notify: bool | None = None,
):
    return move(
        application=application,
        to_stage=rejected_stage(application.posting),
        by=by,
        reason=note,
        notify=notify,
        rejection_reason=rejection_reason,
    )


@dataclass(frozen=True)
class BulkResult:
    moved: list[StageChange]
    unchanged: int = 0  # already in that stage
    skipped: int = 0  # erased: nothing to move


def bulk_move(
    *,
    applications: Iterable[Application],
    to_stage: Stage,
    by,
    reason: str = "",
    notify: bool | None = None,
    rejection_reason: RejectionReason | None = None,
) -> BulkResult:
    """Move every application to one stage, all or nothing, each with its history and email."""
    _require_rejection_reason(to_stage, rejection_reason)
    moved, unchanged, skipped = [], 0, 0
    with transaction.atomic():
        for application in applications:
            if application.erased_at:
                skipped += 1
                continue
            change = move_application(
                application=application,
                to_stage=to_stage,
                by=by,
                reason=reason.strip(),
                notify=notify,
                rejection_reason=rejection_reason,
            )
            if change is None:
                unchanged += 1
            else:
                moved.append(change)
    return BulkResult(moved=moved, unchanged=unchanged, skipped=skipped)


def bulk_reject(
    *,
    posting: Posting,
    applications: Iterable[Application],
    by,
    rejection_reason: RejectionReason | None,
    note: str = "",
    notify: bool | None = None,
) -> BulkResult:
    return bulk_move(
        applications=applications,
        to_stage=rejected_stage(posting),
        by=by,
        reason=note,
        notify=notify,
        rejection_reason=rejection_reason,
    )


# A filled posting


@dataclass(frozen=True)
class FillResult:
    closed: bool  # False when it was closed already
    rejected: int  # the open applications rejected now


def _lock_filled(posting: Posting, by) -> Posting:
    """The posting, locked until the transaction ends, with its hires counted after the lock
    (so a hire undone meanwhile is seen); refused unless `by` manages postings and it is
    filled."""
    if not can_manage_postings(by):
        raise PermissionDenied("Only recruiters can close a posting.")
    locked = Posting.objects.select_for_update().get(pk=posting.pk)
    if not locked.is_filled:
        raise ValidationError(
            f"“{locked.title}” has {locked.hires} of {locked.openings} openings filled: "
            "there is nothing to wrap up yet."
        )
    return locked


def fill_posting(
    *,
    posting: Posting,
    by,
    rejection_reason: RejectionReason | None,
    note: str = "",
    close: bool = True,
) -> FillResult:
    """Wrap up a posting whose openings are all filled, in one step: close it (unless `close`
    is False) and reject every application still open (Applied or in progress) with one
    reason, each with its history and its rejection email, which waits the posting's
    rejection delay like any other.

    All or nothing. Running it again changes nothing and says so. Records the answer, so the
    question is not asked again until a hire beyond those it has now. Raises PermissionDenied
    for anyone but a recruiter or admin, ValidationError when the posting is not filled, and
    CannotMove without a reason.
    """
    if rejection_reason is None:
        raise CannotMove("Choose a reason for rejecting the remaining applications.")
    with transaction.atomic():
        locked = _lock_filled(posting, by)
        closed = close_posting(posting=locked) if close else False
        remaining = (
            Application.objects.filter(
                posting=locked, stage__kind__in=OPEN_KINDS, erased_at__isnull=True
            )
            .select_related("candidate", "posting", "stage")
            .order_by("pk")
        )
        result = bulk_reject(
            posting=locked,
            applications=remaining,
            by=by,
            rejection_reason=rejection_reason,
            note=note,
        )
        _record_answer(locked)
    posting.status = locked.status
    posting.fill_answered_at_hires = locked.fill_answered_at_hires
    return FillResult(closed=closed, rejected=len(result.moved))


def keep_posting_open(*, posting: Posting, by) -> bool:
    """The recruiter keeps a filled posting open as it is: the question is not asked again
    until a hire beyond those it has now. False when that was the answer already."""
    with transaction.atomic():
        locked = _lock_filled(posting, by)
        changed = locked.fill_answered_at_hires != locked.hires
        _record_answer(locked)
    posting.fill_answered_at_hires = locked.fill_answered_at_hires
    return changed


def _record_answer(locked: Posting) -> None:
    locked.fill_answered_at_hires = locked.hires
    Posting.objects.filter(pk=locked.pk).update(fill_answered_at_hires=locked.hires)
