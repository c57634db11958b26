import pytest

from tests.factories import pdf_upload


@pytest.fixture
def apply_url(posting):
    return f"/jobs/{posting.slug}/apply/"


@pytest.fixture
def form_data(internship_question):
    """A complete, valid submission for the Backend Engineer posting."""

    def build(**overrides):
        data = {
            "name": "Jane Doe",
            "email": "jane@example.com",
            "phone": "+1 415 555 0100",
            "location": "Oakland, CA",
            "resume": pdf_upload(),
            "cover_letter": "I like building backends.",
            "links": "https://github.com/jane",
            internship_question.field_name: "yes",
            "consent": "on",
            "website": "",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build
