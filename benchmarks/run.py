"""Load benchmarks: the project's pages against a bare Django view, both under gunicorn.

    make bench                                   # = .venv/bin/python -m benchmarks.run
    .venv/bin/python -m benchmarks.run --quick   # a short run on SQLite, to try it out

For each database (SQLite, and PostgreSQL when reachable) it seeds a benchmark database with
`seed_demo --postings 500`, serves it with gunicorn (2 workers, production settings) beside a
bare Django view (benchmarks/bare.py) served the same way, and drives both with one load
generator (wrk when installed, else a Python one) in alternating rounds. Each page's
throughput is given as a ratio to the bare view's, with p50 and p95 latency, first with 100
applications and then with 100,000, all on the posting whose board is measured, each with a
3.5 KB resume text. Beside the load: the global search's latency (single words, phrases,
misses), the CSV export of that posting, and the gunicorn workers' resident memory.
Then the apply POST (a 200 KB PDF, a new email each time) with a real Celery worker sending
its email to a local SMTP server that answers at once, or only after 2 seconds.

Nothing here touches var/db.sqlite3: the SQLite database, collected static files and uploaded
resumes live under var/bench/, the PostgreSQL database is ats_bench (dropped afterwards), and
Redis is a redis-server child process on a free port. Full runs write their figures, and the
machine they ran on, into benchmarks/README.md; every run saves them in benchmarks/results/.
"""

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from dashboard import synthetic_resumes

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BENCH_DIR = ROOT / "var" / "bench"
RESULTS_DIR = Path(__file__).resolve().parent / "results"
README = Path(__file__).resolve().parent / "README.md"
BEGIN, END = "<!-- load-benchmark:begin -->", "<!-- load-benchmark:end -->"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/ats_bench"
BOARD_POSTING = "backend-engineer"  # the demo posting; its board is a dashboard page


# --- What is measured ---------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One page to load: adding a page to the benchmark is adding one of these."""

    name: str
    path: str  # may hold {board_posting}, filled in once the data is seeded
    login: bool = False  # sent with a recruiter's session cookie
    status: int = 200


# The board's search: the one place that says how the benchmark asks the board for a term, so
# that a change to the board's search parameter or syntax is made here. A word in about 30% of
# the resumes (dashboard.synthetic_resumes), so that the search has real matches to count.
BOARD_SEARCH_TERM = synthetic_resumes.COMMON_SKILLS[0]


def board_search_path(board_posting: str, term: str = BOARD_SEARCH_TERM) -> str:
    return f"/dashboard/postings/{board_posting}/board/?" + urllib.parse.urlencode({"q": term})


PAGES = [
    Page("careers page", "/"),
    Page("posting page", "/jobs/backend-engineer/"),
    Page("board of a posting", "/dashboard/postings/{board_posting}/board/", login=True),
]

# The global search: each query asked in turn, one at a time, for its latency. Words and
# phrases the synthetic resumes hold in a known share of them, and words none holds.
GLOBAL_SEARCH = "/dashboard/search/"
SEARCHES = {
    "single words": [*synthetic_resumes.COMMON_SKILLS[:4], *synthetic_resumes.RARE_SKILLS[:4]],
    "phrases": [f'"{phrase}"' for phrase in synthetic_resumes.PHRASES],
    "misses": list(synthetic_resumes.ABSENT_WORDS),
}


@dataclass(frozen=True)
class Dataset:
    name: str
    applications: int  # in all, spread over every open posting by seed_demo
    on_board: int  # of which on the board's posting


# All of them on the board's posting, each with a resume text of about 3.5 KB (seed_demo).
FULL = [Dataset("100 applications", 100, 100), Dataset("100,000 applications", 100_000, 100_000)]
QUICK = [Dataset("100 applications", 100, 100), Dataset("10,000 applications", 10_000, 10_000)]


@dataclass
class Run:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: int
    detail: str = ""

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class Measured:
    """Every round of one target in one dataset."""

    runs: list[Run] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(run, attribute) for run in self.runs)


# --- Small helpers --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"{url} did not come up in {timeout} s") from None
            time.sleep(0.2)


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Children:
    """Child processes, each in its own process group, all stopped on exit."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen] = []

    def start(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        logfile = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - kept for the child
        process = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def stop(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        if process in self.processes:
            self.processes.remove(process)

    def stop_all(self) -> None:
        for process in reversed(list(self.processes)):
            self.stop(process)


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def bench_fixture(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.fixtures", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"benchmarks.fixtures {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout.strip()


# --- Load generators ------------------------------------------------------------------------

WRK_SCRIPT = r"""
local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  expected = tonumber(args[1])
  bad = 0
  sent = 0
  if args[2] then
    local function slurp(path)
      local f = assert(io.open(path, "rb")); local s = f:read("*all"); f:close(); return s
    end
    head, middle, tail = slurp(args[2]), slurp(args[3]), slurp(args[4])
    prefix = args[5]
    wrk.method = "POST"
  end
