"""The hiring manager's decision after the interviews: advance, reject with a reason, or hold.

A decision moves the application through applications.services.move_application, so the
pipeline's rules (applications.pipeline) and its emails hold as for any move: a rejection's
email waits the posting's rejection_email_delay_hours, and a move undone in time sends none.
The Decision row is written in the same transaction as the move.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from applications.models import Application, RejectionReason, Stage
from applications.pipeline import MoveNotAllowed, StageKind, can_move, move_refusal
from applications.services import move_application
from interviews.models import Decision

# Where an "advance" may go: forward into an in-progress stage, or hired.
ADVANCE_KINDS = (StageKind.ACTIVE, StageKind.HIRED)


def may_decide(user) -> bool:
    """Recruiters and hiring managers decide; interviewers give feedback only."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    profile = getattr(user, "profile", None)
    return profile is not None and not profile.is_interviewer


def next_stage(application: Application, stages=None) -> Stage | None:
    """The stage after the application's own that an advance goes to by default: the next
    in-progress (or the hired) stage in pipeline order; None at the end of the way."""
    stages = list(stages if stages is not None else application.posting.stages.all())
    try:
        index = next(i for i, s in enumerate(stages) if s.pk == application.stage_id)
    except StopIteration:
        return None
    return next((s for s in stages[index + 1 :] if s.kind in ADVANCE_KINDS), None)


@transaction.atomic
def record_decision(
    *,
    application: Application,
    outcome: str,
    by,
    note: str = "",
    to_stage: Stage | None = None,
    rejection_reason: RejectionReason | None = None,
    notify: bool | None = None,
) -> Decision:
    """Record `by`'s decision and make its move. Raises MoveNotAllowed when the pipeline
    refuses the move, ValidationError when the decision is incomplete; nothing is stored then.

    - advance: to `to_stage`, or else the next stage (next_stage);
    - reject: to the posting's rejected stage, with `rejection_reason` (required);
    - hold: no move; the application stays where it is, and the team knows why.
    """
    if not may_decide(by):
        raise ValidationError("Only recruiters and hiring managers record decisions.")
    note = note.strip()
    if len(note) > Decision.NOTE_MAX:
        raise ValidationError(f"Keep the note under {Decision.NOTE_MAX:,} characters.")
    if application.erased_at:
        raise MoveNotAllowed("This applicant erased their data; their application cannot move.")
    if outcome != Decision.Outcome.HOLD and not can_move(application):
        # The pipeline's own words for why (a withdrawn application stays withdrawn).
        elsewhere = application.posting.stages.exclude(pk=application.stage_id).first()
        raise MoveNotAllowed(move_refusal(application, elsewhere))
    target = None
    if outcome == Decision.Outcome.ADVANCE:
        target = to_stage or next_stage(application)
        if target is None:
            raise MoveNotAllowed(f"There is no stage after {application.stage.name} to go to.")
        if target.posting_id != application.posting_id:
            raise MoveNotAllowed("That stage belongs to another posting.")
        if target.kind not in ADVANCE_KINDS or target.pk == application.stage_id:
            raise MoveNotAllowed(f"Advancing cannot go to {target.name}: choose a later stage.")
    elif outcome == Decision.Outcome.REJECT:
        if rejection_reason is None:
            raise MoveNotAllowed("Choose a reason for rejecting.")
        target = application.posting.stages.get(kind=StageKind.REJECTED)
        if target.pk == application.stage_id:
            raise MoveNotAllowed(f"{application.display_name} is already rejected.")
    elif outcome != Decision.Outcome.HOLD:
        raise ValidationError("Choose advance, reject or hold.")
    if target is not None:
        move_application(
            application=application,
            to_stage=target,
            by=by,
            # The timeline shows the move with the decision's note as its reason.
            reason=note[:500],
            notify=notify,
            rejection_reason=rejection_reason,
        )
    return Decision.objects.create(
        application=application,
        outcome=outcome,
        note=note,
        to_stage=target,
        rejection_reason=rejection_reason if outcome == Decision.Outcome.REJECT else None,
        decided_by=by,
    )
