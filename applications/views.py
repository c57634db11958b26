import json

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from applications import services, sources
from applications.forms import ApplicationForm, ManageLinkForm
from applications.models import Application, Candidate
from ats import ratelimit
from postings.models import Posting

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
        Posting.objects.select_related("team")
        .prefetch_related("questions", "locations")
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


@require_http_methods(["GET", "POST"])
def apply(request, slug):
    posting = _open_posting(slug)
    if not posting.is_open:
        return render(request, "postings/posting_closed.html", {"posting": posting}, status=410)
    if request.method == "GET":
        return _render_apply(request, posting, ApplicationForm(posting=posting))

    identity = ratelimit.client_ip(request)
    if not ratelimit.hit("apply", identity, limit=settings.APPLY_RATE_LIMIT, window=RATE_WINDOW):
        # Refused before the form is validated, so a limited client costs no resume parsing.
        # The typed text comes back; the file must be chosen again later anyway.
        form = ApplicationForm(request.POST, posting=posting)
        form.errors_before_validation(
            "We have received many applications from your network in the last hour. "
            "Please wait a while and try again."
        )
        return _render_apply(request, posting, form, status=429)
    form = ApplicationForm(request.POST, request.FILES, posting=posting)
    if not form.is_valid():
        form.keep_resume()
        return _render_apply(request, posting, form, status=400)
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
            return render(request, "postings/posting_closed.html", {"posting": posting}, status=410)
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
    return render(request, "applications/confirmation.html", {"posting": posting})


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
    applications = candidate.applications.active().select_related("posting", "stage")
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
        Application.objects.select_related("posting__team", "stage", "candidate").filter(
            erased_at__isnull=True
        ),
        status_token=token,
    )


@never_cache
def status(request, token):
    application = _application_for_token(token)
    return _private(
        render(
            request,
            "applications/status.html",
            {"application": application, "posting": application.posting},
        )
    )


@require_POST
def withdraw(request, token):
    application = _application_for_token(token)
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
