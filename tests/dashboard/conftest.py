"""Dashboard personas and data: Backend Engineer (posting A, Bob's team) with applicants, and
Data Scientist (posting B, another team) whose rows Bob must never reach. Bob signed in, Dana,
Jane's application and the applicants are in tests/conftest.py: tests/hostile uses them too."""

import pytest

from postings.models import Question
from tests.factories import apply


@pytest.fixture
def other_application(other_posting):
    return apply(other_posting, email="zoe@example.com", name="Zoe Other")


@pytest.fixture
def as_recruiter(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def yes_no_question(posting):
    return posting.questions.get(kind=Question.Kind.YES_NO)
