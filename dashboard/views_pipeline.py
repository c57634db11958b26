"""The pipeline room: home, the board of a posting, candidate pages, notes, resumes, export.

Every object is looked up through the user's scope (dashboard.scope): another team's posting,
application or resume is a 404. Writes are service calls; these views wire forms to them.
"""

from itertools import chain

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from applications.models import Answer, Application, RejectionReason, Stage
from applications.views import resume_file_response
from conversations.models import Message
from dashboard import board as board_reads
from dashboard import export, services
from dashboard import home as home_reads
from dashboard.forms import (
    BoardFilterForm,
    BulkActionForm,
    CalendarConnectForm,
    MoveForm,
    NoteForm,
    RejectForm,
    SettingsForm,
    WorkingHoursForm,
)
from dashboard.scope import get_application, get_posting, staff_required
from dashboard.views_decisions import scorecard_context
from dashboard.views_interviews import interview_section
from dashboard.views_offers import offer_section
from interviews import availability, calendars, crypto
from interviews.models import CalendarConnection
from notifications.models import OutboxEmail
from postings.models import Posting, Question
from search import queries as search

PDF = "application/pdf"


def _back(request, default: str):
    """Redirect to the form's `next` when it is a path on this site, else to `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _board_url(posting_pk) -> str:
    return reverse("dashboard:board", args=[posting_pk])


def _form_errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


# Home


@staff_required
def home(request):
    profile = getattr(request.user, "profile", None)
    if profile is not None and profile.is_interviewer:
        # Interviewers have no postings or boards: their work is the interviews they sit on.
        return redirect("dashboard:my_interviews")
    waiting = home_reads.waiting_for_review(request.user)
    return render(
        request,
        "dashboard/home.html",
        {
            "postings": home_reads.open_postings_with_stage_counts(request.user),
            "to_wrap_up": home_reads.postings_to_wrap_up(request.user),
            "offers_to_approve": home_reads.offers_awaiting_approval_by(request.user),
            "offers_out": home_reads.offers_out_with_candidates(request.user),
            "waiting": list(waiting[: home_reads.WAITING]),
            "waiting_total": waiting.count(),
            "activity": home_reads.recent_activity(request.user),
        },
    )


# The board


def _board_context(request, posting):
    """The posting's stages, its yes/no questions and the bound filter form."""
    stages = list(posting.stages.all())
    yes_no = [q for q in posting.questions.all() if q.kind == Question.Kind.YES_NO]
    form = BoardFilterForm(
        request.GET or None,
        stages=stages,
        questions=yes_no,
        short_labels=board_reads.badge_questions(yes_no),
    )
    applications = form.filter(board_reads.board_applications(posting))
    return stages, yes_no, form, applications


@staff_required
def board(request, posting_pk):
    # Not with_hires(): its join counts every application of the posting; posting.hires
    # counts the hired alone, through the (posting, stage) index.
    posting = get_posting(request.user, posting_pk, Posting.objects.prefetch_related("teams"))
    stages, yes_no, form, applications = _board_context(request, posting)
    badges = board_reads.badge_questions(yes_no)
    with search.by_index(form.searching):
        columns = board_reads.columns(stages, applications, badges, searched=form.searching)
    query = request.GET.urlencode()
    return render(
        request,
        "dashboard/board.html",
        {
            "posting": posting,
            "columns": columns,
            "stages": stages,
            "filter_form": form,
            "query": query,
            "here": request.get_full_path(),
            "bulk_form": BulkActionForm(applications=Application.objects.none(), stages=stages),
            "total": sum(column.count for column in columns),
            # Unfiltered, the columns' counts are the posting's: the fill banner adds up the
            # open ones instead of counting them again.
            "open_count": None if form.active else board_reads.open_count(columns),
            **_reject_context(stages),
        },
    )


LIST_COLUMNS = [
    ("name", "Name"),
    ("stage", "Stage"),
    ("days", "In stage"),
    ("source", "Source"),
    ("submitted", "Submitted"),
]


