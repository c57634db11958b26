"""Reading a resume's text: what a Word document's markup becomes, PDF pages in order, and the
reader refusing a zip bomb from the archive's directory alone."""

import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import resume_reader
from applications.models import Resume
from applications.resumes import check_resume, pdf_with_pages
from tests.hostile.helpers import docx_zip, zip_bomb_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def word(body: str, namespace: str = W) -> bytes:
    return docx_zip(
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{namespace}"><w:body>'
        f"{body}</w:body></w:document>".encode()
    )


def text_of(data: bytes, name: str = "resume.docx") -> str:
    checked = check_resume(SimpleUploadedFile(name, data))
    assert checked.text_status == Resume.TextStatus.COMPLETE
    return checked.text


def test_paragraphs_become_lines_and_runs_join_within_them():
    body = (
        "<w:p><w:r><w:t>Jane </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>Doe</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Staff engineer</w:t></w:r></w:p>"
    )
    assert text_of(word(body)) == "Jane Doe\nStaff engineer"


def test_breaks_end_a_line_and_tabs_separate_words_but_tab_stops_add_nothing():
    body = (
        '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
        "<w:r><w:t>2019</w:t><w:tab/><w:t>Acme</w:t><w:br/><w:t>Kafka</w:t>"
        "<w:noBreakHyphen/><w:t>Flink</w:t><w:cr/><w:t>Go</w:t></w:r></w:p>"
    )
    assert text_of(word(body)) == "2019 Acme\nKafka-Flink\nGo"


def test_tables_and_text_boxes_are_read_and_deleted_text_is_not():
    body = (
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Python</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>Rust</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        "<w:p><w:del><w:r><w:delText>Cobol</w:delText></w:r></w:del>"
        "<w:r><w:t xml:space='preserve'>Remote &amp; on site</w:t></w:r></w:p>"
    )
    assert text_of(word(body)) == "Python\nRust\nRemote & on site"


def test_a_strict_ooxml_document_is_read_too():
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    assert text_of(word("<w:p><w:r><w:t>Strict</w:t></w:r></w:p>", strict)) == "Strict"


def test_a_document_that_is_not_well_formed_xml_is_refused():
    with pytest.raises(ValidationError) as refused:
        check_resume(SimpleUploadedFile("cv.docx", word("<w:p><w:r><w:t>Jane</w:p>")))
    assert refused.value.code == "unreadable"


def test_pdf_pages_are_read_in_order_one_line_each():
    pdf = pdf_with_pages(
        [b"BT /F1 12 Tf 72 720 Td (Page one) Tj ET", b"BT /F1 12 Tf 72 720 Td (Page two) Tj ET"],
        compress=True,
    )
    assert text_of(pdf, "resume.pdf") == "Page one\nPage two"


def test_the_reader_refuses_a_zip_bomb_without_inflating_it(monkeypatch):
    bomb = zip_bomb_docx(unpacked_mb=64)

    def never_inflate(*args, **kwargs):
        raise AssertionError("the archive was inflated")

    monkeypatch.setattr(zipfile.ZipFile, "open", never_inflate)
    sent = []
    with pytest.raises(resume_reader.Refused) as refused:
        resume_reader.read("docx", bomb, sent.append)
    assert refused.value.code == "too_large_unpacked"
    assert sent == []


def test_the_reader_refuses_a_document_part_larger_than_a_resume_needs():
    # Stored, so no zip-bomb ratio: still far more XML than any resume's text.
    padding = b" " * resume_reader.DOCX_MAX_DOCUMENT_BYTES
    document = f'<w:document xmlns:w="{W}"><w:body>'.encode() + padding + b"</w:body>"
    with pytest.raises(resume_reader.Refused) as refused:
        resume_reader.read("docx", docx_zip(document, stored=True), [].append)
    assert refused.value.code == "too_large_unpacked"
