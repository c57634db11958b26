import pytest

from applications.models import Candidate
from tests import factories


@pytest.fixture
def as_recruiter(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def add_url(posting):
    from django.urls import reverse

    return reverse("dashboard:add_candidate", args=[posting.pk])


@pytest.fixture
def add_data(posting, recruiter):
    def build(**overrides):
        data = {
            "name": "Sam Sourced",
            "email": "sam@example.com",
            "phone": "",
            "links": "https://www.linkedin.com/in/sam",
            "source": "sourced",
            "sourced_by": recruiter.pk,
            "stage": posting.stages.get(name="Screen").pk,
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return build


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def two_records(posting, other_posting):
    """One person under two addresses: Jane applied to A from work, to B from home."""
    work = factories.apply(posting, name="Jane Doe", email="jane@work.example")
    home = factories.apply(other_posting, name="Jane Doe", email="jane@home.example")
    return (
        Candidate.objects.get(pk=work.candidate_id),
        Candidate.objects.get(pk=home.candidate_id),
        work,
        home,
    )
