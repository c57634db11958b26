"""The production topology on one machine: two gunicorn servers, two Celery workers and beat,
as separate processes sharing one PostgreSQL database, one Redis and one file store, the way
several machines share them.

An applicant applies through either server; a recruiter reads the candidate, downloads the
resume and moves the application through the other. Mid-load one server is killed outright
and one worker is stopped as a deployment stops it (SIGTERM). Every application a server
accepted is stored once, with every email it caused delivered exactly once to the SMTP sink.
"""

import hashlib
import signal
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
import requests

from tests.conftest import Bucket
from tests.notifications.conftest import free_port, wait_for
from tests.topology.site import (
    Processes,
    application_url,
    apply,
    apply_request,
    manage,
    pdf_resume,
    prepare,
    production_env,
    query,
    signed_in,
)

pytestmark = [pytest.mark.topology, pytest.mark.xdist_group("topology")]

APPLICATIONS = 24


@dataclass
class Machines:
    urls: list[str]
    processes: Processes
    database: str
    posting: int
    bucket: Bucket

    def query(self, sql: str, *args):
        return query(self.database, sql, *args)


@pytest.fixture
def machines(database, own_redis, smtp_sink, s3_server, tmp_path):
    bucket = Bucket(s3_server)
    env = production_env(
        database=database,
        redis_url=own_redis.url,
        smtp_port=smtp_sink.port,
        var=tmp_path / "var",
        DJANGO_LOG_LEVEL="INFO",
        ATS_APPLY_RATE_LIMIT="3",
        ATS_STAGE_EMAIL_HOLD_SECONDS="0",
        ATS_EMAIL_CLAIM_LEASE_SECONDS="15",
        ATS_STORAGE_URL=bucket.url,
    )
    posting = prepare(env)
    processes = Processes(log_dir=tmp_path, env=env)
    try:
        urls = [processes.web(name, free_port()) for name in ("web-a", "web-b")]
        for name in ("worker-1", "worker-2"):
            processes.celery(
                name,
                *("worker", "--concurrency=1", f"--hostname={name}@%h"),
                *("--without-mingle", "--without-gossip"),
            )
        processes.celery("beat", "beat", f"--schedule={tmp_path / 'beat-schedule'}")
        yield Machines(
            urls=urls, processes=processes, database=database, posting=posting, bucket=bucket
        )
    finally:
        processes.stop_all()


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
    # The page cache is shared too: a change made by another process (here a command) is on
    # both servers' careers pages at once, though each had the page cached.
    for url in (web_a, web_b):
        assert "Backend Engineer" in requests.get(f"{url}/", timeout=10).text
    manage(
        machines.processes.env,
        "shell",
        "-c",
        "from postings.models import Posting;"
        "p = Posting.objects.get(slug='backend-engineer'); p.title = 'Platform Engineer'; p.save()",
    )
    for url in (web_a, web_b):
        assert "Platform Engineer" in requests.get(f"{url}/", timeout=10).text
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
    candidate = application_url(web_b, machines.posting, application_pk)
    page = recruiter.get(candidate)
    assert page.status_code == 200 and f"Applicant {first}" in page.text
    resume = recruiter.get(f"{candidate}resume/download/")
    assert resume.status_code == 200
    assert hashlib.sha256(resume.content).digest() == hashlib.sha256(pdf_resume(first)).digest()
    # Every stored resume is in the one bucket; one the killed server uploaded but never
    # committed is an orphan the sweep finds, never a row without its file.
    resumes = [name for (name,) in machines.query("SELECT file FROM applications_resume")]
    assert len(resumes) == len(stored) and set(resumes) <= set(machines.bucket.names())
    swept = manage(machines.processes.env, "storage_orphans", "--grace-hours", "0")
    assert "Rows without file: 0" in swept
    [(screen_pk,)] = machines.query(
        "SELECT id FROM applications_stage WHERE posting_id = %s AND name = 'Screen'",
        machines.posting,
    )
    token = recruiter.cookies["csrftoken"]
    moved = recruiter.post(
        f"{candidate}move/",
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
