"""Search's people and applications: Jane, Ben, Ada and Dev applying to Backend Engineer (Bob's
posting, tests/conftest.py), and Zoe to Data Scientist (Dana's), whose hits Bob never sees."""

import pytest
from django.db import connection

from tests import factories

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="full-text search (tsvector, GIN, pg_trgm) exists only on PostgreSQL; SQLite's "
    "fallback is tested in test_queries.py and test_page.py",
)


@pytest.fixture
def substring_fallback(monkeypatch):
    """SQLite's way of searching, whichever database runs the test: so that CI, on
    PostgreSQL, tests the fallback that `make run` uses too."""
    from search import queries

    monkeypatch.setattr(queries, "_postgres", lambda: False)


@pytest.fixture
def zoe(other_posting):
    return factories.apply(
        other_posting,
        name="Zoe Other",
        email="zoe@example.com",
        resume_text="Python Kafka statistics",
    )


@pytest.fixture
def as_recruiter(client, recruiter):
    client.force_login(recruiter)
    return client


def texts(response) -> list[str]:
    """The names of the results, in their order."""
    return [document.application.display_name for document in response.context["results"]]
