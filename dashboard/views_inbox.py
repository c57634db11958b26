"""The Inbox: replies the fetcher could not match to an application, for recruiters to read
and assign, or discard.

Recruiters and admins only. An unmatched message may be about any posting or none, and may
come from anyone: until someone has placed it, nobody can tell whose team may read it, so it
goes to the people who see every posting. A hiring manager sees a reply once it is on an
application of theirs; an interviewer never reads the candidate's mail. To anyone else the
pages are not there (404), as with every page outside one's scope.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from applications.models import Application
from conversations import receiving
from conversations.models import Message
from dashboard.scope import can_manage_postings, staff_required

PAGE_SIZE = 50


def _for_recruiters(request):
    if not can_manage_postings(request.user):
        raise Http404("No such page.")


def _inbox_message(request, pk) -> Message:
    _for_recruiters(request)
    return get_object_or_404(Message.objects.inbox(), pk=pk)


@staff_required
def inbox(request):
    _for_recruiters(request)
    page = Paginator(
        Message.objects.inbox()
        .order_by("-created_at", "-id")
        .only("pk", "from_address", "subject", "body_text", "problems", "created_at"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(request, "dashboard/inbox.html", {"page": page})


@staff_required
def inbox_message(request, pk):
    message = _inbox_message(request, pk)
    query = request.GET.get("q", "")[:100]
    sender = _address(message)
    found = list(receiving.search_applications(request.user, query)) if query else []
    return render(
        request,
        "dashboard/inbox_message.html",
        {
            "message": message,
            "attachments": list(message.attachments.all()),
            "query": query,
            "found": found,
            "sender": sender.lower(),
            "suggested": list(receiving.search_applications(request.user, sender)),
        },
    )


def _address(message: Message) -> str:
    """The sender's address, to suggest their applications."""
    address = message.from_address
    if address.endswith(">") and "<" in address:
        address = address.rsplit("<", 1)[1][:-1]
    return address if "@" in address else ""


@staff_required
@require_POST
def inbox_assign(request, pk):
    message = _inbox_message(request, pk)
    try:
        application_pk = int(request.POST.get("application", ""))
    except ValueError:
        messages.error(request, "Choose the application this message belongs to.")
        return redirect("dashboard:inbox_message", pk=message.pk)
    application = get_object_or_404(
        Application.objects.for_user(request.user).select_related("posting"),
        pk=application_pk,
        erased_at__isnull=True,
    )
    try:
        receiving.assign(message=message, application=application, by=request.user)
    except receiving.CannotAssign as refusal:
        messages.error(request, str(refusal))
        return redirect("dashboard:inbox")
    messages.success(
        request, f"The message is on {application.name}’s timeline ({application.posting.title})."
    )
    return redirect("dashboard:inbox")


@staff_required
@require_POST
def inbox_discard(request, pk):
    message = _inbox_message(request, pk)
    try:
        receiving.discard(message=message, by=request.user)
    except receiving.CannotAssign as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Message discarded.")
    return redirect("dashboard:inbox")


@staff_required
def inbox_attachment(request, pk, attachment_pk):
    message = _inbox_message(request, pk)
    return attachment_download(get_object_or_404(message.attachments, pk=attachment_pk))


def attachment_download(attachment) -> FileResponse:
    """A reply's file, always as a download in the type its bytes were checked to be: never
    rendered on our origin."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
