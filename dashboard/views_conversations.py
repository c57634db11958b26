"""Writing to candidates from the dashboard: one from the candidate page, several from the
board or the list ("Email selected"), and cancelling a message still scheduled.

Whoever may open the candidate page may write: recruiters and admins on any posting, hiring
managers on their own. Interviewers reach no candidate page (their scope holds no posting),
so they neither write nor read the conversation. Every lookup goes through the user's scope.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from applications.models import Application
from conversations import email_templates, services
from conversations.models import Attachment, Message
from conversations.placeholders import BASE_PLACEHOLDERS
from dashboard import board as board_reads
from dashboard.forms_conversations import ComposeForm
from dashboard.scope import get_application, get_posting, staff_required
from dashboard.views_inbox import attachment_download
from dashboard.views_pipeline import _back, _board_url
from notifications.wording import Rendered


def _preview(application, user, form):
    """What the first person would read, once the wording passes the checks; else None (the
    errors are then on the form)."""
    data = form.cleaned_data
    try:
        clean = services.check_wording(subject=data["subject"], body=data["body"])
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    filled = services.fill_for(application, author=user, **clean)
    return {
        "subject": filled.subject,
        "html": Rendered(html=filled.html, text=filled.text).safe_html,
        "application": application,
    }


def _try_send(form, send, **target):
    """Call the service with the form's wording and time. Its ValidationError lands on the
    form's fields by name, and the answer is then None: nothing was stored."""
    data = form.cleaned_data
    try:
        return send(subject=data["subject"], body=data["body"], send_at=data["send_at"], **target)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None


def _compose_page(request, form, **context):
    """The compose page, for one candidate or several; 400 when the form has errors."""
    return render(
        request,
        "dashboard/compose.html",
        {"form": form, "placeholders": BASE_PLACEHOLDERS, **context},
        status=400 if form.is_bound and form.errors else 200,
    )


def _compose_form(request, posting, *, bound: bool) -> ComposeForm:
    """The compose form, offering the posting's message templates to start from. "Use
    template" fills the subject and message with the chosen template's wording, placeholders
    and all (they are filled for each person when sent), and sends nothing."""
    templates = {str(t.pk): t for t in email_templates.compose_templates(posting)}
    choices = [(pk, t.name) for pk, t in templates.items()]
    if not bound:
        return ComposeForm(templates=choices)
    data = request.POST
    chosen = templates.get(data.get("template", ""))
    if data.get("action") == "use_template" and chosen is not None:
        data = data.copy()
        data["subject"], data["body"] = chosen.subject, chosen.body
    return ComposeForm(data, templates=choices)


def _when(message: Message) -> str:
    send_after = message.outbox.send_after
    if send_after > timezone.now():
        return " It goes out " + date_format(timezone.localtime(send_after), "M j, H:i") + "."
    return ""


@staff_required
def compose(request, posting_pk, pk):
    application = get_application(
        request.user,
        posting_pk,
        pk,
        Application.objects.select_related("candidate", "posting", "stage"),
    )
    form = _compose_form(request, application.posting, bound=request.method == "POST")
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "use_template":
            pass  # the form now holds the template's wording, to read and edit first
        elif request.POST.get("action") == "send":
            message = _try_send(
                form, services.send_message, application=application, author=request.user
            )
            if message is not None:
                verb = "Scheduled" if _when(message) else "Sent"
                messages.success(
                    request,
                    f"{verb} “{message.subject}” to {application.display_name}." + _when(message),
                )
                return redirect(application.get_dashboard_url() + "#notes")
        else:
            preview = _preview(application, request.user, form)
    return _compose_page(
        request,
        form,
        posting=application.posting,
        application=application,
        recipients=[application],
        preview=preview,
        cannot_write=services.why_not(application),
        action_url=reverse("dashboard:compose", args=[application.posting_id, pk]),
        back_url=application.get_dashboard_url(),
    )


@staff_required
@require_POST
def compose_bulk(request, posting_pk):
    """Reached from the board's or the list's selection (a POST of the ticked ids), then
    posted to itself to preview and send. No JavaScript needed at any step."""
    posting = get_posting(request.user, posting_pk)
    ids = [value for value in request.POST.getlist("applications") if value.isdigit()]
    recipients = list(
        board_reads.board_applications(posting)
        .filter(pk__in=ids)
        .select_related("candidate", "posting", "stage")
        .order_by("name", "pk")
    )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = _board_url(posting.pk)
    if not recipients:
        messages.error(request, "Select at least one application first.")
        return _back(request, _board_url(posting.pk))
    composing = "subject" in request.POST
    form = _compose_form(request, posting, bound=composing)
    preview = None
    if composing and form.is_valid():
        if request.POST.get("action") == "use_template":
            pass  # the form now holds the template's wording, to read and edit first
        elif request.POST.get("action") == "send":
            result = _try_send(
                form, services.send_bulk, applications=recipients, author=request.user
            )
            if result is not None:
                count = len(result.sent)
                verb = "Scheduled" if result.sent and _when(result.sent[0]) else "Sent"
                text = f"{verb} {count} email{'s' if count != 1 else ''}, one to each candidate."
                if result.sent:
                    text += _when(result.sent[0])
                messages.success(request, text)
                for application, reason in result.skipped:
                    messages.warning(request, f"Not sent to {application.display_name}: {reason}")
                return _back(request, _board_url(posting.pk))
        else:
            preview = _preview(recipients[0], request.user, form)
    return _compose_page(
        request,
        form,
        posting=posting,
        application=None,
        recipients=recipients,
        preview=preview,
        cannot_write="",
        action_url=reverse("dashboard:compose_bulk", args=[posting.pk]),
        back_url=back,
    )


@staff_required
def message_attachment(request, posting_pk, pk, attachment_pk):
    """A file that came with a reply on this application's timeline."""
    application = get_application(request.user, posting_pk, pk)
    attachment = get_object_or_404(
        Attachment.objects.select_related("message"),
        message__application=application,
        pk=attachment_pk,
    )
    return attachment_download(attachment)


@staff_required
@require_POST
def cancel_message(request, posting_pk, pk):
    application = get_application(request.user, posting_pk, pk)
    message = get_object_or_404(
        Message.objects.select_related("outbox"),
        application=application,
        direction=Message.Direction.OUTGOING,
        pk=request.POST.get("message") if str(request.POST.get("message", "")).isdigit() else 0,
    )
    try:
        services.cancel_scheduled(message=message, by=request.user)
    except services.CannotCancel as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Cancelled “{message.subject}”: it will not be sent.")
    return redirect(application.get_dashboard_url() + "#notes")
