"""Production serving as `make serve` runs it: the real gunicorn, through ats/gunicorn.conf.py.

The trust review's items 13 and 16: two idle sockets sending a partial body stalled the sync
workers of a server bound to 0.0.0.0, and status tokens were written to the access log.

One server for the module, on a free port, with its own SQLite database and one application:
it must keep answering while clients trickle their bodies in, and keep status tokens out of
every log line it writes.
"""

import logging
import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.notifications.conftest import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "ats" / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).parent / "gunicorn"

MAKE_APPLICATION = (
    "from tests.factories import backend_engineer_posting, submit;"
    "print(submit(backend_engineer_posting()).status_token)"
)


@dataclass
class Server:
    url: str
    port: int
    token: str  # a real application's status token
    stdout: Path
    stderr: Path

    def logs(self) -> str:
        return self.stdout.read_text() + self.stderr.read_text()


def clean_env(**extra) -> dict:
    """This environment without the test run's database, Redis or Django settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "ATS_", "HOST", "PORT", "WEB_"))
    }
    return {**env, **extra}


def get(url: str, *, timeout: float = 5, **headers) -> int:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def answers(url: str) -> bool:
    try:
        return get(url, timeout=1) == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = clean_env(ATS_VAR_DIR=str(var), PORT=str(port))
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    token = subprocess.run(
        [*manage, "shell", "-c", MAKE_APPLICATION],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    stdout, stderr = var / "stdout.log", var / "stderr.log"
    with stdout.open("w") as out, stderr.open("w") as err:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", str(CONFIG), "ats.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: answers(f"{url}/healthz"), timeout=30, message="gunicorn to start")
        yield Server(url=url, port=port, token=token, stdout=stdout, stderr=stderr)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_server_listens_on_this_machine_only_unless_host_says_otherwise(monkeypatch):
    for name in ("HOST", "PORT", "WEB_CONCURRENCY", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    config = runpy.run_path(str(CONFIG))
    assert config["bind"] == "127.0.0.1:8000"
    assert (config["worker_class"], config["workers"], config["threads"]) == ("gthread", 2, 4)
    monkeypatch.setenv("HOST", "0.0.0.0")  # noqa: S104
    monkeypatch.setenv("PORT", "9000")
    assert runpy.run_path(str(CONFIG))["bind"] == "0.0.0.0:9000"
    monkeypatch.setenv("HOST", "::1")
    assert runpy.run_path(str(CONFIG))["bind"] == "[::1]:9000"
    monkeypatch.setenv("GUNICORN_THREADS", "0")
    with pytest.raises(SystemExit, match="GUNICORN_THREADS"):
        runpy.run_path(str(CONFIG))


def test_make_serve_runs_gunicorn_with_the_config_on_127_0_0_1():
    dry_run = subprocess.run(
        ["make", "-n", "serve"],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    [command] = [line for line in dry_run.splitlines() if "gunicorn" in line]
    assert "HOST=127.0.0.1 PORT=8000" in command
    assert "-c ats/gunicorn.conf.py ats.wsgi" in command
    assert "--bind" not in command and "0.0.0.0" not in command  # noqa: S104


def test_two_idle_clients_sending_a_partial_body_do_not_stall_the_site(server):
    """Each sends its headers and the start of a form body, then nothing: the CSRF check
    waits for the rest of the body. With sync workers both workers waited, and the site with
    them; with threads, /healthz still answers at once."""
    head = (
        "POST /healthz HTTP/1.1\r\n"
        "Host: 127.0.0.1\r\n"
        f"Cookie: csrftoken={'a' * 32}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        "Content-Length: 100000\r\n\r\n"
        "csrfmiddlewaretoken="
    ).encode()
    idle = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(2)]
    try:
        for sock in idle:
            sock.sendall(head)
        time.sleep(0.5)  # the server has taken both before the probes below
        for _ in range(5):
            started = time.monotonic()
            assert get(f"{server.url}/healthz", timeout=5) == 200
            assert time.monotonic() - started < 1
    finally:
        for sock in idle:
            sock.close()


def test_status_tokens_are_replaced_in_the_request_log_and_in_djangos_logging(server):
    token, unknown = server.token, "B" * 43
    page = f"{server.url}/status/{token}/"
    assert get(page) == 200
    assert get(f"{page}data.json", Referer=page) == 200
    assert get(f"{server.url}/status/{unknown}/") == 404  # the view's own 404
    assert get(f"{page}no-such-page/", Referer=page) == 404  # the URL resolver's
    manage = f"{'e' * 30}:1xY0no:{'f' * 43}"
    assert get(f"{server.url}/my-applications/{manage}/") == 404  # a forged manage link
    assert get(f"{server.url}/accounts/reset/MQ/{'c' * 6}-{'d' * 32}/") == 200

    def logged() -> bool:  # the last request's line, redacted or not
        return "path=/accounts/reset/MQ/" in server.stderr.read_text()

    wait_for(logged, timeout=10, message="the request log line")
    logs = server.logs()
    assert token not in logs and unknown not in logs and "d" * 32 not in logs
    assert manage not in logs and "f" * 43 not in logs
    # One line per request, Django's own (gunicorn keeps no access log of its own).
    requests = server.stderr.read_text()
    assert "method=GET path=/status/<token>/ status=200" in requests
    assert "method=GET path=/status/<token>/data.json status=200" in requests
    assert "method=GET path=/accounts/reset/MQ/<token>/ status=200" in requests
    assert "method=GET path=/my-applications/<token>/ status=404" in requests
    assert "Not Found: /status/<token>/" in requests
    assert "Not Found: /status/<token>/no-such-page/" in requests
    assert server.stdout.read_text() == ""


def test_the_development_servers_log_replaces_status_tokens_too():
    """runserver logs each request on django.server, which does not propagate to the root."""
    seen = []

    class Capture(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())

    logger = logging.getLogger("django.server")
    capture = Capture()
    logger.addHandler(capture)
    try:
        logger.info('"%s" %s %s', f"GET /status/{'x' * 43}/erase/ HTTP/1.1", 200, 512)
        logger.info('"%s" %s %s', "GET /my-applications/eyJj:1xY0no:ab-c_d/ HTTP/1.1", 200, 9)
    finally:
        logger.removeHandler(capture)
    assert seen == [
        '"GET /status/<token>/erase/ HTTP/1.1" 200 512',
        '"GET /my-applications/<token>/ HTTP/1.1" 200 9',
    ]
