"""Shared fixtures: personas, an open posting like the demo one, services, and clean state."""

import os
import socket
import uuid
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.utils import timezone

from accounts.models import Profile
from applications.models import Application
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
    # What ats.queue reads: eager like the app, and a real worker's broker and queue.
    settings.CELERY_TASK_ALWAYS_EAGER = not real_worker
    if "celery_config" in request.fixturenames:
        config = request.getfixturevalue("celery_config")
        settings.CELERY_BROKER_URL = config["broker_url"]
        settings.CELERY_TASK_DEFAULT_QUEUE = config.get("task_default_queue", "celery")
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
def interviewer(db):
    """Erin interviews for the Backend Engineer posting; she sees only whom she interviews."""
    return factories.UserFactory(username="erin", role="interviewer")


@pytest.fixture
def outsider(db):
    return factories.UserFactory(username="charlie", role="hiring_manager")


@pytest.fixture
def redis_available():
    need(service_up(TEST_REDIS_URL), f"Redis is not reachable at {TEST_REDIS_URL}")
    return TEST_REDIS_URL


# The careers page cache, watched or on Redis (tests/postings and tests/hostile).


@pytest.fixture
def stored_timeouts(monkeypatch):
    """The timeout of every page the cache stores."""
    timeouts = []
    real_set = cache.set

    def spy(key, value, timeout=None, **kwargs):
        if key.startswith("careers:page:"):
            timeouts.append(timeout)
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    return timeouts


@pytest.fixture
def redis_cache(settings, redis_available):
    """The cache on Redis, under a key prefix of this test's own (no flush needed)."""
    import redis

    prefix = f"test-careers-{uuid.uuid4().hex}"
    location = redis_url(offset=1)
    settings.CACHES = {
        "default": {
            "BACKEND": "ats.cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
        }
    }
    yield
    client = redis.Redis.from_url(location)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


# The dashboard's people and applicants (tests/dashboard and tests/hostile): Bob signed in,
# Dana managing another posting, Jane and three more applying to Backend Engineer.


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
def application(posting, internship_question):
    """Jane Doe, applying to the internship, from LinkedIn."""
    return factories.apply(
        posting,
        name="Jane Doe",
        email="jane@example.com",
        answers={internship_question: True},
        source="linkedin",
        phone="+1 415 555 0100",
        resume_text="Jane Doe Python Django Kubernetes",
    )


@pytest.fixture
def as_manager(client, hiring_manager):
    client.force_login(hiring_manager)
    return client


@pytest.fixture
def applicants(posting, internship_question, application):
    """Jane (internship, linkedin, applied today) plus three more with varied answers."""
    ben = factories.apply(
        posting,
        name="Ben Okafor",
        email="ben@example.com",
        source="indeed",
        resume_text="Go Kafka gRPC",
    )
    ada = factories.apply(
        posting,
        name="Ada Moreno",
        email="ada@corp.example",
        answers={internship_question: True},
        resume_text="Rust distributed caching",
    )
    dev = factories.apply(
        posting, name="Dev Patel", email="dev@example.com", resume_text="Java Spring"
    )
    Application.objects.filter(pk=dev.pk).update(submitted_at=timezone.now() - timedelta(days=30))
    return {"jane": application, "ben": ben, "ada": ada, "dev": dev}


# The apply form (tests/applications and tests/hostile).


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
            "resume": factories.pdf_upload(),
            "cover_letter": "I like building backends.",
            "links": "https://github.com/jane",
            internship_question.field_name: "yes",
            "consent": "on",
            "website": "",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build


# The posting's team as the emails reach it (tests/notifications and tests/hostile).


@pytest.fixture
def digest_reader(posting):
    """Dana works the posting too, but reads a daily digest instead of an email each time."""
    user = factories.UserFactory(username="dana", role=Profile.Role.RECRUITER)
    Profile.objects.filter(user=user).update(new_application_email=Profile.EmailFrequency.DAILY)
    posting.hiring_team.add(user)
    return user


@pytest.fixture
def team(posting, hiring_manager, digest_reader, recruiter, outsider):
    """Bob (instant) and Dana (daily) are on the posting's team; Alice and Charlie are not."""
    return {"bob": hiring_manager, "dana": digest_reader, "alice": recruiter, "charlie": outsider}


@pytest.fixture
def apply(django_capture_on_commit_callbacks, posting):
    def apply(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return factories.submit(posting, **kwargs)

    return apply


# Interviews (tests/interviews, tests/dashboard and tests/hostile): Erin and Frank interview
# Jane for Backend Engineer.


@pytest.fixture
def frank(db):
    return factories.UserFactory(username="frank", role="interviewer")


@pytest.fixture
def screen_step(posting):
    return factories.interview_step(
        posting, guidance="Ask about a system they scaled.", attributes=("Python", "Design")
    )


@pytest.fixture
def held_interview(application, screen_step, interviewer, frank):
    """Jane's technical screen with Erin and Frank, over for an hour and a quarter."""
    starts = timezone.now() - timedelta(minutes=screen_step.duration_minutes + 75)
    return factories.scheduled_interview(
        application, screen_step, interviewers=[interviewer, frank], starts_at=starts
    )


@pytest.fixture
def upcoming_interview(application, screen_step, interviewer):
    """Tomorrow's interview with Erin."""
    return factories.scheduled_interview(application, screen_step, interviewers=[interviewer])


@pytest.fixture
def ratings(screen_step):
    """Strong yes on Python, Design not assessed."""
    python, design = screen_step.attributes.all()
    return {python.pk: 4, design.pk: None}


# Private storage in a bucket (tests/storage): moto's S3 server, a real HTTP server on a free
# port, one per test session; a bucket of each test's own.


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """host:port of an S3-compatible server that lives as long as the test session."""
    import importlib.util
    import subprocess
    import sys
    import time

    need(
        importlib.util.find_spec("moto.server") is not None
        and importlib.util.find_spec("flask") is not None,
        "moto's S3 server is not installed (pip install -e '.[dev]' brings moto[server])",
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not service_up(f"http://127.0.0.1:{port}") and server.poll() is None:
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)
    up = server.poll() is None and service_up(f"http://127.0.0.1:{port}")
    if not up:
        server.kill()
    need(up, f"moto's S3 server did not start on port {port}")
    yield f"127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def bucket_storage(settings, monkeypatch):
    """Use private storage at this ATS_STORAGE_URL, configured as settings configure it."""
    from ats.env import env_bucket

    def use(url: str):
        monkeypatch.setenv("ATS_STORAGE_URL", url)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "ats.bucket.BucketStorage",
                "OPTIONS": env_bucket("ATS_STORAGE_URL"),
            },
        }

    return use


class Bucket:
    """A new bucket on the suite's S3 server: its name, its ATS_STORAGE_URL, a boto3 client."""

    def __init__(self, server: str):
        import boto3

        self.name = f"ats-test-{uuid.uuid4().hex[:16]}"
        self.url = f"s3://testing:testing-secret@{server}/{self.name}?region=eu-west-1&secure=false"
        self.client = boto3.client(
            "s3",
            endpoint_url=f"http://{server}",
            region_name="eu-west-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing-secret",
        )
        self.client.create_bucket(
            Bucket=self.name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )

    def names(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(entry["Key"] for entry in listed.get("Contents", ()))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def bucket(s3_server, bucket_storage):
    """Private storage in a new bucket of this test's own."""
    bucket = Bucket(s3_server)
    bucket_storage(bucket.url)
    return bucket
