"""Knock-out questions: how many applications each knock-out answer flagged, and how many of
those were rejected.

Flagged: the application was flagged at submission (Application.knocked_out) and its answer
to this question is the question's knock-out answer, as the question stands now (a knock-out
answer changed later is matched against the old answers with its new value). Rejected: of the
flagged, those whose history shows them entering a rejected stage, whether automatically at
submission (the posting's auto-reject setting) or later by a person.

Two queries (the questions, then all their counts), whatever the number of applications.
"""

import json
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import BooleanField, Count, Exists, Expression, F, OuterRef, Q

from applications.models import Answer, Stage, StageChange
from postings.models import Question
from reports.sql import Covered


class ListHolds(Expression):
    """A JSON list column that holds `value`: PostgreSQL's containment, SQLite's json_each
    (Django's `contains` lookup on a JSONField is not available on SQLite)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, value: str):
        super().__init__()
        self.column = F(column)
        self.value = value

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        if connection.vendor == "postgresql":
            return f"({column} @> %s::jsonb)", [*params, json.dumps([self.value])]
        return (
            f"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value = %s)",  # noqa: S608  # nosec B608 # a compiled column
            [*params, self.value],
        )


@dataclass
class KnockoutRow:
    question_id: int
    posting: str
    question: str
    answer: str  # the knock-out answer, as the form shows it
    flagged: int
    rejected: int


def _hits(question: Question) -> Q:
    """Answers to `question` that are its knock-out answer."""
    if question.kind == Question.Kind.YES_NO:
        hit = Q(value_bool=question.knockout_answer == "yes")
    else:
        hit = Q(ListHolds("value_choices", question.knockout_answer))
    return Q(question_id=question.pk) & hit


def knockouts(covered: Covered) -> list[KnockoutRow]:
    questions = list(
        Question.objects.filter(posting__in=covered.postings.values("pk"))
        .exclude(knockout_answer="")
        .select_related("posting")
        .order_by("posting__title", "posting_id", "position", "pk")
    )
    if not questions:
        return []
    flagged = covered.applications.order_by().filter(knocked_out=True).values("pk")
    counts = (
        Answer.objects.filter(application__in=flagged)
        .filter(reduce(or_, (_hits(q) for q in questions)))
        .annotate(
            rejected=Exists(
                StageChange.objects.filter(
                    application=OuterRef("application_id"), to_stage__kind=Stage.Kind.REJECTED
                )
            )
        )
        .order_by()
        .values("question_id")
        .annotate(n=Count("pk"), n_rejected=Count("pk", filter=Q(rejected=True)))
    )
    by_question = {row["question_id"]: row for row in counts}
    return [
        KnockoutRow(
            question_id=q.pk,
            posting=q.posting.title,
            question=q.label,
            answer=q.knockout_answer.capitalize()
            if q.kind == Question.Kind.YES_NO
            else q.knockout_answer,
            flagged=by_question.get(q.pk, {}).get("n", 0),
            rejected=by_question.get(q.pk, {}).get("n_rejected", 0),
        )
        for q in questions
    ]
