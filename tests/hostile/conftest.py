"""Fixtures for hostile input: a posting with a question of every kind, a valid submission to
spoil one field at a time, and a check that a rejected submission stored nothing."""

import uuid

import pytest
from hypothesis import HealthCheck, settings

from postings.models import Question
from tests.factories import QuestionFactory, pdf_upload
from tests.hostile.helpers import lasting_files, row_counts

# Fuzzing here is a fixed, repeatable sample: the same examples on every run and in CI, none
# kept between runs, no deadline for requests that render pages or touch PostgreSQL.
settings.register_profile(
    "hostile",
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
settings.load_profile("hostile")


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    # These tests send many submissions from one address on purpose.
    settings.APPLY_RATE_LIMIT = settings.APPLY_ATTEMPT_LIMIT = 100_000


@pytest.fixture
def hostile_posting(posting):
    """Backend Engineer with, besides its yes/no question, one question of every other kind."""
    kinds = [
        ("Short", Question.Kind.SHORT_TEXT, []),
        ("Long", Question.Kind.LONG_TEXT, []),
        ("Years", Question.Kind.NUMBER, []),
        ("Portfolio", Question.Kind.URL, []),
        ("Team", Question.Kind.SINGLE_CHOICE, ["Core", "Monetization"]),
        ("Languages", Question.Kind.MULTIPLE_CHOICE, ["Python", "Go"]),
    ]
    for position, (label, kind, choices) in enumerate(kinds, start=1):
        QuestionFactory(
            posting=posting,
            label=label,
            kind=kind,
            choices=choices,
            required=False,
            position=position,
        )
    return posting


@pytest.fixture
def questions(hostile_posting):
    """The posting's questions by label, the yes/no one as "Internship"."""
    by_label = {q.label: q for q in hostile_posting.questions.all()}
    by_label["Internship"] = by_label.pop("Are you applying to the internship?")
    return by_label


@pytest.fixture
def valid_data(questions):
    """A complete valid submission; override any field."""

    def build(**overrides):
        data = {
            "name": "Jane Doe",
            "email": f"jane.{uuid.uuid4().hex[:8]}@example.com",
            "phone": "+1 415 555 0100",
            "location": "Oakland, CA",
            "resume": pdf_upload(),
            "cover_letter": "I like building backends.",
            "links": "https://github.com/jane",
            questions["Internship"].field_name: "no",
            "consent": "on",
            "website": "",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build


@pytest.fixture
def nothing_stored(private_root):
    """Call it after a rejected submission: no row of any kind, no file but a resume that
    passed its checks, kept for the corrected try (applications/pending_resumes.py)."""

    def check():
        assert row_counts() == dict.fromkeys(row_counts(), 0)
        assert lasting_files(private_root) == []

    return check
