"""The Celery app. With no REDIS_URL, tasks run eagerly in-process (see settings).

Imported by every tasks module, so that a task is bound to this app whenever it is used; not
by the `ats` package itself, so that a web worker loads Celery (some 10 MB) only when a
request first queues a task. `celery -A ats` finds this module by its name.
"""

import os

from celery import Celery
from celery.schedules import crontab

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
