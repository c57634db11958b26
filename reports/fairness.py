"""The fairness report of one posting: how many people of each self-identified group reached
each stage, and whether any step selected one group at a markedly lower rate than another.

Everything is counted in the database, in one grouped query per posting: the rows that come
back are (answer combination, counts), never applications. The survey answers are read here
only as counts; no name or application leaves this module.

What a "selection" is:
- A stage transition (Applied -> Screen, ...): of the applications that reached the earlier
  stage and were decided there, the share that reached the later one. Decided means moved on,
  or rejected; applications still waiting, and applicants who withdrew, are left out of that
  step. "Reached" reads the stage history, so someone now further on counts at every stage
  they passed; a stage skipped on the way up counts as passed.
- A knock-out question: of the applications that answered it, the share whose answer did not
  knock them out.

Adverse impact, per characteristic (gender, race / ethnicity, ...): each group's selection
rate, divided by the highest rate among the groups large enough to compare (the impact
ratio). A ratio under 0.8 is flagged: the "four-fifths rule" of the US Uniform Guidelines on
Employee Selection Procedures (29 CFR 1607.4(D)). Beside it, the two-sided p-value of Fisher's
exact test on the 2x2 table (group vs the highest-rate group, selected vs not). Groups under
MIN_GROUP people at a step are shown as "<5" and never compared, and neither are people who
declined or did not answer.
"""

from dataclasses import dataclass, field
from itertools import pairwise
from math import isfinite

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from applications.models import Answer, Application, Stage, StageChange
from postings.models import Posting, Question
from reports import survey
from reports.models import SurveyResponse

MIN_GROUP = 5
FOUR_FIFTHS = 0.8
EXITS = (Stage.Kind.REJECTED, Stage.Kind.WITHDRAWN)
NOT_ANSWERED = ""
NOT_ANSWERED_LABEL = "No answer"


def shown(count: int) -> str:
    """A count as the report prints it: 1 to 4 people are "<5", so that nobody in a small
    group can be picked out."""
    return "<5" if 0 < count < MIN_GROUP else str(count)


def fisher_p(table: tuple[tuple[int, int], tuple[int, int]]) -> float:
    """Two-sided p-value of Fisher's exact test on [[a, b], [c, d]]."""
    # Imported here: SciPy is large, and only this report needs it.
    from scipy.stats import fisher_exact

    return float(fisher_exact(table, alternative="two-sided").pvalue)


@dataclass
class GroupResult:
    value: str
    label: str
    total: int  # decided at this step (or answered the question)
    selected: int
    reference: bool = False
    ratio: float | None = None
    p_value: float | None = None

    @property
    def too_few(self) -> bool:
        return self.total < MIN_GROUP

    @property
    def rate(self) -> float | None:
        return self.selected / self.total if self.total else None

    @property
    def flagged(self) -> bool:
        return self.ratio is not None and self.ratio < FOUR_FIFTHS

    @property
    def total_shown(self) -> str:
        return shown(self.total)


@dataclass
class Comparison:
    """One characteristic at one step: its groups, compared to the highest-rate group."""

    characteristic: survey.SurveyQuestion
    groups: list[GroupResult]

    @property
    def compared(self) -> bool:
        return any(group.ratio is not None for group in self.groups)

    @property
    def flags(self) -> list[GroupResult]:
        return [group for group in self.groups if group.flagged]


@dataclass
class Step:
    key: str  # what ReportedFlag.step stores
    kind: str  # "stage" or "question"
    label: str
    comparisons: list[Comparison] = field(default_factory=list)

    @property
    def flags(self) -> list[tuple[Comparison, GroupResult]]:
        return [(c, group) for c in self.comparisons for group in c.flags]


@dataclass
class CountRow:
    label: str
    counts: list[str]  # per stage, as shown


@dataclass
class CountTable:
    characteristic: survey.SurveyQuestion
    rows: list[CountRow]


@dataclass
class FairnessReport:
    posting: Posting
    stages: list[Stage]
    respondents: int
    tables: list[CountTable]
    steps: list[Step]

    @property
    def flags(self) -> list[tuple[Step, Comparison, GroupResult]]:
        return [(step, c, group) for step in self.steps for c, group in step.flags]


def compare(characteristic, totals: dict[str, tuple[int, int]]) -> Comparison:
    """Compare the groups of one characteristic from {value: (total, selected)}."""
    groups = [
        GroupResult(value=value, label=label, total=total, selected=selected)
        for value, label in characteristic.groups
        for total, selected in [totals.get(value, (0, 0))]
    ]
    comparable = [group for group in groups if not group.too_few]
    if len(comparable) >= 2:
        best = max(comparable, key=lambda group: group.rate)
        if best.selected:
            best.reference = True
            for group in comparable:
                if group is best:
                    continue
                group.ratio = group.rate / best.rate
                p = fisher_p(
                    (
                        (group.selected, group.total - group.selected),
                        (best.selected, best.total - best.selected),
                    )
                )
                group.p_value = p if isfinite(p) else None
    return Comparison(characteristic=characteristic, groups=groups)


