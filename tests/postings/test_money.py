"""Salaries are paid in a currency in use today, and read as the site's language writes them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from postings import money
from postings.models import Posting
from postings.money import format_amount, validate_currency
from tests.factories import LocationFactory, PostingFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("ABC", "ABC is not a currency code. Use an ISO 4217 code, such as USD, EUR or GBP."),
        ("DEM", "DEM is not a currency in use today. Use a current code, such as EUR."),
        ("XXX", "XXX is not a currency in use today. Use a current code, such as EUR."),
        ("usd", "Use a three-letter currency code in capitals, such as USD or EUR."),
    ],
)
def test_a_posting_refuses_a_code_that_is_not_a_currency_in_use(posting, code, message):
    posting.salary_currency = code
    with pytest.raises(ValidationError) as raised:
        posting.full_clean()
    assert raised.value.message_dict == {"salary_currency": [message]}


@pytest.mark.parametrize("code", ["EUR", "JPY", "USD", "GBP", "CHF", "INR"])
def test_current_currencies_are_accepted(code):
    validate_currency(code)


@pytest.mark.parametrize(
    ("currency", "low", "high", "shown"),
    [
        ("USD", 118_938, 244_872, "$118,938 – $244,872 USD per year"),
        ("EUR", 45_000, 55_000, "€45,000 – €55,000 EUR per year"),
        # The yen has no minor unit.
        ("JPY", 6_000_000, 9_000_000, "¥6,000,000 – ¥9,000,000 JPY per year"),
        ("CAD", 90_000, 90_000, "CA$90,000 CAD per year"),
        # Written with its code already: not twice.
        ("CHF", 100_000, 120_000, "CHF\u00a0100,000 – CHF\u00a0120,000 per year"),
    ],
)
def test_a_salary_reads_in_its_currency(currency, low, high, shown):
    posting = PostingFactory.build(salary_currency=currency, salary_min=low, salary_max=high)
    assert posting.salary_display == shown


def test_amounts_follow_the_sites_language_not_always_us_grouping(settings):
    settings.LANGUAGE_CODE = "de"
    assert format_amount(118_938, "USD") == "118.938\u00a0$"
    assert format_amount(45_000, "EUR") == "45.000\u00a0€"
    settings.LANGUAGE_CODE = "en-gb"
    assert format_amount(45_000, "EUR") == "€45,000"


def test_an_amount_with_cents_shows_the_currencys_own_digits():
    assert format_amount(Decimal("12.5"), "USD") == "$12.50"
    assert format_amount(Decimal("1250.4"), "JPY") == "¥1,250"


def test_the_careers_pages_show_a_euro_salary_and_the_data_stays_numeric(client):
    PostingFactory(
        title="Recruiting Coordinator",
        slug="recruiting-coordinator",
        teams=[TeamFactory(name="People", slug="people")],
        locations=[LocationFactory(city="Dublin", region="", country="IE")],
        salary_min=45_000,
        salary_max=55_000,
        salary_currency="EUR",
    )
    shown = "€45,000 – €55,000 EUR per year"
    assert shown in client.get("/").content.decode()
    page = client.get("/jobs/recruiting-coordinator/").content.decode()
    assert shown in page
    assert '"currency": "EUR"' in page
    assert '"minValue": 45000, "maxValue": 55000' in page


def test_a_saved_posting_shows_its_salary_as_written_when_it_was_saved(monkeypatch):
    posting = PostingFactory(salary_min=118_938, salary_max=244_872)
    stored = Posting.objects.get(pk=posting.pk)
    assert stored.salary_shown["text"] == "$118,938 – $244,872 USD per year"

    def written_again(*args):
        raise AssertionError("the remembered salary was written again")

    # What a page showing the posting does: no Babel, whose locale data is megabytes.
    monkeypatch.setattr(money, "format_amount", written_again)
    assert stored.salary_display == "$118,938 – $244,872 USD per year"


def test_a_remembered_salary_that_no_longer_matches_is_written_afresh(settings):
    posting = PostingFactory(salary_min=100_000, salary_max=120_000)
    # An update without save(): the remembered text is of other amounts.
    Posting.objects.filter(pk=posting.pk).update(salary_min=110_000)
    assert Posting.objects.get(pk=posting.pk).salary_display == ("$110,000 – $120,000 USD per year")
    settings.LANGUAGE_CODE = "de"
    assert Posting.objects.get(pk=posting.pk).salary_display.startswith("110.000\u00a0$")


def test_saving_some_fields_remembers_the_salary_when_they_are_salary_fields():
    posting = PostingFactory(salary_min=100_000, salary_max=120_000)
    posting.salary_currency = "EUR"
    posting.save(update_fields=["salary_currency"])
    assert Posting.objects.get(pk=posting.pk).salary_shown["text"] == (
        "€100,000 – €120,000 EUR per year"
    )
    posting.title = "Renamed"
    posting.save(update_fields=["title"])
    assert Posting.objects.get(pk=posting.pk).salary_shown["text"] == (
        "€100,000 – €120,000 EUR per year"
    )
