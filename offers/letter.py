"""The offer letter: wording with placeholders, filled in by plain substitution.

Recruiters type the wording, so it goes through notifications.wording, never the template
engine: only the names in PLACEHOLDERS are replaced and everything else is text.
"""

from django.conf import settings
from django.utils.html import escape

from notifications import wording as wording_
from notifications.wording import Rendered

# name: what it becomes (shown beside the letter editor)
PLACEHOLDERS = {
    "candidate_name": "The candidate's name as they applied",
    "job_title": "The offer's job title",
    "base_salary": "The base salary with its currency and period",
    "equity": "The equity offered, as typed",
    "bonus": "The bonus, as typed",
    "start_date": "The start date",
    "location": "The work location",
    "expires_on": "The last day to accept",
    "company": "The company's name",
}

DEFAULT_LETTER = """Dear {{ candidate_name }},

We are delighted to offer you the position of {{ job_title }} at {{ company }}.

Your base salary will be {{ base_salary }}. Equity: {{ equity }}. Bonus: {{ bonus }}.

Your first day will be {{ start_date }}, working from {{ location }}.

This offer is open until {{ expires_on }}. To accept it, use the link in our email.

We look forward to working with you.

{{ company }}"""


def unknown_placeholders(wording: str) -> list[str]:
    """Names in {{ }} that are not placeholders, for a form error."""
    return wording_.unknown_placeholders(wording, PLACEHOLDERS)


def values_of(offer) -> dict[str, str]:
    return {
        "candidate_name": offer.application.name,
        "job_title": offer.job_title,
        "base_salary": offer.salary_display,
        "equity": offer.equity or "none",
        "bonus": offer.bonus or "none",
        "start_date": f"{offer.start_date:%B} {offer.start_date.day}, {offer.start_date.year}",
        "location": offer.location or "the location we agreed",
        "expires_on": f"{offer.expires_on:%B} {offer.expires_on.day}, {offer.expires_on.year}",
        "company": settings.COMPANY_NAME,
    }


def render(wording: str, values: dict[str, str]) -> Rendered:
    """The letter as safe HTML paragraphs (escaped piece by piece) and as plain text."""
    return wording_.render(wording, values)


def render_offer(offer) -> Rendered:
    return render(offer.letter, values_of(offer))


def document(offer) -> str:
    """The whole HTML document the PDF is made from: the same paragraphs as the preview."""
    body = render_offer(offer).html
    title = escape(f"Offer: {offer.job_title}")
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title}</title><style>"
        "@page { size: A4; margin: 2.5cm }"
        "body { font-family: 'DejaVu Sans', sans-serif; font-size: 11pt; line-height: 1.5 }"
        "h1 { font-size: 14pt; margin-bottom: 1.5em }"
        "</style></head><body>"
        f"<h1>{escape(settings.COMPANY_NAME)}</h1>{body}</body></html>"
    )
