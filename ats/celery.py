"""The Celery app. With no REDIS_URL, tasks run eagerly in-process (see settings).

Imported by every tasks module, so that a task is bound to this app whenever it is used; not
by the `ats` package itself, so that a web worker loads Celery (some 10 MB) only when a
request first queues a task through it. Email, which nearly every form queues, and password
resets are published by ats.queue without Celery. `celery -A ats` finds this module by its name.

Each task's message carries the id of the request (or task) that queued it, and the worker
logs one line per task under that id (ats.logs).
"""

import logging
import os
import time

from celery import Celery, signals
from celery.schedules import crontab

from ats import logs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ats.settings")

app = Celery("ats", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The settings give a crontab as its fields (they do not import Celery).
app.conf.beat_schedule = {
    name: {
        **entry,
        "schedule": crontab(**entry["schedule"])
        if isinstance(entry["schedule"], dict)
        else entry["schedule"],
    }
    for name, entry in app.conf.beat_schedule.items()
}

task_log = logging.getLogger("ats.task")
# task id -> (the context token to restore, when it started), between prerun and postrun.
_running: dict[str, tuple[object, float]] = {}


@signals.before_task_publish.connect
def _carry_request_id(headers=None, **kwargs):
    request_id = logs.REQUEST_ID.get()
    if request_id and headers is not None:
        headers["request_id"] = request_id


@signals.task_prerun.connect
def _adopt_request_id(task_id=None, task=None, **kwargs):
    carried = getattr(task.request, "request_id", None) if task is not None else None
    # A task queued outside any request (beat, a command) starts an id of its own.
    token = logs.REQUEST_ID.set(carried or logs.REQUEST_ID.get() or logs.new_request_id())
    _running[task_id] = (token, time.perf_counter())


@signals.task_postrun.connect
def _log_task(task_id=None, task=None, state=None, **kwargs):
    token, started = _running.pop(task_id, (None, None))
    if started is not None:
        task_log.info(
            "task",
            extra={
                "task": getattr(task, "name", "?"),
                "task_id": task_id,
                "state": state,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
    if token is not None:
        logs.REQUEST_ID.reset(token)