end

function request()
  if head then
    sent = sent + 1
    local email = string.format("%s-%d-%d@example.com", prefix, id, sent)
    return wrk.format(nil, nil, nil, head .. email .. middle .. tail)
  end
  return wrk.format()
end

function response(status, headers, body)
  if status ~= expected then
    bad = bad + 1
    last_bad = status
  end
end

function done(summary, latency, requests)
  local b, last = 0, 0
  for _, thread in ipairs(threads) do
    b = b + thread:get("bad")
    last = thread:get("last_bad") or last
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "errors": %d, ' ..
    '"detail": "%d answers other than %d (last %d), socket errors: connect %d, read %d, ' ..
    'write %d, timeout %d"}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    b + e.connect + e.read + e.write + e.timeout, b, threads[1]:get("expected"), last,
    e.connect, e.read, e.write, e.timeout))
end
"""


@dataclass(frozen=True)
class Target:
    """A request to send over and over: a GET, or the apply POST (a new email each time)."""

    url: str
    status: int = 200
    headers: tuple = ()
    post: tuple | None = None  # (head, middle, tail, email prefix): body = head+email+middle+tail


class Wrk:
    name = "wrk"

    def __init__(self, connections: int, workdir: Path):
        self.connections = connections
        self.script = workdir / "bench.lua"
        self.script.write_text(WRK_SCRIPT)
        self.workdir = workdir
        self.version = (
            subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
            .stdout.split(" Copyright")[0]
            .strip()
        )

    def run(self, target: Target, seconds: float) -> Run:
        command = [
            "wrk",
            "-t1",
            f"-c{self.connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "-s",
            str(self.script),
        ]
        for name, value in target.headers:
            command += ["-H", f"{name}: {value}"]
        command += [target.url, "--", str(target.status)]
        if target.post:
            head, middle, tail, prefix = target.post
            paths = []
            for part, content in (("head", head), ("middle", middle), ("tail", tail)):
                path = self.workdir / f"post-{part}.bin"
                path.write_bytes(content)
                paths.append(str(path))
            # A new prefix for each run: every run's emails start again from 1.
            command += [*paths, f"{prefix}-{secrets.token_hex(3)}"]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        found = re.search(r"RESULT (\{.*\})", result.stdout)
        if not found:
            raise SystemExit(f"wrk failed:\n{result.stdout}{result.stderr}")
        data = json.loads(found.group(1))
        return Run(
            requests=data["requests"],
            seconds=data["duration_us"] / 1e6,
            p50_ms=data["p50_us"] / 1000,
            p95_ms=data["p95_us"] / 1000,
            errors=data["errors"],
            detail=data["detail"],
        )


class PythonLoad:
    """A fallback load generator: one thread per connection, http.client, no keep-alive (the
    sync gunicorn workers close every connection anyway). Slower than wrk: it takes CPU from
    the servers on a small machine, so ratios are the figures to compare."""

    name = "Python (http.client threads)"
    version = f"Python {platform.python_version()}"

    def __init__(self, connections: int, workdir: Path):
        self.connections = connections

    def run(self, target: Target, seconds: float) -> Run:
        parsed = urllib.parse.urlsplit(target.url)
        path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        latencies: list[float] = []
        errors = [0]
        run_id = secrets.token_hex(3)
        lock = threading.Lock()
        deadline = time.perf_counter() + seconds

        def worker(number: int):
            sent = 0
            mine, bad = [], 0
            while time.perf_counter() < deadline:
                body = None
                if target.post:
                    head, middle, tail, prefix = target.post
                    sent += 1
                    email = f"{prefix}-{run_id}-{number}-{sent}@example.com"
                    body = head + email.encode() + middle + tail
                started = time.perf_counter()
                try:
                    connection = http.client.HTTPConnection(
                        parsed.hostname, parsed.port, timeout=30
                    )
                    connection.request(
                        "POST" if body is not None else "GET", path, body, dict(target.headers)
                    )
                    response = connection.getresponse()
                    response.read()
                    connection.close()
                    ok = response.status == target.status
                except OSError:
                    ok = False
                mine.append(time.perf_counter() - started)
                bad += not ok
            with lock:
                latencies.extend(mine)
                errors[0] += bad

        started = time.perf_counter()
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(self.connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        latencies.sort()

        def percentile(p):
            return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000

        return Run(
            requests=len(latencies),
            seconds=elapsed,
            p50_ms=percentile(50) if latencies else 0,
            p95_ms=percentile(95) if latencies else 0,
            errors=errors[0],
        )


# --- The SMTP server the Celery worker sends to ----------------------------------------------


class SlowSink:
    """An aiosmtpd handler that answers each message after `delay` seconds."""

    def __init__(self):
        self.delay = 0.0
        self.received = 0

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.received += 1
        return "250 OK"


# --- One database -----------------------------------------------------------------------


def pdf_of_200_kb() -> bytes:
    """A valid one-page PDF of about 200 KB: a line of text and a 192 KB image, as resumes
    with a photo or an embedded font weigh."""
    text = b"BT /F1 12 Tf 72 720 Td (Jane Doe - Python, Django, PostgreSQL) Tj ET"
    image = os.urandom(256 * 256 * 3)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /XObject /Subtype /Image /Width 256 /Height 256 /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(image) + image + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def apply_post(base_url: str, pdf: bytes, prefix: str) -> Target:
    """The apply form, filled as a browser would (CSRF token and cookie included)."""
    status, headers, html = fetch(base_url + "/jobs/backend-engineer/apply/")
    if status != 200:
        raise SystemExit(f"the apply page answered {status}")
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    answers = {}
    for name, value in re.findall(r'name="(question_\d+)"[^>]*value="([^"]+)"', html):
        answers[name] = value  # the last option of each: "no", or the last choice
    boundary = "----bench" + secrets.token_hex(8)

    def part(name: str, value: str) -> bytes:
        return (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        ).encode()

    head = part("csrfmiddlewaretoken", token) + part("name", "Jane Bench")
    head += f'--{boundary}\r\nContent-Disposition: form-data; name="email"\r\n\r\n'.encode()
    middle = b"\r\n" + b"".join(
        part(name, value)
        for name, value in [
            ("phone", "+1 415 555 0100"),
            ("location", "Oakland, CA"),
            ("cover_letter", "I like building backends."),
            ("links", "https://github.com/jane"),
            ("consent", "on"),
            ("website", ""),
            *answers.items(),
        ]
    )
    middle += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="resume"; filename="resume.pdf"'
        "\r\nContent-Type: application/pdf\r\n\r\n"
    ).encode() + pdf
    tail = f"\r\n--{boundary}--\r\n".encode()
    return Target(
        url=base_url + "/jobs/backend-engineer/apply/",
        status=302,
        headers=(
            ("Content-Type", f"multipart/form-data; boundary={boundary}"),
            ("Cookie", f"csrftoken={cookie}"),
        ),
        post=(head, middle, tail, prefix),
    )


@dataclass
class Context:
    args: argparse.Namespace
    load: object
    children: Children
    bare_url: str
    redis_url: str
    smtp_port: int
    sink: SlowSink
    results: dict = field(default_factory=dict)


def server_env(context: Context, database_url: str, redis_db: int, port: int) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "ATS_", "SITE_"))
    }
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=context.args.secret_key,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=database_url,
        REDIS_URL=f"{context.redis_url}/{redis_db}",
        ATS_VAR_DIR=str(BENCH_DIR),
        ATS_APPLY_RATE_LIMIT="1000000000",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(context.smtp_port),
        SITE_URL=f"http://127.0.0.1:{port}",
    )
    return env


def gunicorn(context: Context, name: str, app: str, env: dict, port: int):
    process = context.children.start(
        name,
        [str(BIN / "gunicorn"), app, "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env,
    )
    wait_until_up(
        f"http://127.0.0.1:{port}/healthz" if app == "ats.wsgi" else f"http://127.0.0.1:{port}/"
    )
    return process


def measure(context: Context, targets: dict[str, Target], *, seconds: float) -> dict:
    """Warm every target up, then run them in turn, round after round."""
    for target in targets.values():
        context.load.run(target, 1)
    measured = {name: Measured() for name in targets}
    for round_number in range(context.args.rounds):
        for name, target in targets.items():
            run = context.load.run(target, seconds)
            if run.errors:
                raise SystemExit(f"{name}: {run.errors} unexpected answers or errors: {run.detail}")
            measured[name].runs.append(run)
        log(
            f"  round {round_number + 1}: "
            + ", ".join(f"{name} {m.runs[-1].rate:.0f}/s" for name, m in measured.items())
        )
    return measured


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def latencies_ms(urls: list[str], headers: dict, passes: int) -> list[float]:
    """Each URL asked `passes` times, one request at a time, after a first pass to warm up.

    Not under the load generator: a page that takes seconds (a search over every resume)
    would still hold both workers when the next page's run starts, and starve it."""
    measured = []
    for number in range(passes + 1):
        for url in urls:
            started = time.perf_counter()
            status, _, _ = fetch(url, headers)
            if status != 200:
                raise SystemExit(f"{url} answered {status}")
            if number:
                measured.append((time.perf_counter() - started) * 1000)
    return measured


