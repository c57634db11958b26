from django.core.management.base import BaseCommand

from applications import pending_resumes


class Command(BaseCommand):
    help = (
        "Delete resumes kept for an application form that was never resubmitted, once their "
        "reference has expired. Celery beat runs this every hour; without beat, run it from cron."
    )

    def handle(self, *args, **options):
        removed = pending_resumes.remove_stale()
        self.stdout.write(f"Removed {removed} pending resume(s).")
