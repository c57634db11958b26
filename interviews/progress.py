"""Where each application stands in its interviews, for the board's cards: the next one
scheduled, feedback due, all feedback in, and the submitted recommendations.

Read for a page of cards at once, in three queries whatever their number."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from interviews.models import Interview, InterviewerSeat, Recommendation, Scorecard

# Strong opinions first, then the rest, from the most to the least in favour.
RECOMMENDATION_ORDER = [
    Recommendation.STRONG_YES,
    Recommendation.STRONG_NO,
    Recommendation.YES,
    Recommendation.NO,
]


@dataclass(frozen=True)
class Tally:
    recommendation: Recommendation
    count: int

    @property
    def label(self) -> str:
        return f"{self.count} {self.recommendation.label.lower()}"

    @property
    def is_positive(self) -> bool:
        return self.recommendation in (Recommendation.YES, Recommendation.STRONG_YES)

    @property
    def is_strong(self) -> bool:
        return self.recommendation in (Recommendation.STRONG_YES, Recommendation.STRONG_NO)


@dataclass
class InterviewState:
    next_at: datetime | None = None
    awaiting_candidate: int = 0
    held: int = 0  # interviews whose time is past (no-shows not counted)
    feedback_due: int = 0  # interviewers of held interviews yet to submit
    recommendations: Counter = field(default_factory=Counter)

    @property
    def is_scheduled(self) -> bool:
        return self.next_at is not None

    @property
    def is_feedback_due(self) -> bool:
        return self.feedback_due > 0

    @property
    def is_all_feedback_in(self) -> bool:
        return self.held > 0 and self.feedback_due == 0

    @property
    def tallies(self) -> list[Tally]:
        return [
            Tally(recommendation, self.recommendations[recommendation])
            for recommendation in RECOMMENDATION_ORDER
            if self.recommendations[recommendation]
        ]

    @property
    def is_empty(self) -> bool:
        return not (self.next_at or self.awaiting_candidate or self.held or self.recommendations)


def interview_states(application_ids, *, now: datetime | None = None) -> dict:
    """{application id: InterviewState} for these applications (each one present)."""
    now = now or timezone.now()
    states = {pk: InterviewState() for pk in application_ids}
    if not states:
        return states
    held = {}  # interview id -> application id
    for pk, application_id, status, starts_at, ends_at in (
        Interview.objects.live()
        .filter(application_id__in=list(states))
        .values_list("pk", "application_id", "status", "starts_at", "ends_at")
    ):
        state = states[application_id]
        if status == Interview.Status.AWAITING_CANDIDATE:
            state.awaiting_candidate += 1
        elif status == Interview.Status.SCHEDULED and ends_at > now:
            if state.next_at is None or starts_at < state.next_at:
                state.next_at = starts_at
        elif status == Interview.Status.SCHEDULED:
            state.held += 1
            held[pk] = application_id
    submitted = set()
    for interview_id, interviewer_id, application_id, recommendation in (
        Scorecard.objects.submitted()
        .filter(interview__application_id__in=list(states))
        .values_list(
            "interview_id", "interviewer_id", "interview__application_id", "recommendation"
        )
    ):
        submitted.add((interview_id, interviewer_id))
        states[application_id].recommendations[recommendation] += 1
    # Read by the interviews' own conditions rather than their ids, so that the query runs
    # (and counts) the same whether or not any interview was held.
    seats = defaultdict(list)
    for interview_id, user_id in InterviewerSeat.objects.filter(
        interview__application_id__in=list(states),
        interview__status=Interview.Status.SCHEDULED,
        interview__ends_at__lte=now,
        active=True,
    ).values_list("interview_id", "user_id"):
        seats[interview_id].append(user_id)
    for interview_id, application_id in held.items():
        states[application_id].feedback_due += sum(
            (interview_id, user_id) not in submitted for user_id in seats[interview_id]
        )
    return states


def attach_interview_states(cards, *, now: datetime | None = None) -> None:
    """Set card.interview_state on each card."""
    states = interview_states([card.pk for card in cards], now=now)
    for card in cards:
        card.interview_state = states[card.pk]
