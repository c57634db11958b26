"""The mailbox's settings: off without a host, loud about anything wrong."""

import json

import pytest

from tests.project.test_settings import load_settings

PRINT_IMAP = (
    "import json, ats.settings as s; print(json.dumps([s.ATS_IMAP_HOST, s.ATS_IMAP_PORT,"
    " s.ATS_IMAP_SECURITY, s.ATS_IMAP_FOLDER, s.ATS_IMAP_PROCESSED_FOLDER,"
    " s.ATS_IMAP_MAX_MESSAGE_BYTES, 'fetch-replies' in s.CELERY_BEAT_SCHEDULE]))"
)
MAILBOX = {"ATS_IMAP_USER": "jobs", "ATS_IMAP_PASSWORD": "secret"}


def imap_settings(**env):
    result = load_settings(PRINT_IMAP, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_a_host_fetching_is_off_and_ssl_on_993_is_the_default():
    assert imap_settings() == [None, 993, "ssl", "INBOX", None, 15 * 1024 * 1024, True]
    assert imap_settings(ATS_IMAP_HOST="imap.example.com", **MAILBOX)[:3] == [
        "imap.example.com",
        993,
        "ssl",
    ]


def test_starttls_uses_143_and_the_folders_are_read():
    assert imap_settings(
        ATS_IMAP_HOST="imap.example.com",
        ATS_IMAP_SECURITY="STARTTLS",
        ATS_IMAP_FOLDER="Jobs",
        ATS_IMAP_PROCESSED_FOLDER="Jobs/Done",
        **MAILBOX,
    )[1:5] == [143, "starttls", "Jobs", "Jobs/Done"]


def test_a_password_in_clear_is_allowed_on_this_machine_or_when_asked_for():
    assert imap_settings(ATS_IMAP_HOST="127.0.0.1", ATS_IMAP_SECURITY="none", **MAILBOX)[2] == (
        "none"
    )
    assert imap_settings(
        ATS_IMAP_HOST="mail.internal",
        ATS_IMAP_SECURITY="none",
        ATS_IMAP_ALLOW_PLAINTEXT="true",
        **MAILBOX,
    )[2] == ("none")


@pytest.mark.parametrize(
    ("env", "named"),
    [
        (
            {"ATS_IMAP_HOST": "mail.example.com", "ATS_IMAP_SECURITY": "none", **MAILBOX},
            "ATS_IMAP_ALLOW_PLAINTEXT",
        ),
        ({"ATS_IMAP_SECURITY": "tls"}, "ATS_IMAP_SECURITY"),
        ({"ATS_IMAP_HOST": "mail.example.com"}, "ATS_IMAP_USER"),
        ({"ATS_IMAP_PORT": "imap"}, "ATS_IMAP_PORT"),
        ({"ATS_IMAP_MAX_MESSAGE_BYTES": "100"}, "ATS_IMAP_MAX_MESSAGE_BYTES"),
        ({"ATS_IMAP_TIMEOUT_SECONDS": "0"}, "ATS_IMAP_TIMEOUT_SECONDS"),
    ],
    ids=["plaintext-to-a-remote-host", "unknown-security", "no-login", "port", "limit", "timeout"],
)
def test_a_bad_mailbox_setting_stops_start_up_naming_it(env, named):
    result = load_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and named in result.stderr
