"""Staff pages of the wording candidates read: the candidate emails (globally and per posting,
with a live preview filled from a real application and a reset to the default) and the
message templates a recruiter starts hand-written emails from.

For recruiters and admins only; anyone else gets the 404 of a page that does not exist, as for
the offer letter's wording. Candidate emails speak for the whole company (a rejection's words
carry weight well beyond one team), so hiring managers, who see only their own postings, do
not change them, not even their postings' versions: they ask a recruiter, who sees every
version side by side. Interviewers never reach these pages.
"""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from applications.models import Application
from conversations import email_templates
from conversations.email_templates import EMAILS
from conversations.models import EmailTemplate, MessageTemplate
from conversations.placeholders import BASE_PLACEHOLDERS, LINKS
from dashboard.forms_templates import MessageTemplateForm, WordingForm, preview_application
from dashboard.scope import can_manage_postings, get_posting, staff_required
from postings.models import Posting


def _recruiter_only(request) -> None:
    if not can_manage_postings(request.user):
        raise Http404


def _email(kind: str, posting=None):
    email = EMAILS.get(kind)
    # Erasure and the manage link speak of every application of an address: no posting's.
    if email is None or (posting is not None and not email.about_application):
        raise Http404
    return email


@staff_required
def template_list(request):
    """Every candidate email, whether it is the default or customised (globally, per
    posting), and the message templates. A fixed number of queries however many rows."""
    _recruiter_only(request)
    globals_, per_posting = {}, {}
    for row in EmailTemplate.objects.select_related("posting", "updated_by").order_by(
        "posting__title", "posting_id"
    ):
        if row.posting_id is None:
            globals_[row.kind] = row
        else:
            per_posting.setdefault(row.kind, []).append(row)
    emails = [
        {"email": email, "custom": globals_.get(kind), "postings": per_posting.get(kind, [])}
        for kind, email in EMAILS.items()
    ]
    return render(
        request,
        "dashboard/templates/template_list.html",
        {
            "emails": emails,
            "message_templates": MessageTemplate.objects.select_related("posting"),
        },
    )


@staff_required
def posting_templates(request, posting_pk):
    """One posting's candidate emails: which have their own version here."""
    _recruiter_only(request)
    posting = get_posting(request.user, posting_pk)
    own = {row.kind: row for row in posting.email_templates.select_related("updated_by")}
    custom = set(EmailTemplate.objects.filter(posting__isnull=True).values_list("kind", flat=True))
    emails = [
        {"email": email, "own": own.get(kind), "global_custom": kind in custom}
        for kind, email in EMAILS.items()
        if email.about_application
    ]
    return render(
        request,
        "dashboard/templates/posting_templates.html",
        {
            "posting": posting,
            "tab": "emails",
            "can_manage": True,
            "emails": emails,
            "message_templates": posting.message_templates.all(),
        },
    )


def _edit_url(kind, posting) -> str:
    if posting is None:
        return reverse("dashboard:email_template", args=[kind])
    return reverse("dashboard:email_template_posting", args=[posting.pk, kind])


def _preview_applications(request, posting):
    applications = (
        Application.objects.for_user(request.user)
        .active()
        .select_related("posting", "candidate", "stage")
        .order_by("-submitted_at", "-pk")
    )
    return applications.filter(posting=posting) if posting is not None else applications


def _typed(form, name: str, limit: int, fallback: str) -> str:
    """What the recruiter typed, for the preview even while the form has errors (an unknown
    placeholder shows as typed); what is stored when nothing usable was sent."""
    value = form.data.get(name) if form.is_bound else None
    if value is None or len(value) > limit:
        return fallback
    return value


