"""Queueing a task for the Celery workers from a web request, without loading Celery.

Celery's app costs a web worker about 10 MB the first time it queues anything (some 150
modules: the app, its utilities and its dependencies), and a worker queues an email for
nearly every form it takes. What a worker needs to queue a task is only its message: this
module writes it in Celery's task message protocol 2 (documented in Celery's "Message
Protocol": the headers, and a body of args, kwargs and embed) and publishes it with kombu,
Celery's own messaging library, on the broker and to the queue the CELERY_* settings name.
The workers cannot tell it from one `delay()` sends.

Only when Celery runs tasks in-process (no REDIS_URL) is there nothing to publish: `send`
runs the task through Celery then.
"""

import os
import socket
import uuid

from django.conf import settings
from django.utils.module_loading import import_string

from ats import logs

# Celery's default queue, when the settings name none.
DEFAULT_QUEUE = "celery"


def eager() -> bool:
    """Tasks run in-process, as they are queued (no broker configured)."""
    return settings.CELERY_TASK_ALWAYS_EAGER


def send(task_name: str, args: list) -> None:
    """Queue task `task_name` (its dotted path) with `args`: published for the workers, or,
    with eager Celery, run now in this process. Raises what either raises: the broker's
    refusal, or the task's own failure when eager (`eager()` tells which)."""
    if eager():
        import_string(task_name).delay(*args)
    else:
        publish(task_name, args)


def publish(task_name: str, args: list) -> str:
    """Queue task `task_name` with `args`, once, and return its id. Raises what kombu raises
    when the broker cannot take it (the connection and socket timeouts of
    CELERY_BROKER_TRANSPORT_OPTIONS bound the wait); never retries, as CELERY_TASK_PUBLISH_RETRY."""
    from kombu import Connection

    task_id = str(uuid.uuid4())
    headers = {
        "lang": "py",
        "task": task_name,
        "id": task_id,
        "root_id": task_id,
        "parent_id": None,
        "group": None,
        "retries": 0,
        "eta": None,
        "expires": None,
        "timelimit": [None, None],
        "argsrepr": repr(args),
        "kwargsrepr": "{}",
        "origin": f"{os.getpid()}@{socket.gethostname()}",
        "ignore_result": False,
    }
    # What ats.celery adds to every message Celery sends: the request it came from.
    request_id = logs.REQUEST_ID.get()
    if request_id:
        headers["request_id"] = request_id
    body = (list(args), {}, {"callbacks": None, "errbacks": None, "chain": None, "chord": None})
    queue = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", DEFAULT_QUEUE)
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    ) as connection:
        connection.Producer().publish(
            body,
            exchange="",
            routing_key=queue,
            serializer="json",
            headers=headers,
            correlation_id=task_id,
            delivery_mode=2,
            retry=False,
        )
    return task_id
