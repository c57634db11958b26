"""The applicant's offer pages, reached from their status page by its secret link: the
letter's PDF (inline or as a download), accepting and declining.

Every lookup goes through the status token: an offer of another application is a 404. The PDF
is private and never cached. Answers are POSTs with CSRF, limited per application.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ats import ratelimit
from offers import services
from offers.models import Offer
from offers.panels import SHOWN

ANSWER_LIMIT, ANSWER_WINDOW = 20, 3600


def _offer(token, pk) -> Offer:
    return get_object_or_404(
        Offer.objects.filter(
            application__status_token=token,
            application__erased_at__isnull=True,
            status__in=SHOWN,
        ).select_related("application__posting", "application__candidate"),
        pk=pk,
    )


def _back(token):
    return redirect(reverse("applications:status", args=[token]) + "#offer")


def _allowed(request, token) -> bool:
    if ratelimit.hit("offer-answer", token, limit=ANSWER_LIMIT, window=ANSWER_WINDOW):
        return True
    messages.error(request, "Too many tries in a short time. Please try again in an hour.")
    return False


def letter_response(offer: Offer, *, inline: bool) -> FileResponse:
    if not offer.pdf:
        raise Http404
    response = FileResponse(
        offer.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=not inline,
        filename=f"offer-v{offer.version}.pdf",
    )
    response["Referrer-Policy"] = "same-origin"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_GET
def letter(request, token, pk):
    return letter_response(_offer(token, pk), inline=request.GET.get("download") != "1")


@require_POST
def accept(request, token, pk):
    offer = _offer(token, pk)
    if not _allowed(request, token):
        return _back(token)
    try:
        services.accept_offer(
            offer=offer,
            typed_name=request.POST.get("name", "")[:200],
            ip=ratelimit.client_ip(request) or None,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "You accepted the offer. Welcome aboard! We will be in touch.")
    return _back(token)


@require_POST
def decline(request, token, pk):
    offer = _offer(token, pk)
    if not _allowed(request, token):
        return _back(token)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Nothing was changed: tick the box to confirm you decline.")
        return _back(token)
    try:
        services.decline_offer(offer=offer, reason=request.POST.get("reason", "")[:2000])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "You declined the offer. Thank you for letting us know.")
    return _back(token)
