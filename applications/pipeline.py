"""The one home of the rules about what may happen to an application.

Services enforce these rules and views and templates ask them (through the model's
properties), so a page can never offer what the service refuses, nor a hand-made POST do what
the page hides.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from applications.models import Application, Stage, StageChange

# An applicant may withdraw while the decision is still open: not once hired, rejected or
# withdrawn already.
WITHDRAWABLE_KINDS = (Stage.Kind.APPLIED, Stage.Kind.ACTIVE)


def can_withdraw(application: Application) -> bool:
    return application.erased_at is None and application.stage.kind in WITHDRAWABLE_KINDS


# --- What the applicant sees -------------------------------------------------------------
# A rejection's email waits `rejection_email_delay_hours`; until it goes out the applicant's
# pages must not tell them either, or the delay would soften nothing.


@dataclass(frozen=True)
class CandidateStep:
    """One step of an application as its applicant was told of it."""

    stage: Stage
    at: datetime


def notice_due_at(change: StageChange) -> datetime:
    """When the applicant learns of this move: a rejection when its email goes out
    (applications.emails.queue_stage_email waits the same delay), any other move at once."""
    if change.to_stage.kind == Stage.Kind.REJECTED:
        delay = change.application.posting.rejection_email_delay_hours
        return change.at + timedelta(hours=delay)
    return change.at


def candidate_steps(
    application: Application, *, now: datetime | None = None
) -> list[CandidateStep]:
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


def candidate_stage(application: Application, *, now: datetime | None = None) -> Stage:
    """The stage the applicant sees: the current one, unless it is a rejection they have not
    been told of yet, in which case the last step they were told of."""
    current = application.stage
    if current.kind != Stage.Kind.REJECTED:
        return current
    steps = candidate_steps(application, now=now)
    if steps and steps[-1].stage.kind == Stage.Kind.REJECTED:
        return current
    # Every application has the history row its submission wrote, so `steps` is never empty
    # for one that came through the services; the fallback only serves hand-made rows.
    return steps[-1].stage if steps else current


def stages_ahead(stages: list[Stage], current: Stage) -> list[Stage]:
    """The steps still ahead of `current` on the way to being hired, in pipeline order and
    candidate-facing names (each name once), for "what happens next"; none once decided."""
    if current.is_terminal or current not in stages:
        return []
    ahead, seen = [], {current.candidate_name}
    for stage in stages[stages.index(current) + 1 :]:
        if stage.kind in (Stage.Kind.ACTIVE, Stage.Kind.HIRED) and stage.candidate_name not in seen:
            seen.add(stage.candidate_name)
            ahead.append(stage)
    return ahead
