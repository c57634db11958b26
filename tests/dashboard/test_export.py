"""CSV export of a posting's applications: streamed, one column per question, formula-safe."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from dashboard.views_pipeline import csv_cell
from postings.models import Question
from tests import factories
from tests.dashboard.conftest import apply

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
        "Are you applying to the internship?",
        "Which team?",
    ]
    assert [row[:4] for row in body] == [
        ["Jane Doe", "jane@example.com", "'+1 415 555 0100", "Applied"],
        ["Ben Okafor", "ben@example.com", "", "Applied"],
    ]
    assert [row[5:] for row in body] == [["LinkedIn", "Yes", ""], ["Direct", "No", ""]]


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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Each hides a formula from a check of the first character only.
HIDDEN_FORMULAS = [
    "name;=1+1",
    "name,=1+1",
    "name\t=1+1",
    "name; =1+1",
    'name;"=1+1"',
    "name;;@SUM(A1:A9)",
    "name\n=1+1",
    "name;-2+3;+4",
]


def raw_export(client, posting) -> str:
    response = client.get(reverse("dashboard:export_csv", args=[posting.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_cell_starts_a_formula_whether_read_with_commas_or_semicolons(
    as_manager, posting, internship_question, delimiter
):
    """The real export, read back as a comma spreadsheet and as a semicolon one (German,
    French and other locales) would: no cell of either begins with a formula."""
    text_question = factories.QuestionFactory(
        posting=posting,
        label="Anything else?;=1+1",
        kind=Question.Kind.SHORT_TEXT,
        required=False,
        position=1,
    )
    for number, formula in enumerate(HIDDEN_FORMULAS):
        apply(
            posting,
            name=formula,
            email=f"evil{number}@example.com",
            source=f"ads;={number}",
            answers={internship_question: True, text_question: f"x,@{number}"},
        )
    text = raw_export(as_manager, posting)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    cells = [cell for row in rows for cell in row]
    assert len(rows) > len(HIDDEN_FORMULAS)
    starting = [c for c in cells if c.startswith(FORMULA_STARTS) or c.strip().startswith("=")]
    assert starting == []


def test_cells_holding_a_separator_are_quoted_and_read_back_whole(
    as_manager, posting, internship_question
):
    apply(posting, name="Ng; Anh\tVu, Jr.", email="ng@example.com", source="a;b")
    text = raw_export(as_manager, posting)
    assert '"Ng; Anh\tVu, Jr."' in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "Ng; Anh\tVu, Jr." and rows[1][5] == "Other"
    assert csv_cell("name;=1+1") == "name;'=1+1"


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
    assert {row[6] for row in rows[1:]} == {"Yes", "No"}
