"""Dashboard personas and data: Backend Engineer (posting A, Bob's team) with applicants, and
Data Scientist (posting B, another team) whose rows Bob must never reach."""

import pytest

from applications import services
from applications.resumes import check_resume
from postings.models import Question
from tests import factories


def apply(posting, *, name, email, answers=None, source="", resume_text=None, **applicant):
    """Submit through the real service, with a source and the resume text chosen."""
    upload = factories.pdf_upload(resume_text or f"{name} resume")
    questions = list(posting.questions.all())
    return services.submit_application(
        posting=posting,
        applicant=services.Applicant(name=name, email=email, **applicant),
        answers=answers if answers is not None else dict.fromkeys(questions, False),
        resume=check_resume(upload),
        resume_file=upload,
        source=services.Source(utm_source=source),
    )


@pytest.fixture
def other_posting(db):
    posting = factories.PostingFactory(title="Data Scientist", slug="data-scientist")
    factories.QuestionFactory(posting=posting, label="Do you know SQL?", position=0)
    return posting


@pytest.fixture
def other_manager(db, other_posting):
    user = factories.UserFactory(username="dana", role="hiring_manager")
    other_posting.hiring_team.add(user)
    return user


@pytest.fixture
def other_application(other_posting):
    return apply(other_posting, email="zoe@example.com", name="Zoe Other")


@pytest.fixture
def application(posting, internship_question):
    """Jane Doe, applying to the internship, from LinkedIn."""
    return apply(
        posting,
        name="Jane Doe",
        email="jane@example.com",
        answers={internship_question: True},
        source="linkedin",
        phone="+1 415 555 0100",
        resume_text="Jane Doe Python Django Kubernetes",
    )


@pytest.fixture
def as_recruiter(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def as_manager(client, hiring_manager):
    client.force_login(hiring_manager)
    return client


@pytest.fixture
def yes_no_question(posting):
    return posting.questions.get(kind=Question.Kind.YES_NO)
