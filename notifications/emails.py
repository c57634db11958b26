"""Render an email from its three templates: emails/<name>_subject.txt, <name>.txt, <name>.html.

Some emails are worded by people rather than by files: an app higher up (conversations, whose
candidate email templates recruiters edit) registers a wording source in its AppConfig.ready().
render() asks each source first and falls back to the file templates when none answers, so
this app never imports the one that words the email.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body_text: str
    body_html: str


# (name, context) -> RenderedEmail, or None to leave the email to the next source or the files.
WordingSource = Callable[[str, dict], RenderedEmail | None]
_sources: list[WordingSource] = []


def register_wording_source(source: WordingSource) -> None:
    """Called from an AppConfig.ready(); registering the same source twice keeps one."""
    if source not in _sources:
        _sources.append(source)


def one_line(subject: str) -> str:
    # A subject is one header line: collapse anything (an applicant's name with CR/LF, say)
    # that would break it, so no input can inject headers.
    return " ".join(subject.split())[:300]


def render(name: str, context: dict) -> RenderedEmail:
    context = {"SITE_URL": settings.SITE_URL, "COMPANY_NAME": settings.COMPANY_NAME, **context}
    for source in _sources:
        rendered = source(name, context)
        if rendered is not None:
            return RenderedEmail(
                subject=one_line(rendered.subject),
                body_text=rendered.body_text.strip() + "\n",
                body_html=rendered.body_html,
            )
    return render_files(name, context)


def render_files(name: str, context: dict) -> RenderedEmail:
    context = {"SITE_URL": settings.SITE_URL, "COMPANY_NAME": settings.COMPANY_NAME, **context}
    return RenderedEmail(
        subject=one_line(render_to_string(f"emails/{name}_subject.txt", context)),
        body_text=render_to_string(f"emails/{name}.txt", context).strip() + "\n",
        body_html=render_to_string(f"emails/{name}.html", context),
    )
