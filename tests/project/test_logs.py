"""One log line per request and per task, as text or JSON, under a request id (ats.logs)."""

import json
import logging

import pytest

from ats import logs
from tests.factories import submit


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger="ats.request")
    return lambda: [r for r in caplog.records if r.name == "ats.request"]


def test_each_request_logs_one_line_and_answers_with_its_id(client, request_lines):
    response = client.get("/healthz")
    [line] = request_lines()
    assert (line.method, line.path, line.status, line.user_id) == ("GET", "/healthz", 200, None)
    assert line.duration_ms >= 0
    request_id = response[logs.HEADER]
    assert len(request_id) == 32 and request_id != client.get("/healthz")[logs.HEADER]


@pytest.mark.django_db
def test_the_line_names_the_signed_in_user_and_never_a_status_token(
    client, request_lines, posting, recruiter
):
    application = submit(posting)
    client.get(application.get_status_url())
    client.force_login(recruiter)
    client.get("/dashboard/")
    status_line, dashboard_line = request_lines()
    assert status_line.path == "/status/<token>/"
    assert application.status_token not in status_line.getMessage() + str(vars(status_line))
    assert dashboard_line.user_id == recruiter.pk


@pytest.mark.parametrize(
    "incoming, kept",
    [
        ("0f8e2c1d9b7a46b5a3c2e1f0d9c8b7a6", True),  # nginx's $request_id
        ("6f1c0b1e-8d2f-4c57-9a0e-3b5d7c9e1f2a", True),  # a UUID
        ("short", False),
        ("x" * 65, False),
        ("abcdefgh\nINFO forged line", False),
        ("abcdefgh ignore=me", False),
    ],
)
def test_a_plausible_id_from_the_proxy_is_kept_and_anything_else_replaced(client, incoming, kept):
    answered = client.get("/healthz", headers={"X-Request-ID": incoming})[logs.HEADER]
    assert (answered == incoming) is kept
    assert logs.request_id_from(answered) == answered


def test_json_lines_are_one_object_per_record_whatever_the_message_holds():
    record = logging.makeLogRecord(
        {
            "name": "ats.request",
            "levelname": "INFO",
            "msg": "two\nlines and a token /status/%s/",
            "args": ("A" * 43,),
            "path": "/status/" + "B" * 43 + "/",
            "status": 200,
            "request": object(),  # django.request passes the request: never printed
        }
    )
    logs.RequestIdFilter().filter(record)
    line = logs.JsonFormatter().format(record)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["message"] == "two\nlines and a token /status/" + "A" * 43 + "/"
    assert parsed["path"] == "/status/<token>/"
    assert parsed["status"] == 200 and parsed["request_id"] == "-"
    assert "request" not in parsed and parsed["level"] == "INFO"


def test_text_lines_carry_the_id_and_the_fields():
    token = logs.REQUEST_ID.set("0123456789abcdef")
    try:
        record = logging.makeLogRecord({"name": "ats.task", "msg": "task", "state": "SUCCESS"})
        logs.RequestIdFilter().filter(record)
    finally:
        logs.REQUEST_ID.reset(token)
    line = logs.TextFormatter().format(record)
    assert line.endswith("ats.task [0123456789abcdef] task state=SUCCESS")


@pytest.mark.django_db
def test_tasks_run_in_process_log_a_line_under_the_requests_id(caplog):
    from notifications.tasks import sweep_outbox

    caplog.set_level(logging.INFO, logger="ats.task")
    token = logs.REQUEST_ID.set("fedcba9876543210")
    try:
        seen = []
        handler = logging.Handler()
        handler.addFilter(logs.RequestIdFilter())
        handler.emit = lambda record: seen.append(record.request_id)
        logging.getLogger("ats.task").addHandler(handler)
        try:
            sweep_outbox.apply()
        finally:
            logging.getLogger("ats.task").removeHandler(handler)
        assert logs.REQUEST_ID.get() == "fedcba9876543210"  # the request's id is back
    finally:
        logs.REQUEST_ID.reset(token)
    [line] = [r for r in caplog.records if r.name == "ats.task"]
    assert (line.task, line.state) == ("notifications.tasks.sweep_outbox", "SUCCESS")
    assert seen == ["fedcba9876543210"]
