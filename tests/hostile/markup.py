"""Reading a rendered page as a browser would: which elements and attributes it really holds,
as opposed to text that merely looks like markup once escaped."""

from html.parser import HTMLParser

# What makes markup active: htmx requests, script, forms that post, inline handlers and style.
ACTIVE_TAGS = {"script", "form", "input", "button", "iframe", "object", "embed", "style", "meta"}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every element of the page, in order: (tag, {attribute: value})."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


# The attributes that switch htmx off for an element and its children, rather than act.
HTMX_OFF = {"hx-disable", "hx-ignore", "data-hx-disable", "data-hx-ignore"}


def htmx_elements(html: str) -> list[tuple[str, dict]]:
    """Elements htmx would act on: any hx-* or data-hx-* attribute but those turning it off."""
    return [
        (tag, attrs)
        for tag, attrs in elements(html)
        if any(name.startswith(("hx-", "data-hx-")) for name in set(attrs) - HTMX_OFF)
    ]


def script_sources(html: str) -> list[str | None]:
    return [attrs.get("src") for tag, attrs in elements(html) if tag == "script"]


def with_attribute(html: str, name: str, value: str) -> list[tuple[str, dict]]:
    """Elements whose attribute `name` is exactly `value`: a marker that became markup."""
    return [(tag, attrs) for tag, attrs in elements(html) if attrs.get(name) == value]
