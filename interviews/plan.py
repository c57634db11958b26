"""Writes to a posting's interview plan: its steps, each step's attributes and interviewer pool.

Every posting starts with DEFAULT_PLAN below, copied onto the stages of the same name when the
posting is created (interviews.signals, after applications has given it its pipeline); a
recruiter edits it from there, or copies another posting's plan over it.

Keyword-only and transactional, like every service: a refusal (ValidationError) leaves the
plan as it was.
"""

from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from applications.models import Stage
from interviews.models import Attribute, InterviewKind, InterviewStep
from postings.models import Posting


@dataclass(frozen=True)
class DefaultStep:
    name: str
    kind: str
    duration_minutes: int
    guidance: str
    attributes: tuple[str, ...]


# The plan every new posting starts with, by the name of the default pipeline's stage
# (applications.pipeline.DEFAULT_PIPELINE) that holds it. A pipeline renamed before the plan
# is copied simply gets no steps on that stage.
DEFAULT_PLAN: dict[str, tuple[DefaultStep, ...]] = {
    "Screen": (
        DefaultStep(
            name="Recruiter screen",
            kind=InterviewKind.PHONE,
            duration_minutes=30,
            guidance="Check motivation, salary expectations and availability; sell the role.",
            attributes=("Motivation", "Communication", "Logistics fit"),
        ),
    ),
    "Interview": (
        DefaultStep(
            name="Technical interview",
            kind=InterviewKind.VIDEO,
            duration_minutes=60,
            guidance="Work through a real problem together. Rate what you saw, not what you guess.",
            attributes=("Problem solving", "Technical depth", "Code quality"),
        ),
        DefaultStep(
            name="Team interview",
            kind=InterviewKind.VIDEO,
            duration_minutes=45,
            guidance="How they work with others: disagreement, feedback, ownership.",
            attributes=("Collaboration", "Ownership", "Communication"),
        ),
    ),
}

Direction = Literal["up", "down"]


def clean_attribute_names(names) -> list[str]:
    """Attribute names as typed (one per line), trimmed, blanks dropped, each name once
    (ignoring case), in the order given."""
    seen, cleaned = set(), []
    for raw in names:
        name = " ".join(raw.split())
        if name and name.lower() not in seen:
            if len(name) > Attribute.NAME_MAX:
                raise ValidationError(
                    f"Keep each attribute under {Attribute.NAME_MAX} characters: “{name[:30]}…”."
                )
            seen.add(name.lower())
            cleaned.append(name)
    return cleaned


def _check_name(stage: Stage, name: str, exclude_pk=None) -> None:
    taken = stage.interview_steps.filter(name__iexact=name).exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError(f"“{stage.name}” already has a step called “{name}”.")


@transaction.atomic
def save_step(*, step: InterviewStep, attributes: list[str], interviewers) -> InterviewStep:
    """Add `step` (unsaved: it goes last in its stage) or save changes to it, with its
    attributes in the order given and its interviewer pool.

    An attribute that is kept (same name, any case) stays the same row, so its ratings stay
    with it; one left out is deleted, unless somebody rated it: then the whole save is refused.
    """
    step.name = " ".join(step.name.split())
    names = clean_attribute_names(attributes)
    _check_name(step.stage, step.name, exclude_pk=step.pk)
    if step.pk is None:
        last = step.stage.interview_steps.aggregate(last=Max("position"))["last"]
        step.position = 0 if last is None else last + 1
    step.full_clean(exclude=["interviewers"], validate_unique=False, validate_constraints=False)
    step.save()
    existing = {a.name.lower(): a for a in Attribute.objects.select_for_update().filter(step=step)}
    wanted = {name.lower() for name in names}
    dropped = [a for key, a in existing.items() if key not in wanted]
    rated = [a.name for a in dropped if a.ratings.exists()]
    if rated:
        listed = ", ".join(f"“{name}”" for name in rated)
        raise ValidationError(
            f"{listed} {'was' if len(rated) == 1 else 'were'} rated in a scorecard, so "
            f"{'it stays' if len(rated) == 1 else 'they stay'} on this step: the feedback given "
            "keeps its meaning."
        )
    Attribute.objects.filter(pk__in=[a.pk for a in dropped]).delete()
    # Positions first moved out of the way would be needed under a unique (step, position);
    # there is none, so each row simply takes its new place.
    for position, name in enumerate(names):
        attribute = existing.get(name.lower())
        if attribute is None:
            Attribute.objects.create(step=step, name=name, position=position)
        elif (attribute.name, attribute.position) != (name, position):
            attribute.name, attribute.position = name, position
            attribute.save(update_fields=["name", "position"])
    step.interviewers.set(interviewers)
    return step


