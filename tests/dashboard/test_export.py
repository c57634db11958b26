"""CSV export of a posting's applications: streamed, one column per question, formula-safe."""

import csv
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard import export as export_module
from dashboard.csv_export import csv_cell
from dashboard.services import move, reject
from postings.models import Question
from tests import factories
from tests.factories import apply

pytestmark = pytest.mark.django_db


def export(client, posting, **params):
    response = client.get(reverse("dashboard:export_csv", args=[posting.pk]), params)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return response, list(csv.reader(io.StringIO(text)))


def test_the_export_has_a_column_per_question_and_a_row_per_application(
    as_manager, posting, application, internship_question
):
    factories.QuestionFactory(
        posting=posting,
        label="Which team?",
        kind=Question.Kind.SINGLE_CHOICE,
        choices=["Core", "Ads"],
        required=False,
        position=1,
    )
    apply(posting, name="Ben Okafor", email="ben@example.com", answers={internship_question: False})
    response, rows = export(as_manager, posting)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="backend-engineer-applications-'
    )
    header, *body = rows
    assert header == [
        "Name",
        "Email",
        "Phone",
        "Stage",
        "Submitted",
        "Source",
        "Rejection reason",
        "Are you applying to the internship?",
        "Which team?",
    ]
    assert [row[:4] for row in body] == [
        ["Jane Doe", "jane@example.com", "'+1 415 555 0100", "Applied"],
        ["Ben Okafor", "ben@example.com", "", "Applied"],
    ]
    assert [row[5:] for row in body] == [["LinkedIn", "", "Yes", ""], ["Direct", "", "No", ""]]


def test_a_rejected_applications_row_gives_its_rejection_reason(
    as_manager, posting, application, recruiter, skills_mismatch
):
    ben = apply(posting, name="Ben Okafor", email="ben@example.com")
    reject(application=application, by=recruiter, rejection_reason=skills_mismatch)
    reject(application=ben, by=recruiter, rejection_reason=skills_mismatch)
    move(application=ben, to_stage=posting.stages.get(name="Screen"), by=recruiter)
    _, rows = export(as_manager, posting)
    assert rows[0][6] == "Rejection reason"
    by_name = {row[0]: (row[3], row[6]) for row in rows[1:]}
    # Ben was rejected, then brought back: the reason belongs to a stage he left.
    assert by_name == {"Jane Doe": ("Rejected", "Skills mismatch"), "Ben Okafor": ("Screen", "")}


def test_cells_that_a_spreadsheet_would_run_are_quoted(as_manager, posting, internship_question):
    apply(
        posting,
        name='=HYPERLINK("http://evil.example","click")',
        email="evil@example.com",
        source="-2+3",
    )
    _, rows = export(as_manager, posting)
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","click")'
    # The source column names the vocabulary, never the link's own text.
    assert rows[1][5] == "Other"
    for value in ["=1+1", "+1", "-1", "@x", "\tx", "\rx"]:
        assert csv_cell(value) == "'" + value
    assert csv_cell("Jane") == "Jane" and csv_cell(None) == ""


def test_the_export_follows_the_boards_filters(
    as_manager, posting, application, internship_question
):
    apply(posting, name="Ben Okafor", email="ben@example.com", answers={internship_question: False})
    _, rows = export(as_manager, posting, **{f"answer_{internship_question.pk}": "no"})
    assert [row[0] for row in rows[1:]] == ["Ben Okafor"]


def test_a_large_export_streams_every_row(as_recruiter, posting):
    factories.bulk_applications(posting, 600)  # more than one 500-row chunk
    _, rows = export(as_recruiter, posting)
    assert len(rows) == 601
    assert {row[7] for row in rows[1:]} == {"Yes", "No"}


def export_queries(client, posting) -> tuple[int, list[list[str]]]:
    """(queries the export ran while its body was read, its rows)."""
    with CaptureQueriesContext(connection) as queries:
        _, rows = export(client, posting)
    return len(queries), rows


def test_the_export_reads_a_fixed_number_of_queries_per_batch(
    as_recruiter, posting, recruiter, skills_mismatch, monkeypatch
):
    # Batches of 5: 5 and 15 applications, a rejected one in every batch, so that each
    # batch reads its answers and its rejection reasons.
    monkeypatch.setattr(export_module, "BATCH", 5)
    rejected = posting.stages.get(name="Rejected")
    factories.QuestionFactory(posting=posting, kind=Question.Kind.YES_NO, label="Relocate?")
    counts = {}
    for total in (5, 15):
        factories.bulk_applications(posting, total - posting.applications.count())
        in_order = posting.applications.order_by("submitted_at", "pk").select_related("stage")
        for application in list(in_order)[::5]:
            if application.stage != rejected:
                reject(application=application, by=recruiter, rejection_reason=skills_mismatch)
        counts[total], rows = export_queries(as_recruiter, posting)
        assert len(rows) == total + 1
        assert sum(row[6] == "Skills mismatch" for row in rows[1:]) == len(
            posting.applications.filter(stage=rejected)
        )
        assert {row[7] for row in rows[1:]} == {"Yes", "No"}
    # Two batches more, two queries each: the answers and the rejection reasons.
    assert counts[15] - counts[5] == 2 * 2
    # Session, user, profile, the posting and its stages, questions and the rows: the rest is
    # the first batch's two.
    assert counts[5] == 9
