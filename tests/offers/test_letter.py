"""The letter's placeholders reach nothing but their own values, all escaped."""

import pytest
from django.utils.html import escape

from offers import letter

VALUES = {"candidate_name": "Jane <b>Doe</b>", "job_title": "Engineer", "company": "ACME"}


def test_known_placeholders_are_filled_and_escaped():
    rendered = letter.render(
        "Dear {{candidate_name}}, join {{ company }} as {{ job_title }}.", VALUES
    )
    assert rendered.html == "<p>Dear Jane &lt;b&gt;Doe&lt;/b&gt;, join ACME as Engineer.</p>"
    assert rendered.text == "Dear Jane <b>Doe</b>, join ACME as Engineer."


@pytest.mark.parametrize(
    "wording",
    [
        "{{ settings.SECRET_KEY }}",
        "{% load static %}{% debug %}",
        "{{ candidate_name.__class__.__mro__ }}",
        "{{ candidate_name|upper }}",
        "<script>alert(1)</script>",
        "{{ request }}",
    ],
)
def test_template_code_and_html_stay_text(wording, settings):
    settings.SECRET_KEY = "s3cret-key-not-to-leak"
    html = letter.render(wording, VALUES).html
    # Exactly what was typed, escaped: nothing evaluated, nothing looked up.
    assert html == f"<p>{escape(wording)}</p>"
    assert "s3cret" not in html


def test_unknown_placeholders_are_named_for_the_form():
    assert letter.unknown_placeholders("{{ settings.SECRET_KEY }} {{ job_title }} {{ x }}") == [
        "settings.SECRET_KEY",
        "x",
    ]


def test_paragraphs_and_line_breaks_are_kept():
    assert letter.render("One\nline\n\nTwo", {}).html == "<p>One<br>line</p>\n<p>Two</p>"
