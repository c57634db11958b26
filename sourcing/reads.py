"""Reads of sourcing that other pages compose, each in a fixed number of queries."""

from django.db.models import Exists, OuterRef

from sourcing.models import CandidateTag


def attach_tags(applications) -> None:
    """application.tags: the names of the tags on each application's person (the record
    its candidate was merged into, if any), in one query for the whole list."""
    for application in applications:
        application.tags = []
    if not applications:
        return
    person_of = {
        application.candidate_id: application.candidate.merged_into_id or application.candidate_id
        for application in applications
    }
    by_person: dict[int, list[str]] = {}
    links = CandidateTag.objects.filter(candidate_id__in=set(person_of.values()))
    for candidate_id, name in links.values_list("candidate_id", "tag__name").order_by("tag__name"):
        by_person.setdefault(candidate_id, []).append(name)
    for application in applications:
        application.tags = by_person.get(person_of[application.candidate_id], [])


def tagged(applications, name: str):
    """The applications whose person wears the tag `name` (in any case or spacing)."""
    from sourcing.services import normalise_tag

    wearing = CandidateTag.objects.filter(tag__name=normalise_tag(name))
    return applications.filter(
        Exists(wearing.filter(candidate_id=OuterRef("candidate_id")))
        | Exists(wearing.filter(candidate_id=OuterRef("candidate__merged_into_id")))
    )
