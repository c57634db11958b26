"""schema.org JobPosting structured data, so search engines list our postings."""

import json

import markdown as markdown_lib
import nh3
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe

from postings.models import Posting

# The characters that could end a <script> element or start a comment inside it.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def job_posting(posting: Posting, *, url: str) -> dict:
    description = "".join(
        f"<h3>{escape(section.heading)}</h3>"
        + nh3.clean(
            markdown_lib.markdown(section.body), tags={"p", "ul", "ol", "li", "strong", "em"}
        )
        for section in posting.sections.all()
    )
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
        data["jobLocation"] = [
            {
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": loc.city,
                    "addressRegion": loc.region,
                    "addressCountry": loc.country,
                },
            }
            for loc in offices
        ]
    if remote or posting.workplace_type == Posting.WorkplaceType.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = [
            {"@type": "Country", "name": loc.country} for loc in (remote or locations)
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


def as_script_content(data: dict) -> str:
    """JSON safe to place inside <script type="application/ld+json">."""
    content = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(content)  # noqa: S308  # nosec B308 B703 # <, > and & are escaped above
