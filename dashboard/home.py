"""Reads behind the dashboard home: open postings with counts per stage, filled postings to
wrap up, the applications waiting for review, recent activity. A fixed number of queries
whatever the data."""

from itertools import chain

from django.db.models import Count, Exists, OuterRef, Q

from applications.models import Application, Stage, StageChange
from applications.pipeline import OPEN_KINDS
from dashboard.models import Note
from dashboard.scope import can_manage_postings
from offers.models import Offer, OfferApprover
from postings.models import Posting

POSTINGS = 20
TO_WRAP_UP = 10
OFFERS = 10
WAITING = 15
ACTIVITY = 12


def open_postings_with_stage_counts(user) -> list[Posting]:
    """The user's open postings, their own teams' first, each with `stage_counts`, a list of
    (stage, count) in pipeline order, and `total`: four queries."""
    postings = list(
        Posting.objects.for_user(user)
        .filter(status=Posting.Status.OPEN)
        .prefetch_related("teams")
        .annotate(
            mine=Exists(
                Posting.hiring_team.through.objects.filter(
                    posting_id=OuterRef("pk"), user_id=user.pk
                )
            )
        )
        .order_by("-mine", "-published_at", "title")[:POSTINGS]
    )
    stages = Stage.objects.filter(posting__in=postings).order_by("posting_id", "position", "pk")
    counts = Application.objects.filter(posting__in=postings).stage_counts()
    by_posting = {posting.pk: posting for posting in postings}
    for posting in postings:
        posting.stage_counts = []
        posting.total = 0
    for stage in stages:
        n = counts.get(stage.pk, 0)
        posting = by_posting[stage.posting_id]
        posting.stage_counts.append((stage, n))
        posting.total += n
    return postings


def postings_to_wrap_up(user) -> list[Posting]:
    """For recruiters and admins, who decide it: open postings whose openings are all filled
    and not yet answered for, longest filled first by publication, each with its `hires` and
    `remaining_count` (applications still open): one query. None for anyone else."""
    if not can_manage_postings(user):
        return []
    remaining = Count(
        "applications",
        filter=Q(applications__stage__kind__in=OPEN_KINDS, applications__erased_at__isnull=True),
        distinct=True,
    )
    return list(
        Posting.objects.for_user(user)
        .awaiting_wrap_up()
        .annotate(remaining_count=remaining)
        .order_by("published_at", "title", "pk")[:TO_WRAP_UP]
    )


def offers_awaiting_approval_by(user) -> list[Offer]:
    """Offers whose approval chain waits for `user` now (every approver before them has
    approved), oldest first: one query."""
    earlier_waiting = OfferApprover.objects.filter(
        offer=OuterRef("offer"),
        position__lt=OuterRef("position"),
        decision=OfferApprover.Decision.PENDING,
    )
    turns = OfferApprover.objects.filter(
        user=user, decision=OfferApprover.Decision.PENDING, offer__status=Offer.Status.PENDING
    ).exclude(Exists(earlier_waiting))
    return list(
        Offer.objects.for_user(user)
        .filter(pk__in=turns.values("offer"))
        .select_related("application__posting")
        .order_by("created_at", "pk")[:OFFERS]
    )


def offers_out_with_candidates(user) -> list[Offer]:
    """Sent offers not yet answered (the expired among them, labelled so), the soonest last
    day first: one query."""
    return list(
        Offer.objects.for_user(user)
        .filter(status=Offer.Status.SENT)
        .select_related("application__posting")
        .order_by("expires_on", "pk")[:OFFERS]
    )


def waiting_for_review(user):
    """New applications, and those a knock-out answer flagged, still in play: flagged first,
    then oldest first."""
    return (
        Application.objects.for_user(user)
        .active()
        .filter(Q(stage__kind=Stage.Kind.APPLIED) | Q(needs_review=True))
        .exclude(stage__kind__in=Stage.TERMINAL_KINDS)
        .select_related("candidate", "posting", "stage")
        .order_by("-needs_review", "submitted_at", "pk")
    )


def recent_activity(user) -> list[dict]:
    """The latest stage changes and notes in the user's scope, newest first."""
    in_scope = Application.objects.for_user(user).active()
    changes = (
        StageChange.objects.filter(application__in=in_scope.values("pk"))
        .select_related("application__candidate", "application__posting", "to_stage", "by")
        .order_by("-at", "-pk")[:ACTIVITY]
    )
    notes = (
        Note.objects.for_user(user)
        .select_related("application__candidate", "application__posting", "author")
        .order_by("-created_at", "-pk")[:ACTIVITY]
    )
    return sorted(
        chain(
            ({"at": c.at, "change": c, "application": c.application} for c in changes),
            ({"at": n.created_at, "note": n, "application": n.application} for n in notes),
        ),
        key=lambda entry: entry["at"],
        reverse=True,
    )[:ACTIVITY]