@staff_required
def board_list(request, posting_pk):
    """The board's applications, under the same filters, as a table: sortable by a column the
    query names (one of board.LIST_ORDERS), a page at a time, with the board's bulk actions."""
    posting = get_posting(
        request.user, posting_pk, Posting.objects.with_hires().prefetch_related("teams")
    )
    stages, _, form, applications = _board_context(request, posting)
    sort, order = board_reads.list_order(request.GET.get("sort", ""))
    with search.by_index(form.searching):
        page = Paginator(
            applications.select_related("stage").order_by(*order), board_reads.PER_LIST_PAGE
        ).get_page(request.GET.get("page"))
        # Read here, inside the search's planning, rather than by the template.
        page.object_list = list(page.object_list)
    filters = request.GET.copy()
    for key in ("sort", "page"):
        filters.pop(key, None)
    query = filters.urlencode()
    return render(
        request,
        "dashboard/board_list.html",
        {
            "posting": posting,
            "page": page,
            "sort": sort,
            "headers": [
                {
                    "label": label,
                    # A second click on the sorted column reverses it.
                    "sort": f"-{key}" if sort == key else key,
                    "state": {key: "ascending", f"-{key}": "descending"}.get(sort, ""),
                }
                for key, label in LIST_COLUMNS
            ],
            "stages": stages,
            "filter_form": form,
            "query": query,
            "here": request.get_full_path(),
            "bulk_form": BulkActionForm(applications=Application.objects.none(), stages=stages),
            "total": page.paginator.count,
            **_reject_context(stages),
        },
    )


def _reject_context(stages) -> dict:
    """What each card's reject form needs: the reasons to offer, and which column is the
    rejected one (its cards have no reject form, and a card dropped there asks a reason)."""
    return {
        "rejection_reasons": list(RejectionReason.objects.active()),
        "rejected_stage_id": next(
            (stage.pk for stage in stages if stage.kind == Stage.Kind.REJECTED), None
        ),
    }


def _page_number(value: str) -> int:
    """A column's page from the query string: what is not a whole number, or is below 1, is
    the first page; a number past any column's last page is a 404."""
    try:
        page = int(value)
    except ValueError:  # also a number of more digits than int() converts
        return 1
    if page > board_reads.MAX_PAGE:
        raise Http404("No such page.")
    return max(1, page)


@staff_required
def board_column(request, posting_pk, stage_pk):
    """More cards of one column: a fragment for htmx's "load more", a page without JS."""
    posting = get_posting(request.user, posting_pk)
    stage = get_object_or_404(Stage, posting=posting, pk=stage_pk)
    stages, yes_no, form, applications = _board_context(request, posting)
    page = _page_number(request.GET.get("page", "2"))
    with search.by_index(form.searching):
        cards, has_more = board_reads.column_page(
            stage, applications, board_reads.badge_questions(yes_no), page=page
        )
    params = request.GET.copy()
    params.pop("page", None)
    board_url = _board_url(posting.pk) + (f"?{params.urlencode()}" if params else "")
    context = {
        "posting": posting,
        "stage": stage,
        "stages": stages,
        "cards": cards,
        "page": page,
        "has_more": has_more,
        "filters": params.urlencode(),
        "board_url": board_url,
        **_reject_context(stages),
    }
    if request.htmx:
        return render(request, "dashboard/_column_page.html", {**context, "here": board_url})
    return render(
        request, "dashboard/board_column.html", {**context, "here": request.get_full_path()}
    )


