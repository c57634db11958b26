"""schema.org JobPosting structured data, so search engines list our postings."""

import json

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe

from postings.models import Posting

# The characters that could end a <script> element or start a comment inside it.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def job_posting(posting: Posting, *, url: str) -> dict:
    # Imported here: only a posting page renders Markdown, and a web worker that serves none
    # does without the two.
    import markdown as markdown_lib
    import nh3

    description = "".join(
        f"<h3>{escape(section.heading)}</h3>"
        + nh3.clean(
            markdown_lib.markdown(section.body), tags={"p", "ul", "ol", "li", "strong", "em"}
        )
        for section in posting.sections.all()
    )
    if not description:
        # Google requires a description: a posting without sections still has its summary.
        description = f"<p>{escape(posting.summary or posting.title)}</p>"
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": description,
        "identifier": {
            "@type": "PropertyValue",
            "name": settings.COMPANY_NAME,
            "value": posting.slug,
        },
        "datePosted": posting.published_at.date().isoformat() if posting.published_at else None,
        "employmentType": Posting.SCHEMA_EMPLOYMENT_TYPES[posting.employment_type],
        "hiringOrganization": {"@type": "Organization", "name": settings.COMPANY_NAME},
        "directApply": True,
        "url": url,
    }
    if posting.closes_at:
        data["validThrough"] = posting.closes_at.isoformat()
    locations = list(posting.locations.all())
    offices = [loc for loc in locations if not loc.remote]
    remote = [loc for loc in locations if loc.remote]
    if offices:
        data["jobLocation"] = [_place(loc) for loc in offices]
    # Google lists a job as remote only when it is fully remote: a hybrid role with a remote
    # option is a job at its offices.
    if posting.workplace_type == Posting.WorkplaceType.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
        countries = dict.fromkeys(loc.country for loc in (remote or locations))
        if countries:
            data["applicantLocationRequirements"] = [
                {"@type": "Country", "name": country} for country in countries
            ]
    if posting.salary_min is not None:
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": posting.salary_currency,
            "value": {
                "@type": "QuantitativeValue",
                "minValue": posting.salary_min,
                "maxValue": posting.salary_max,
                "unitText": Posting.SCHEMA_SALARY_UNITS[posting.salary_period],
            },
        }
    return {key: value for key, value in data.items() if value is not None}


def _place(location) -> dict:
    address = {
        "@type": "PostalAddress",
        "addressLocality": location.city,
        "addressRegion": location.region,
        "addressCountry": location.country,
    }
    # An empty property is an error to Google's validator, not an absent one.
    return {"@type": "Place", "address": {key: value for key, value in address.items() if value}}


def as_script_content(data: dict) -> str:
    """JSON safe to place inside <script type="application/ld+json">."""
    content = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(content)  # noqa: S308  # nosec B308 B703 # <, > and & are escaped above
