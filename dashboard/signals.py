from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from applications.signals import applications_erased
from dashboard.models import Note
from search import services as search


@receiver(applications_erased, dispatch_uid="dashboard.delete_notes_of_erased")
def delete_notes_of_erased(sender, applications, **kwargs):
    """Notes speak of the person: erasing them erases their notes (mention emails go with
    the application's other emails)."""
    Note.objects.filter(application__in=applications).delete()


@receiver(post_save, sender=Note, dispatch_uid="dashboard.note_saved")
@receiver(post_delete, sender=Note, dispatch_uid="dashboard.note_deleted")
def reindex_noted(sender, instance, raw=False, **kwargs):
    if not raw:
        search.schedule(applications=[instance.application_id])


def notes_by_application(application_ids: list[int]) -> dict[int, list[str]]:
    """The notes' text of each application, for its search document: one query."""
    texts: dict[int, list[str]] = {}
    notes = Note.objects.filter(application_id__in=application_ids).order_by("created_at", "pk")
    for application_id, body in notes.values_list("application_id", "body"):
        texts.setdefault(application_id, []).append(body)
    return texts