@staff_required
@require_POST
def bulk_action(request, posting_pk):
    posting = get_posting(request.user, posting_pk)
    stages = list(posting.stages.all())
    form = BulkActionForm(
        request.POST,
        applications=board_reads.board_applications(posting).select_related(
            "candidate", "posting", "stage"
        ),
        stages=stages,
    )
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(request, _board_url(posting.pk))
    selected = list(form.cleaned_data["applications"])
    try:
        if form.is_reject:
            result = services.bulk_reject(
                posting=posting,
                applications=selected,
                by=request.user,
                rejection_reason=form.cleaned_data["rejection_reason"],
                note=form.cleaned_data["reason"],
                notify=form.notify,
            )
            target = services.rejected_stage(posting)
        else:
            target = form.stage
            result = services.bulk_move(
                applications=selected,
                to_stage=target,
                by=request.user,
                reason=form.cleaned_data["reason"],
                notify=form.notify,
            )
    except services.CannotMove as exc:
        messages.error(request, str(exc))
        return _back(request, _board_url(posting.pk))
    moved = len(result.moved)
    text = f"Moved {moved} application{'s' if moved != 1 else ''} to {target.name}."
    if result.unchanged:
        text += f" {result.unchanged} already there."
    messages.success(request, text)
    return _back(request, _board_url(posting.pk))


# One application


def _application_for(request, posting_pk, pk):
    return get_application(
        request.user,
        posting_pk,
        pk,
        Application.objects.select_related("candidate", "posting", "stage"),
    )


def _card_response(request, application, *, error: str = "", change=None):
    """What htmx gets back from a move: the card, re-rendered, and a status line."""
    if error:
        return HttpResponse(error, status=422, content_type="text/plain; charset=utf-8")
    posting = application.posting
    badges = board_reads.badge_questions(posting.questions.all())
    board_reads.attach_card_details([application], badges)
    stages = list(posting.stages.all())
    return render(
        request,
        "dashboard/_card_moved.html",
        {
            "card": application,
            "posting": posting,
            "stages": stages,
            **_reject_context(stages),
            "here": request.POST.get("next", _board_url(posting.pk)),
            "email_note": _email_note(change) if change else "",
            # Undo is a move back, within the email's hold: the email then goes nowhere.
            # Back into Rejected would need a reason again, so that move offers none.
            "undo_stage": change.from_stage
            if change and change.from_stage and change.from_stage.kind != Stage.Kind.REJECTED
            else None,
        },
    )


@staff_required
@require_POST
def move(request, posting_pk, pk):
    application = _application_for(request, posting_pk, pk)
    form = MoveForm(request.POST, posting=application.posting)
    error, change = "", None
    if not form.is_valid():
        error = (
            _form_errors(form)
            if "stage" not in form.errors
            else "Choose one of this posting's stages."
        )
    else:
        stage = form.cleaned_data["stage"]
        try:
            change = services.move(
                application=application,
                to_stage=stage,
                by=request.user,
                reason=form.cleaned_data["reason"],
                notify=form.notify,
                rejection_reason=form.cleaned_data["rejection_reason"],
            )
        except services.CannotMove as exc:
            error = str(exc)
        else:
            application.stage = stage
    if request.htmx:
        return _card_response(request, application, error=error, change=change)
    if error:
        messages.error(request, error)
    elif change is None:
        messages.info(request, f"{application.display_name} is already in {stage.name}.")
    else:
        messages.success(
            request, f"Moved {application.display_name} to {stage.name}." + _email_note(change)
        )
    return _back(request, application.get_dashboard_url())


def _email_note(change) -> str:
    """What the move's email will do, in words for the person who moved."""
    email = OutboxEmail.objects.filter(
        application_id=change.application_id, key__endswith=f":stage-change:{change.pk}"
    ).first()
    if email is None:
        return " The candidate is not emailed."
    wait = email.send_after - timezone.now()
    if wait.total_seconds() >= 2 * 3600:
        return f" The candidate is emailed in {round(wait.total_seconds() / 3600)} hours."
    minutes = max(1, round(wait.total_seconds() / 60))
    return (
        f" The candidate is emailed in {minutes} minute{'s' if minutes != 1 else ''}"
        " unless the card moves again."
    )


