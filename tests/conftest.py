"""Shared fixtures: personas, an open posting like the demo one, services, and clean state."""

import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.cache import cache, caches

from tests import factories

REQUIRE_SERVICES = os.environ.get("ATS_REQUIRE_SERVICES") == "1"
TEST_REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def worker_index() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker.removeprefix("gw") or 0)


def redis_url(offset: int) -> str:
    """A Redis database of this xdist worker's own, so parallel tests never share keys."""
    parsed = urlparse(TEST_REDIS_URL)
    return parsed._replace(path=f"/{offset + worker_index()}").geturl()


def service_up(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def need(available: bool, reason: str):
    """Skip for a newcomer without the service; fail in CI, where nothing may skip."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing in CI: {reason}")
    pytest.skip(reason)


def pytest_configure(config):
    if settings.REDIS_URL:
        # Each xdist worker gets its own Redis databases: 1-4 for the page cache, 5-8 for the
        # rate limits (the Celery tests' broker is 9).
        settings.CACHES["default"]["LOCATION"] = redis_url(offset=1)
        settings.CACHES["ratelimit"]["LOCATION"] = redis_url(offset=5)


@pytest.fixture(autouse=True)
def _isolated_state(settings, tmp_path, request):
    """Private file storage in a temp dir, empty caches (pages and rate limits), and eager
    Celery unless a test brings a real worker."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Client.login() passes no request, which django-axes refuses; the lockout tests turn it on.
    settings.AXES_ENABLED = False
    # A real hasher costs most of a second per factory user; tests need no slow hashes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    caches["ratelimit"].clear()
    from ats.celery import app
    from notifications import services

    services._broker_down_until = None
    real_worker = "celery_worker" in request.fixturenames or request.node.get_closest_marker(
        "real_celery"
    )
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = not real_worker
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def private_root(settings):
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def posting(db):
    return factories.backend_engineer_posting()


@pytest.fixture
def skills_mismatch(db):
    """A rejection reason of the seeded list."""
    return factories.RejectionReasonFactory(label="Skills mismatch")


@pytest.fixture
def internship_question(posting):
    return posting.questions.get(label="Are you applying to the internship?")


@pytest.fixture
def recruiter(db):
    return factories.UserFactory(username="alice", role="recruiter")


@pytest.fixture
def hiring_manager(db, posting):
    user = factories.UserFactory(username="bob", role="hiring_manager")
    posting.hiring_team.add(user)
    return user


@pytest.fixture
def outsider(db):
    return factories.UserFactory(username="charlie", role="hiring_manager")


@pytest.fixture
def redis_available():
    need(service_up(TEST_REDIS_URL), f"Redis is not reachable at {TEST_REDIS_URL}")
    return TEST_REDIS_URL
