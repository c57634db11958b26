"""The site as production runs it, in processes of its own on this machine: environment,
database set-up, gunicorn and Celery processes, and a browser-like client for them."""

import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests

from applications.resumes import pdf_bytes_with_text
from tests.notifications.conftest import wait_for

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "correct horse battery staple"  # tests.factories' default
SEED = (
    "from tests.factories import UserFactory, backend_engineer_posting;"
    "posting = backend_engineer_posting();"
    "posting.hiring_team.add(UserFactory(username='alice', role='recruiter'));"
    "print(posting.pk)"
)


def production_env(*, database: str, redis_url: str, smtp_port: int, var: Path, **extra) -> dict:
    """This environment without the test run's settings, plus production's: DEBUG off, the
    given database, Redis (broker on its database 0, page cache on 1, rate limits on 2: the
    defaults) and SMTP server, and files in `var`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "ATS_", "SITE_"))
    }
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="topology-" + "k" * 60,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database,
        REDIS_URL=redis_url,
        ATS_VAR_DIR=str(var),
        ATS_PRIVATE_MEDIA_ROOT=str(var / "private"),
        # Each simulated applicant comes from an address of their own (X-Forwarded-For).
        ATS_NUM_PROXIES="1",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_TIMEOUT="5",
        WEB_CONCURRENCY="2",
        GUNICORN_THREADS="2",
        **extra,
    )
    return env


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def prepare(env: dict) -> int:
    """Migrate, collect static files and make the posting and its recruiter; the posting's pk."""
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    return int(manage(env, "shell", "-c", SEED).split()[-1])


def query(database: str, sql: str, *args) -> list[tuple]:
    with psycopg.connect(database) as connection:
        return connection.execute(sql, args).fetchall()


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

    def web(self, name: str, port: int) -> str:
        """A gunicorn server as `make serve` runs it, once it answers /readyz; its URL."""
        self.start(
            name, str(BIN / "gunicorn"), "-c", "ats/gunicorn.conf.py", "ats.wsgi", PORT=str(port)
        )
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: ready(url), timeout=60, message=f"{name} to answer")
        return url

    def celery(self, name: str, *args: str) -> subprocess.Popen:
        return self.start(name, str(BIN / "celery"), "-A", "ats", *args)

    def signal(self, name: str, sig: int) -> None:
        os.killpg(self.running[name].pid, sig)

    def stop(self, name: str) -> int:
        """TERM, as a deploy stops a process; its exit status."""
        self.signal(name, signal.SIGTERM)
        return self.running[name].wait(timeout=60)

    def log(self, name: str) -> str:
        return (self.log_dir / f"{name}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def ready(url: str) -> bool:
    try:
        return requests.get(f"{url}/readyz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


class Browser(requests.Session):
    """A client that keeps its cookies like a browser behind the TLS proxy would: production
    marks them Secure, and these servers are reached over plain HTTP on this machine."""

    def request(self, *args, **kwargs):
        response = super().request(*args, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


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


def apply(base: str, number: int, *, ip: str) -> int:
    """The apply form as a browser fills it: the page (CSRF cookie and token), then the POST."""
    prepared = apply_request(base, number, ip=ip)
    return requests.Session().send(prepared, allow_redirects=False, timeout=30).status_code


def signed_in(base: str) -> Browser:
    """The posting's recruiter, signed in on the server at `base`."""
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


def application_url(base: str, posting: int, application: int) -> str:
    return f"{base}/dashboard/postings/{posting}/applications/{application}/"
