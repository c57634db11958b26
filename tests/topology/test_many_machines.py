"""The production topology on one machine: two gunicorn servers, two Celery workers and beat,
as separate processes sharing one PostgreSQL database, one Redis and one file store, the way
several machines share them.

An applicant applies through either server; a recruiter reads the candidate, downloads the
resume and moves the application through the other. Mid-load one server is killed outright
and one worker is stopped as a deployment stops it (SIGTERM). Every application a server
accepted is stored once, with every email it caused delivered exactly once to the SMTP sink.
"""

import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import pytest
import requests

from applications.resumes import pdf_bytes_with_text
from tests.conftest import need
from tests.notifications.conftest import free_port, wait_for

pytestmark = [pytest.mark.topology, pytest.mark.xdist_group("topology")]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "correct horse battery staple"  # tests.factories' default
SEED = (
    "from tests.factories import UserFactory, backend_engineer_posting;"
    "posting = backend_engineer_posting();"
    "posting.hiring_team.add(UserFactory(username='alice', role='recruiter'));"
    "print(posting.pk)"
)
APPLICATIONS = 24


def pdf_resume(number: int) -> bytes:
    """A small valid PDF whose bytes differ per applicant, so each download is checkable."""
    return pdf_bytes_with_text(f"Applicant {number} Python Django PostgreSQL")


@dataclass
class Processes:
    log_dir: Path
    env: dict
    running: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str, *command: str, **env) -> subprocess.Popen:
        log = (self.log_dir / f"{name}.log").open("wb")
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: a kill reaches its workers too
        )
        self.running[name] = process
        return process

    def signal(self, name: str, sig: int) -> None:
        os.killpg(self.running[name].pid, sig)

    def log(self, name: str) -> str:
        return (self.log_dir / f"{name}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@pytest.fixture
def database():
    """A database of this test's own on the suite's PostgreSQL server: the processes below
    write to it while this test reads it, which no transaction of the test could hold."""
    url = os.environ.get("DATABASE_URL", "")
    need(url.startswith("postgres"), "the topology test needs PostgreSQL (DATABASE_URL)")
    name = f"ats_topology_{uuid.uuid4().hex[:10]}"
    admin = urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urlparse(url)._replace(path=f"/{name}").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def machines(database, own_redis, smtp_sink, tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "ATS_", "SITE_"))
    }
    web_ports = [free_port(), free_port()]
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="topology-" + "k" * 60,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_LOG_LEVEL="INFO",
        DATABASE_URL=database,
        # Broker on database 0, page cache on 1 and rate limits on 2: the defaults.
        REDIS_URL=own_redis.url,
        ATS_VAR_DIR=str(tmp_path / "var"),
        ATS_PRIVATE_MEDIA_ROOT=str(tmp_path / "shared-files"),
        # Each simulated applicant comes from an address of their own (X-Forwarded-For).
        ATS_NUM_PROXIES="1",
        ATS_APPLY_RATE_LIMIT="3",
        ATS_STAGE_EMAIL_HOLD_SECONDS="0",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_sink.port),
        EMAIL_TIMEOUT="5",
        ATS_EMAIL_CLAIM_LEASE_SECONDS="15",
        SITE_URL=f"http://127.0.0.1:{web_ports[0]}",
        WEB_CONCURRENCY="2",
        GUNICORN_THREADS="2",
    )
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True)
    seeded = subprocess.run(
        [*manage, "shell", "-c", SEED], cwd=ROOT, env=env, check=True, capture_output=True
    )
    posting_pk = int(seeded.stdout.split()[-1])

    processes = Processes(log_dir=tmp_path, env=env)
    celery = [str(BIN / "celery"), "-A", "ats"]
    try:
        for name, port in zip(("web-a", "web-b"), web_ports, strict=True):
            processes.start(
                name,
                str(BIN / "gunicorn"),
                "-c",
                "ats/gunicorn.conf.py",
                "ats.wsgi",
                PORT=str(port),
            )
        for name in ("worker-1", "worker-2"):
            processes.start(
                name,
                *celery,
                "worker",
                "--concurrency=1",
                f"--hostname={name}@%h",
                *("--without-mingle", "--without-gossip"),
            )
        processes.start("beat", *celery, "beat", f"--schedule={tmp_path / 'beat-schedule'}")
        urls = [f"http://127.0.0.1:{port}" for port in web_ports]
        for url in urls:
            wait_for(lambda url=url: _up(url), timeout=60, message=f"{url} to answer")
        yield Machines(urls=urls, processes=processes, database=database, posting=posting_pk)
    finally:
        processes.stop_all()


