"""Fixtures of the interview tests: a real CalDAV server (Radicale), one per test process,
with the settings that let the ATS reach it on 127.0.0.1; and scheduling's people: Ivan and
Olga interview for the Backend Engineer posting's technical screen (Erin, the interviewer
persona, is not on these interviews); Alice schedules."""

import importlib.util
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from django.utils import timezone

from tests import factories
from tests.conftest import need

CALDAV_PASSWORD = "calendar-secret"
CALDAV_USERS = ["erin", "alice", "bob", "dana"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def radicale(tmp_path_factory):
    """The base URL of a Radicale server of this test process, with a password per user."""
    need(importlib.util.find_spec("radicale") is not None, "radicale is not installed")
    folder = tmp_path_factory.mktemp("radicale")
    users = folder / "users"
    users.write_text("".join(f"{name}:{CALDAV_PASSWORD}\n" for name in CALDAV_USERS))
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "radicale", "--config", "",
            "--server-hosts", f"127.0.0.1:{port}",
            "--auth-type", "htpasswd",
            "--auth-htpasswd-filename", str(users),
            "--auth-htpasswd-encryption", "plain",
            # No pause after a refused login: the first request of each client goes
            # without credentials and is refused once by design.
            "--auth-delay", "0",
            "--rights-type", "owner_only",
            "--storage-filesystem-folder", str(folder / "collections"),
            "--logging-level", "warning",
        ],
    )  # fmt: skip
    deadline = time.monotonic() + 15
    while not _answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("Radicale did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def calendar_settings(settings):
    """Calendar connections on, with a fresh key, and the local server allowed."""
    settings.ATS_CALENDAR_KEY = Fernet.generate_key().decode()
    settings.ATS_CALDAV_ALLOW_PRIVATE = True
    settings.ATS_CALDAV_BUDGET_SECONDS = 5
    return settings


@pytest.fixture
def new_calendar(radicale):
    """Make a calendar of this test's own for a user; returns (URL, caldav Calendar), talked to
    directly (not through the ATS) to put events in and read them back."""
    import caldav

    def make(username: str):
        client = caldav.DAVClient(url=radicale, username=username, password=CALDAV_PASSWORD)
        calendar = client.principal().make_calendar(
            name="Work", cal_id=f"work-{uuid.uuid4().hex[:8]}"
        )
        return str(calendar.url), calendar

    return make


def next_monday(hour: int = 10, weeks: int = 1) -> datetime:
    """A Monday at `hour`:00 UTC, at least `weeks` weeks ahead: inside default working hours
    and far past every cut-off."""
    today = timezone.now().astimezone(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return today + timedelta(days=(7 - today.weekday()) % 7 + 7 * weeks)


@pytest.fixture
def ivan(db):
    return factories.UserFactory(username="ivan", role="interviewer", last_name="Petrov, Jr.")


@pytest.fixture
def olga(db):
    return factories.UserFactory(username="olga", role="interviewer")


@pytest.fixture
def step(posting, ivan, olga):
    return factories.interview_step(posting, interviewers=[ivan, olga], duration_minutes=60)


@pytest.fixture
def monday():
    return next_monday()
