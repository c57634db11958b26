"""What only PostgreSQL has: the plans read the GIN indexes.

The table is analyzed, but at the size a test can afford (1,500 rows) reading it whole is
honestly the cheapest plan, so these plans are taken with sequential and plain index scans
off: what they prove is that the conditions search writes can be answered by the GIN
indexes (a function of the row, or a mismatched operator class, would leave no plan but a
scan of every row). At 50,000 applications the planner picks these plans by itself for rare
words (0.1 ms where a scan takes 150 ms)."""

import re

import pytest
from django.db import connection

from applications.models import Application, Resume
from search import queries, services
from tests import factories
from tests.search.conftest import postgres_only

pytestmark = [postgres_only, pytest.mark.django_db]


@pytest.fixture
def many(posting):
    """1,500 applications with resumes of common words, one of which mentions Zanzibar."""
    applications = factories.bulk_applications(posting, 1500)
    Resume.objects.bulk_create(
        Resume(
            application=application,
            file="resumes/x.pdf",
            original_filename="cv.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            text=("Python Django PostgreSQL teamwork " * 20)
            + ("Zanzibar logistics" if i == 700 else ""),
        )
        for i, application in enumerate(applications)
    )
    services.reindex(a.pk for a in applications)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchdocument")
        cursor.execute("ANALYZE applications_application")
    return applications


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        # Until the test's transaction ends.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    return queryset.explain()


def test_a_rare_word_is_found_through_the_gin_index(many, posting):
    found = queries.matching(Application.objects.filter(posting=posting), queries.parse("zanzibar"))
    assert list(found.values_list("pk", flat=True)) == [many[700].pk]
    assert "Bitmap Index Scan on search_document_vector_idx" in plan(found)


def test_a_misspelt_name_is_found_through_the_trigram_indexes(many):
    Application.objects.filter(pk=many[3].pk).update(name="Bartholomew Quixote")
    services.reindex([many[3].pk])
    found = queries.matching_documents(queries.parse("bartolomew quixot"))
    assert set(found.values_list("application_id", flat=True)) == {many[3].pk}
    assert "Bitmap Index Scan on search_document_name_trgm_idx" in plan(found)


def test_the_vector_weighs_names_above_answers_above_resumes(posting):
    application = factories.apply(
        posting, name="Quinn Weights", email="qw@example.com", resume_text="Resumeword"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT vector::text FROM search_searchdocument WHERE application_id = %s",
            [application.pk],
        )
        (vector,) = cursor.fetchone()
    # Positions then weights: A for the name and address, C for the resume.
    assert "'quinn':1A" in vector and "'qw@example.com':3A" in vector
    assert re.search(r"'resumeword':\d+C", vector)


def test_a_phrase_is_loosened_to_its_words_for_the_index(posting):
    loose = queries._loosened(queries.parse('"machine learning" python'))
    assert loose == ("'machin' & 'learn' & 'python' | 'machine' & 'learning' & 'python'")
    # Nothing to loosen, or an exclusion a loosened phrase would widen.
    assert queries._loosened(queries.parse("python")) is None
    assert queries._loosened(queries.parse('"machine learning" -java')) is None


def _ranked_names(query: str) -> list[str]:
    found = queries.ranked(Application.objects.all(), queries.parse(query))
    return [document.application.name for document in found[: len(found)]]


def test_a_phrase_finds_the_most_recent_applications_with_the_words_together(posting, monkeypatch):
    def applicant(name, text):
        email = f"{name.split()[0].lower()}@example.com"
        return factories.apply(posting, name=name, email=email, resume_text=text)

    applicant("Old Together", "Worked on machine learning pipelines")
    applicant("Mid Together", "Machine learning at scale")
    applicant("New Together", "Loves machine learning")
    # The words apart: found by the loosened query, tested and passed over.
    applicant("Newest Apart", "Learning to run a machine shop")
    monkeypatch.setattr(queries, "RANK_LIMIT", 2)
    assert sorted(_ranked_names('"machine learning"')) == ["Mid Together", "New Together"]
    monkeypatch.setattr(queries, "RANK_LIMIT", 10)
    assert sorted(_ranked_names('"machine learning"')) == [
        "Mid Together",
        "New Together",
        "Old Together",
    ]
    assert _ranked_names('"machine shop" or "learning pipelines"') == [
        "Newest Apart",
        "Old Together",
    ]


@pytest.mark.parametrize(
    "text",
    [
        '"machine learning"',
        '"machine learning" or "shop floor"',
        '"a & b" learning',
        '"x:* learning"',
        '"!machine learning"',
        '"it\'s machine learning"',
        '"front-end developer"',
        '"the a"',
        '"(machine learning)" -shop',
    ],
)
def test_the_phrase_path_finds_what_the_plain_match_finds(posting, text):
    for number, resume in enumerate(
        [
            "Front-end developer doing machine learning",
            "Learning to run a machine shop floor",
            "It's machine learning, a & b",
            "Nothing relevant",
        ]
    ):
        factories.apply(
            posting, name=f"Person {number}", email=f"p{number}@example.com", resume_text=resume
        )
    everyone = Application.objects.all()
    query = queries.parse(text)
    exact = set(queries.matching(everyone, query).values_list("pk", flat=True))
    assert set(queries.ranked(everyone, query).application_ids) == exact