def board_search(base: str, board_posting: str, cookie: str, passes: int) -> dict:
    """p50 latency of the board without a search term and with one, asked alike."""
    headers = {"Cookie": cookie}
    plain = latencies_ms([f"{base}/dashboard/postings/{board_posting}/board/"], headers, passes)
    searched = latencies_ms([base + board_search_path(board_posting)], headers, passes)
    return {
        "board_p50_ms": percentile(plain, 50),
        "search_p50_ms": percentile(searched, 50),
        "search_p95_ms": percentile(searched, 95),
    }


def global_search(base: str, cookie: str, passes: int) -> dict:
    """{kind: {"p50_ms", "p95_ms", "requests"}} of the global search, each query of SEARCHES
    asked `passes` times one at a time after a first pass to warm up; or {"skipped": why}."""
    headers = {"Cookie": cookie}
    probe = base + GLOBAL_SEARCH + "?" + urllib.parse.urlencode({"q": BOARD_SEARCH_TERM})
    status, _, _ = fetch(probe, headers)
    if status != 200:
        return {"skipped": f"{GLOBAL_SEARCH} answered {status}"}
    timings = {}
    for kind, queries in SEARCHES.items():
        urls = [
            base + GLOBAL_SEARCH + "?" + urllib.parse.urlencode({"q": query}) for query in queries
        ]
        latencies = latencies_ms(urls, headers, passes)
        timings[kind] = {
            "p50_ms": percentile(latencies, 50),
            "p95_ms": percentile(latencies, 95),
            "requests": len(latencies),
        }
    return timings