@transaction.atomic
def move_step(*, step: InterviewStep, direction: Direction) -> bool:
    """Swap the step with its neighbour in its stage; False when it is already at that end."""
    steps = list(
        InterviewStep.objects.select_for_update()
        .filter(stage_id=step.stage_id)
        .order_by("position", "id")
    )
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(steps):
        return False
    steps[index], steps[other] = steps[other], steps[index]
    for position, each in enumerate(steps):
        if each.position != position:
            InterviewStep.objects.filter(pk=each.pk).update(position=position)
    return True


@transaction.atomic
def delete_step(*, step: InterviewStep) -> None:
    """Delete a step nobody was interviewed for; one with interviews stays (their scorecards
    would lose what they assessed)."""
    step = InterviewStep.objects.select_for_update().get(pk=step.pk)
    count = step.interviews.count()
    if count:
        raise ValidationError(
            f"“{step.name}” has {count} interview{'s' if count != 1 else ''}, so it stays: "
            "their feedback refers to it. Rename it or leave its pool empty instead."
        )
    step.delete()


def _add_steps(stage: Stage, steps) -> int:
    """Append copies of `steps` (DefaultStep or InterviewStep, attributes prefetched or given)
    to `stage`, skipping names it already has; return how many were added."""
    taken = {name.lower() for name in stage.interview_steps.values_list("name", flat=True)}
    last = stage.interview_steps.aggregate(last=Max("position"))["last"]
    position = -1 if last is None else last
    added = 0
    for source in steps:
        if source.name.lower() in taken:
            continue
        position += 1
        step = InterviewStep.objects.create(
            stage=stage,
            name=source.name,
            kind=source.kind,
            duration_minutes=source.duration_minutes,
            guidance=source.guidance,
            position=position,
        )
        names = (
            source.attributes
            if isinstance(source, DefaultStep)
            else [a.name for a in source.attributes.all()]
        )
        Attribute.objects.bulk_create(
            Attribute(step=step, name=name, position=i) for i, name in enumerate(names)
        )
        if isinstance(source, InterviewStep):
            step.interviewers.set(source.interviewers.all())
        taken.add(source.name.lower())
        added += 1
    return added


@transaction.atomic
def copy_default_plan(*, posting: Posting) -> int:
    """Give `posting` the steps of DEFAULT_PLAN on its stages of those names."""
    added = 0
    for stage in posting.stages.filter(name__in=DEFAULT_PLAN):
        added += _add_steps(stage, DEFAULT_PLAN[stage.name])
    return added


@dataclass(frozen=True)
class PlanCopied:
    added: int
    # Names of the source's stages that the target has no stage for.
    unmatched_stages: list[str]


@transaction.atomic
def copy_plan(*, source: Posting, target: Posting) -> PlanCopied:
    """Add `source`'s steps to `target`'s stages of the same names (ignoring case), with
    their attributes and pools. Steps whose name the target stage already has are left out,
    so copying twice adds nothing."""
    if source.pk == target.pk:
        raise ValidationError("Choose another posting to copy from.")
    stages = {stage.name.lower(): stage for stage in target.stages.all()}
    added, unmatched = 0, []
    for stage in source.stages.prefetch_related(
        "interview_steps__attributes", "interview_steps__interviewers"
    ):
        steps = list(stage.interview_steps.all())
        if not steps:
            continue
        into = stages.get(stage.name.lower())
        if into is None:
            unmatched.append(stage.name)
            continue
        added += _add_steps(into, steps)
    return PlanCopied(added=added, unmatched_stages=unmatched)
