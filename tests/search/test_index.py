"""The index follows every change to what a document is made of, once the change commits, and
erasure leaves nothing of the person to find."""

import pytest

from applications import services as applications
from applications.models import Answer, Application, Resume
from dashboard.services import add_note
from search import services
from search.models import SearchDocument
from search.queries import matching, parse
from sourcing import services as sourcing
from tests import factories

pytestmark = pytest.mark.django_db


def finds(text: str) -> set[str]:
    found = matching(Application.objects.all(), parse(text))
    return set(found.values_list("name", flat=True))


def test_a_submission_is_indexed_when_it_commits(posting, django_capture_on_commit_callbacks):
    upload = factories.pdf_upload("Ike Unindexed, Haskell")
    with django_capture_on_commit_callbacks(execute=True):
        application = factories.services.submit_application(
            posting=posting,
            applicant=factories.services.Applicant(name="Ike Unindexed", email="ike@example.com"),
            answers=dict.fromkeys(posting.questions.all(), True),
            resume=factories.check_resume(upload),
            resume_file=upload,
        )
        assert not SearchDocument.objects.filter(application=application).exists()
    assert finds("ike") == {"Ike Unindexed"}
    assert finds("haskell") == {"Ike Unindexed"}


def test_notes_tags_answers_and_resume_text_are_found_once_saved(
    application, recruiter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_note(application=application, author=recruiter, body="Brilliant at Elixir.")
    assert finds("elixir") == {"Jane Doe"}

    with django_capture_on_commit_callbacks(execute=True):
        sourcing.add_tag(candidate=application.candidate, name="Returning", by=recruiter)
    assert finds("returning") == {"Jane Doe"}
    with django_capture_on_commit_callbacks(execute=True):
        sourcing.remove_tag(
            candidate=application.candidate, tag=application.candidate.tag_links.get().tag
        )
    assert finds("returning") == set()

    languages = factories.QuestionFactory(
        posting=application.posting, label="Languages?", kind="multiple_choice", required=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        Answer.from_typed(application=application, question=languages, value=["OCaml"]).save()
    assert finds("ocaml") == {"Jane Doe"}

    # Resume text arrives after the application (read from the file later).
    with django_capture_on_commit_callbacks(execute=True):
        resume = Resume.objects.get(application=application)
        resume.text = "Fortran numerical methods"
        resume.save()
    assert finds("fortran") == {"Jane Doe"}

    with django_capture_on_commit_callbacks(execute=True):
        application.notes.get().delete()
    assert finds("elixir") == set()


def test_a_merge_gives_the_merged_records_applications_the_kept_persons_tags(
    posting, other_posting, recruiter, django_capture_on_commit_callbacks
):
    kept = factories.apply(posting, name="Sam Kept", email="sam@work.example")
    merged = factories.apply(other_posting, name="Sam Merged", email="sam@home.example")
    with django_capture_on_commit_callbacks(execute=True):
        sourcing.add_tag(candidate=kept.candidate, name="golfer", by=recruiter)
        applications.merge_candidates(keep=kept.candidate, merged=merged.candidate, by=recruiter)
    assert finds("golfer") == {"Sam Kept", "Sam Merged"}


def test_erasure_leaves_nothing_of_the_person_to_find(
    application, recruiter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_note(application=application, author=recruiter, body="Knows Erlang.")
        sourcing.add_tag(candidate=application.candidate, name="erlanger", by=recruiter)
    assert finds("erlang") == {"Jane Doe"}

    with django_capture_on_commit_callbacks(execute=False):
        applications.erase(application=application)
        # Gone inside the erasure's own transaction, not only once it commits.
        assert not SearchDocument.objects.filter(application=application).exists()
    services.reindex([application.pk])  # what the commit runs
    assert not SearchDocument.objects.filter(application=application).exists()
    for word in ("jane", "erlang", "erlanger", "jane@example.com", "kubernetes"):
        assert finds(word) == set(), word
    # A full rebuild does not bring it back.
    services.rebuild()
    assert not SearchDocument.objects.filter(application=application).exists()


def test_a_rolled_back_savepoint_does_not_lose_the_reindex_of_what_follows(
    application, recruiter, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                add_note(application=application, author=recruiter, body="Rolled back Cobol.")
                raise RuntimeError
        except RuntimeError:
            pass
        add_note(application=application, author=recruiter, body="Kept Pascal.")
    assert finds("pascal") == {"Jane Doe"}
    assert finds("cobol") == set()


def test_bulk_written_applications_are_indexed_by_index_missing_in_few_queries(
    posting, django_assert_max_num_queries
):
    written = factories.bulk_applications(posting, 30)
    SearchDocument.objects.all().delete()
    # Per batch: applications (+ answers prefetch), tags, notes, delete, write, vectors.
    with django_assert_max_num_queries(12):
        assert services.index_missing() == 30
    assert SearchDocument.objects.count() == len(written)
    assert finds(f'"{written[0].name}"') == {written[0].name}


def test_the_rebuild_command_reports_what_it_indexed(posting, capsys):
    from django.core.management import call_command

    factories.bulk_applications(posting, 3)
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index", "--missing", "--no-progress")
    assert "Indexed 3 application(s)." in capsys.readouterr().out
    assert SearchDocument.objects.count() == 3
