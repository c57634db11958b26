from django.core.management.base import BaseCommand

from interviews import services


class Command(BaseCommand):
    help = (
        "Queue reminders to the candidate and interviewers of each interview starting within "
        "ATS_INTERVIEW_REMINDER_HOURS. Celery beat runs this every ten minutes; without beat, "
        "run it from cron as often. Running it again queues nothing new."
    )

    def handle(self, *args, **options):
        queued = services.queue_due_reminders()
        self.stdout.write(f"Queued {queued} interview reminder(s).")
