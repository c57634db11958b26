"""Render an email from its three templates: emails/<name>_subject.txt, <name>.txt, <name>.html."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body_text: str
    body_html: str


def render(name: str, context: dict) -> RenderedEmail:
    context = {"SITE_URL": settings.SITE_URL, "COMPANY_NAME": settings.COMPANY_NAME, **context}
    subject = render_to_string(f"emails/{name}_subject.txt", context)
    # A subject is one header line: collapse anything (an applicant's name with CR/LF, say)
    # that would break it, so no input can inject headers.
    subject = " ".join(subject.split())[:300]
    return RenderedEmail(
        subject=subject,
        body_text=render_to_string(f"emails/{name}.txt", context).strip() + "\n",
        body_html=render_to_string(f"emails/{name}.html", context),
    )
