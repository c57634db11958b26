"""Sourcing: adding people to a posting, referrals, the candidate page across postings, tags
and merges.

A candidate is reached through the applications the user may see (dashboard.scope): a person
with none of those is a 404, and the page lists only those.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from applications.models import Application, Candidate, StageChange
from applications.services import Applicant, CannotAdd, CannotMerge, merge_candidates, merge_plan
from dashboard.forms_sourcing import AddToPostingForm, MergeForm, ReferralForm, TagForm
from dashboard.models import Note
from dashboard.scope import can_manage_postings, get_posting, staff_required
from postings.models import Posting
from sourcing import services
from sourcing.forms import AddCandidateForm
from sourcing.models import CandidateTag, Origin, Tag


def _added_message(application, *, confirmation: bool) -> str:
    told = " and emailed their status link" if confirmation else "; they were not emailed"
    return f"Added {application.display_name} to {application.posting.title}{told}."


def _store_or_error(form, act):
    """Run the service; a refusal becomes the form's error. Returns the application or None."""
    try:
        return act()
    except CannotAdd as refusal:
        form.add_error(None, str(refusal))
        return None


@staff_required
def add_candidate(request, posting_pk):
    posting = get_posting(request.user, posting_pk, Posting.objects.all())
    form = AddCandidateForm(
        request.POST or None, request.FILES or None, posting=posting, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        application = _store_or_error(form, lambda: form.add(by=request.user))
        if application is not None:
            messages.success(
                request,
                _added_message(application, confirmation=form.cleaned_data["send_confirmation"]),
            )
            return redirect(application.get_dashboard_url())
    status = 400 if form.is_bound else 200
    return render(
        request,
        "dashboard/sourcing/add_candidate.html",
        {"posting": posting, "form": form},
        status=status,
    )


@staff_required
def refer(request):
    form = ReferralForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        application = _store_or_error(
            form,
            lambda: services.refer(
                posting=data["posting"],
                applicant=form.applicant(),
                referred_by=request.user,
                relationship=data["relationship"],
                link=data["links"][0] if data["links"] else "",
                resume=form.checked_resume,
                resume_file=data["resume"] or None,
            ),
        )
        if application is not None:
            messages.success(
                request,
                f"Thank you: {application.display_name} is referred to "
                f"{application.posting.title}. The hiring team takes it from here.",
            )
            return redirect("dashboard:my_referrals")
    return render(
        request,
        "dashboard/sourcing/refer.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def my_referrals_rows(user):
    """The user's referrals with what the referred person themselves would see: the posting
    and the candidate-facing stage (applications.pipeline.candidate_stage). In a fixed number
    of queries, however many."""
    return list(
        Origin.objects.referrals_by(user)
        .select_related("application__posting", "application__stage")
        .prefetch_related(
            Prefetch(
                "application__stage_changes",
                queryset=StageChange.objects.select_related("to_stage"),
            )
        )
    )


@staff_required
def my_referrals(request):
    return render(
        request,
        "dashboard/sourcing/my_referrals.html",
        {"referrals": my_referrals_rows(request.user)},
    )


# The candidate page


def _group(person: Candidate):
    return Candidate.objects.filter(Q(pk=person.pk) | Q(merged_into=person.pk))


def _visible_applications(user, person: Candidate):
    return (
        Application.objects.for_user(user)
        .active()
        .filter(candidate__in=_group(person).values("pk"))
    )


def get_candidate(user, pk) -> tuple[Candidate, Candidate]:
    """(the record asked for, the person it shows as), if the user may see an application
    of that person; else a 404."""
    candidate = get_object_or_404(Candidate.objects.select_related("merged_into"), pk=pk)
    person = candidate.person
    if not _visible_applications(user, person).exists():
        raise Http404("No candidate here.")
    return candidate, person


def _candidate_context(request, person: Candidate, **forms) -> dict:
    applications = list(
        _visible_applications(request.user, person)
        .select_related("posting", "stage", "candidate", "origin__by")
        .order_by("-submitted_at", "-pk")
    )
    notes = (
        Note.objects.for_user(request.user)
        .filter(application__in=[a.pk for a in applications])
        .select_related("author", "application__posting")
    )
    # Addresses of the records whose applications the user sees, and no other.
    addresses = sorted({a.candidate.email for a in applications})
    postings = Posting.objects.for_user(request.user).exclude(
        pk__in=Application.objects.filter(candidate__in=_group(person).values("pk")).values(
            "posting_id"
        )
    )
    tags = list(CandidateTag.objects.filter(candidate=person).select_related("tag"))
    add_form = forms.get("add_form") or AddToPostingForm(postings=postings)
    return {
        "person": person,
        "addresses": addresses,
        "applications": applications,
        "notes": notes,
        "tags": tags,
        "tag_form": forms.get("tag_form") or TagForm(),
        "add_form": add_form,
        "can_add": add_form.is_bound or postings.exists(),
        "can_merge": can_manage_postings(request.user),
        "merge_form": MergeForm(),
    }


@staff_required
def candidate_detail(request, pk):
    candidate, person = get_candidate(request.user, pk)
    if candidate.pk != person.pk:
        return redirect("dashboard:candidate", person.pk)
    return render(
        request, "dashboard/sourcing/candidate_detail.html", _candidate_context(request, person)
    )


def _page(person) -> str:
    return reverse("dashboard:candidate", args=[person.pk])


@staff_required
@require_POST
def add_to_posting(request, pk):
    _, person = get_candidate(request.user, pk)
    postings = Posting.objects.for_user(request.user)
    form = AddToPostingForm(request.POST, postings=postings)
    if form.is_valid():
        data = form.cleaned_data
        posting = data["posting"]
        # The details of their latest application the user may see, on the kept address.
        latest = _visible_applications(request.user, person).select_related("candidate").first()
        applicant = Applicant(
            name=latest.name, email=latest.candidate.email, phone=latest.phone, links=latest.links
        )
        application = _store_or_error(
            form,
            lambda: services.add_candidate(
                posting=posting,
                applicant=applicant,
                stage=posting.stages.get(kind="applied"),
                source=data["source"],
                sourced_by=request.user,
                added_by=request.user,
                send_confirmation=data["send_confirmation"],
            ),
        )
        if application is not None:
            messages.success(
                request,
                _added_message(application, confirmation=form.cleaned_data["send_confirmation"]),
            )
            return redirect(_page(person))
    context = _candidate_context(request, person, add_form=form)
    return render(request, "dashboard/sourcing/candidate_detail.html", context, status=400)


@staff_required
@require_POST
def tag_add(request, pk):
    _, person = get_candidate(request.user, pk)
    form = TagForm(request.POST)
    if form.is_valid():
        try:
            tagged = services.add_tag(
                candidate=person, name=form.cleaned_data["name"], by=request.user
            )
        except ValueError as refusal:
            form.add_error("name", str(refusal))
        else:
            if tagged.added:
                messages.success(request, f"Tagged “{tagged.tag.name}”.")
            return redirect(_page(person) + "#tags")
    context = _candidate_context(request, person, tag_form=form)
    return render(request, "dashboard/sourcing/candidate_detail.html", context, status=400)


@staff_required
@require_POST
def tag_remove(request, pk, tag_pk):
    _, person = get_candidate(request.user, pk)
    tag = get_object_or_404(Tag, pk=tag_pk)
    if services.remove_tag(candidate=person, tag=tag):
        messages.success(request, f"Removed the tag “{tag.name}”.")
    return redirect(_page(person) + "#tags")


def _recruiter_only(user) -> None:
    if not can_manage_postings(user):
        raise Http404("Merging candidates is for recruiters.")


@staff_required
def merge(request, pk):
    """Merge another candidate record into this one: a preview first, then the merge."""
    _recruiter_only(request.user)
    _, person = get_candidate(request.user, pk)
    form = MergeForm(request.POST or request.GET or None)
    plan = None
    if form.is_bound and form.is_valid():
        try:
            plan = merge_plan(keep=person, merged=form.cleaned_data["other"])
        except CannotMerge as refusal:
            form.add_error("other", str(refusal))
    if request.method == "POST" and plan is not None and request.POST.get("confirm"):
        try:
            done = merge_candidates(keep=plan.keep, merged=plan.merged, by=request.user)
        except (CannotMerge, ValidationError) as refusal:
            form.add_error("other", str(refusal))
        else:
            messages.success(
                request,
                f"Merged: {len(done.applications)} application(s) now show under "
                f"{done.keep}. Each address keeps its own status and manage links.",
            )
            return redirect(_page(done.keep))
    return render(
        request,
        "dashboard/sourcing/merge.html",
        {"person": person, "form": form, "plan": plan},
        status=400 if form.errors else 200,
    )
