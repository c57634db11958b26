"""Horizontal bar charts drawn on the server as SVG: no JavaScript, nothing inline that the
Content-Security-Policy forbids (colours come from classes in the dashboard's stylesheet, sizes
from SVG attributes), and readable by screen readers through the chart's title and
description, with the same figures in a table beside it.

This module only measures: it returns the geometry, as strings ready for SVG attributes, and
the template (dashboard/reports/_bar_chart.html) draws it, escaping every label.
"""

from dataclasses import dataclass, field

WIDTH = 640
LABEL_WIDTH = 200  # the stage, source or question names, right-aligned against the bars
VALUE_WIDTH = 130  # the figure written after each bar
ROW_HEIGHT = 30
BAR_HEIGHT = 18
TOP = 8
LABEL_MAX = 26  # characters; the table beside the chart has the whole name


@dataclass
class ChartRow:
    label: str
    value: float
    text: str  # the figure as the table shows it
    # A second figure on the same row: a darker bar inside the first (a part of it, such as
    # the hires among a source's applications) or a tick across it (the 90th percentile
    # beyond a median).
    second: float | None = None


@dataclass
class Bar:
    label: str
    text: str
    y: str
    text_y: str
    width: str
    second_width: str | None = None
    second_x: str = ""  # where a tick stands
    tick_y1: str = ""
    tick_y2: str = ""
    value_x: str = ""


@dataclass
class Chart:
    id: str
    title: str
    description: str
    second_kind: str  # "part" or "tick"
    legend: list[str] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    width: int = WIDTH
    height: int = 0
    label_x: int = LABEL_WIDTH - 8
    bar_x: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    rows: list[ChartRow],
    second_kind: str = "part",
    legend: list[str] | None = None,
) -> Chart:
    """One bar per row, scaled to the largest figure on the chart (the second ones included)."""
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    largest = max([r.value for r in rows] + [r.second or 0 for r in rows] + [0])
    scale = span / largest if largest else 0
    chart = Chart(
        id=chart_id,
        title=title,
        description=description,
        second_kind=second_kind,
        legend=legend or [],
        height=TOP * 2 + ROW_HEIGHT * max(len(rows), 1),
    )
    for i, row in enumerate(rows):
        y = TOP + i * ROW_HEIGHT
        width = row.value * scale
        ends = max(width, (row.second or 0) * scale)
        chart.bars.append(
            Bar(
                label=_short(row.label),
                text=row.text,
                y=_fmt(y),
                text_y=_fmt(y + BAR_HEIGHT - 4),
                width=_fmt(width),
                second_width=None if row.second is None else _fmt(row.second * scale),
                second_x=_fmt(LABEL_WIDTH + (row.second or 0) * scale),
                tick_y1=_fmt(y - 3),
                tick_y2=_fmt(y + BAR_HEIGHT + 3),
                value_x=_fmt(LABEL_WIDTH + ends + 6),
            )
        )
    return chart
