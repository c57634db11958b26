"""Writes the dashboard makes: notes with @mentions, rejecting, and moving many at once.

A single move is applications.services.move_application; these build on it.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from accounts.models import Profile
from applications.models import Application, RejectionReason, Stage, StageChange
from applications.pipeline import MoveNotAllowed
from applications.services import move_application
from dashboard import emails
from dashboard.models import Note
from postings.models import Posting

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
