"""Wording that people type, with placeholders filled in by plain substitution.

Recruiters write offer letters and candidate emails, so their wording is never a Django
template: `{% ... %}`, filters and attribute access (`{{ settings.SECRET_KEY }}`,
`{{ candidate.__class__ }}`) are just text. Only names present in `values` are replaced (a
dotted name such as `candidate.first_name` is one flat key, never an attribute lookup), each
value HTML-escaped in the HTML rendering, and everything else is escaped as typed.
Paragraphs are separated by blank lines.
"""

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")


@dataclass(frozen=True)
class Rendered:
    html: str
    text: str

    @property
    def safe_html(self):
        # Safe because render() escapes every piece of the wording and every value itself.
        return mark_safe(self.html)  # noqa: S308  # nosec B308 B703


def unknown_placeholders(wording: str, known: Collection[str]) -> list[str]:
    """Names in {{ }} that are not among `known`, for a form error."""
    return sorted({m.group(1) for m in PLACEHOLDER.finditer(wording)} - set(known))


def fill(wording: str, values: Mapping[str, str]) -> str:
    """The wording with known placeholders replaced; plain text, nothing escaped."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), wording)


def render(wording: str, values: Mapping[str, str], *, links: Collection[str] = ()) -> Rendered:
    """The wording as HTML paragraphs (escaped piece by piece) and as plain text.

    Placeholders named in `links` hold URLs the system made (a status link): in HTML they
    become links. A URL someone typed stays text.
    """
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", wording.replace("\r\n", "\n"))]
    html = []
    for paragraph in filter(None, paragraphs):
        pieces, last = [], 0
        for match in PLACEHOLDER.finditer(paragraph):
            pieces.append(escape(paragraph[last : match.start()]))
            name = match.group(1)
            value = escape(values.get(name, match.group(0)))
            if name in links and name in values:
                value = f'<a href="{value}">{value}</a>'
            pieces.append(value)
            last = match.end()
        pieces.append(escape(paragraph[last:]))
        html.append("<p>" + "".join(pieces).replace("\n", "<br>") + "</p>")
    return Rendered(html="\n".join(html), text=fill(wording, values))