def export_timing(base: str, path: str, cookie: str) -> dict:
    """The CSV export read as a browser would: seconds to its first byte and to its last."""
    parsed = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    if response.status != 200:
        raise SystemExit(f"the export answered {response.status}")
    size = len(response.read(1))
    first_byte = time.perf_counter() - started
    while chunk := response.read(1 << 16):
        size += len(chunk)
    total = time.perf_counter() - started
    connection.close()
    return {"first_byte_s": first_byte, "total_s": total, "bytes": size}


def worker_rss_mb(server: subprocess.Popen) -> float:
    """The largest resident size of the gunicorn master's worker processes, in MB."""
    result = subprocess.run(
        ["ps", "-o", "rss=", "--ppid", str(server.pid)],
        capture_output=True,
        text=True,
        check=False,
    )
    sizes = [int(line) for line in result.stdout.split() if line.strip().isdigit()]
    return max(sizes, default=0) / 1024


def scale_figures(context, env, base, board_posting, cookie, server) -> dict:
    """What is measured once per data set beside the load: the global search's latency, the
    CSV export of the board's posting (time, size, queries), and the workers' memory."""
    passes = 2 if context.args.quick else 5
    figures = {
        "board": board_search(base, board_posting, cookie, passes),
        "search": global_search(base, cookie, passes),
    }
    path = f"/dashboard/postings/{board_posting}/export.csv"
    figures["export"] = export_timing(base, path, cookie)
    figures["export"]["queries"] = int(bench_fixture(env, "export-queries", BOARD_POSTING))
    figures["worker_rss_mb"] = worker_rss_mb(server)
    return figures


