"""Everything that changes a posting from the dashboard: its details and description, its
screening questions, publishing and closing, and its hiring team.

Its pipeline stages are applications.Stage rows: their writes live in applications.services,
beside the rules about moving applications through them, since postings knows nothing of
applications.

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


# Ordering, shared by questions and (in applications.services) stages


def renumber(items: list) -> None:
    """Write positions 0, 1, 2… in list order, touching only the rows that change."""
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def swap(items: list, item, direction: Direction, movable=lambda _: True) -> bool:
    """Swap an item with its neighbour that way, unless there is none or it may not move."""
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    neighbour = index - 1 if direction == "up" else index + 1
    if not 0 <= neighbour < len(items) or not movable(items[neighbour]):
        return False
    items[index], items[neighbour] = items[neighbour], items[index]
    renumber(items)
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
        return swap(questions, question, direction)


def delete_question(*, question: Question) -> None:
    """Delete a question nobody has answered yet.

    A question with answers is refused rather than deleted with them: those answers are part
    of applications people already sent, and a recruiter still reads them on candidate pages.
    """
    with transaction.atomic():
        answered = question.answers.count()
        if answered:
            who = counted(answered, "applicant has", "applicants have")
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
        renumber(list(Question.objects.filter(posting=question.posting_id)))


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


def counted(number: int, one: str, many: str) -> str:
    return f"1 {one}" if number == 1 else f"{number:,} {many}"
