from django.core.management.base import BaseCommand

from interviews import scorecards


class Command(BaseCommand):
    help = (
        "Email each interviewer whose interview ended more than ATS_SCORECARD_REMINDER_HOURS "
        "ago without a submitted scorecard. Once per interviewer and interview: safe to run "
        "from cron as often as you like, for deployments without Celery beat."
    )

    def handle(self, *args, **options):
        queued = scorecards.queue_scorecard_reminders()
        self.stdout.write(f"Queued {queued} scorecard reminder{'s' if queued != 1 else ''}.")
