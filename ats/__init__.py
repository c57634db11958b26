"""The project package. The Celery app is ats.celery, imported by each tasks module (not
here, so that a web process loads Celery only when it first queues a task)."""
