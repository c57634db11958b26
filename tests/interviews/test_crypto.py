"""Calendar passwords at rest: encrypted with ATS_CALENDAR_KEY, rotatable, never readable
without the key."""

import pytest
from cryptography.fernet import Fernet

from interviews import crypto


@pytest.fixture
def key(settings):
    settings.ATS_CALENDAR_KEY = Fernet.generate_key().decode()
    return settings.ATS_CALENDAR_KEY


def test_a_password_comes_back_only_through_the_key(key):
    token = crypto.encrypt("hunter2")
    assert "hunter2" not in token
    assert crypto.decrypt(token) == "hunter2"


def test_a_rotated_key_still_reads_what_the_old_one_wrote(key, settings):
    token = crypto.encrypt("hunter2")
    settings.ATS_CALENDAR_KEY = f"{Fernet.generate_key().decode()},{key}"
    assert crypto.decrypt(token) == "hunter2"
    assert crypto.decrypt(crypto.encrypt("new")) == "new"


def test_a_lost_key_asks_for_the_calendar_to_be_connected_again(key, settings):
    token = crypto.encrypt("hunter2")
    settings.ATS_CALENDAR_KEY = Fernet.generate_key().decode()
    with pytest.raises(crypto.CannotDecrypt, match="connect the calendar again"):
        crypto.decrypt(token)


def test_without_a_key_nothing_is_encrypted(settings):
    settings.ATS_CALENDAR_KEY = None
    assert not crypto.enabled()
    with pytest.raises(crypto.KeyMissing, match="ATS_CALENDAR_KEY is not set"):
        crypto.encrypt("hunter2")
