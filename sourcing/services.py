"""Writes of sourcing: adding a person to a posting, referring one, tagging candidates."""

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from applications import services as applications
from applications.models import Application, Candidate, Source, Stage
from applications.resumes import CheckedResume
from applications.services import Applicant, CannotAdd
from postings.models import Posting
from sourcing.models import CandidateTag, Origin, Tag

__all__ = ["CannotAdd", "add_candidate", "add_tag", "normalise_tag", "refer", "remove_tag"]


def add_candidate(
    *,
    posting: Posting,
    applicant: Applicant,
    stage: Stage,
    source: str,
    sourced_by,
    added_by,
    resume: CheckedResume | None = None,
    resume_file=None,
    send_confirmation: bool = False,
) -> Application:
    """A recruiter adds someone to a posting: the application (applications.add_application,
    which owns the candidate matching, the resume and the stage history) and its origin, in
    one transaction. Raises CannotAdd with the reason for the form."""
    with transaction.atomic():
        application = applications.add_application(
            posting=posting,
            applicant=applicant,
            stage=stage,
            source=source,
            by=added_by,
            resume=resume,
            resume_file=resume_file,
            send_confirmation=send_confirmation,
        )
        Origin.objects.create(
            application=application, source=source, by=sourced_by, added_by=added_by
        )
    return application


def refer(
    *,
    posting: Posting,
    applicant: Applicant,
    referred_by,
    relationship: str,
    link: str = "",
    resume: CheckedResume | None = None,
    resume_file=None,
) -> Application:
    """A colleague refers someone to an open posting: into the first stage, marked as a
    referral, the hiring team alerted as for any new application. The person hears nothing
    from us until the team moves them on."""
    if not posting.is_open:
        raise CannotAdd(f"{posting.title} is not open for applications.")
    with transaction.atomic():
        first = posting.stages.get(kind=Stage.Kind.APPLIED)
        try:
            application = applications.add_application(
                posting=posting,
                applicant=applicant,
                stage=first,
                source=Source.REFERRAL,
                by=referred_by,
                resume=resume,
                resume_file=resume_file,
                alert_team=True,
            )
        except CannotAdd:
            # The referrer may not see the pipeline: "already in it" would tell them who
            # applied. Every refusal reads the same; the recruiter can say more.
            raise CannotAdd(
                f"We could not take this referral for {posting.title}. "
                "The recruiter for this role can tell you more."
            ) from None
        Origin.objects.create(
            application=application,
            source=Source.REFERRAL,
            by=referred_by,
            added_by=referred_by,
            relationship=relationship[:500],
            link=link[:500],
        )
    return application


TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9 +#._-]*$")


def normalise_tag(name: str) -> str:
    """Lower case, single spaces: "Python  Dev" and "python dev" are one tag."""
    return " ".join(name.split()).lower()


@dataclass(frozen=True)
class Tagged:
    tag: Tag
    added: bool  # False when the candidate had it already


def add_tag(*, candidate: Candidate, name: str, by) -> Tagged:
    """Tag the person (the record merged ones show under), making the tag on first use."""
    name = normalise_tag(name)
    if not name or len(name) > Tag.NAME_MAX or not TAG_PATTERN.match(name):
        raise ValueError(
            f"A tag is up to {Tag.NAME_MAX} letters, digits, spaces and + # . _ -, "
            "starting with a letter or digit."
        )
    person = candidate.person
    with transaction.atomic():
        tag = Tag.objects.filter(name=name).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(name=name)
            except IntegrityError:  # made by someone else meanwhile
                tag = Tag.objects.get(name=name)
        _, added = CandidateTag.objects.get_or_create(
            candidate=person, tag=tag, defaults={"added_by": by}
        )
    return Tagged(tag=tag, added=added)


def remove_tag(*, candidate: Candidate, tag: Tag) -> bool:
    """Untag the person; the tag itself stays in the vocabulary for others."""
    deleted, _ = CandidateTag.objects.filter(candidate=candidate.person, tag=tag).delete()
    return bool(deleted)
