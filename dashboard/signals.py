from django.dispatch import receiver

from applications.signals import applications_erased
from dashboard.models import Note


@receiver(applications_erased, dispatch_uid="dashboard.delete_notes_of_erased")
def delete_notes_of_erased(sender, applications, **kwargs):
    """Notes speak of the person: erasing them erases their notes (mention emails go with
    the application's other emails)."""
    Note.objects.filter(application__in=applications).delete()
