"""Staff pages of offers: drafting and editing with a preview of the letter, the chain of
approvers, approving or rejecting, sending, withdrawing and revising, the letter's PDF, and
the candidate page's offer section.

Every offer is looked up through Offer.objects.for_user (outside it, a 404; interviewers see
none). Drafting, editing, sending, withdrawing and revising are for recruiters, and anyone
else gets the same 404 as for a page that does not exist; approving is for the approver whose
turn it is (the service refuses anyone else).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from applications.models import Application
from dashboard.forms_offers import ChainForm, DecisionForm, LetterTemplateForm, OfferForm
from dashboard.scope import can_manage_postings, get_posting, staff_required
from offers import letter, pdf, policy, services
from offers.models import Offer, OfferApprover
from offers.views import letter_response


def offer_section(request, application) -> dict:
    """The candidate page's offers, newest first; one query."""
    offers = list(application.offers.order_by("-version"))
    live = any(offer.status in Offer.LIVE for offer in offers)
    can_draft = (
        can_manage_postings(request.user)
        and not live
        and (stage := policy.offer_stage(application.posting)) is not None
        and stage.pk == application.stage_id
    )
    return {"offer_section": {"offers": offers, "can_draft": can_draft}}


def _recruiter_only(request) -> None:
    if not can_manage_postings(request.user):
        raise Http404


def _offer(request, pk) -> Offer:
    return get_object_or_404(
        Offer.objects.for_user(request.user).select_related(
            "application__posting", "application__stage", "application__candidate", "created_by"
        ),
        pk=pk,
    )


def _preview(form, application):
    """The letter as the candidate will read it, from the form's current values."""
    if not form.is_bound or not form.is_valid():
        return None
    draft = Offer(application=application, currency=application.posting.salary_currency)
    for name, value in form.terms().items():
        setattr(draft, name, value)
    return letter.render_offer(draft).safe_html


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _edit_page(request, form, *, application, offer=None):
    return render(
        request,
        "dashboard/offer_form.html",
        {
            "form": form,
            "application": application,
            "posting": application.posting,
            "offer": offer,
            "preview": _preview(form, application),
        },
    )


