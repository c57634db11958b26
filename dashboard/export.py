"""The CSV export of a posting's applications, read in batches with a fixed number of queries
each, so that 100,000 rows stream in seconds rather than a query per row.

The rows come from one query, read BATCH at a time (a server-side cursor on PostgreSQL), as
plain values rather than model objects; for each batch, one query reads its answers and one
the latest rejection reason of its rejected applications. Each batch is written out as one
piece of the response, so the first bytes (the header) leave before any query runs.
"""

import csv
import io
from functools import lru_cache
from itertools import islice

from django.utils import timezone

from applications.models import (
    ANSWER_COLUMNS,
    Answer,
    Stage,
    StageChange,
    display_value,
    source_of,
    typed_value,
)
from dashboard.csv_export import BOM, csv_cell

BATCH = 2000
HEADER = ["Name", "Email", "Phone", "Stage", "Submitted", "Source", "Rejection reason"]
_ROW = (
    "pk",
    "name",
    "candidate__email",
    "phone",
    "stage_id",
    "submitted_at",
    "utm_source",
    "referrer",
)


@lru_cache(maxsize=4096)
def _source(utm_source: str, referrer: str) -> str:
    # A few distinct values across a posting's applications: match each pair's patterns once.
    return source_of(utm_source, referrer).label


def csv_rows(applications, *, stages, questions, batch_size=None):
    """The export's text, a piece at a time: a byte-order mark and the header, then one piece
    per batch of `batch_size` applications (BATCH unless given), in submission order.
    `stages`: the posting's; `questions`: one column each, after the fixed ones."""
    batch_size = batch_size or BATCH
    # Every cell quoted: one holding a semicolon or a tab stays one cell wherever a quote
    # at its start is honoured, not only one holding the comma that minimal quoting sees.
    yield BOM + _write([[csv_cell(h) for h in HEADER + [q.label for q in questions]]])
    by_stage = {stage.pk: stage for stage in stages}
    rows = (
        applications.order_by("submitted_at", "pk")
        .values_list(*_ROW)
        .iterator(chunk_size=batch_size)
    )
    while batch := list(islice(rows, batch_size)):
        yield _write(_batch_rows(batch, by_stage, questions))


def _write(rows) -> str:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL).writerows(rows)
    return out.getvalue()


def _batch_rows(batch, by_stage, questions) -> list[list[str]]:
    ids = [row[0] for row in batch]
    answers = _answers(ids, questions)
    rejected = [row[0] for row in batch if by_stage[row[4]].kind == Stage.Kind.REJECTED]
    reasons = _rejection_reasons(rejected)
    zone = timezone.get_current_timezone()
    lines = []
    for pk, name, email, phone, stage_id, submitted_at, utm_source, referrer in batch:
        own = answers.get(pk, {})
        lines.append(
            [
                csv_cell(v)
                for v in [
                    name,
                    email,
                    phone,
                    by_stage[stage_id].name,
                    submitted_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                    _source(utm_source, referrer),
                    reasons.get(pk, ""),
                ]
            ]
            + [csv_cell(own.get(q.pk, "")) for q in questions]
        )
    return lines


def _answers(ids, questions) -> dict[int, dict[int, str]]:
    """{application id: {question id: the answer as read}} for a batch: one query."""
    kinds = {q.pk: q.kind for q in questions}
    found: dict[int, dict[int, str]] = {}
    if not kinds:
        return found
    answers = Answer.objects.filter(application_id__in=ids, question_id__in=kinds).values_list(
        "application_id", "question_id", *ANSWER_COLUMNS
    )
    for application_id, question_id, *columns in answers.order_by():
        value = typed_value(kinds[question_id], *columns)
        found.setdefault(application_id, {})[question_id] = display_value(value)
    return found


def _rejection_reasons(rejected_ids) -> dict[int, str]:
    """{application id: the reason of its latest rejection} for the rejected of a batch: one
    query (none when there are none). A reason given before a move out of Rejected is not
    the current one, which is why only the rejected are asked about."""
    if not rejected_ids:
        return {}
    changes = (
        StageChange.objects.filter(application_id__in=rejected_ids, rejection_reason__isnull=False)
        .order_by("application_id", "-at", "-id")
        .values_list("application_id", "rejection_reason__label")
    )
    latest: dict[int, str] = {}
    for application_id, label in changes:
        latest.setdefault(application_id, label)
    return latest