def _knocked_out(question: Question) -> Q:
    """The answers to `question` that its knock-out answer catches, as a filter on Answer."""
    answer = question.knockout_answer
    if question.kind == Question.Kind.YES_NO:
        return Q(value_bool=(answer == "yes"))
    if question.kind == Question.Kind.SINGLE_CHOICE:
        return Q(value_choices__0=answer)
    # A multiple choice: the answer is among the options ticked. Their list is short, so a
    # lookup per position (each works on every database) covers it.
    positions = range(max(len(question.choices), 1))
    q = Q()
    for position in positions:
        q |= Q(**{f"value_choices__{position}": answer})
    return q


def _answer(question: Question, *, knocked: bool = False):
    answers = Answer.objects.filter(application=OuterRef("pk"), question=question)
    if knocked:
        answers = answers.filter(_knocked_out(question))
    return Exists(answers)


def _reached_position():
    """The furthest stage an application reached, by pipeline position, from its history
    (and its current stage, for rows written without one)."""
    furthest = (
        StageChange.objects.filter(application=OuterRef("pk"))
        .exclude(to_stage__kind__in=EXITS)
        .order_by()
        .values("application")
        .annotate(m=Max("to_stage__position"))
        .values("m")
    )
    return Coalesce(Subquery(furthest, output_field=IntegerField()), Value(0))


def _survey_value(key: str):
    return Subquery(SurveyResponse.objects.filter(application=OuterRef("pk")).values(key)[:1])


def report(posting: Posting) -> FairnessReport:
    """The report of one posting, in three queries: its stages, its knock-out questions, and
    the grouped counts."""
    stages = [stage for stage in posting.stages.all() if stage.kind not in EXITS]
    questions = list(posting.questions.exclude(knockout_answer=""))
    asked = list(survey.QUESTIONS.values())
    keys = [question.key for question in asked]

    counts = {}
    for i, stage in enumerate(stages):
        counts[f"reached_{i}"] = Count("pk", filter=Q(reached__gte=stage.position))
    for i, (here, after) in enumerate(pairwise(stages)):
        moved_on = Q(reached__gte=after.position)
        rejected = Q(stage__kind=Stage.Kind.REJECTED)
        counts[f"decided_{i}"] = Count(
            "pk", filter=Q(reached__gte=here.position) & (moved_on | rejected)
        )
        counts[f"selected_{i}"] = Count("pk", filter=moved_on)
    for question in questions:
        answered = _answer(question)
        counts[f"answered_q{question.pk}"] = Count("pk", filter=answered)
        counts[f"passed_q{question.pk}"] = Count(
            "pk", filter=answered & ~_answer(question, knocked=True)
        )

    rows = list(
        Application.objects.counted()
        .filter(posting=posting)
        .alias(reached=_reached_position())
        .annotate(**{f"s_{k}": _survey_value(k) for k in keys})
        .order_by()
        .values(*[f"s_{k}" for k in keys])
        .annotate(**counts)
    )

    def totals(key: str, total: str, selected: str | None = None) -> dict:
        """{answer: (sum of `total`, sum of `selected`)} over the grouped rows."""
        out: dict[str, tuple[int, int]] = {}
        for row in rows:
            value = row[f"s_{key}"] or NOT_ANSWERED
            n, s = out.get(value, (0, 0))
            out[value] = (n + row[total], s + (row[selected] if selected else 0))
        return out

    # Characteristics somebody answered: a question this company does not ask shows nothing.
    asked = [q for q in asked if any(row[f"s_{q.key}"] for row in rows)]
    respondents = (
        sum(row["reached_0"] for row in rows if any(row[f"s_{k}"] for k in keys)) if stages else 0
    )

    tables = []
    for characteristic in asked:
        per_stage = [totals(characteristic.key, f"reached_{i}") for i in range(len(stages))]
        labelled = [
            *characteristic.choices,
            (NOT_ANSWERED, NOT_ANSWERED_LABEL),
        ]
        tables.append(
            CountTable(
                characteristic=characteristic,
                rows=[
                    CountRow(
                        label=label,
                        counts=[shown(stage.get(value, (0, 0))[0]) for stage in per_stage],
                    )
                    for value, label in labelled
                ],
            )
        )

    steps = []
    for i, (here, after) in enumerate(pairwise(stages)):
        step = Step(key=f"stage:{here.pk}:{after.pk}", kind="stage", label=f"{here} → {after}")
        for characteristic in asked:
            step.comparisons.append(
                compare(characteristic, totals(characteristic.key, f"decided_{i}", f"selected_{i}"))
            )
        steps.append(step)
    for question in questions:
        step = Step(key=f"question:{question.pk}", kind="question", label=question.label)
        for characteristic in asked:
            step.comparisons.append(
                compare(
                    characteristic,
                    totals(
                        characteristic.key,
                        f"answered_q{question.pk}",
                        f"passed_q{question.pk}",
                    ),
                )
            )
        steps.append(step)
    return FairnessReport(
        posting=posting, stages=stages, respondents=respondents, tables=tables, steps=steps
    )


def postings_with_answers():
    """Postings at least one surveyed applicant applied to, each with how many answered."""
    return (
        Posting.objects.filter(
            pk__in=SurveyResponse.objects.filter(application__erased_at__isnull=True).values(
                "application__posting"
            )
        )
        .annotate(
            respondents=Count(
                "applications",
                filter=Q(
                    applications__erased_at__isnull=True,
                    applications__pk__in=SurveyResponse.objects.values("application"),
                ),
            )
        )
        .order_by("title", "pk")
    )
