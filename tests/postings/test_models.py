"""Every invariant the database can hold is a constraint: these bypass forms and hit it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from postings.models import Location, Posting, Question
from tests.factories import PostingFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def violates(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.create(title="X", slug="x", **fields)


def test_salary_min_must_not_exceed_max():
    violates(salary_min=200_000, salary_max=100_000)


def test_salary_range_needs_both_ends():
    violates(salary_min=100_000, salary_max=None)


def test_salary_currency_is_an_iso_code():
    violates(salary_currency="usd")


@pytest.mark.parametrize("field", ["status", "employment_type", "workplace_type", "salary_period"])
def test_choice_fields_reject_unknown_values(field):
    violates(**{field: "bogus"})


def test_an_open_posting_has_a_publish_date():
    violates(status="open", published_at=None)


def test_a_posting_closes_after_it_is_published():
    now = timezone.now()
    violates(published_at=now, closes_at=now - timedelta(days=1))


def test_slug_is_unique():
    PostingFactory(slug="backend")
    with pytest.raises(IntegrityError), transaction.atomic():
        PostingFactory(slug="backend")


def test_location_country_is_iso2_and_offices_have_a_city():
    with pytest.raises(IntegrityError), transaction.atomic():
        Location.objects.create(city="Paris", country="fr")
    with pytest.raises(IntegrityError), transaction.atomic():
        Location.objects.create(city="", country="FR", remote=False)
    assert str(Location.objects.create(country="US", remote=True)) == "Remote (US)"


def test_question_kind_and_knockout_are_constrained():
    posting = PostingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(posting=posting, label="?", kind="essay")
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(posting=posting, label="?", kind="short_text", knockout_answer="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(posting=posting, label="?", kind="yes_no", knockout_answer="maybe")


def test_model_validation_explains_a_bad_range():
    posting = PostingFactory.build(salary_min=5, salary_max=1)
    with pytest.raises(ValidationError, match="at least the minimum"):
        posting.full_clean()


def test_choice_questions_need_options_and_a_valid_knockout():
    question = QuestionFactory.build(
        posting=PostingFactory(), kind=Question.Kind.SINGLE_CHOICE, choices=["Only one"]
    )
    with pytest.raises(ValidationError, match="at least two"):
        question.full_clean()
    question.choices = ["Core", "Monetization"]
    question.knockout_answer = "Neither"
    with pytest.raises(ValidationError, match="one of the options"):
        question.full_clean()


@pytest.mark.parametrize(
    ("kind", "raw", "typed"),
    [
        ("yes_no", "yes", True),
        ("yes_no", "no", False),
        ("number", "3.5", __import__("decimal").Decimal("3.5")),
        ("url", "https://example.com/me", "https://example.com/me"),
        ("short_text", "  hello ", "hello"),
    ],
)
def test_clean_answer_types_each_kind(kind, raw, typed):
    question = QuestionFactory.build(kind=kind)
    assert question.clean_answer(raw) == typed


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        ("yes_no", "perhaps", "Choose yes or no."),
        ("number", "lots", "Enter a number."),
        ("number", "NaN", "Enter a number."),
        ("url", "javascript:alert(1)", "Enter a full web address"),
        ("short_text", "x" * 301, "Keep this under 300 characters."),
        ("yes_no", "", "Please answer this question."),
    ],
)
def test_clean_answer_explains_bad_input(kind, raw, message):
    question = QuestionFactory.build(kind=kind, required=True)
    with pytest.raises(ValidationError, match=message):
        question.clean_answer(raw)


def test_salary_is_formatted_for_people():
    posting = PostingFactory.build(salary_min=118_938, salary_max=244_872)
    assert posting.salary_display == "$118,938 – $244,872 USD per year"
    posting.salary_currency, posting.salary_period = "EUR", "month"
    assert posting.salary_display == "€118,938 – €244,872 EUR per month"


def test_only_yes_no_questions_carry_a_card_badge():
    posting = PostingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(posting=posting, label="?", kind="short_text", card_badge="X")
    question = QuestionFactory.build(posting=posting, kind="number", card_badge="Senior")
    with pytest.raises(ValidationError, match="Only yes/no questions can put a badge"):
        question.full_clean()
