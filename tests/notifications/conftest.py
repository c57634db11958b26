"""Real components for the email tests: an SMTP sink, a Redis server of the test's own, and a
Celery app configured like the project's."""

import asyncio
import email
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import connection

from tests.conftest import need

# The shared Redis's cache databases are 1-3; the Celery tests' broker lives apart from them.
BROKER_DB = 9


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, interval: float = 0.05, message: str = ""):
    """Poll until predicate() is true. The timeout only guards against a hang."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message or predicate}")
        time.sleep(interval)


@dataclass(frozen=True)
class Received:
    message_id: str
    to: tuple[str, ...]
    subject: str
    message: email.message.Message


class SinkHandler:
    """Accepts everything, except recipients whose address asks otherwise:
    `transient...@` gets 451 (try later), `bounce...@` gets 550 (no such user).

    A message counts as delivered the moment its DATA is complete, as with a real server;
    the optional delay comes after that, before the 250 reply, which is where a client that
    dies would not learn that its message arrived.
    """

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.received: list[Received] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("transient"):
            return "451 4.3.0 Mailbox busy, try again later"
        if address.startswith("bounce"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        with self.lock:
            self.received.append(
                Received(
                    message_id=message["Message-ID"],
                    to=tuple(envelope.rcpt_tos),
                    subject=str(message["Subject"]),
                    message=message,
                )
            )
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 2.0.0 Message accepted for delivery"


class SmtpSink:
    def __init__(self, delay: float = 0.0):
        self.handler = SinkHandler(delay)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def count(self) -> int:
        with self.handler.lock:
            return len(self.handler.received)

    def message_id_counts(self) -> Counter:
        return Counter(item.message_id for item in self.received)


@pytest.fixture
def smtp_sink():
    sink = SmtpSink()
    sink.controller.start()
    yield sink
    sink.controller.stop()


@pytest.fixture
def smtp_email(settings, smtp_sink):
    """Django's SMTP backend, pointed at the sink."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    return smtp_sink


class RedisServer:
    """A redis-server child process of this test's own, on a free port: stopping it never
    disturbs the shared Redis."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, message="redis-server to start")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def freeze(self):
        """SIGSTOP: the port still accepts connections, but nothing answers."""
        self.process.send_signal(signal.SIGSTOP)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()  # works on a frozen process too
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def own_redis():
    need(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def project_celery_config(broker_url: str, *, own_queue: bool = True) -> dict:
    """The project's CELERY_* settings, as the test app's config, on the given broker.

    On a shared Redis, a queue of this run's own keeps parallel runs from taking each other's
    tasks; a Redis of the test's own can keep Celery's default queue.
    """
    config = {
        name.removeprefix("CELERY_").lower(): getattr(django_settings, name)
        for name in dir(django_settings)
        if name.startswith("CELERY_")
    }
    config.update(broker_url=broker_url, task_always_eager=False, beat_schedule={})
    if own_queue:
        config["task_default_queue"] = f"ats-test-{uuid.uuid4().hex[:12]}"
    return config


@pytest.fixture
def broker_url(redis_available):
    parsed = urlparse(redis_available)
    return parsed._replace(path=f"/{BROKER_DB}").geturl()


@pytest.fixture
def concurrent_database():
    """A real worker writes while the test reads, from another thread or process: that needs
    PostgreSQL. (SQLite's shared in-memory test database answers "table is locked".)"""
    need(
        connection.vendor == "postgresql",
        "real-worker tests need PostgreSQL (DATABASE_URL=postgres://...)",
    )
    return connection.settings_dict


@pytest.fixture
def celery_config(broker_url, concurrent_database):
    config = project_celery_config(broker_url)
    yield config
    # Leave nothing of this run's queue behind on the shared Redis.
    client = redis.Redis.from_url(broker_url)
    try:
        keys = list(client.scan_iter(match=f"*{config['task_default_queue']}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture(scope="session")
def celery_includes():
    return ["notifications.tasks", "applications.tasks"]
