"""The conversations tests send through the real SMTP sink of the email tests."""

import pytest

from tests.notifications.conftest import smtp_email, smtp_sink  # noqa: F401


@pytest.fixture
def reply_address(settings):
    settings.ATS_REPLY_ADDRESS = "jobs@hiring.example"
    return settings.ATS_REPLY_ADDRESS