@staff_required
@require_http_methods(["GET", "POST"])
def email_template_edit(request, kind, posting_pk=None):
    """Edit one candidate email's wording, globally or for one posting. POST with "save"
    stores it; any other POST (the Preview button, or htmx as one types) only previews."""
    _recruiter_only(request)
    posting = get_posting(request.user, posting_pk) if posting_pk is not None else None
    email = _email(kind, posting)
    subject, body, row = email_templates.wording_for(kind, posting)
    own = row if row is not None and row.posting_id == getattr(posting, "pk", None) else None
    applications = _preview_applications(request, posting)
    form = WordingForm(
        request.POST or None,
        initial={"subject": subject, "body": body},
        placeholders=email.placeholders,
        applications=applications,
    )
    if request.method == "POST" and "save" in request.POST and form.is_valid():
        email_templates.save_email_template(
            kind=kind,
            posting=posting,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            by=request.user,
        )
        where = f" for {posting.title}" if posting else ""
        messages.success(request, f"Saved. “{email.label}”{where} now uses this wording.")
        return redirect(_edit_url(kind, posting))
    application = preview_application(form, applications)
    preview = None
    if application is not None:
        preview = email_templates.preview(
            kind,
            _typed(form, "subject", EmailTemplate.SUBJECT_MAX, subject),
            _typed(form, "body", EmailTemplate.BODY_MAX, body),
            application,
        )
    context = {
        "email": email,
        "posting": posting,
        "form": form,
        "own": own,
        "inherits_global": posting is not None and row is not None and own is None,
        "preview": preview,
        # Safe: email_templates.fill escaped every piece of the wording and every value.
        "preview_html": mark_safe(preview.html) if preview else "",  # noqa: S308  # nosec B308 B703
        "preview_application": application,
        "edit_url": _edit_url(kind, posting),
        "placeholders": email.placeholders,
        "links": email.link_names,
    }
    if request.htmx and "save" not in request.POST:
        return render(request, "dashboard/templates/_preview.html", context)
    status = 400 if form.is_bound and "save" in request.POST else 200
    return render(request, "dashboard/templates/email_template_form.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def email_template_reset(request, kind, posting_pk=None):
    """Asks first; a POST drops the customised wording (the posting's own version, or the
    global one) so the email reads as the default again, or the global wording for a posting."""
    _recruiter_only(request)
    posting = get_posting(request.user, posting_pk) if posting_pk is not None else None
    email = _email(kind, posting)
    if request.method == "POST":
        if email_templates.reset_email_template(kind=kind, posting=posting):
            messages.success(request, f"“{email.label}” is back to its default wording.")
        return redirect(_edit_url(kind, posting))
    return render(
        request,
        "dashboard/templates/email_template_reset.html",
        {"email": email, "posting": posting, "edit_url": _edit_url(kind, posting)},
    )


def _message_template(request, pk) -> MessageTemplate:
    # Recruiters see every posting; the lookup still goes through the user's postings, so a
    # posting's template is found only by someone who may see that posting.
    postings = Posting.objects.for_user(request.user).values("pk")
    return get_object_or_404(
        MessageTemplate.objects.select_related("posting").filter(
            Q(posting__isnull=True) | Q(posting__in=postings)
        ),
        pk=pk,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def message_template_edit(request, pk=None):
    _recruiter_only(request)
    template = _message_template(request, pk) if pk is not None else MessageTemplate()
    form = MessageTemplateForm(
        request.POST or None,
        instance=template,
        postings=Posting.objects.for_user(request.user).order_by("title"),
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.updated_by = request.user
        saved.save()
        messages.success(request, f"Saved the message template “{saved.name}”.")
        return redirect("dashboard:templates")
    return render(
        request,
        "dashboard/templates/message_template_form.html",
        {
            "form": form,
            "template": template,
            "placeholders": BASE_PLACEHOLDERS,
            "links": LINKS,
        },
        status=400 if form.is_bound else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def message_template_delete(request, pk):
    _recruiter_only(request)
    template = _message_template(request, pk)
    if request.method == "POST":
        template.delete()
        messages.success(request, f"Deleted the message template “{template.name}”.")
        return redirect("dashboard:templates")
    return render(
        request, "dashboard/templates/message_template_delete.html", {"template": template}
    )
