"""Faults with real processes: Redis going away under the web process, and a worker killed
with SIGKILL in the middle of sending. Each test runs its own redis-server."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import transaction

from notifications import delivery, services, tasks
from notifications.models import OutboxEmail
from notifications.services import queue_email
from tests.factories import submit
from tests.notifications.conftest import SmtpSink, project_celery_config, wait_for

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.redis,
    pytest.mark.xdist_group("celery"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def broker_url(own_redis):
    return own_redis.url


@pytest.fixture
def celery_config(broker_url, concurrent_database):
    # Workers started as `celery -A ats worker` consume Celery's default queue.
    return project_celery_config(broker_url, own_queue=False)


def publish_sweep() -> bool:
    """Ask the worker for a sweep; False while the broker cannot take the message yet."""
    try:
        tasks.sweep_outbox.delay()
    except Exception:
        return False
    return True


def statuses() -> dict[str, int]:
    counts = {}
    for status in OutboxEmail.objects.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def test_with_redis_down_submissions_stay_prompt_and_every_email_goes_out_once_it_is_back(
    celery_worker, own_redis, smtp_email, posting
):
    def apply(number):
        started = time.monotonic()
        submit(posting, email=f"applicant{number}@example.com", name=f"Applicant {number}")
        return time.monotonic() - started

    # A Redis that still accepts connections but answers nothing: the first publish waits for
    # the socket timeout, then the web process stops trying for a while.
    own_redis.freeze()
    durations = [apply(number) for number in range(5)]
    # A Redis that is gone: a fresh web process (no back-off yet) tries, and fails at once.
    own_redis.stop()
    services._broker_down_until = None
    durations += [apply(number) for number in range(5, 50)]

    assert len(durations) == 50
    assert max(durations) < 5, durations  # a guard against hanging, not a benchmark
    assert statuses() == {"pending": 50}
    assert smtp_email.count() == 0

    own_redis.start()  # same port; the worker reconnects by itself
    wait_for(publish_sweep, timeout=30, interval=0.5, message="the broker to take a sweep")
    wait_for(lambda: statuses() == {"sent": 50}, timeout=45, message="50 emails sent")

    counts = smtp_email.message_id_counts()
    assert len(counts) == 50 and set(counts.values()) == {1}  # every email, each once
    assert sorted(r.to[0] for r in smtp_email.received) == sorted(
        f"applicant{number}@example.com" for number in range(50)
    )
    assert {r.subject for r in smtp_email.received} == {
        "We received your application for Backend Engineer"
    }


class WorkerProcess:
    """`celery -A ats worker` as a child process group, configured through the environment
    like a deployment: this test's Redis, its PostgreSQL database and the SMTP sink."""

    def __init__(self, *, env: dict, log_dir: Path):
        self.env = env
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen] = []

    def start(self, name: str) -> subprocess.Popen:
        log = (self.log_dir / f"{name}.log").open("wb")
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "ats", "worker"),
                *("--pool=prefork", "--concurrency=2", "--loglevel=INFO", f"--hostname={name}@%h"),
                *("--without-mingle", "--without-gossip", "--without-heartbeat"),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the pool children die with it
        )
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def kill_all(self):
        for process in self.processes:
            self.kill(process)


def database_url(settings_dict) -> str:
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict["HOST"] or "127.0.0.1"
    return f"postgres://{auth}{host}:{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"


@pytest.fixture
def slow_sink():
    """50 ms between accepting a message and saying so: a kill is likely to land mid-send."""
    sink = SmtpSink(delay=0.05)
    sink.controller.start()
    yield sink
    sink.controller.stop()


@pytest.fixture
def worker_processes(own_redis, slow_sink, concurrent_database, settings, tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "ATS_"))
    }
    env.update(
        REDIS_URL=own_redis.url,
        DATABASE_URL=database_url(concurrent_database),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(slow_sink.port),
        EMAIL_TIMEOUT="1",
        # Short, so the sweep soon takes back what the killed worker held.
        ATS_EMAIL_CLAIM_LEASE_SECONDS="3",
        SITE_URL=settings.SITE_URL,
        DJANGO_LOG_LEVEL="WARNING",
    )
    workers = WorkerProcess(env=env, log_dir=tmp_path)
    yield workers
    workers.kill_all()


def test_a_worker_killed_mid_batch_loses_no_email_and_repeats_only_what_was_in_flight(
    celery_app, worker_processes, slow_sink
):
    celery_app.set_current()  # this process publishes to this test's Redis
    with transaction.atomic():
        rows = [
            queue_email(
                key=f"fault:{number}",
                kind=OutboxEmail.Kind.ERASURE,
                to=f"person{number}@example.com",
                template="erasure",
                context={"name": f"Person {number}"},
            )
            for number in range(100)
        ]  # on commit: 100 tasks published to Redis
    expected = {delivery.message_id(row): row.pk for row in rows}

    first = worker_processes.start("first")
    wait_for(lambda: slow_sink.count() >= 30, timeout=30, message="30 emails received")
    worker_processes.kill(first)  # SIGKILL: no warm shutdown, no acks, no cleanup
    received_at_kill = slow_sink.count()
    in_flight = set(
        OutboxEmail.objects.filter(status=OutboxEmail.Status.SENDING).values_list("pk", flat=True)
    )
    assert 0 < received_at_kill < 100, "the kill must land mid-batch"
    assert len(in_flight) <= 2  # one email per pool process

    worker_processes.start("second")

    def sweep_until_all_sent():
        publish_sweep()
        return statuses() == {"sent": 100}

    wait_for(sweep_until_all_sent, timeout=45, interval=1, message="all 100 emails sent")

    counts = slow_sink.message_id_counts()
    assert set(counts) == set(expected)  # every email arrived
    repeated = {expected[message_id] for message_id, n in counts.items() if n > 1}
    assert all(n <= 2 for n in counts.values())
    # Only an email in flight at the kill can arrive twice, and then as the same message
    # (one Message-ID), which receivers deduplicate. See "Email delivery" in README.md.
    assert repeated <= in_flight
    print(
        f"killed after {received_at_kill} of 100; {len(in_flight)} in flight; "
        f"{len(repeated)} delivered twice with the same Message-ID"
    )