@staff_required
@require_POST
def reject(request, posting_pk, pk):
    application = _application_for(request, posting_pk, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back(request, application.get_dashboard_url())
    try:
        change = services.reject(
            application=application,
            by=request.user,
            rejection_reason=form.cleaned_data["rejection_reason"],
            note=form.cleaned_data["reason"],
            notify=form.notify,
        )
    except services.CannotMove as exc:
        messages.error(request, str(exc))
    else:
        if change is None:
            messages.info(request, f"{application.display_name} is already rejected.")
        else:
            messages.success(request, f"Rejected {application.display_name}." + _email_note(change))
    return _back(request, application.get_dashboard_url())


@staff_required
def application_detail(request, posting_pk, pk):
    application = get_application(
        request.user,
        posting_pk,
        pk,
        Application.objects.select_related("candidate", "posting", "stage", "resume", "origin__by"),
    )
    return render(
        request,
        "dashboard/application_detail.html",
        _application_context(request, application, note_form=NoteForm()),
    )


def _application_context(request, application, *, note_form):
    posting = application.posting
    stages = list(posting.stages.all())
    changes = application.stage_changes.select_related(
        "from_stage", "to_stage", "by", "rejection_reason"
    )
    notes = application.notes.select_related("author")
    # The team's messages show as messages (their outbox row is their delivery status).
    emails = (
        OutboxEmail.objects.for_application(application)
        .filter(conversation_message__isnull=True)
        .only(
            "kind", "to", "subject", "status", "created_at", "sent_at", "send_after", "last_error"
        )
    )
    conversation = (
        Message.objects.for_application(application)
        .select_related("outbox", "author")
        .prefetch_related("attachments")
    )
    timeline = sorted(
        chain(
            ({"at": c.at, "change": c} for c in changes),
            ({"at": n.created_at, "note": n} for n in notes),
            ({"at": e.sent_at or e.created_at, "email": e} for e in emails),
            (
                {"at": (m.outbox and m.outbox.sent_at) or m.created_at, "message": m}
                for m in conversation
            ),
        ),
        key=lambda entry: entry["at"],
        reverse=True,
    )
    others = (
        Application.objects.for_user(request.user)
        .active()
        .filter(candidate_id=application.candidate_id)
        .exclude(pk=application.pk)
        .select_related("posting", "stage")
        .order_by("-submitted_at")
    )
    others = list(others)
    answers = list(Answer.objects.filter(application=application).select_related("question"))
    for answer in answers:
        answer.knocked_out = answer.question.is_knockout(answer.value)
    resume = getattr(application, "resume", None)  # None when select_related found none
    return {
        "application": application,
        "candidate": application.candidate,
        "posting": posting,
        "stages": stages,
        "answers": answers,
        "now": timezone.now(),
        "resume": resume,
        "resume_is_pdf": bool(resume and resume.content_type == PDF),
        "others": others,
        "others_with_other_names": [
            other for other in others if not other.gives_same_name_as(application.name)
        ],
        "timeline": timeline,
        "failed_emails": [
            email
            for email in (
                e.get("email") or (e["message"].outbox if "message" in e else None)
                for e in timeline
            )
            if email is not None and email.status == "failed"
        ],
        "note_form": note_form,
        "move_form": MoveForm(posting=posting, initial={"stage": application.stage_id}),
        "reject_form": RejectForm(),
        "team": posting.hiring_team.filter(is_active=True).order_by("username"),
        "can_move": application.can_move,
        **scorecard_context(request.user, application, stages),
        **interview_section(request, application),
        **offer_section(request, application),
    }


@staff_required
@require_POST
def add_note(request, posting_pk, pk):
    application = _application_for(request, posting_pk, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The note was not saved: " + _form_errors(form))
        application = get_application(
            request.user,
            posting_pk,
            pk,
            Application.objects.select_related("candidate", "posting", "stage", "resume"),
        )
        context = _application_context(request, application, note_form=form)
        return render(request, "dashboard/application_detail.html", context, status=400)
    added = services.add_note(
        application=application,
        author=request.user,
        body=form.cleaned_data["body"],
        private=form.cleaned_data["private"],
    )
    text = "Note added."
    if added.notified:
        text += " Emailed " + ", ".join(f"@{user.username}" for user in added.notified) + "."
    messages.success(request, text)
    if added.ignored:
        messages.warning(
            request,
            "Not notified: "
            + ", ".join(f"@{name}" for name in added.ignored)
            + " (no teammate by that name on this posting can be emailed).",
        )
    return redirect(application.get_dashboard_url() + "#notes")


def _resume_of(request, posting_pk, pk):
    return resume_of(
        get_application(request.user, posting_pk, pk, Application.objects.select_related("resume"))
    )


def resume_of(application):
    """The application's resume, its file present, or a 404."""
    try:
        resume = application.resume
    except Application.resume.RelatedObjectDoesNotExist:
        raise Http404("No resume.") from None
    if not resume.file or not resume.file.storage.exists(resume.file.name):
        raise Http404("The resume file is missing.")
    return resume


@staff_required
def resume_download(request, posting_pk, pk):
    return resume_file_response(_resume_of(request, posting_pk, pk), as_attachment=True)


@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
@staff_required
def resume_inline(request, posting_pk, pk):
    """The PDF, for the candidate page's frame. A DOCX is shown as its extracted text instead."""
    resume = _resume_of(request, posting_pk, pk)
    if resume.content_type != PDF:
        raise Http404("Only PDF resumes are shown inline.")
    return resume_file_response(resume, as_attachment=False)


# Export


@staff_required
def export_csv(request, posting_pk):
    """Every application of the posting (under the board's filters), streamed as CSV: the
    header at once, then a batch at a time in a fixed number of queries each (dashboard.export)."""
    # The questions once, for the filters and for the columns.
    posting = get_posting(request.user, posting_pk, Posting.objects.prefetch_related("questions"))
    stages, _, _, applications = _board_context(request, posting)
    response = StreamingHttpResponse(
        export.csv_rows(applications, stages=stages, questions=list(posting.questions.all())),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"{posting.slug}-applications-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Settings


@staff_required
def user_settings(request):
    """The signed-in user's own settings: time zone, emails, working hours and calendar. No id
    in the URL: everything is looked up from request.user, so nobody reaches another's."""
    profile = getattr(request.user, "profile", None)
    if profile is None:
        messages.info(request, "Email settings are for recruiters and hiring managers.")
        return render(request, "dashboard/settings.html", {"form": None})
    action = request.POST.get("action") if request.method == "POST" else None
    posted = request.POST if action == "profile" else None
    form = SettingsForm(posted, instance=profile)
    hours_form = WorkingHoursForm(posted, hours=availability.hours_of(request.user))
    calendar_form = CalendarConnectForm(request.POST if action == "calendar" else None)
    if action == "profile" and form.is_valid() and hours_form.is_valid():
        with transaction.atomic():
            form.save()
            availability.set_working_hours(user=request.user, hours=hours_form.hours())
        messages.success(request, "Settings saved.")
        return redirect("dashboard:settings")
    if action == "calendar" and calendar_form.is_valid():
        try:
            calendars.connect_calendar(user=request.user, **calendar_form.cleaned_data)
        except calendars.CalendarError as exc:
            calendar_form.add_error(None, str(exc))
        else:
            messages.success(request, "Calendar connected.")
            return redirect("dashboard:settings")
    if action == "disconnect":
        if calendars.disconnect_calendar(user=request.user):
            messages.success(request, "Calendar disconnected.")
        return redirect("dashboard:settings")
    context = {
        "form": form,
        "hours_form": hours_form,
        "calendar_form": calendar_form,
        "connection": CalendarConnection.objects.filter(user=request.user).first(),
        "calendars_enabled": crypto.enabled(),
        "calendars_off": crypto.KEY_MISSING,
    }
    return render(request, "dashboard/settings.html", context)
