"""Hypothesis drives the application form with arbitrary and hostile values for every field.

Whatever it sends: never a 500; an accepted submission stores exactly one application with
its resume file, shown escaped on the status page; anything else stores nothing at all.
"""

from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from applications.models import Application
from applications.resumes import pdf_bytes_with_text
from tests.applications.docx import docx_bytes
from tests.hostile.helpers import APPLY_URL, lasting_files, row_counts

pytestmark = pytest.mark.django_db

SNIPPETS = [
    '<script>alert("x")</script>',
    '"><svg onload=alert(1)>',
    "{{ request }}{% csrf_token %}",
    "'; DROP TABLE applications_application; --",
    "\x00",
    "\r\nBcc: victim@example.com",
    "\u2028",
    "\x85",
    "\u202e",
    "ｊａｎｅ",
    "x" * 10_001,
]
# Any code point that can travel in a request (lone surrogates cannot be encoded).
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=400)
TEXT = st.one_of(
    ANY_TEXT, st.sampled_from(SNIPPETS), st.lists(st.sampled_from(SNIPPETS)).map("".join)
)
EMAIL = st.one_of(
    st.emails(),
    st.sampled_from(
        ["jane@example.com", "JANE@EXAMPLE.COM", "jane@ｅｘａｍｐｌｅ.com", "jane@exаmple.com"]
    ),
    TEXT,
)
PDF = pdf_bytes_with_text("Jane Doe resume")
RESUMES = {
    "pdf": ("resume.pdf", PDF),
    "docx": ("resume.docx", docx_bytes("Jane Doe")),
    "empty": ("resume.pdf", b""),
    "html": ("resume.pdf", b"<html><script>alert(1)</script></html>"),
    "broken-pdf": ("resume.pdf", b"%PDF-1.4\n" + b"\x00" * 100),
    "pdf-polyglot": ("../../x.html", PDF + b"<script>alert(1)</script>"),
}


# Text a person could type on one line, hostile markup included: the form accepts it.
LINE = st.text(
    alphabet=st.characters(exclude_categories=["Cs", "Cc", "Zl", "Zp"]), min_size=2, max_size=150
).filter(lambda text: len(text.strip()) >= 2)
PARAGRAPHS = st.text(
    alphabet=st.characters(exclude_categories=["Cs", "Cc"], include_characters="\n"),
    max_size=600,
)


@st.composite
def submissions(draw, questions):
    """A submission that would be accepted, with 0 to 3 of its fields then replaced by
    anything at all."""
    data = {
        "name": draw(st.one_of(LINE, st.sampled_from(SNIPPETS[:4]))),
        "email": draw(st.emails()),
        "phone": draw(st.from_regex(r"\A\+?[0-9]{3}[0-9 ()-]{3,20}\Z")),
        "location": draw(LINE),
        "cover_letter": draw(PARAGRAPHS),
        "links": "https://example.com/<script>",
        "consent": "on",
        "website": "",
        questions["Internship"].field_name: draw(st.sampled_from(["yes", "no"])),
        questions["Short"].field_name: draw(LINE),
        questions["Long"].field_name: draw(PARAGRAPHS),
        questions["Years"].field_name: str(draw(st.integers(0, 60))),
        questions["Portfolio"].field_name: "https://example.com/?q='--",
        questions["Team"].field_name: "Core",
        questions["Languages"].field_name: ["Python"],
        "resume": "pdf",
    }
    anything = {
        "name": TEXT,
        "email": EMAIL,
        "phone": TEXT,
        "location": TEXT,
        "cover_letter": TEXT,
        "links": TEXT,
        "consent": st.sampled_from(["", "off", "<script>"]),
        "website": st.sampled_from(["http://spam.example.com"]),
        "resume": st.sampled_from(sorted(RESUMES)),
        questions["Internship"].field_name: st.sampled_from(["maybe", "", "YES"]),
        questions["Short"].field_name: TEXT,
        questions["Long"].field_name: TEXT,
        questions["Years"].field_name: st.one_of(
            TEXT, st.decimals(allow_nan=True).map(str), st.integers().map(str)
        ),
        questions["Portfolio"].field_name: TEXT,
        questions["Team"].field_name: TEXT,
        questions["Languages"].field_name: st.lists(TEXT, max_size=3),
    }
    for field in draw(st.lists(st.sampled_from(sorted(anything)), max_size=3, unique=True)):
        data[field] = draw(st.one_of(st.none(), anything[field]))
    resume = data.pop("resume", None)
    if resume:
        name, content = RESUMES[resume]
        data["resume"] = SimpleUploadedFile(name, content, "application/octet-stream")
    query = {"utm_source": draw(TEXT), "utm_campaign": draw(TEXT)}
    referrer = draw(st.one_of(st.just(""), st.just("https://example.com/<x>"), TEXT))
    return {k: v for k, v in data.items() if v is not None}, query, referrer


@pytest.fixture
def fuzz_client(client):
    return client


def test_the_apply_form_never_fails_and_stores_all_or_nothing(fuzz_client, questions, private_root):
    @hypothesis_settings(max_examples=60)  # the rest: the "hostile" profile in conftest
    @given(submission=submissions(questions))
    def check(submission):
        data, query, referrer = submission
        before, files_before = row_counts(), len(lasting_files(private_root))
        response = fuzz_client.post(f"{APPLY_URL}?{urlencode(query)}", data, HTTP_REFERER=referrer)
        after, files_after = row_counts(), len(lasting_files(private_root))
        assert response.status_code in (200, 302, 400), response.status_code
        if response.status_code != 302 or after["Application"] == before["Application"]:
            # Refused, or a duplicate or the honeypot answered like a success: nothing kept
            # but, for a duplicate, the reminder to the address that applied before.
            reminders = after.pop("OutboxEmail") - before.pop("OutboxEmail")
            assert after == before
            assert reminders in (0, 1)
            assert files_after == files_before
            return
        assert after["Application"] == before["Application"] + 1
        assert after["Resume"] == before["Resume"] + 1
        assert files_after == files_before + 1
        application = Application.objects.select_related("candidate").latest("pk")
        status = fuzz_client.get(application.get_status_url())
        assert escape(application.name) in status.content.decode()

    check()
