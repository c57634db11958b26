from django.core.management.base import BaseCommand

from reports import alerts


class Command(BaseCommand):
    help = (
        "Email recruiters the adverse-impact flags of the fairness report that no earlier run "
        "told them of. Safe to run from cron as often as you like, for deployments without "
        "Celery beat: a flag is emailed once."
    )

    def handle(self, *args, **options):
        flags = alerts.email_new_flags()
        self.stdout.write(f"{flags} new flag{'s' if flags != 1 else ''} emailed to recruiters.")