def _up(url: str) -> bool:
    try:
        return requests.get(f"{url}/readyz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


@dataclass
class Machines:
    urls: list[str]
    processes: Processes
    database: str
    posting: int

    def query(self, sql: str, *args):
        with psycopg.connect(self.database) as connection:
            return connection.execute(sql, args).fetchall()


class Browser(requests.Session):
    """A client that keeps its cookies like a browser behind the TLS proxy would: production
    marks them Secure, and these servers are reached over plain HTTP on this machine."""

    def request(self, *args, **kwargs):
        response = super().request(*args, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


def apply(base: str, number: int, *, ip: str) -> int:
    """The apply form as a browser fills it: the page (CSRF cookie and token), then the POST."""
    prepared = apply_request(base, number, ip=ip)
    return requests.Session().send(prepared, allow_redirects=False, timeout=30).status_code


def apply_request(base: str, number: int, *, ip: str) -> requests.PreparedRequest:
    """The apply form's POST, prepared but not sent (after the GET that gives its CSRF)."""
    session = Browser()
    headers = {"X-Forwarded-For": ip}
    page = session.get(f"{base}/jobs/backend-engineer/apply/", headers=headers, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answers = dict(re.findall(r'name="(question_\d+)"[^>]*value="(no)"', page.text))
    request = requests.Request(
        "POST",
        f"{base}/jobs/backend-engineer/apply/",
        headers={**headers, "Referer": f"{base}/jobs/backend-engineer/apply/"},
        data={
            "csrfmiddlewaretoken": token,
            "name": f"Applicant {number}",
            "email": f"applicant{number}@example.com",
            "consent": "on",
            "website": "",
            **answers,
        },
        files={"resume": (f"resume-{number}.pdf", pdf_resume(number), "application/pdf")},
        cookies=session.cookies,
    )
    return session.prepare_request(request)


def signed_in(base: str) -> requests.Session:
    session = Browser()
    login = f"{base}/accounts/login/"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', session.get(login).text)
    response = session.post(
        login,
        data={"csrfmiddlewaretoken": token.group(1), "username": "alice", "password": PASSWORD},
        headers={"Referer": login},
        allow_redirects=False,
    )
    assert response.status_code == 302, "the recruiter signs in"
    return session


def test_two_servers_and_two_workers_share_one_database_redis_and_file_store(machines, smtp_sink):
    sink = smtp_sink
    web_a, web_b = machines.urls
    answered: dict[int, int | None] = {}  # applicant number -> status (None: no answer)
    lock = threading.Lock()

    def applicant(number: int, base: str):
        try:
            status = apply(base, number, ip=f"10.0.{number // 250}.{number % 250 + 1}")
        except requests.RequestException:
            status = None
        with lock:
            answered[number] = status

    def wave(numbers, base=None):
        threads = [
            threading.Thread(target=applicant, args=(n, base or (web_a if n % 2 else web_b)))
            for n in numbers
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    wave(range(0, 8))
    assert set(answered.values()) == {302}, machines.processes.log("web-a")
    # The rate limits count in the shared Redis: after three applications from one address,
    # alternating between the servers, the fourth is refused.
    servers = [web_a, web_b, web_a, web_b]
    statuses = [apply(url, 1000 + n, ip="192.0.2.9") for n, url in enumerate(servers)]
    assert statuses == [302, 302, 302, 429]
    # Mid-load: one server dies without warning, one worker is stopped as a deploy stops it.
    killer = threading.Timer(0.2, machines.processes.signal, ("web-a", signal.SIGKILL))
    stopper = threading.Timer(0.4, machines.processes.signal, ("worker-1", signal.SIGTERM))
    killer.start()
    stopper.start()
    wave(range(8, APPLICATIONS))
    killer.join()
    stopper.join()
    assert machines.processes.running["worker-1"].wait(timeout=60) == 0, "a warm shutdown"
    # Whoever the dead server left without an answer tries again on the other one: applied
    # after all if their application had committed, newly otherwise.
    unanswered = sorted(n for n, status in answered.items() if status is None)
    assert unanswered, "the kill must land mid-load"
    wave(unanswered, base=web_b)
    assert set(answered.values()) == {302}

    stored = dict(
        machines.query(
            "SELECT c.email, a.id FROM applications_application a "
            "JOIN applications_candidate c ON c.id = a.candidate_id"
        )
    )
    assert sorted(stored) == sorted(
        f"applicant{n}@example.com" for n in [*range(APPLICATIONS), 1000, 1001, 1002]
    )

    # The other server reads what the first stored: the candidate, the resume, the move.
    first = 1  # applied through the server that is gone
    application_pk = stored[f"applicant{first}@example.com"]
    recruiter = signed_in(web_b)
    posting_url = f"{web_b}/dashboard/postings/{machines.posting}"
    page = recruiter.get(f"{posting_url}/applications/{application_pk}/")
    assert page.status_code == 200 and f"Applicant {first}" in page.text
    resume = recruiter.get(f"{posting_url}/applications/{application_pk}/resume/download/")
    assert resume.status_code == 200
    assert hashlib.sha256(resume.content).digest() == hashlib.sha256(pdf_resume(first)).digest()
    [(screen_pk,)] = machines.query(
        "SELECT id FROM applications_stage WHERE posting_id = %s AND name = 'Screen'",
        machines.posting,
    )
    token = recruiter.cookies["csrftoken"]
    moved = recruiter.post(
        f"{posting_url}/applications/{application_pk}/move/",
        data={"csrfmiddlewaretoken": token, "stage": screen_pk},
        headers={"Referer": page.url},
        allow_redirects=False,
    )
    assert moved.status_code == 302

    def all_sent() -> bool:
        [(unsent,)] = machines.query(
            "SELECT count(*) FROM notifications_outboxemail WHERE status <> 'sent'"
        )
        return unsent == 0

    wait_for(all_sent, timeout=90, interval=0.5, message="every email sent")
    message_ids = {
        row[0] for row in machines.query("SELECT message_id FROM notifications_outboxemail")
    }
    counts = sink.message_id_counts()
    lost = message_ids - set(counts)
    doubled = {message_id for message_id, n in counts.items() if n > 1}
    assert set(counts) == message_ids
    assert not lost and not doubled
    print(
        f"\napplications: {len(stored)} stored ({len(unanswered)} left unanswered by the "
        f"killed server and sent again); emails: {len(message_ids)} queued, "
        f"{sink.count()} delivered; lost 0, doubled 0"
    )

    # A deploy TERMs the remaining server while an upload is halfway through its body: the
    # server takes no new connection but finishes the request it has.
    prepared = apply_request(web_b, 2000, ip="192.0.2.20")
    head = f"POST {urlparse(prepared.url).path} HTTP/1.1\r\nHost: {urlparse(web_b).netloc}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in prepared.headers.items()) + "\r\n"
    body = prepared.body
    address = urlparse(web_b)
    with socket.create_connection((address.hostname, address.port)) as sock:
        sock.sendall(head.encode() + body[: len(body) // 2])
        time.sleep(0.5)
        machines.processes.signal("web-b", signal.SIGTERM)
        time.sleep(1)
        sock.sendall(body[len(body) // 2 :])
        reply = sock.recv(4096).decode(errors="replace")
    assert reply.startswith("HTTP/1.1 302"), reply
    assert machines.processes.running["web-b"].wait(timeout=40) == 0
    assert machines.query(
        "SELECT 1 FROM applications_candidate WHERE email = 'applicant2000@example.com'"
    )
