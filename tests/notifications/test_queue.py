"""A web worker queues an email without loading Celery: ats.queue writes the task's message
in Celery's protocol 2 and publishes it with kombu. The real workers that take these messages
are in test_worker.py, test_faults.py and test_request_ids.py."""

import base64
import json

import pytest
import redis

from tests.project.test_settings import STRONG_KEY, load_settings

pytestmark = [pytest.mark.redis]

QUEUE_ONE = """
import json, sys
import django
django.setup()
from notifications import services
queued = services.enqueue(42)
print(json.dumps({"queued": queued, "celery": sorted(m for m in sys.modules if m == "celery")}))
"""


def test_queueing_an_email_sends_celerys_message_without_loading_celery(own_redis):
    result = load_settings(
        QUEUE_ONE,
        DJANGO_SETTINGS_MODULE="ats.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="testserver",
        REDIS_URL=own_redis.url,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"queued": True, "celery": []}

    # On Celery's default queue, as a worker reads it: kombu's envelope around the message.
    client = redis.Redis.from_url(own_redis.url)
    try:
        [raw] = client.lrange("celery", 0, -1)
    finally:
        client.close()
    envelope = json.loads(raw)
    headers = envelope["headers"]
    assert headers["task"] == "notifications.tasks.send_email"
    assert headers["lang"] == "py" and headers["id"] == headers["root_id"]
    assert envelope["properties"]["correlation_id"] == headers["id"]
    assert envelope["content-type"] == "application/json"
    args, kwargs, embed = json.loads(base64.b64decode(envelope["body"]))
    assert (args, kwargs) == ([42], {})
    assert embed == {"callbacks": None, "errbacks": None, "chain": None, "chord": None}