@staff_required
def offer_new(request, application_pk):
    _recruiter_only(request)
    application = get_object_or_404(
        Application.objects.for_user(request.user).select_related("posting", "stage"),
        pk=application_pk,
    )
    posting = application.posting
    if request.method != "POST":
        initial = {
            "job_title": posting.title,
            "salary_period": posting.salary_period,
            "location": posting.location_display,
            "letter": services.letter_wording(posting),
        }
        return _edit_page(
            request, OfferForm(posting=posting, initial=initial), application=application
        )
    form = OfferForm(request.POST, posting=posting)
    if form.is_valid() and "save" in request.POST:
        try:
            offer = services.draft_offer(
                application=application, by=request.user, terms=form.terms()
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            messages.success(request, "Offer drafted. Send it for approval when it is ready.")
            return redirect("dashboard:offer", pk=offer.pk)
    return _edit_page(request, form, application=application)


@staff_required
def offer_edit(request, pk):
    _recruiter_only(request)
    offer = _offer(request, pk)
    application = offer.application
    if not offer.is_editable:
        messages.error(request, "This offer was sent; revise it to change its terms.")
        return redirect("dashboard:offer", pk=offer.pk)
    if request.method != "POST":
        form = OfferForm(instance=offer, posting=application.posting)
        return _edit_page(request, form, application=application, offer=offer)
    # A fresh instance: a form that fails validation must not touch the offer being shown.
    fresh = Offer.objects.get(pk=offer.pk)
    form = OfferForm(request.POST, instance=fresh, posting=application.posting)
    if form.is_valid() and "save" in request.POST:
        try:
            changes = services.update_terms(offer=offer, by=request.user, terms=form.terms())
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            restarted = changes and offer.status != Offer.Status.DRAFT
            messages.success(
                request,
                "Terms saved; the approvals start again."
                if restarted
                else "Terms saved."
                if changes
                else "Nothing changed.",
            )
            return redirect("dashboard:offer", pk=offer.pk)
    return _edit_page(request, form, application=application, offer=offer)


@never_cache
@staff_required
def offer_detail(request, pk):
    offer = _offer(request, pk)
    approvers = list(offer.approvers.select_related("user"))
    # current_approver reads the prefetched chain, not the database again.
    current = (
        next((a for a in approvers if a.decision == OfferApprover.Decision.PENDING), None)
        if offer.status == Offer.Status.PENDING
        else None
    )
    is_recruiter = can_manage_postings(request.user)
    posting = offer.application.posting
    return render(
        request,
        "dashboard/offer_detail.html",
        {
            "offer": offer,
            "application": offer.application,
            "posting": posting,
            "approvers": approvers,
            "events": offer.events.select_related("by"),
            "letter_html": letter.render_offer(offer).safe_html,
            "out_of_range": policy.out_of_range(posting, offer.base_salary, offer.salary_period),
            "is_recruiter": is_recruiter,
            "chain_form": ChainForm(posting=posting) if is_recruiter and offer.can_submit else None,
            "decision_form": DecisionForm()
            if current is not None and current.user_id == request.user.pk
            else None,
            "current": current,
        },
    )


def _act(request, pk, action, *, success: str, recruiter: bool = True):
    if recruiter:
        _recruiter_only(request)
    offer = _offer(request, pk)
    try:
        result = action(offer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("dashboard:offer", pk=offer.pk)
    messages.success(request, success)
    return redirect("dashboard:offer", pk=result.pk if isinstance(result, Offer) else offer.pk)


@staff_required
@require_POST
def submit(request, pk):
    _recruiter_only(request)
    offer = _offer(request, pk)
    form = ChainForm(request.POST, posting=offer.application.posting)
    if not form.is_valid():
        messages.error(request, "Choose at least the first approver.")
        return redirect("dashboard:offer", pk=offer.pk)
    return _act(
        request,
        pk,
        lambda o: services.submit_for_approval(
            offer=o, by=request.user, approvers=form.approvers()
        ),
        success="Sent for approval; the first approver has an email.",
    )


@staff_required
@require_POST
def decide(request, pk):
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose Approve or Reject.")
        return redirect("dashboard:offer", pk=_offer(request, pk).pk)
    approve = form.cleaned_data["decision"] == "approve"
    return _act(
        request,
        pk,
        lambda o: services.decide(
            offer=o, by=request.user, approve=approve, comment=form.cleaned_data["comment"]
        ),
        success="Approved." if approve else "Rejected; the offer is a draft again.",
        recruiter=False,
    )


@staff_required
@require_POST
def send(request, pk):
    return _act(
        request,
        pk,
        lambda o: services.send_offer(offer=o, by=request.user),
        success="The offer is sent; the candidate has an email with their link.",
    )


@staff_required
@require_POST
def withdraw(request, pk):
    return _act(
        request,
        pk,
        lambda o: services.withdraw_offer(
            offer=o, by=request.user, reason=request.POST.get("reason", "")[:2000]
        ),
        success="The offer is withdrawn.",
    )


@staff_required
@require_POST
def revise(request, pk):
    return _act(
        request,
        pk,
        lambda o: services.revise_offer(offer=o, by=request.user),
        success="A new version is drafted from this one; the one sent is void.",
    )


@never_cache
@staff_required
def letter_pdf(request, pk):
    """The stored letter (made when the offer went for approval, sent unchanged); for a
    draft, a preview made now and not stored."""
    offer = _offer(request, pk)
    if offer.pdf:
        return letter_response(offer, inline=True)
    try:
        data = pdf.render_pdf(offer)
    except pdf.LetterFailed as exc:
        messages.error(request, str(exc))
        return redirect("dashboard:offer", pk=offer.pk)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="offer-v{offer.version}-preview.pdf"'
    return response


SAMPLE = {
    "candidate_name": "Jane Doe",
    "job_title": "",
    "base_salary": "",
    "equity": "10,000 options",
    "bonus": "10% yearly target",
    "start_date": "June 1, 2027",
    "location": "San Francisco",
    "expires_on": "May 1, 2027",
}


@staff_required
def letter_template(request, posting_pk):
    """The posting's offer letter wording, with a preview filled with sample values."""
    _recruiter_only(request)
    posting = get_posting(request.user, posting_pk)
    form = LetterTemplateForm(
        request.POST or None, initial={"body": services.letter_wording(posting)}
    )
    if request.method == "POST" and form.is_valid() and "save" in request.POST:
        services.save_letter_template(posting=posting, body=form.cleaned_data["body"])
        messages.success(request, "Saved. New offers for this posting start from this letter.")
        return redirect("dashboard:offer_letter_template", posting_pk=posting.pk)
    wording = form.cleaned_data["body"] if form.is_bound and form.is_valid() else None
    wording = wording if wording is not None else services.letter_wording(posting)
    values = {
        **SAMPLE,
        "job_title": posting.title,
        "base_salary": posting.salary_display or "$150,000 per year",
        "company": settings.COMPANY_NAME,
    }
    return render(
        request,
        "dashboard/offer_letter_template.html",
        {"form": form, "posting": posting, "preview": letter.render(wording, values).safe_html},
    )