def bench_database(context: Context, label: str, database_url: str, redis_base: int) -> dict:
    args = context.args
    seed_env = server_env(context, database_url, redis_base, 0)
    seed_env["DJANGO_DEBUG"] = "true"  # seed_demo creates the demo recruiter in debug only
    log(f"{label}: migrating and seeding {args.postings} postings")
    manage(seed_env, "migrate", "--no-input", "-v0")
    manage(seed_env, "seed_demo", "--postings", str(args.postings), "--no-progress")
    board_posting = bench_fixture(seed_env, "posting-id", BOARD_POSTING)
    cookie = f"sessionid={bench_fixture(seed_env, 'session', 'recruiter')}"
    results = {}
    seeded = 0
    for number, dataset in enumerate(args.datasets):
        log(f"{label}: {dataset.name} ({dataset.on_board:,} on the board's posting)")
        random_ones = dataset.applications - dataset.on_board - seeded
        if random_ones > 0:
            manage(seed_env, "seed_demo", "--applications", str(random_ones), "--no-progress")
            seeded += random_ones
        bench_fixture(seed_env, "top-up", BOARD_POSTING, str(dataset.on_board))
        port = free_port()
        env = server_env(context, database_url, redis_base + number, port)
        server = gunicorn(context, f"gunicorn-{label}-{number}", "ats.wsgi", env, port)
        base = f"http://127.0.0.1:{port}"
        targets = {"bare view": Target(context.bare_url)}
        for page in PAGES:
            path = page.path.format(board_posting=board_posting)
            headers = (("Cookie", cookie),) if page.login else ()
            status, _, _ = fetch(base + path, dict(headers))
            if status != page.status:
                raise SystemExit(f"{page.name} ({path}) answered {status}, not {page.status}")
            targets[page.name] = Target(base + path, page.status, headers)
        results[dataset.name] = measure(context, targets, seconds=args.seconds)
        figures = scale_figures(context, seed_env, base, board_posting, cookie, server)
        results.setdefault("scale", []).append({"data": dataset.name, **figures})
        log(f"  {describe_scale(figures)}")
        context.children.stop(server)

    log(f"{label}: apply POST, with a Celery worker and an SMTP server answering in 0 or 2 s")
    port = free_port()
    env = server_env(context, database_url, redis_base + 5, port)
    server = gunicorn(context, f"gunicorn-{label}-apply", "ats.wsgi", env, port)
    worker = context.children.start(
        f"celery-{label}",
        [str(BIN / "celery"), "-A", "ats", "worker", "--concurrency=2", "--loglevel=WARNING"],
        env,
    )
    time.sleep(3)
    pdf = pdf_of_200_kb()
    context.sink.received = 0
    apply = apply_post(f"http://127.0.0.1:{port}", pdf, f"bench-{secrets.token_hex(4)}")
    for target in (apply, Target(context.bare_url)):
        context.load.run(target, 1)
    measured = {
        "bare view": Measured(),
        "apply, SMTP answers at once": Measured(),
        "apply, SMTP answers in 2 s": Measured(),
    }
    for round_number in range(args.rounds):
        measured["bare view"].runs.append(context.load.run(Target(context.bare_url), args.seconds))
        for name, delay in (
            ("apply, SMTP answers at once", 0.0),
            ("apply, SMTP answers in 2 s", 2.0),
        ):
            context.sink.delay = delay
            run = context.load.run(apply, args.seconds)
            if run.errors:
                raise SystemExit(f"{name}: {run.errors} unexpected answers or errors: {run.detail}")
            measured[name].runs.append(run)
        log(
            f"  round {round_number + 1}: "
            + ", ".join(f"{name} p50 {m.runs[-1].p50_ms:.0f} ms" for name, m in measured.items())
        )
    context.sink.delay = 0.0
    results["apply"] = measured
    results["apply worker rss mb"] = worker_rss_mb(server)
    results["emails received"] = context.sink.received
    context.children.stop(worker)
    context.children.stop(server)
    return results


# --- Reporting --------------------------------------------------------------------------


def ratio_rows(block: dict[str, Measured]) -> list[tuple[str, float, float, float, float]]:
    """(name, req/s, x bare, p50, p95): the ratio is the median of each round's ratio to the
    bare view's run beside it, which cancels much of the machine's noise."""
    bare = block["bare view"]
    rows = []
    for name, measured in block.items():
        ratios = [run.rate / b.rate for run, b in zip(measured.runs, bare.runs, strict=False)]
        rows.append(
            (
                name,
                measured.median("rate"),
                statistics.median(ratios),
                measured.median("p50_ms"),
                measured.median("p95_ms"),
            )
        )
    return rows


def describe_scale(figures: dict) -> str:
    search = figures["search"]
    if "skipped" in search:
        said = f"global search skipped ({search['skipped']})"
    else:
        said = "global search " + ", ".join(
            f"{kind} p50 {t['p50_ms']:.0f} ms p95 {t['p95_ms']:.0f} ms"
            for kind, t in search.items()
        )
    export, board = figures["export"], figures["board"]
    return (
        f"board p50 {board['board_p50_ms']:.0f} ms, with a search term "
        f"{board['search_p50_ms']:.0f} ms; {said}; CSV export first byte "
        f"{export['first_byte_s'] * 1000:.0f} ms, whole "
        f"{export['total_s']:.1f} s ({export['bytes'] / 1e6:.1f} MB, {export['queries']} "
        f"queries); largest worker {figures['worker_rss_mb']:.0f} MB resident"
    )


