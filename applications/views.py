import json
import re

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from applications import services
from applications.forms import ApplicationForm, ResendStatusLinkForm
from applications.models import Application, Candidate, Stage
from ats import ratelimit
from postings.models import Posting

RATE_WINDOW = 3600
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


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


def _source(request) -> services.Source:
    """Where the applicant came from, as anyone's link may claim it: control characters and
    line breaks go (PostgreSQL refuses NUL in text, which would fail the whole application)."""
    params = request.GET
    referrer = UNPRINTABLE.sub("", request.META.get("HTTP_REFERER", ""))
    return services.Source(
        utm_source=UNPRINTABLE.sub("", params.get("utm_source", ""))[:100],
        utm_medium=UNPRINTABLE.sub("", params.get("utm_medium", ""))[:100],
        utm_campaign=UNPRINTABLE.sub("", params.get("utm_campaign", ""))[:100],
        referrer=referrer[:500] if referrer.startswith(("http://", "https://")) else "",
    )


@require_http_methods(["GET", "POST"])
def apply(request, slug):
    posting = _open_posting(slug)
    if not posting.is_open:
        return render(request, "postings/posting_closed.html", {"posting": posting}, status=410)
    if request.method == "GET":
        form = ApplicationForm(posting=posting)
        return render(request, "applications/apply.html", {"posting": posting, "form": form})

    form = ApplicationForm(request.POST, request.FILES, posting=posting)
    identity = ratelimit.client_ip(request)
    if not ratelimit.hit("apply", identity, limit=settings.APPLY_RATE_LIMIT, window=RATE_WINDOW):
        form.is_valid()
        form.add_error(
            None,
            "We have received many applications from your network in the last hour. "
            "Please wait a while and try again.",
        )
        return render(
            request, "applications/apply.html", {"posting": posting, "form": form}, status=429
        )
    if not form.is_valid():
        return render(
            request, "applications/apply.html", {"posting": posting, "form": form}, status=400
        )
    if form.is_spam:
        # Tell the bot nothing useful: it sees a thank-you, we store nothing.
        return render(request, "applications/confirmation.html", {"posting": posting})
    data = form.cleaned_data
    try:
        application = services.submit_application(
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
            source=_source(request),
        )
    except services.DuplicateApplication:
        return render(
            request,
            "applications/already_applied.html",
            {
                "posting": posting,
                "resend_form": ResendStatusLinkForm(initial={"email": data["email"]}),
            },
            status=409,
        )
    except services.PostingNotOpen:
        return render(request, "postings/posting_closed.html", {"posting": posting}, status=410)
    request.session["applied_token"] = application.status_token
    return redirect("applications:confirmation", slug=posting.slug)


@never_cache
def confirmation(request, slug):
    posting = _open_posting(slug)
    token = request.session.get("applied_token")
    application = (
        Application.objects.filter(status_token=token, posting=posting).first() if token else None
    )
    if application is None:
        return redirect(posting)
    return render(
        request,
        "applications/confirmation.html",
        {"posting": posting, "application": application},
    )


@require_POST
def resend_status_link(request, slug):
    posting = _open_posting(slug)
    form = ResendStatusLinkForm(request.POST)
    identity = ratelimit.client_ip(request)
    allowed = ratelimit.hit("resend", identity, limit=settings.APPLY_RATE_LIMIT, window=RATE_WINDOW)
    if form.is_valid() and allowed:
        application = (
            Application.objects.active()
            .select_related("candidate", "posting")
            .filter(
                posting=posting,
                candidate__in=Candidate.objects.with_email(form.cleaned_data["email"]),
            )
            .first()
        )
        if application:
            services.resend_status_link(application=application)
    # The same answer whether or not the address applied: this page reveals nobody.
    return render(request, "applications/status_link_sent.html", {"posting": posting})


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
    can_withdraw = application.stage.kind not in (
        Stage.Kind.WITHDRAWN,
        Stage.Kind.REJECTED,
        Stage.Kind.HIRED,
    )
    response = render(
        request,
        "applications/status.html",
        {"application": application, "posting": application.posting, "can_withdraw": can_withdraw},
    )
    # The URL is the secret: keep it out of other sites' referrer logs. Not "no-referrer":
    # under it browsers send `Origin: null` with this page's withdraw and erase forms, and
    # Django's CSRF check refuses them.
    response["Referrer-Policy"] = "same-origin"
    return response


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


@never_cache
def download_data(request, token):
    application = _application_for_token(token)
    payload = json.dumps(
        services.export_data(application=application), indent=2, ensure_ascii=False
    )
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-application-data.json"'
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
def erase(request, token):
    application = _application_for_token(token)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Tick the box to confirm that you want your data erased.")
        return redirect("applications:status", token=token)
    services.erase(application=application)
    request.session.pop("applied_token", None)
    return render(request, "applications/erased.html")
