"""Panels that apps above this one add to the applicant's status page (an interview to book,
an offer to answer), without this app importing them.

An app registers a function in its AppConfig.ready(); the status page calls each with the
application and shows the panels it returns, in registration order.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)


PanelSource = Callable[..., list[Panel]]
_sources: list[PanelSource] = []


def register(source: PanelSource) -> PanelSource:
    """Register `source(application, request) -> list[Panel]`; usable as a decorator."""
    if source not in _sources:
        _sources.append(source)
    return source


def panels_for(application, request) -> list[Panel]:
    return [panel for source in _sources for panel in source(application, request)]
