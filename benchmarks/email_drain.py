"""Email drain: a real Celery worker emptying an outbox of 1,000 emails into a local SMTP sink,
compared with sending the same 1,000 messages in a plain loop over one SMTP connection.

    .venv/bin/python -m benchmarks.email_drain [--emails 1000] [--concurrency N]

Everything runs on this machine and is thrown away afterwards: a redis-server child process on
a free port, an SQLite database in a temporary directory (or --database-url, a PostgreSQL
database the benchmark may fill and empty), an aiosmtpd sink in this process, and
`celery -A ats worker` child processes. It measures two ways of draining:

- sweep: rows already pending (say, after an outage); one sweep task sends them in batches,
  one SMTP connection per batch. This is how the outbox drains a backlog.
- per email: one send_email task per row, as queue_email() publishes them on commit when
  applications arrive one by one; one SMTP connection per email.

Worker start-up is not timed. Each run checks that the sink got every message exactly once.
"""

import argparse
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, interval: float = 0.02):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


class CountingSink:
    """An aiosmtpd handler that only counts Message-IDs (cheap, so the sink is not the test)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.ids: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        found = MESSAGE_ID.search(envelope.original_content or envelope.content)
        with self.lock:
            self.ids.append(found.group(1) if found else b"")
        return "250 OK"

    def reset(self):
        with self.lock:
            self.ids.clear()

    def count(self) -> int:
        with self.lock:
            return len(self.ids)

    def all_once(self, expected: int) -> bool:
        with self.lock:
            return len(self.ids) == expected == len(set(self.ids))


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--emails", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL database to use (it is migrated and its outbox emptied); "
        "default: SQLite in a temporary directory",
    )
    args = parser.parse_args(argv)
    if not shutil.which("redis-server"):
        raise SystemExit("redis-server is not installed (apt-get install redis-server)")

    workdir = Path(tempfile.mkdtemp(prefix="ats-email-drain-"))
    redis_port, smtp_port = free_port(), free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "ATS_"))
    }
    env.update(
        ATS_VAR_DIR=str(workdir),
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        DJANGO_LOG_LEVEL="WARNING",
    )
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ats.settings")

    children: list[subprocess.Popen] = []
    redis = subprocess.Popen(
        [
            *("redis-server", "--port", str(redis_port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no"),
        ],
        stdout=subprocess.DEVNULL,
    )
    children.append(redis)
    try:
        return run(args, env, workdir, smtp_port, children)
    finally:
        for child in reversed(children):
            if child.poll() is None and child is redis:
                child.kill()
            elif child.poll() is None:
                os.killpg(child.pid, signal.SIGKILL)  # the worker and its pool processes
            child.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def run(args, env, workdir, smtp_port, children):
    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.core.mail import get_connection
    from django.core.management import call_command
    from django.utils import timezone

    from notifications import delivery, tasks
    from notifications.models import OutboxEmail

    call_command("migrate", verbosity=0)
    OutboxEmail.objects.all().delete()
    sink = CountingSink()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    n = args.emails

    def make_rows(prefix: str) -> list[int]:
        now = timezone.now()
        OutboxEmail.objects.bulk_create(
            [
                OutboxEmail(
                    key=f"bench:{prefix}:{i}",
                    kind=OutboxEmail.Kind.APPLICATION_RECEIVED,
                    to=f"applicant{i}@example.com",
                    subject="We received your application for Backend Engineer",
                    body_text="Hi,\n\nThank you for applying. Follow your application here:\n"
                    f"https://jobs.example.com/status/{i:043d}/\n",
                    body_html=f'<p>Hi,</p><p><a href="https://jobs.example.com/status/{i:043d}/">'
                    "Follow your application</a></p>",
                    send_after=now,
                )
                for i in range(n)
            ],
            batch_size=500,
        )
        return list(
            OutboxEmail.objects.filter(key__startswith=f"bench:{prefix}:").values_list(
                "pk", flat=True
            )
        )

    # Baseline: the same messages, in a plain loop over one SMTP connection.
    ids = make_rows("loop")
    messages = [delivery.message_for(row) for row in OutboxEmail.objects.filter(pk__in=ids)]
    sink.reset()
    started = time.perf_counter()
    with get_connection() as connection:
        for message in messages:
            connection.send_messages([message])
    loop_seconds = time.perf_counter() - started
    assert sink.all_once(n), "the plain loop lost or repeated messages"
    OutboxEmail.objects.all().delete()

    log = workdir / "worker.log"
    worker = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "ats", "worker", "--loglevel=INFO"),
            *(f"--concurrency={args.concurrency}", "--without-mingle", "--without-gossip"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    children.append(worker)
    wait_for(lambda: b" ready." in log.read_bytes(), 60, "the worker to start")

    def drain(prefix: str, publish) -> float:
        ids = make_rows(prefix)
        sink.reset()
        started = time.perf_counter()
        publish(ids)
        wait_for(lambda: sink.count() >= n, 600, f"{n} emails", interval=0.01)
        wait_for(
            lambda: not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists(),
            60,
            "every row marked sent",
        )
        seconds = time.perf_counter() - started
        assert sink.all_once(n), f"{prefix}: the worker lost or repeated messages"
        OutboxEmail.objects.all().delete()
        return seconds

    sweep_seconds = drain("sweep", lambda ids: tasks.sweep_outbox.delay())
    per_email_seconds = drain("task", lambda ids: [tasks.send_email.delay(pk) for pk in ids])
    controller.stop()

    database = "PostgreSQL" if args.database_url else "SQLite (WAL)"
    print(f"Email drain: {n} emails, {database}, worker --concurrency={args.concurrency}")
    print(f"Machine: {machine()}")
    print("| how | seconds | emails/s | time vs. plain loop |")
    print("| --- | ---: | ---: | ---: |")
    for label, seconds in [
        ("plain loop, one SMTP connection", loop_seconds),
        ("worker, sweep in batches of 50", sweep_seconds),
        ("worker, one task per email", per_email_seconds),
    ]:
        print(f"| {label} | {seconds:.2f} | {n / seconds:.0f} | {seconds / loop_seconds:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
