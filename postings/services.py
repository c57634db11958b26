"""Everything that changes a posting from the dashboard: its details and description, its
screening questions, publishing and closing, its pipeline stages and its hiring team.

Stages are applications.Stage rows, but configuring them is part of setting up a posting, so
their writes live here beside the questions': one module answers "what can a recruiter change
about a posting, and what does each change do". applications.services keeps what happens to
applications (ensure_pipeline, moving, withdrawing).

Forms check input for the person typing it; these functions hold the rules that must stay
true whatever the caller, and refuse with a ValidationError whose message reads well on a page.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.text import slugify

from applications.models import Stage, StageChange
from applications.services import ensure_pipeline
from postings.models import Posting, Question, Section

Direction = Literal["up", "down"]

SLUG_TAKEN = (
    "Another posting already uses this address. Choose another, or leave it blank to make "
    "one from the title."
)
SLUG_MAX_LENGTH = Posting._meta.get_field("slug").max_length


@dataclass(frozen=True)
class SectionData:
    heading: str
    body: str


# Postings


def slug_for(title: str, *, exclude_pk: int | None = None) -> str:
    """A careers-site address made from a title, with -2, -3… when it is taken.

    Empty when the title has no letters or digits to make one from.
    """
    base = slugify(title)[: SLUG_MAX_LENGTH - 4].strip("-")
    if not base:
        return ""
    taken = set(
        Posting.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def slug_taken(slug: str, *, exclude_pk: int | None = None) -> bool:
    return Posting.objects.filter(slug=slug).exclude(pk=exclude_pk).exists()


def save_posting(
    *,
    posting: Posting,
    teams: Iterable,
    locations: Iterable,
    sections: Sequence[SectionData] | None = None,
) -> Posting:
    """Create or update a posting its form has validated, with its teams, its locations and,
    when given, its description sections in this order, all in one transaction.

    Raises ValidationError (on "teams") when no team is given, and (on "slug") when another
    posting took the address meanwhile.
    """
    teams = list(teams)
    if not teams:
        raise ValidationError({"teams": "Choose at least one team."})
    adding = posting._state.adding
    try:
        with transaction.atomic():
            posting.save()
            posting.teams.set(teams)
            posting.locations.set(locations)
            if sections is not None:
                # Sections are plain parts of the text that nothing refers to: replacing them
                # is the simplest way to apply additions, edits, deletions and a new order.
                posting.sections.all().delete()
                Section.objects.bulk_create(
                    Section(posting=posting, heading=s.heading, body=s.body, position=position)
                    for position, s in enumerate(sections)
                )
    except IntegrityError:
        if adding:
            posting.pk = None
            posting._state.adding = True
        if slug_taken(posting.slug, exclude_pk=posting.pk):
            raise ValidationError({"slug": SLUG_TAKEN}) from None
        raise
    return posting


def publish_posting(*, posting: Posting) -> bool:
    """Open a posting on the careers site, stamping published_at the first time.

    Returns False when it was open already; raises ValidationError when its closing date has
    passed, since it would open and close in the same moment.
    """
    with transaction.atomic():
        locked = Posting.objects.select_for_update().get(pk=posting.pk)
        if locked.status == Posting.Status.OPEN:
            return False
        now = timezone.now()
        published_at = locked.published_at or now
        if locked.closes_at and locked.closes_at <= max(now, published_at):
            raise ValidationError(
                "Its closing date has passed. Change or clear the closing date, then publish."
            )
        Posting.objects.filter(pk=locked.pk).update(
            status=Posting.Status.OPEN, published_at=published_at, updated_at=now
        )
    posting.status, posting.published_at = Posting.Status.OPEN, published_at
    return True


def close_posting(*, posting: Posting) -> bool:
    """Take a posting off the careers site; its applications stay in the pipeline.

    Returns False when it was closed already; a draft has nothing to close.
    """
    with transaction.atomic():
        locked = Posting.objects.select_for_update().get(pk=posting.pk)
        if locked.status == Posting.Status.CLOSED:
            return False
        if locked.status == Posting.Status.DRAFT:
            raise ValidationError(
                "A draft is not on the careers site, so there is nothing to close."
            )
        Posting.objects.filter(pk=locked.pk).update(
            status=Posting.Status.CLOSED, updated_at=timezone.now()
        )
    posting.status = Posting.Status.CLOSED
    return True


# Ordering, shared by questions and stages


def _renumber(items: list) -> None:
    """Write positions 0, 1, 2… in list order, touching only the rows that change."""
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def _swap(items: list, item, direction: Direction, movable=lambda _: True) -> bool:
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    neighbour = index - 1 if direction == "up" else index + 1
    if not 0 <= neighbour < len(items) or not movable(items[neighbour]):
        return False
    items[index], items[neighbour] = items[neighbour], items[index]
    _renumber(items)
    return True


# Questions


def save_question(*, question: Question) -> Question:
    """Add a question at the end of its posting's form, or save changes to one.

    A question's kind decides which column holds its answers, so it cannot change once
    applicants have answered it.
    """
    with transaction.atomic():
        if question.pk is None:
            last = (
                Question.objects.select_for_update()
                .filter(posting=question.posting_id)
                .order_by("-position")
                .first()
            )
            question.position = last.position + 1 if last else 0
        else:
            stored = Question.objects.select_for_update().get(pk=question.pk)
            if stored.kind != question.kind and stored.answers.exists():
                raise ValidationError(
                    {
                        "kind": "Applicants have answered this question, so its type cannot "
                        "change. Add a new question instead."
                    }
                )
        question.full_clean(exclude=["posting"])
        question.save()
    return question


def move_question(*, question: Question, direction: Direction) -> bool:
    """Move a question one place up or down the form. False when it is already at that end."""
    with transaction.atomic():
        questions = list(Question.objects.select_for_update().filter(posting=question.posting_id))
        return _swap(questions, question, direction)


def delete_question(*, question: Question) -> None:
    """Delete a question nobody has answered yet.

    A question with answers is refused rather than deleted with them: those answers are part
    of applications people already sent, and a recruiter still reads them on candidate pages.
    """
    with transaction.atomic():
        answered = question.answers.count()
        if answered:
            who = _count(answered, "applicant has", "applicants have")
            raise ValidationError(
                f"“{question.label}” cannot be deleted: {who} "
                "answered it, and those answers would be lost. You can reword it or make it "
                "optional instead."
            )
        try:
            question.delete()
        except ProtectedError:  # Answered between the count and the delete.
            raise ValidationError(
                f"“{question.label}” cannot be deleted: applicants have answered it."
            ) from None
        _renumber(list(Question.objects.filter(posting=question.posting_id)))


# Pipeline stages

# The entry stage stays first and the two exits stay last; the steps between move freely.
FIXED_KINDS = (Stage.Kind.APPLIED, Stage.Kind.REJECTED, Stage.Kind.WITHDRAWN)


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
        ensure_pipeline(posting)
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
        _renumber(stages)
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
    if stage.kind in FIXED_KINDS:
        return False
    with transaction.atomic():
        stages = list(Stage.objects.select_for_update().filter(posting=stage.posting_id))
        return _swap(stages, stage, direction, movable=lambda s: s.kind not in FIXED_KINDS)


def delete_stage(*, stage: Stage) -> None:
    """Delete a stage no application is in or has ever been in.

    Applied, Rejected and Withdrawn are what applying, rejecting and withdrawing move people
    to, so they stay. A stage in an application's history stays so that its timeline stays true.
    """
    if stage.kind in FIXED_KINDS:
        raise ValidationError(
            f"“{stage.name}” cannot be deleted: every pipeline needs its "
            f"{stage.get_kind_display().lower()} stage. You can rename it."
        )
    with transaction.atomic():
        Stage.objects.select_for_update().filter(pk=stage.pk).first()
        current = stage.applications.count()
        if current:
            which = _count(current, "application is", "applications are")
            raise ValidationError(
                f"“{stage.name}” cannot be deleted: {which} in it. "
                "Move them to another stage first."
            )
        past = StageChange.objects.filter(to_stage=stage).values("application").distinct().count()
        if past:
            raise ValidationError(
                f"“{stage.name}” cannot be deleted: it is in the history of "
                f"{_count(past, 'application', 'applications')}. You can rename it instead."
            )
        try:
            stage.delete()
        except ProtectedError:  # Someone moved an application here meanwhile.
            raise ValidationError(
                f"“{stage.name}” cannot be deleted: applications have been in it."
            ) from None
        _renumber(list(Stage.objects.filter(posting=stage.posting_id)))


# Hiring team


def add_to_hiring_team(*, posting: Posting, user) -> bool:
    """Add a recruiter or hiring manager to the posting's team. False when already on it."""
    if not user.is_active or not hasattr(user, "profile"):
        raise ValidationError(
            f"{user.get_full_name() or user.username} is not a recruiter or hiring manager."
        )
    if posting.hiring_team.filter(pk=user.pk).exists():
        return False
    posting.hiring_team.add(user)
    return True


def remove_from_hiring_team(*, posting: Posting, user) -> bool:
    """Take someone off the posting's team. False when they were not on it."""
    if not posting.hiring_team.filter(pk=user.pk).exists():
        return False
    posting.hiring_team.remove(user)
    return True


def _count(number: int, one: str, many: str) -> str:
    return f"1 {one}" if number == 1 else f"{number:,} {many}"
