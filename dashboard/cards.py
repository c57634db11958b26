"""A board card's HTML, built in Python rather than through the template engine.

A full board draws 84 cards; through Django's templates each cost about half a millisecond
(some sixty nodes to walk, three URL reversals, a menu of stages and reasons), which made the
board of a large posting slower than a small one's by that much per extra card. Here a card
is a few format_html calls: every value from the database goes through format_html's
escaping, and the pieces are joined only from such already-escaped fragments.
"""

from functools import lru_cache

from django.template.defaultfilters import date as date_filter
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Stand-ins for the two ids in the card's addresses: reversed once per URL prefix, then the
# real ids put in their place (a reverse() per address per card was a tenth of a card).
_POSTING, _CARD = 987654321, 123456789


@lru_cache(maxsize=8)
def _addresses(script_prefix: str) -> tuple[str, str, str]:
    """The card page's, Move's and Reject's address patterns under this script prefix."""
    return tuple(
        reverse(name, args=[_POSTING, _CARD])
        .replace(str(_POSTING), "{posting}", 1)
        .replace(str(_CARD), "{card}", 1)
        for name in ("dashboard:application", "dashboard:move", "dashboard:reject")
    )


def _local(value, fmt: str) -> str:
    return date_filter(timezone.localtime(value), fmt)


def _tallies(tallies) -> SafeString:
    def tone(tally) -> str:
        if tally.is_positive:
            return (
                "text-bg-success"
                if tally.is_strong
                else "bg-success-subtle text-success-emphasis border border-success-subtle"
            )
        return (
            "text-bg-danger"
            if tally.is_strong
            else "bg-danger-subtle text-danger-emphasis border border-danger-subtle"
        )

    return format_html_join(
        SafeString('<span class="visually-hidden">, </span>'),
        '<span class="badge {}">{}</span>',
        ((tone(tally), tally.label) for tally in tallies),
    )


def _interviews(state) -> SafeString:
    if not state or state.is_empty:
        return SafeString("")
    parts = []
    if state.is_scheduled:
        parts.append(
            format_html(
                '<span class="badge text-bg-primary-subtle border border-primary-subtle '
                'text-primary-emphasis fw-normal" title="Next interview">Interview <time '
                'datetime="{}">{}</time></span>',
                _local(state.next_at, "c"),
                _local(state.next_at, "M j, H:i"),
            )
        )
    if state.awaiting_candidate:
        parts.append(
            SafeString(
                '<span class="badge text-bg-light border fw-normal">Waiting for a time</span>'
            )
        )
    if state.is_feedback_due:
        parts.append(
            format_html(
                '<span class="badge text-bg-warning fw-normal">Feedback due ({})</span>',
                state.feedback_due,
            )
        )
    elif state.is_all_feedback_in:
        parts.append(
            SafeString('<span class="badge text-bg-success fw-normal">All feedback in</span>')
        )
    if state.tallies:
        parts.append(
            format_html(
                '<span class="recommendations d-inline-flex flex-wrap gap-1" '
                'aria-label="Recommendations">{}</span>',
                _tallies(state.tallies),
            )
        )
    return format_html(
        '<div class="card-interviews d-flex flex-wrap gap-1 mt-1 small">{}</div>',
        format_html_join(" ", "{}", ((part,) for part in parts)),
    )


def _badges(card) -> SafeString:
    badges = getattr(card, "badges", None) or []
    if not badges and not card.needs_review:
        return SafeString("")
    review = (
        SafeString(
            '<span class="badge text-bg-warning" title="A knock-out answer flagged this '
            'application">Needs review</span>'
        )
        if card.needs_review
        else ""
    )
    return format_html(
        '<div class="card-badges d-flex flex-wrap gap-1 mt-1">{}{}</div>',
        format_html_join("", '<span class="badge text-bg-info">{}</span>', ((b,) for b in badges)),
        review,
    )


def _tags(card) -> SafeString:
    tags = getattr(card, "tags", None) or []
    if not tags:
        return SafeString("")
    return format_html(
        '<div class="card-tags d-flex flex-wrap gap-1 mt-1">{}</div>',
        format_html_join(
            "",
            '<span class="badge rounded-pill text-bg-light border fw-normal">{}</span>',
            ((tag,) for tag in tags),
        ),
    )


