from functools import lru_cache

from django import template
from django.utils import timezone
from django.utils.html import format_html_join

from applications.models import Application, RejectionReason
from applications.pipeline import OPEN_KINDS
from conversations import receiving
from dashboard.scope import can_manage_postings

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_count(context) -> int | None:
    """How many replies wait in the Inbox, for those who work it (recruiters, admins); None
    for everyone else, who has no Inbox."""
    if not can_manage_postings(context["request"].user):
        return None
    return receiving.inbox_count()


@register.filter
def person(user, missing="Someone"):
    """A teammate's name as the dashboard shows it: full name, else username."""
    if user is None:
        return missing
    return user.get_full_name() or user.get_username()


@register.filter
def web_url(value) -> str:
    """The value if it is an http(s) address, else "": never a javascript: link, whatever
    reached the database."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""


@register.filter
def stage_options(stages, selected_id) -> str:
    """The <option>s of a card's Move menu, `selected_id` selected, each stage that emails
    the candidate marked so.

    A board renders the same few lists for every card of a column; building them once per
    pipeline and stage, rather than looping in the template per card, is a third of the
    board's rendering time.
    """
    return _stage_options(
        tuple((stage.pk, stage.name, stage.notify_candidate) for stage in stages), selected_id
    )


@lru_cache(maxsize=512)
def _stage_options(stages: tuple[tuple[int, str, bool], ...], selected_id) -> str:
    return format_html_join(
        "",
        '<option value="{}"{}>{}{}</option>',
        (
            (pk, " selected" if pk == selected_id else "", name, " · emails" if notify else "")
            for pk, name, notify in stages
        ),
    )


@register.filter
def reason_options(reasons, prompt="Choose a reason…") -> str:
    """The <option>s of a reject form: a prompt, then the active rejection reasons."""
    return _reason_options(tuple((reason.pk, reason.label) for reason in reasons), prompt)


@lru_cache(maxsize=64)
def _reason_options(reasons: tuple[tuple[int, str], ...], prompt: str) -> str:
    return format_html_join("", '<option value="{}">{}</option>', [("", prompt), *reasons])


@register.simple_tag(takes_context=True)
def board_card(context, card):
    """A card of the board, drawn by dashboard.cards (in Python: the template engine was
    half a millisecond a card). Reads the page's posting, stages, rejection reasons, `here`
    and `selectable` as the card template did."""
    from dashboard.cards import render_card  # the renderer reads this module's filters

    return render_card(
        card,
        posting_pk=context["posting"].pk,
        stage_options=stage_options(context["stages"], card.stage_id),
        reason_options=reason_options(context.get("rejection_reasons") or ()),
        days=days_in_stage(card),
        here=context.get("here", ""),
        csrf_token=context.get("csrf_token"),
        selectable=context.get("selectable", False),
    )


@register.filter
def days_in_stage(application) -> str:
    """How long the application has waited in its stage, in calendar days of the viewer's
    time zone: "today", "1 day", "3 days"."""
    since = timezone.localdate(application.stage_changed_at)
    days = max((timezone.localdate() - since).days, 0)
    if days == 0:
        return "today"
    return f"{days} day{'' if days == 1 else 's'}"


def _open_count(context, posting) -> int:
    """The posting's applications still open: the page's own count when it has one (the
    unfiltered board adds up its columns), else one query."""
    if context.get("open_count") is not None:
        return context["open_count"]
    return Application.objects.filter(
        posting=posting, stage__kind__in=OPEN_KINDS, erased_at__isnull=True
    ).count()


@register.inclusion_tag("dashboard/_fill_banner.html", takes_context=True)
def fill_banner(context, posting, oob=False):
    """The question a filled posting asks its recruiters: close it and reject the rest, or
    keep it open. Hiring managers read that it is filled, without the form. Costs nothing
    beyond the posting's hire count unless the question is asked."""
    request = context["request"]
    asks = posting.awaits_wrap_up
    can_manage = asks and can_manage_postings(request.user)
    return {
        "posting": posting,
        "oob": oob,
        "asks": asks,
        "can_manage": can_manage,
        "here": context.get("here") or request.get_full_path(),
        "remaining": _open_count(context, posting) if can_manage else 0,
        "rejection_reasons": list(RejectionReason.objects.active()) if can_manage else [],
    }
