import json

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from applications import pipeline, services, sources, status_panels
from applications.forms import ApplicationForm, ManageLinkForm
from applications.models import Application, Candidate, Stage
from ats import ratelimit
from postings.models import Posting
from postings.views import closed_posting

RATE_WINDOW = 3600


def resume_file_response(resume, *, as_attachment: bool) -> FileResponse:
    """A stored resume, for staff views that have already checked who may see it: never
    sniffed into another type, never kept by a shared cache."""
    response = FileResponse(
        resume.file.open("rb"),
        as_attachment=as_attachment,
        filename=resume.original_filename,
        content_type=resume.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _open_posting(slug) -> Posting:
    posting = (
        Posting.objects.prefetch_related("teams", "questions", "locations")
        .filter(slug=slug)
        .first()
    )
    if posting is None or posting.status == Posting.Status.DRAFT:
        raise Http404("No such posting")
    return posting


def _render_apply(request, posting, form, *, status=200):
    return render(
        request, "applications/apply.html", {"posting": posting, "form": form}, status=status
    )


def _rate_limited(request, posting):
    # The typed text comes back; the file must be chosen again later anyway.
    form = ApplicationForm(request.POST, posting=posting)
    form.errors_before_validation(
        "We have received many applications from your network in the last hour. "
        "Please wait a while and try again."
    )
    return _render_apply(request, posting, form, status=429)


@require_http_methods(["GET", "POST"])
def apply(request, slug):
    posting = _open_posting(slug)
    if not posting.is_open:
        return closed_posting(request, posting)
    if request.method == "GET":
        return _render_apply(request, posting, ApplicationForm(posting=posting))

    identity = ratelimit.client_ip(request)
    # Refused before the form is validated, so a limited client costs no resume parsing: every
    # attempt counts against a loose limit, and a client that sent its share of applications
    # is stopped here without counting. A person fixing typos is never stopped by their typos.
    if not ratelimit.hit(
        "apply-attempt", identity, limit=settings.APPLY_ATTEMPT_LIMIT, window=RATE_WINDOW
    ) or not ratelimit.peek("apply", identity, limit=settings.APPLY_RATE_LIMIT, window=RATE_WINDOW):
        return _rate_limited(request, posting)
    form = ApplicationForm(request.POST, request.FILES, posting=posting)
    if not form.is_valid():
        form.keep_resume()
        return _render_apply(request, posting, form, status=400)
    # Counted once valid, whether stored, a duplicate (which emails its address) or the
    # honeypot's: the limit is on what the form accepts. Counting again here, rather than
    # trusting the peek above, holds the limit against submissions sent side by side.
    if not ratelimit.hit("apply", identity, limit=settings.APPLY_RATE_LIMIT, window=RATE_WINDOW):
        return _rate_limited(request, posting)
    if not form.is_spam:
        data = form.cleaned_data
        try:
            services.submit_application(
                posting=posting,
                applicant=services.Applicant(
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    location=data["location"],
                    links=data["links"],
                ),
                answers=form.answers,
                resume=form.checked_resume,
                resume_file=data["resume"],
                cover_letter=data["cover_letter"],
                source=sources.for_submission(request),
            )
        except services.DuplicateApplication:
            # Answered like any new application: the address learns of it by email (with its
            # link), the browser learns nothing about who applied before.
            pass
        except services.PostingNotOpen:
            return closed_posting(request, posting)
    form.release_kept_resume()
    # A bot that filled the honeypot sees the same thank-you; nothing was stored for it.
    request.session["applied_to"] = posting.pk
    response = redirect("applications:confirmation", slug=posting.slug)
    sources.forget(response)
    return response


@never_cache
def confirmation(request, slug):
    """Thanks, and where to look: the status link is only ever in the applicant's inbox."""
    posting = _open_posting(slug)
    if request.session.get("applied_to") != posting.pk:
        return redirect(posting)
    stages = list(posting.stages.all())
    applied = next((stage for stage in stages if stage.kind == Stage.Kind.APPLIED), None)
    return render(
        request,
        "applications/confirmation.html",
        {"posting": posting, **_next_steps(stages, applied)},
    )


def _next_steps(stages: list[Stage], current: Stage | None) -> dict:
    """What the applicant may expect next, from the posting's own pipeline: the steps ahead,
    which of them email, and whether a decision against them is emailed too."""
    rejected = next((stage for stage in stages if stage.kind == Stage.Kind.REJECTED), None)
    return {
        "stages_ahead": pipeline.stages_ahead(stages, current) if current else [],
        "rejection_emailed": bool(rejected and rejected.notify_candidate),
    }


@require_http_methods(["GET", "POST"])
def manage_request(request):
    """Ask for the link to every application made with an address; it goes to that inbox."""
    form = ManageLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        identity = ratelimit.client_ip(request)
        if ratelimit.hit(
            "manage-link", identity, limit=settings.APPLY_RATE_LIMIT, window=RATE_WINDOW
        ):
            services.request_manage_link(email=form.cleaned_data["email"])
        # The same page whether or not the address applied, or the client was limited.
        return render(request, "applications/manage_link_sent.html")
    return render(request, "applications/manage_request.html", {"form": form})


def _candidate_for_manage_token(token) -> Candidate:
    candidate = Candidate.objects.for_manage_token(token)
    if candidate is None:
        raise Http404("No such link")
    return candidate


def _private(response):
    # The URL is the secret: keep it out of other sites' referrer logs. Not "no-referrer":
    # under it browsers send `Origin: null` with the page's forms, and Django's CSRF check
    # refuses them.
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
def manage(request, token):
    candidate = _candidate_for_manage_token(token)
    applications = (
        candidate.applications.active()
        .select_related("posting", "stage")
        .prefetch_related("stage_changes__to_stage")
    )
    return _private(
        render(
            request,
            "applications/manage.html",
            {"candidate": candidate, "applications": applications, "token": token},
        )
    )


@never_cache
def manage_download(request, token):
    candidate = _candidate_for_manage_token(token)
    return _json_download(services.export_all(candidate=candidate))


@require_POST
def manage_erase(request, token):
    candidate = _candidate_for_manage_token(token)
    if not _erasure_confirmed(request):
        return redirect("applications:manage", token=token)
    services.erase_all(candidate=candidate)
    return render(request, "applications/erased.html", {"everything": True})


def _erasure_confirmed(request) -> bool:
    if request.POST.get("confirm") == "yes":
        return True
    messages.error(request, "Tick the box to confirm that you want your data erased.")
    return False


def _application_for_token(token) -> Application:
    return get_object_or_404(
        Application.objects.select_related("posting", "stage", "candidate")
        .prefetch_related("posting__teams", "stage_changes__to_stage")
        .filter(erased_at__isnull=True),
        status_token=token,
    )


@never_cache
def status(request, token):
    application = _application_for_token(token)
    posting = application.posting
    stage = application.candidate_stage
    return _private(
        render(
            request,
            "applications/status.html",
            {
                "application": application,
                "posting": posting,
                "stage": stage,
                "steps": application.candidate_steps,
                "panels": status_panels.panels_for(application, request),
                **_next_steps(list(posting.stages.all()), stage),
            },
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request, token):
    """Withdrawing cannot be undone, so it takes two steps that work without JavaScript: the
    status page links here, and this page's form confirms it."""
    application = _application_for_token(token)
    if not application.can_withdraw:
        messages.info(request, "This application can no longer be withdrawn.")
        return redirect("applications:status", token=token)
    if request.method == "GET":
        return _private(
            render(
                request,
                "applications/withdraw.html",
                {"application": application, "posting": application.posting},
            )
        )
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Nothing was changed: confirm below to withdraw your application.")
        return redirect("applications:withdraw", token=token)
    if services.withdraw(application=application):
        messages.success(
            request, "Your application has been withdrawn. We have emailed you to confirm."
        )
    else:
        messages.info(request, "This application can no longer be withdrawn.")
    return redirect("applications:status", token=token)


def _json_download(data: dict) -> HttpResponse:
    payload = json.dumps(data, indent=2, ensure_ascii=False)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-application-data.json"'
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
def download_data(request, token):
    application = _application_for_token(token)
    return _json_download(services.export_data(application=application))


@require_POST
def erase(request, token):
    application = _application_for_token(token)
    if not _erasure_confirmed(request):
        return redirect("applications:status", token=token)
    services.erase(application=application)
    return render(request, "applications/erased.html", {"posting": application.posting})
