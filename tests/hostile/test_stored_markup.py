"""Stored markup: what a recruiter types into a posting reaches every applicant's browser.

The attack this guards against: a question hint that loads htmx from our own static files
(the CSP's script-src 'self' allows it) and posts, on load, to the admin's password form of a
superuser who opens the apply page. Question hints are plain text; section bodies are Markdown
sanitised to a short list of tags with no way to carry a script, an htmx attribute or a form.
"""

import json

import pytest
from django.urls import reverse
from django.utils.html import escape

from postings.models import Question, Section
from postings.templatetags.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown
from tests.hostile.markup import ACTIVE_TAGS, elements, htmx_elements, script_sources

pytestmark = pytest.mark.django_db


def takeover_hint(user_pk: int) -> str:
    """The payload of the report: under 300 characters, the hint's limit."""
    return (
        '<script src="/static/django_htmx/htmx-2.min.js"></script>'
        f'<i hx-post="/admin/auth/user/{user_pk}/password/" hx-trigger="load" '
        'hx-vals=\'{"password1":"Pwned-4-good!","password2":"Pwned-4-good!"}\'></i>'
    )


def test_a_question_hint_with_htmx_markup_reaches_the_apply_page_as_text(
    client, posting, recruiter, django_user_model
):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "s3cret-pw!")
    hint = takeover_hint(admin.pk)
    client.force_login(recruiter)
    response = client.post(
        reverse("dashboard:posting_questions", args=[posting.pk]),
        {"label": "Anything else?", "help_text": hint, "kind": Question.Kind.SHORT_TEXT},
    )
    assert response.status_code == 302
    assert Question.objects.get(label="Anything else?").help_text == hint

    page = client.get(reverse("applications:apply", args=[posting.slug])).content.decode()

    assert escape(hint) in page
    assert htmx_elements(page) == []
    assert all("htmx" not in (src or "") for src in script_sources(page))
    assert [tag for tag, _ in elements(page) if tag == "i"] == []


def test_a_question_hint_keeps_its_words_and_punctuation(client, posting):
    Question.objects.create(
        posting=posting,
        label="Salary?",
        help_text='Gross, in "USD" & per year: <100k is fine.',
        kind=Question.Kind.SHORT_TEXT,
        position=5,
    )
    page = client.get(reverse("applications:apply", args=[posting.slug])).content.decode()
    assert "Gross, in &quot;USD&quot; &amp; per year: &lt;100k is fine." in page


HOSTILE_MARKDOWN = [
    '<div hx-post="/admin/" hx-trigger="load">x</div>',
    '<p data-hx-get="/admin/" data-hx-trigger="load">x</p>',
    '<a href="/x" hx-post="/admin/" hx-trigger="mouseover">link</a>',
    '<script src="/static/django_htmx/htmx-2.min.js"></script>',
    '<form action="/admin/" method="post"><input name="password1"><button>Go</button></form>',
    '<p style="position:fixed;inset:0" onclick="alert(1)" onmouseover="alert(2)">cover</p>',
    '<img src="x" onerror="alert(1)">',
    '<iframe src="/admin/"></iframe><object data="/x"></object><embed src="/x">',
    '<meta name="htmx-config" content=\'{"selfRequestsOnly":false}\'>',
    '<style>body{display:none}</style><link rel="stylesheet" href="/x.css">',
    "[click](javascript:alert(1)) [data](data:text/html,<script>alert(1)</script>)",
    '<a href="https://example.com" title="t" class="btn" id="x" target="_blank">ok</a>',
    '<strong hx-on:click="alert(1)" hx-on::load="alert(1)">x</strong>',
    "<svg><animate onbegin=alert(1) attributeName=x></animate></svg>",
]


@pytest.mark.parametrize("source", HOSTILE_MARKDOWN)
def test_section_markdown_never_yields_active_markup(source):
    html = str(render_markdown(source))
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, html
        assert set(attrs) <= ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, html
        href = attrs.get("href") or ""
        assert href.startswith(("http://", "https://", "mailto:", "/")) or not href, html


def test_the_sanitisers_allow_list_holds_nothing_that_can_act():
    assert not ALLOWED_TAGS & (ACTIVE_TAGS | {"img", "svg", "a-frame", "iframe", "link", "math"})
    for tag, attributes in ALLOWED_ATTRIBUTES.items():
        for name in attributes:
            assert not name.startswith(("hx-", "data-", "on", "style", "form")), (tag, name)


def test_markdown_still_renders_what_recruiters_write():
    html = str(render_markdown("**Bold** and *em*\n\n- one\n- two\n\n[site](https://example.com)"))
    assert "<strong>Bold</strong>" in html
    assert "<li>one</li>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">site</a>' in html


def test_hostile_section_bodies_reach_the_posting_page_inert(client, posting):
    for position, source in enumerate(HOSTILE_MARKDOWN):
        Section.objects.create(posting=posting, heading=f"S{position}", body=source, position=9)
    page = client.get(posting.get_absolute_url()).content.decode()
    assert htmx_elements(page) == []
    assert all("htmx" not in (src or "") for src in script_sources(page))
    assert [tag for tag, _ in elements(page) if tag in {"iframe", "object", "embed", "img"}] == []
    assert not any(
        name.startswith("on") or name == "style" for _, attrs in elements(page) for name in attrs
    )


HTMX_CONFIG = {
    "selfRequestsOnly": True,
    "allowEval": False,
    "allowScriptTags": False,
    "includeIndicatorStyles": False,
    "historyCacheSize": 0,
}


def htmx_config(page: str) -> dict:
    """The config htmx applies: the first <meta name="htmx-config"> of the document."""
    metas = [attrs for tag, attrs in elements(page) if tag == "meta"]
    return json.loads(next(m["content"] for m in metas if m.get("name") == "htmx-config"))


def body_attributes(page: str) -> dict:
    return next(attrs for tag, attrs in elements(page) if tag == "body")


def test_the_dashboard_loads_htmx_with_its_safety_settings(client, posting, recruiter):
    client.force_login(recruiter)
    for url in [reverse("dashboard:home"), reverse("dashboard:board", args=[posting.pk])]:
        page = client.get(url).content.decode()
        assert any("htmx" in (src or "") for src in script_sources(page)), url
        assert htmx_config(page) == HTMX_CONFIG, url
        assert not {"hx-disable", "hx-ignore"} & set(body_attributes(page)), url


def test_careers_pages_tell_any_htmx_to_leave_them_alone(client, posting):
    for url in [
        reverse("postings:list"),
        posting.get_absolute_url(),
        reverse("applications:apply", args=[posting.slug]),
    ]:
        page = client.get(url).content.decode()
        assert {"hx-disable", "hx-ignore"} <= set(body_attributes(page)), url
        assert htmx_config(page) == HTMX_CONFIG, url