def scale_lines(all_results: dict) -> list[str]:
    lines = [
        "| database | data | board p50 ms | board with a search term p50 / p95 ms "
        "| global search p50 / p95 ms (words · phrases · misses) "
        "| CSV first byte ms | CSV seconds | CSV MB | CSV queries | worker MB |",
        "| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for database, results in all_results.items():
        for figures in results.get("scale", []):
            search = figures["search"]
            said = (
                f"skipped: {search['skipped']}"
                if "skipped" in search
                else " · ".join(f"{t['p50_ms']:.0f} / {t['p95_ms']:.0f}" for t in search.values())
            )
            export, board = figures["export"], figures["board"]
            lines.append(
                f"| {database} | {figures['data']} | {board['board_p50_ms']:.0f} | "
                f"{board['search_p50_ms']:.0f} / {board['search_p95_ms']:.0f} | {said} | "
                f"{export['first_byte_s'] * 1000:.0f} | {export['total_s']:.1f} | "
                f"{export['bytes'] / 1e6:.1f} | {export['queries']} | "
                f"{figures['worker_rss_mb']:.0f} |"
            )
    return lines


def goals(all_results: dict, datasets: list[Dataset]) -> list[tuple[str, str, bool]]:
    small, large = datasets[0].name, datasets[1].name
    checks = []
    for database, results in all_results.items():
        for dataset in (small, large):
            rows = {row[0]: row for row in ratio_rows(results[dataset])}
            for page in ("careers page", "posting page"):
                ratio = rows[page][2]
                checks.append(
                    (f"{database}, {dataset}: {page} ≥ 0.5x bare", f"{ratio:.2f}x", ratio >= 0.5)
                )
        # Against the bare view measured beside each, so that the machine's drift between the
        # two data sets (a shared machine) does not count as the page's.
        ratios = {
            dataset: {row[0]: row[2] for row in ratio_rows(results[dataset])}
            for dataset in (small, large)
        }
        for page, floor in (
            ("careers page", 0.9),
            ("posting page", 0.9),
            ("board of a posting", 0.7),
        ):
            before, after = ratios[small][page], ratios[large][page]
            checks.append(
                (
                    f"{database}: {page} with {large} ≥ {floor}x its speed with {small}",
                    f"{after / before:.2f}x ({before:.4f} → {after:.4f} of the bare view's rate)",
                    after / before >= floor,
                )
            )
        large_figures = next(f for f in results["scale"] if f["data"] == large)
        # One request at a time each, beside each other (see latencies_ms).
        board = large_figures["board"]
        slower = board["search_p50_ms"] / board["board_p50_ms"]
        checks.append(
            (
                f"{database}, {large}: board with a search term at most 2x the time of the board "
                "without",
                f"{slower:.2f}x (p50 {board['board_p50_ms']:.0f} → "
                f"{board['search_p50_ms']:.0f} ms)",
                slower <= 2,
            )
        )
        search = large_figures["search"]
        if "skipped" not in search:
            for kind, timing in search.items():
                checks.append(
                    (
                        f"{database}, {large}: global search, {kind}: p50 ≤ 150 ms, p95 ≤ 400 ms",
                        f"{timing['p50_ms']:.0f} / {timing['p95_ms']:.0f} ms",
                        timing["p50_ms"] <= 150 and timing["p95_ms"] <= 400,
                    )
                )
        export = large_figures["export"]
        checks.append(
            (
                f"{database}, {large}: CSV export of the board's posting in ≤ 10 s",
                f"{export['total_s']:.1f} s, first byte after {export['first_byte_s'] * 1000:.0f} "
                f"ms, {export['queries']} queries",
                export["total_s"] <= 10,
            )
        )
        rss = max(large_figures["worker_rss_mb"], results["apply worker rss mb"])
        checks.append(
            (
                f"{database}: a gunicorn worker ≤ 80 MB resident after the benchmark",
                f"{rss:.0f} MB",
                rss <= 80,
            )
        )
        apply = results["apply"]
        fast = apply["apply, SMTP answers at once"].median("p50_ms")
        slow = apply["apply, SMTP answers in 2 s"].median("p50_ms")
        checks.append(
            (
                f"{database}: apply p50 with a 2 s SMTP server no more than 10% above",
                f"{fast:.0f} → {slow:.0f} ms ({(slow / fast - 1) * 100:+.0f}%)",
                slow <= fast * 1.1,
            )
        )
    return checks


def table(all_results: dict, datasets: list[Dataset]) -> list[str]:
    lines = [
        "| database | data | page | req/s | × bare view | p50 ms | p95 ms |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for database, results in all_results.items():
        for block_name, block in results.items():
            if not isinstance(block, dict):
                continue
            # The apply POST runs last, on the larger data.
            data = datasets[-1].name if block_name == "apply" else block_name
            for name, rate, ratio, p50, p95 in ratio_rows(block):
                lines.append(
                    f"| {database} | {data} | {name} | {rate:,.0f} | {ratio:.2f} | "
                    f"{p50:.1f} | {p95:.1f} |"
                )
    return lines


def machine(context: Context, postgres_version: str | None) -> list[str]:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, IndexError, ValueError):
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    system = platform.platform(terse=True)
    with contextlib.suppress(OSError):
        release = Path("/etc/os-release").read_text()
        system = re.search(r'PRETTY_NAME="([^"]+)"', release).group(1)
    import django
    import gunicorn as gunicorn_package

    redis_version = (
        subprocess.run(["redis-server", "--version"], capture_output=True, text=True, check=False)
        .stdout.split()[2]
        .removeprefix("v=")
    )
    parts = [
        f"{os.cpu_count()} CPUs ({model}){memory}, {system}, Linux {platform.release()}",
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"gunicorn {gunicorn_package.__version__} (2 sync workers), SQLite "
        f"{sqlite3.sqlite_version}, "
        + (f"PostgreSQL {postgres_version}, " if postgres_version else "")
        + f"Redis {redis_version}",
        f"load generator: {context.load.version}, {context.args.connections} connections, "
        f"{context.args.rounds} alternating rounds of {context.args.seconds:g} s per page",
    ]
    return parts


def write_readme(lines: list[str]) -> None:
    section = "\n".join([BEGIN, *lines, END])
    text = README.read_text() if README.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
        text = before + section + after
    else:
        # Before the other benchmarks' sections, after the introduction.
        match = re.search(r"^## ", text, re.MULTILINE)
        position = match.start() if match else len(text)
        text = text[:position] + section + "\n\n" + text[position:]
    README.write_text(text)


# --- Main -------------------------------------------------------------------------------


def postgres_admin(url: str):
    import psycopg

    parsed = urllib.parse.urlsplit(url)
    admin = parsed._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    try:
        return psycopg.connect(admin, autocommit=True, connect_timeout=3), parsed.path.lstrip("/")
    except psycopg.OperationalError:
        return None, None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="SQLite only, 10,000 applications, 2 rounds of 2 s: about 2 minutes",
    )
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default=None)
    parser.add_argument(
        "--postgres-url",
        default=POSTGRES_URL,
        help="a database the benchmark may drop and create (default: %(default)s)",
    )
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--postings", type=int, default=500)
    parser.add_argument(
        "--python-load",
        action="store_true",
        help="use the Python load generator even when wrk is installed",
    )
    parser.add_argument(
        "--write-readme",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="record the figures in benchmarks/README.md (default: full runs)",
    )
    args = parser.parse_args(argv)
    args.rounds = args.rounds or (2 if args.quick else 3)
    args.seconds = args.seconds or (2.0 if args.quick else 4.0)
    args.datasets = QUICK if args.quick else FULL
    args.database = args.database or ("sqlite" if args.quick else "both")
    args.write_readme = (not args.quick) if args.write_readme is None else args.write_readme
    args.secret_key = secrets.token_urlsafe(50)
    if not shutil.which("redis-server"):
        raise SystemExit("redis-server is not installed (apt-get install redis-server)")

    started = time.monotonic()
    load_before = os.getloadavg()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    (BENCH_DIR / "logs").mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="ats-bench-"))
    children = Children(BENCH_DIR / "logs")
    use_wrk = shutil.which("wrk") and not args.python_load
    load = (Wrk if use_wrk else PythonLoad)(args.connections, workdir)
    if not use_wrk:
        log("wrk is not installed (apt-get install wrk): using the Python load generator")

    from aiosmtpd.controller import Controller

    sink = SlowSink()
    smtp_port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    redis_port = free_port()
    try:
        children.start(
            "redis",
            [
                "redis-server",
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            os.environ.copy(),
        )
        bare_port = free_port()
        context = Context(
            args,
            load,
            children,
            f"http://127.0.0.1:{bare_port}/",
            f"redis://127.0.0.1:{redis_port}",
            smtp_port,
            sink,
        )
        bare_env = server_env(context, "sqlite://:memory:", 0, bare_port)
        gunicorn(context, "gunicorn-bare", "benchmarks.bare:application", bare_env, bare_port)
        static_env = server_env(context, "sqlite://:memory:", 0, 0)
        manage(static_env, "collectstatic", "--no-input", "-v0")

        all_results = {}
        postgres_version = None
        if args.database in ("sqlite", "both"):
            database = BENCH_DIR / "bench.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
            all_results["SQLite"] = bench_database(context, "SQLite", f"sqlite:///{database}", 0)
        if args.database in ("postgres", "both"):
            connection, name = postgres_admin(args.postgres_url)
            if connection is None:
                log(f"PostgreSQL is not reachable at {args.postgres_url}: skipped")
            else:
                postgres_version = connection.execute("SHOW server_version").fetchone()[0]
                connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
                connection.execute(f'CREATE DATABASE "{name}"')
                try:
                    all_results["PostgreSQL"] = bench_database(
                        context, "PostgreSQL", args.postgres_url, 8
                    )
                finally:
                    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    connection.close()
    finally:
        children.stop_all()
        controller.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(BENCH_DIR / "private", ignore_errors=True)

    elapsed = time.monotonic() - started
    load_after = os.getloadavg()
    checks = goals(all_results, args.datasets)
    lines = table(all_results, args.datasets)
    print()
    print("\n".join(lines))
    print()
    print("\n".join(scale_lines(all_results)))
    print()
    for goal, value, ok in checks:
        print(f"{'met   ' if ok else 'MISSED'} {goal}: {value}")
    for database, results in all_results.items():
        print(f"{database}: the SMTP server received {results['emails received']:,} emails")
    description = machine(context, postgres_version)
    print("\n" + "\n".join(description))
    print(
        f"{elapsed / 60:.1f} minutes; load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after"
    )

    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS_DIR / f"load-{stamp}.json").write_text(
        json.dumps(
            {
                "machine": description,
                "results": {
                    database: {
                        block: {name: [run.__dict__ for run in m.runs] for name, m in data.items()}
                        if isinstance(data, dict)
                        else data
                        for block, data in results.items()
                    }
                    for database, results in all_results.items()
                },
                "goals": checks,
            },
            indent=2,
        )
    )
    if args.write_readme:
        write_readme(
            report(args, all_results, checks, description, elapsed, load_before, load_after)
        )
        print(f"\nWrote {README.relative_to(ROOT)}")
    return 0


