"""What keeps the index current: every write to a row a document is made of schedules its
application's reindex for when the transaction commits (search.services.schedule).

Rows written without signals (bulk inserts, queryset updates) are indexed by whoever writes
them: seed_demo calls search.services.index_missing, and `manage.py rebuild_search_index`
rewrites everything."""

from django.db import connections
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from applications.models import Answer, Application, Candidate, Resume
from applications.signals import applications_erased, candidates_merged
from search import services
from search.models import SearchDocument
from sourcing.models import CandidateTag


@receiver(post_save, sender=Application, dispatch_uid="search.application_saved")
def application_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.schedule(applications=[instance.pk])


@receiver(post_save, sender=Answer, dispatch_uid="search.answer_saved")
@receiver(post_delete, sender=Answer, dispatch_uid="search.answer_deleted")
@receiver(post_save, sender=Resume, dispatch_uid="search.resume_saved")
@receiver(post_delete, sender=Resume, dispatch_uid="search.resume_deleted")
def part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        services.schedule(applications=[instance.application_id])


@receiver(post_save, sender=Candidate, dispatch_uid="search.candidate_saved")
def candidate_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.schedule(candidates=[instance.pk])


@receiver(post_save, sender=CandidateTag, dispatch_uid="search.tag_added")
@receiver(post_delete, sender=CandidateTag, dispatch_uid="search.tag_removed")
def tags_changed(sender, instance, raw=False, **kwargs):
    # A tag is on the person: every application of theirs, and of records merged into them.
    if not raw:
        services.schedule(candidates=[instance.candidate_id])


@receiver(candidates_merged, dispatch_uid="search.candidates_merged")
def candidates_merged_(sender, keep, merged, **kwargs):
    # The merged records' applications now show the kept record's tags.
    services.schedule(candidates=[keep.pk, *(record.pk for record in merged)])


@receiver(applications_erased, dispatch_uid="search.forget_erased")
def forget_erased(sender, applications, **kwargs):
    services.forget(application.pk for application in applications)


@receiver(post_migrate, dispatch_uid="search.index_missing_after_migrate")
def index_missing_after_migrate(sender, app_config, **kwargs):
    """Applications from before the index existed get their documents on the first
    `migrate` that creates it (and any missing ones on every later run): no data migration
    that would freeze today's idea of what a document holds."""
    if app_config.name != "search":
        return
    using = kwargs.get("using", "default")
    if SearchDocument._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back to before the index
    written = services.index_missing()
    if written and kwargs.get("verbosity", 1):
        print(f"  Search index: {written} applications indexed.")
