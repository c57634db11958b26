"""The one home of the rules about what may happen to an application in its pipeline.

Services enforce these rules and views and templates ask them (through the model's
properties), so a page can never offer what the service refuses, nor a hand-made POST do what
the page hides. This module imports no model, so the models can ask it.

Every posting gets the default pipeline once, when it is created (a post_save receiver wired in
applications/apps.py); reading a pipeline never writes one.

The rules, as the people who use the pipeline expect them:

- An application whose data was erased does not move: there is nobody left to move.
- Withdrawing is the applicant's decision. Only an application still open (Applied or an
  in-progress stage) can be withdrawn, and a withdrawn application stays withdrawn: the team
  cannot move it anywhere, nor reject it (and email a rejection to someone who left).
- Rejecting is the team's decision about an open application. A hired applicant is not
  rejected: if a hire falls through, the team moves them back to an in-progress stage first,
  which keeps an honest history.
- Everything else may move freely between the stages of its own posting, backwards too: a
  rejected applicant can be reconsidered and a mistaken hire undone.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone


class StageKind(models.TextChoices):
    APPLIED = "applied", "Applied"
    ACTIVE = "active", "In progress"
    HIRED = "hired", "Hired"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


# (name, candidate-facing name, kind, notify the candidate)
DEFAULT_PIPELINE = [
    ("Applied", "Application received", StageKind.APPLIED, False),
    ("Screen", "Under review", StageKind.ACTIVE, True),
    ("Interview", "Interviewing", StageKind.ACTIVE, True),
    ("Offer", "Offer", StageKind.ACTIVE, True),
    ("Hired", "Hired", StageKind.HIRED, True),
    ("Rejected", "Not moving forward", StageKind.REJECTED, True),
    ("Withdrawn", "Withdrawn", StageKind.WITHDRAWN, False),
]

# Where an application is still open: the decision is neither the team's nor the applicant's yet.
OPEN_KINDS = (StageKind.APPLIED, StageKind.ACTIVE)

# In a pipeline's order the entry stage stays first and the two exits stay last, and none of
# them can be deleted: applying, rejecting and withdrawing move people there. The steps between
# move freely.
FIXED_KINDS = (StageKind.APPLIED, StageKind.REJECTED, StageKind.WITHDRAWN)


def can_add_at(stage) -> bool:
    """The hiring team may add a person (sourced, referred) at any open stage: straight into
    a decision would skip the history and the emails a decision brings."""
    return stage.kind in OPEN_KINDS


class MoveNotAllowed(ValueError):
    """A move these rules refuse; the message is for the person who tried it."""


def default_stages(*, posting, stage_model, rows=DEFAULT_PIPELINE) -> list:
    """The default pipeline's stages for a posting, unsaved. The model and rows are passed in
    so that a data migration can build them from its historical model and frozen rows."""
    return [
        stage_model(
            posting=posting,
            name=name,
            candidate_name=candidate_name,
            kind=kind,
            position=position,
            notify_candidate=notify,
        )
        for position, (name, candidate_name, kind, notify) in enumerate(rows)
    ]


def can_move(application) -> bool:
    """Whether the team may move this application anywhere at all."""
    return application.erased_at is None and application.stage.kind != StageKind.WITHDRAWN


def can_withdraw(application) -> bool:
    return application.erased_at is None and application.stage.kind in OPEN_KINDS


def can_reject(application) -> bool:
    return application.erased_at is None and application.stage.kind in OPEN_KINDS


def move_refusal(application, stage) -> str:
    """Why `application` may not move to `stage`, in words for the page; "" when it may.
    Staying where it is counts as allowed (moving there does nothing)."""
    who = application.name or "This applicant"
    if stage.posting_id != application.posting_id:
        return "That stage belongs to another posting."
    if application.erased_at is not None:
        return "This applicant erased their data; their application cannot move."
    if stage.pk == application.stage_id:
        return ""
    if application.stage.kind == StageKind.WITHDRAWN:
        return f"{who} withdrew their application, so it stays withdrawn."
    if stage.kind == StageKind.REJECTED and not can_reject(application):
        return (
            f"{who} is hired, so they cannot be rejected. If the hire fell through, move "
            "them back to an in-progress stage first."
        )
    if stage.kind == StageKind.WITHDRAWN and not can_withdraw(application):
        return f"Only an open application can be withdrawn; {who} is in {application.stage.name}."
    return ""


def can_move_to(application, stage) -> bool:
    return not move_refusal(application, stage)


def check_move(application, stage) -> None:
    """Raise MoveNotAllowed unless the rules allow this move."""
    refusal = move_refusal(application, stage)
    if refusal:
        raise MoveNotAllowed(refusal)


# --- What the applicant sees -------------------------------------------------------------
# A rejection's email waits `rejection_email_delay_hours`; until it goes out the applicant's
# pages must not tell them either, or the delay would soften nothing.


@dataclass(frozen=True)
class CandidateStep:
    """One step of an application as its applicant was told of it."""

    stage: object  # a Stage
    at: datetime


def notice_due_at(change) -> datetime:
    """When the applicant learns of this move: a rejection when its email goes out
    (applications.emails.queue_stage_email waits the same delay), any other move at once."""
    if change.to_stage.kind == StageKind.REJECTED:
        delay = change.application.posting.rejection_email_delay_hours
        return change.at + timedelta(hours=delay)
    return change.at


def candidate_steps(application, *, now: datetime | None = None) -> list[CandidateStep]:
    """The application's history in candidate-facing names, oldest first, each dated when the
    applicant was told. A rejection whose notice is not due yet is left out, and so is one
    undone before it was due (the applicant never had to hear of it). Steps that read the
    same to the applicant (two internal stages called "Under review") show once."""
    now = now or timezone.now()
    changes = list(application.stage_changes.all())
    steps: list[CandidateStep] = []
    for index, change in enumerate(changes):
        # Read through the application in hand so the posting is not fetched per row.
        change.application = application
        due = notice_due_at(change)
        following = changes[index + 1] if index + 1 < len(changes) else None
        if due > now or (following is not None and following.at < due):
            continue
        if steps and steps[-1].stage.candidate_name == change.to_stage.candidate_name:
            continue
        steps.append(CandidateStep(stage=change.to_stage, at=due))
    return steps


def candidate_stage(application, *, now: datetime | None = None):
    """The stage the applicant sees: the current one, unless it is a rejection they have not
    been told of yet, in which case the last step they were told of."""
    current = application.stage
    if current.kind != StageKind.REJECTED:
        return current
    steps = candidate_steps(application, now=now)
    if steps and steps[-1].stage.kind == StageKind.REJECTED:
        return current
    # Every application has the history row its submission wrote, so `steps` is never empty
    # for one that came through the services; the fallback only serves hand-made rows.
    return steps[-1].stage if steps else current


def stages_ahead(stages: list, current) -> list:
    """The steps still ahead of `current` on the way to being hired, in pipeline order and
    candidate-facing names (each name once), for "what happens next"; none once decided."""
    if current.is_terminal or current not in stages:
        return []
    ahead, seen = [], {current.candidate_name}
    for stage in stages[stages.index(current) + 1 :]:
        if stage.kind in (StageKind.ACTIVE, StageKind.HIRED) and stage.candidate_name not in seen:
            seen.add(stage.candidate_name)
            ahead.append(stage)
    return ahead