def _reject_form(card, reject_url, here, csrf, reasons) -> SafeString:
    if not card.can_reject:
        return SafeString("")
    return format_html(
        '<details class="card-reject mt-1">'
        '<summary class="small text-danger">Reject…<span class="visually-hidden"> {name}</span>'
        "</summary>"
        '<form class="mt-1" method="post" action="{url}">{csrf}'
        '<input type="hidden" name="next" value="{here}">'
        '<label class="form-label small mb-0" for="reject-reason-{id}">Reason for rejecting</label>'
        '<select class="form-select form-select-sm" name="rejection_reason" '
        'id="reject-reason-{id}" required>{reasons}</select>'
        '<label class="form-label small mb-0 mt-1" for="reject-note-{id}">Note (optional, for '
        "the team)</label>"
        '<input class="form-control form-control-sm" type="text" name="reason" '
        'id="reject-note-{id}" maxlength="500">'
        '<div class="form-check small mt-1">'
        '<input class="form-check-input" type="checkbox" name="quiet" id="reject-quiet-{id}">'
        '<label class="form-check-label" for="reject-quiet-{id}">Don\'t email the candidate'
        "</label></div>"
        '<button class="btn btn-sm btn-outline-danger" type="submit">Reject</button>'
        "</form></details>",
        name=card.display_name,
        url=reject_url,
        csrf=csrf,
        here=here,
        id=card.pk,
        reasons=reasons,
    )


def render_card(
    card, *, posting_pk, stage_options, reason_options, days, here, csrf_token, selectable
) -> SafeString:
    """The card of one application on the board (templates/dashboard/_card.html).

    `stage_options` and `reason_options`: the <option>s of its Move and Reject menus; `days`:
    its days in stage in words; `here`: the page to come back to after a form without
    JavaScript; `csrf_token`: the page's token."""
    card_url, move_url, reject_url = (
        pattern.format(posting=posting_pk, card=card.pk)
        for pattern in _addresses(get_script_prefix())
    )
    name = card.display_name
    csrf = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', str(csrf_token or "")
    )
    select = (
        format_html(
            '<input class="form-check-input card-select mt-1 flex-shrink-0" type="checkbox" '
            'name="applications" value="{id}" form="bulk-form" id="select-{id}" '
            'aria-label="Select {name}">',
            id=card.pk,
            name=name,
        )
        if selectable
        else ""
    )
    offer = getattr(card, "offer", None)
    offer_html = (
        format_html(
            '<div class="card-offer mt-1 small"><span class="badge text-bg-{} fw-normal">'
            "Offer: {}</span></div>",
            offer.badge_tone,
            offer.state_label,
        )
        if offer
        else ""
    )
    return format_html(
        '<article class="board-card card" id="card-{id}" draggable="true" tabindex="0" '
        'data-stage-id="{stage_id}" data-href="{card_url}" aria-labelledby="card-{id}-name">'
        '<div class="card-body p-2"><div class="d-flex align-items-start gap-2">{select}'
        '<div class="flex-grow-1 min-w-0">'
        '<a class="card-name fw-semibold text-break" id="card-{id}-name" href="{card_url}">'
        "{name}</a>"
        '<div class="small text-body-secondary"><time datetime="{submitted_iso}">Applied '
        "{submitted}</time> · {source}</div>"
        '<div class="small text-body-secondary days-in-stage">In stage: <time '
        'datetime="{changed_iso}">{days}</time></div>'
        "{interviews}{offer}{tags}{badges}"
        "</div></div>"
        '<details class="card-menu mt-1">'
        '<summary class="small">Move<span class="visually-hidden"> {name}</span></summary>'
        '<form class="mt-1" method="post" action="{move_url}" hx-post="{move_url}" '
        'hx-target="#card-{id}" hx-swap="outerHTML">{csrf}'
        '<input type="hidden" name="next" value="{here}">'
        '<div class="d-flex gap-1">'
        '<label class="visually-hidden" for="move-{id}">Move {name} to (stages marked “emails” '
        "write to the candidate)</label>"
        '<select class="form-select form-select-sm" name="stage" id="move-{id}">{stages}'
        "</select>"
        '<button class="btn btn-sm btn-primary" type="submit">Move</button></div>'
        '<div class="form-check small mt-1 mb-0">'
        '<input class="form-check-input" type="checkbox" name="quiet" id="quiet-{id}">'
        '<label class="form-check-label" for="quiet-{id}">Don\'t email the candidate</label>'
        "</div></form>{reject}</details></div></article>",
        id=card.pk,
        stage_id=card.stage_id,
        card_url=card_url,
        select=select,
        name=name,
        submitted_iso=_local(card.submitted_at, "c"),
        submitted=_local(card.submitted_at, "M j, Y"),
        source=card.source,
        changed_iso=_local(card.stage_changed_at, "c"),
        days=days,
        interviews=_interviews(getattr(card, "interview_state", None)),
        offer=offer_html,
        tags=_tags(card),
        badges=_badges(card),
        move_url=move_url,
        csrf=csrf,
        here=here,
        stages=stage_options,
        reject=_reject_form(card, reject_url, here, csrf, reason_options),
    )
