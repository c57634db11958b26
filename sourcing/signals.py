from django.dispatch import receiver

from applications.models import Application
from applications.signals import applications_erased, candidates_merged
from sourcing.models import CandidateTag, Origin


@receiver(candidates_merged, dispatch_uid="sourcing.tags_follow_a_merge")
def tags_follow_a_merge(sender, keep, merged, by=None, **kwargs):
    """The kept record wears every tag the merged ones had, each once."""
    links = CandidateTag.objects.filter(candidate__in=merged)
    has = set(CandidateTag.objects.filter(candidate=keep).values_list("tag_id", flat=True))
    CandidateTag.objects.bulk_create(
        [
            CandidateTag(candidate=keep, tag_id=link.tag_id, added_by_id=link.added_by_id)
            for link in links
            if link.tag_id not in has
        ],
        ignore_conflicts=True,
    )
    links.delete()


@receiver(applications_erased, dispatch_uid="sourcing.forget_erased")
def forget_erased(sender, applications, **kwargs):
    """A referral's "how I know them" and link speak of the person: they go with the
    application. Tags go once the person has no application left."""
    Origin.objects.filter(application__in=applications).update(relationship="", link="")
    candidate_ids = {application.candidate_id for application in applications}
    erased_ids = {application.pk for application in applications}
    still_held = set(
        Application.objects.active()
        .filter(candidate_id__in=candidate_ids)
        .exclude(pk__in=erased_ids)
        .values_list("candidate_id", flat=True)
    )
    CandidateTag.objects.filter(candidate_id__in=candidate_ids - still_held).delete()
