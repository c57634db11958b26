"""The Celery app as `celery -A ats worker` and `celery -A ats beat` load it."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LOAD_APP = """
import json
from ats.celery import app
app.loader.import_default_modules()
print(json.dumps({
    "tasks": sorted(name for name in app.tasks if not name.startswith("celery.")),
    "beat": {name: entry["task"] for name, entry in app.conf.beat_schedule.items()},
    "crontabs": sorted(
        name for name, entry in app.conf.beat_schedule.items()
        if type(entry["schedule"]).__name__ == "crontab"
    ),
    "eager": app.conf.task_always_eager,
    "worker_reconnects": app.conf.broker_connection_retry,
    "publish_retries": app.conf.task_publish_retry,
}))
"""


def load_app(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "DJANGO_"))}
    result = subprocess.run(
        [sys.executable, "-c", LOAD_APP],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "ats.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_beat_schedule_names_tasks_the_worker_registers():
    loaded = load_app(REDIS_URL="redis://127.0.0.1:6379/0")
    assert loaded["beat"] == {
        "sweep-outbox": "notifications.tasks.sweep_outbox",
        "fetch-replies": "conversations.tasks.fetch_replies",
        "daily-digest": "applications.tasks.queue_daily_digests",
        "remove-stale-pending-resumes": "applications.tasks.remove_stale_pending_resumes",
        "scorecard-reminders": "interviews.tasks.send_scorecard_reminders",
        "interview-reminders": "interviews.tasks.send_interview_reminders",
        "fairness-flags": "reports.tasks.email_new_fairness_flags",
    }
    assert set(loaded["beat"].values()) <= set(loaded["tasks"])
    # The settings give them as fields; the app makes them crontabs.
    assert loaded["crontabs"] == [
        "daily-digest",
        "fairness-flags",
        "interview-reminders",
        "remove-stale-pending-resumes",
        "scorecard-reminders",
    ]
    assert {"notifications.tasks.send_email", "notifications.tasks.send_emails"} <= set(
        loaded["tasks"]
    )


def test_with_redis_workers_reconnect_and_publishing_never_retries():
    loaded = load_app(REDIS_URL="redis://127.0.0.1:6379/0")
    assert loaded["eager"] is False
    assert loaded["worker_reconnects"] is True
    assert loaded["publish_retries"] is False


def test_without_redis_tasks_run_in_process():
    assert load_app()["eager"] is True
