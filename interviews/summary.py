"""The scorecard summary of an application, for its candidate page: per step of the plan and
per attribute, who said what (strong opinions first), each interviewer's overall
recommendation and notes, and the decisions recorded so far.

Only submitted scorecards count: a draft is its author's until they submit it. Read in a
fixed number of queries, however many interviews and scorecards there are.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch

from interviews.models import (
    AttributeRating,
    Decision,
    Rating,
    Recommendation,
    Scorecard,
)
from interviews.policy import FeedbackPolicy
from interviews.progress import RECOMMENDATION_ORDER, Tally

STRONG_RATINGS = (Rating.STRONG_NO, Rating.STRONG_YES)
STRONG_RECOMMENDATIONS = (Recommendation.STRONG_NO, Recommendation.STRONG_YES)


@dataclass(frozen=True)
class Opinion:
    """What one interviewer said: a rating of an attribute, or their overall recommendation
    (then `scorecard` is theirs, with its notes)."""

    interviewer: object  # a User, or None once deleted
    label: str
    is_strong: bool
    is_positive: bool
    scorecard: object = None

    @classmethod
    def of_rating(cls, interviewer, value: int) -> "Opinion":
        return cls(interviewer, Rating(value).label, value in STRONG_RATINGS, value >= Rating.YES)

    @classmethod
    def of_scorecard(cls, scorecard) -> "Opinion":
        value = Recommendation(scorecard.recommendation)
        return cls(
            scorecard.interviewer,
            value.label,
            value in STRONG_RECOMMENDATIONS,
            value in (Recommendation.YES, Recommendation.STRONG_YES),
            scorecard,
        )


@dataclass
class AttributeSummary:
    attribute: object  # an Attribute
    opinions: list[Opinion] = field(default_factory=list)
    not_assessed: int = 0


@dataclass
class StepSummary:
    step: object  # an InterviewStep
    scorecards: list = field(default_factory=list)  # submitted, in the order submitted
    attributes: list[AttributeSummary] = field(default_factory=list)

    @property
    def recommendations(self) -> list[Opinion]:
        """Each interviewer's overall recommendation, strong ones first."""
        opinions = [Opinion.of_scorecard(card) for card in self.scorecards]
        return sorted(opinions, key=lambda o: not o.is_strong)

    @property
    def tallies(self) -> list[Tally]:
        return _tallies(card.recommendation for card in self.scorecards)


@dataclass
class ScorecardSummary:
    steps: list[StepSummary]
    decisions: list
    # Whether the viewer may read the others' feedback (see summary_for).
    visible: bool = True

    @property
    def tallies(self) -> list[Tally]:
        return _tallies(card.recommendation for step in self.steps for card in step.scorecards)

    @property
    def scorecard_count(self) -> int:
        return sum(len(step.scorecards) for step in self.steps)


def _tallies(recommendations) -> list[Tally]:
    counts = Counter(recommendations)
    return [Tally(Recommendation(r), counts[r]) for r in RECOMMENDATION_ORDER if counts[r]]


def scorecard_summary(application) -> ScorecardSummary:
    """Three queries: submitted scorecards (with interviewer and step), their ratings (with
    attribute), and the decisions."""
    scorecards = list(
        Scorecard.objects.submitted()
        .filter(interview__application=application)
        .select_related("interviewer", "interview__step__stage")
        .prefetch_related(
            Prefetch(
                "ratings",
                queryset=AttributeRating.objects.select_related("attribute").order_by(
                    "attribute__position", "attribute_id"
                ),
            )
        )
        .order_by("submitted_at", "pk")
    )
    steps: dict[int, StepSummary] = {}
    attributes: dict[int, AttributeSummary] = {}
    for card in scorecards:
        step = card.interview.step
        summary = steps.setdefault(step.pk, StepSummary(step=step))
        summary.scorecards.append(card)
        for rating in card.ratings.all():
            row = attributes.get(rating.attribute_id)
            if row is None:
                row = attributes[rating.attribute_id] = AttributeSummary(rating.attribute)
                summary.attributes.append(row)
            if rating.value is None:
                row.not_assessed += 1
            else:
                row.opinions.append(Opinion.of_rating(card.interviewer, rating.value))
    for summary in steps.values():
        summary.attributes.sort(key=lambda a: (a.attribute.position, a.attribute.pk))
        for row in summary.attributes:
            # Stable: among equally strong opinions, the first submitted stays first.
            row.opinions.sort(key=lambda o: not o.is_strong)
    ordered = sorted(
        steps.values(), key=lambda s: (s.step.stage.position, s.step.position, s.step.pk)
    )
    decisions = list(
        Decision.objects.filter(application=application).select_related(
            "decided_by", "to_stage", "rejection_reason"
        )
    )
    return ScorecardSummary(steps=ordered, decisions=decisions)


def summary_for(application, viewer) -> ScorecardSummary:
    """The summary as `viewer` may read it, by the feedback policy (interviews.policy). The
    candidate page opens only within a user's scope, whose people (recruiters, the hiring
    team) read everything; so only an interviewer's view costs the policy's queries."""
    summary = scorecard_summary(application)
    profile = getattr(viewer, "profile", None)
    if (
        profile is not None
        and profile.is_interviewer
        and not viewer.is_superuser
        and not FeedbackPolicy(viewer).sees_others_feedback(application)
    ):
        return ScorecardSummary(steps=[], decisions=summary.decisions, visible=False)
    return summary
