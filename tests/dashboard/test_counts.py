"""One count of a posting's applications: the home, the board, the postings list and the
pipeline tab show the same numbers, whatever is erased, withdrawn or rejected."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from applications.models import Application
from applications.services import erase, move_application, withdraw
from dashboard.services import reject
from tests.dashboard.conftest import apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(posting, application, recruiter, skills_mismatch):
    """Two applied (Jane, Ben), one in Interview, one rejected, one withdrawn, and two erased:
    one withdrawn first, one straight from Applied."""
    apply(posting, name="Ben Okafor", email="ben@example.com")
    interview = apply(posting, name="Ida Park", email="ida@example.com")
    move_application(application=interview, to_stage=posting.stages.get(name="Interview"))
    rejected = apply(posting, name="Rex Stone", email="rex@example.com")
    reject(application=rejected, by=recruiter, rejection_reason=skills_mismatch, notify=False)
    withdraw(application=apply(posting, name="Wes Lane", email="wes@example.com"))
    gone = apply(posting, name="Gus Gone", email="gus@example.com")
    withdraw(application=gone)
    erase(application=gone)
    erase(application=apply(posting, name="Fay Gone", email="fay@example.com"))
    return posting


EXPECTED = {
    "Applied": 2,
    "Screen": 0,
    "Interview": 1,
    "Offer": 0,
    "Hired": 0,
    "Rejected": 1,
    "Withdrawn": 1,
}


def test_every_page_shows_the_same_counts_for_a_posting(as_manager, mixed):
    home = as_manager.get(reverse("dashboard:home")).context["postings"]
    [on_home] = [p for p in home if p.pk == mixed.pk]
    assert {stage.name: n for stage, n in on_home.stage_counts} == EXPECTED
    assert on_home.total == 5

    board = as_manager.get(reverse("dashboard:board", args=[mixed.pk])).context
    assert {column.stage.name: column.count for column in board["columns"]} == EXPECTED
    assert board["total"] == 5

    listed = as_manager.get(reverse("dashboard:postings")).context["postings"]
    [in_list] = [p for p in listed if p.pk == mixed.pk]
    assert (in_list.application_count, in_list.new_count) == (5, 2)

    tab = as_manager.get(reverse("dashboard:posting_stages", args=[mixed.pk])).context
    assert {stage.name: stage.application_count for stage in tab["stages"]} == EXPECTED


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="EXPLAIN's plan is PostgreSQL's own here"
)
def test_the_boards_counts_read_the_counted_index_alone(mixed):
    # The planner picks by table size: with a handful of rows it reads the table, so the
    # question asked here is whether the index alone can answer the board's count query.
    counts = Application.objects.filter(posting=mixed).stage_count_rows()
    sql, params = counts.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # application_cards_idx holds the same two columns first (and is the one a handful of
    # rows may be read from); either answers the count without the table.
    assert re.search(r"Index Only Scan using application_(counted|cards)_idx", plan), plan
    assert dict(counts) == Application.objects.filter(posting=mixed).stage_counts()