def report(args, all_results, checks, description, elapsed, load_before, load_after) -> list[str]:
    small, large = args.datasets[0], args.datasets[1]
    lines = [
        "## Load: pages and the apply form",
        "",
        "`make bench` (`.venv/bin/python -m benchmarks.run`; `--quick` for a short try on "
        "SQLite). gunicorn with 2 sync workers and production settings (`DJANGO_DEBUG=false`, "
        "Redis for the cache and Celery) serves the project, and beside it a bare Django view "
        "(`benchmarks/bare.py`: no middleware, no database, a short HTML page) the same way. "
        "One load generator drives both, alternating page by page, round after round; each "
        "ratio is the median of the rounds' ratios to the bare view's run beside them.",
        "",
        f"Data: `seed_demo --postings {args.postings}` (506 open postings), then "
        f"{small.applications:,} and {large.applications:,} applications, all on the board's "
        "posting (Backend Engineer, whose posting page is measured too), each with a "
        "synthetic resume text of about 3.5 KB (`dashboard/synthetic_resumes.py`). The board "
        "is read by a signed-in recruiter. The careers and posting pages "
        "are served from the page cache to visitors without a session (see "
        "`postings/cache.py`); the board is rendered every time.",
        "",
        "Beside the load, once per data set, one request at a time (a page that takes seconds "
        "would hold both workers into the next page's run): the board without a search term "
        f"and with one (a word in about 30% of the resumes, `?q={BOARD_SEARCH_TERM}`), p50 of "
        "5 requests each; the global search (`/dashboard/search/?q=`), "
        "each query asked in turn on one connection, single words (common and rare), quoted "
        "phrases and words no resume holds, p50 and p95 of their latencies; the CSV export "
        "of the board's posting read whole on one connection (time to its first byte and to "
        "its last; its queries counted in a separate process); and the resident size of the "
        "largest gunicorn worker after all of it (`ps -o rss`), and again after the apply "
        "POSTs.",
        "",
        "Apply: a POST of the whole form with a 200 KB PDF and a new email address each time; "
        "each application writes three emails to the outbox (to the applicant and the two "
        "demo hiring-team members), which a real Celery worker (`--concurrency=2`) sends to a "
        "local SMTP server that answers at once or after 2 seconds, alternating round by round.",
        "",
        "Machine: " + "; ".join(description) + ".",
        "",
        f"Run: {datetime.now(UTC):%Y-%m-%d}, {elapsed / 60:.1f} minutes, load average "
        f"{load_before[0]:.1f} before and {load_after[0]:.1f} after (the machine is shared: "
        "expect ±20% between runs; the ratios move less than the rates).",
        "",
        *table(all_results, args.datasets),
        "",
        *scale_lines(all_results),
        "",
        "Goals (reported here; no test asserts a time):",
        "",
        *[f"- {'met' if ok else '**missed**'}: {goal}: {value}" for goal, value, ok in checks],
        "",
        "The Celery worker kept sending while the apply POSTs were measured: "
        + ", ".join(
            f"{results['emails received']:,} emails reached the SMTP server in the {database} run"
            for database, results in all_results.items()
        )
        + ", whatever it answered in; the requests never waited for it. With a server that "
        "answers at once the worker sends all the time, and competes with gunicorn for the two "
        "CPUs: that, not email, is what the apply POST's latency moves with.",
        "",
    ]
    # Wrap prose as the rest of the file is wrapped; tables and lists stay one line each.
    return [
        textwrap.fill(line, width=96) if line and line[0] not in "|-" else line for line in lines
    ]


if __name__ == "__main__":
    sys.exit(main())
