"""What apps above this one add to an applicant's own data export (the JSON their status
page and manage link download), without this app importing them.

An app registers a function in its AppConfig.ready(); the export calls each with the
application and adds what it returns under its key. A source returns None to add nothing.
"""

from collections.abc import Callable

ExportSource = Callable[..., dict | None]
_sources: dict[str, ExportSource] = {}


def register(key: str, source: ExportSource) -> ExportSource:
    """Register `source(application) -> dict | None`, exported under `key`."""
    _sources[key] = source
    return source


def sections_for(application) -> dict:
    sections = {}
    for key, source in _sources.items():
        section = source(application)
        if section is not None:
            sections[key] = section
    return sections
