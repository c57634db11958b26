"""Currencies: which codes a posting may pay in, and how its amounts read on the site.

ISO 4217 by way of Babel's copy of the Unicode CLDR: a code is accepted when some country
pays in it today. Babel also knows historic currencies (DEM, the Deutsche Mark) and codes
that are not money one is paid in (XXX, "no currency"; XAU, gold): a salary in those is a
mistake, so they are refused with the reason.

Babel is imported where it is used: its locale data is megabytes a process, and the pages
that show a posting read its salary as written when it was saved (Posting.salary_shown).
"""

import re
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import to_locale

FALLBACK_LOCALE = "en_US"
# Raise it with any change to how amounts are written: the texts postings remember
# (Posting.salary_shown) are then written afresh.
MONEY_FORMAT_VERSION = 1
# CLDR's currency spacing, which Babel does not apply: a symbol made of letters ("CHF") is
# kept apart from the digits by a no-break space, one made of signs ("$", "CA$") is not.
_LETTERS_AGAINST_DIGITS = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


@cache
def _currencies_in_use() -> frozenset[str]:
    from babel.core import get_global
    from babel.numbers import get_territory_currencies

    # Per process: a country changing its currency is rare enough to wait for a restart.
    return frozenset(
        code
        for territory in get_global("territory_currencies")
        for code in get_territory_currencies(territory)
    )


def validate_currency(code: str) -> None:
    """Refuse anything but the ISO 4217 code of a currency in use today, in capitals."""
    if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{3}", code):
        raise ValidationError(
            "Use a three-letter currency code in capitals, such as USD or EUR.", code="format"
        )
    if code in _currencies_in_use():
        return
    from babel.numbers import is_currency

    if is_currency(code):
        raise ValidationError(
            "%(code)s is not a currency in use today. Use a current code, such as EUR.",
            code="historic",
            params={"code": code},
        )
    raise ValidationError(
        "%(code)s is not a currency code. Use an ISO 4217 code, such as USD, EUR or GBP.",
        code="unknown",
        params={"code": code},
    )


@cache
def _locale(language_code: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(to_locale(language_code))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(FALLBACK_LOCALE)


def format_amount(amount: int | Decimal, currency: str) -> str:
    """An amount as readers of the site's language write it: "$118,938", "118.938 €".

    Whole amounts (salaries) show no cents; others show the currency's own digits, none
    for the yen.
    """
    from babel.numbers import format_currency, parse_pattern

    locale = _locale(settings.LANGUAGE_CODE)
    if amount == int(amount):
        pattern = parse_pattern(locale.currency_formats["standard"].pattern)
        pattern.frac_prec = (0, 0)
        text = format_currency(amount, currency, pattern, locale=locale, currency_digits=False)
    else:
        text = format_currency(amount, currency, locale=locale)
    return _LETTERS_AGAINST_DIGITS.sub("\u00a0", text)


# What a posting's salary is written from.
SALARY_FIELDS = ("salary_min", "salary_max", "salary_currency", "salary_period")


def salary_text(posting) -> str:
    """A posting's range as people read it: "$118,938 – $244,872 USD per year"; "" without
    one. The code follows the amounts, since a symbol alone is ambiguous ($ is also the
    Canadian and the Australian dollar), unless the amounts are already written with it.

    Of a Posting, or of the historical model a migration holds."""
    low, high, currency = posting.salary_min, posting.salary_max, posting.salary_currency
    if low is None or high is None:
        return ""
    written = format_amount(low, currency)
    if high != low:
        written = f"{written} – {format_amount(high, currency)}"
    code = "" if currency in written else f" {currency}"
    return f"{written}{code} {posting.get_salary_period_display()}"


def salary_source(posting) -> list:
    """What salary_text writes from: the salary fields, and the site's language and this
    module's way of writing amounts (another LANGUAGE_CODE, or a new release's formatting,
    and a text written before is stale)."""
    fields = [getattr(posting, field) for field in SALARY_FIELDS]
    return [MONEY_FORMAT_VERSION, settings.LANGUAGE_CODE, *fields]


def remembered_salary(posting) -> dict:
    """What Posting.salary_shown holds: the text, with what it was written from."""
    return {"from": salary_source(posting), "text": salary_text(posting)}
