"""A task queued during a request runs in a real worker under that request's id."""

import logging

import pytest

from ats import logs
from notifications import tasks
from tests.notifications.conftest import wait_for

pytestmark = [
    pytest.mark.redis,
    pytest.mark.xdist_group("celery"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def task_lines():
    """(task name, request id) of each line the worker logs, with the id the handlers see."""
    seen = []
    handler = logging.Handler(level=logging.INFO)
    handler.addFilter(logs.RequestIdFilter())
    handler.emit = lambda record: seen.append((record.task, record.request_id))
    logger = logging.getLogger("ats.task")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    yield seen
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_the_id_travels_in_the_message_to_the_worker(celery_worker, task_lines):
    token = logs.REQUEST_ID.set("feedface0123456789")
    try:
        tasks.sweep_outbox.delay()
    finally:
        logs.REQUEST_ID.reset(token)
    tasks.sweep_outbox.delay()  # queued outside any request: an id of its own

    wait_for(lambda: len(task_lines) == 2, timeout=20, message="two task lines")
    carried, own = sorted(task_lines, key=lambda line: line[1] != "feedface0123456789")
    assert carried == ("notifications.tasks.sweep_outbox", "feedface0123456789")
    assert own[1] not in ("feedface0123456789", "-")
