"""Reports: the funnel, time in stage, time to hire, sources and knock-out questions, for the
postings the user may see, as charts with their tables beside and as CSV.

Recruiters and admins see every posting, hiring managers their own (through the scope helpers:
the postings and teams to filter by are theirs only); interviewers find no such page (404).
The figures are aggregates computed by the database (reports/), a fixed number of queries
whatever the number of applications.
"""

from dataclasses import dataclass

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from dashboard.csv_export import BOM, csv_lines
from dashboard.forms_reports import ReportFilterForm
from dashboard.scope import can_manage_postings, can_see_reports, staff_required
from reports import funnel, knockouts, sources, timing
from reports.charts import ChartRow, bar_chart


def _percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}%"


def _days(days: float | None) -> str:
    return "" if days is None else f"{days:.1f}"


def _chart(chart_id: str, title: str, rows: list[tuple[ChartRow, str]], *, empty: str, **options):
    """A bar chart whose description (what a screen reader says) lists each row's words."""
    return bar_chart(
        chart_id=chart_id,
        title=title,
        description="; ".join(said for _, said in rows) or empty,
        rows=[row for row, _ in rows],
        **options,
    )


def _days_chart(
    chart_id: str, title: str, rows: list[tuple[str, float | None, float | None]], *, empty: str
):
    """Medians as bars, 90th percentiles as ticks across them; a row without a median (a
    stage nobody has left yet) has neither."""
    return _chart(
        chart_id,
        title,
        [
            (
                ChartRow(label, median or 0, _days(median) or "–", p90),
                f"{label}: median {_days(median) or 'none'}, "
                f"90th percentile {_days(p90) or 'none'} days",
            )
            for label, median, p90 in rows
        ],
        empty=empty,
        second_kind="tick",
        legend=["Median days", "90th percentile"],
    )


def _part_chart(chart_id, title, rows, *, words: tuple[str, str], empty: str, legend):
    """Bars of a whole with a part of it darker: rows of (label, label said, whole, part)."""
    whole_word, part_word = words
    return _chart(
        chart_id,
        title,
        [
            (
                ChartRow(label, whole, f"{whole} / {part} {part_word}", part),
                f"{said}: {whole} {whole_word}, {part} {part_word}",
            )
            for label, said, whole, part in rows
        ],
        empty=empty,
        legend=legend,
    )


@dataclass
class Table:
    headers: list[str]
    rows: list[list]


def _funnel(covered):
    steps = funnel.funnel(covered)
    table = Table(
        ["Stage", "Reached", "Conversion from the step before"],
        [[s.name, s.reached, _percent(s.conversion)] for s in steps],
    )
    chart = _chart(
        "chart-funnel",
        "Funnel: applications that reached each stage",
        [(ChartRow(s.name, s.reached, str(s.reached)), f"{s.name}: {s.reached}") for s in steps],
        empty="No stages.",
    )
    return table, chart


def _time_in_stage(covered):
    stages = timing.time_in_stage(covered)
    table = Table(
        ["Stage", "Finished stays", "Median days", "90th percentile days", "In the stage now"],
        [[s.name, s.stays, _days(s.median_days), _days(s.p90_days), s.waiting] for s in stages],
    )
    chart = _days_chart(
        "chart-time-in-stage",
        "Time in stage: median days (bar) and 90th percentile (tick)",
        [(s.name, s.median_days, s.p90_days) for s in stages],
        empty="No stages.",
    )
    return table, chart


def _time_to_hire(covered):
    postings = timing.time_to_hire(covered)
    table = Table(
        ["Posting", "Hires", "Median days", "90th percentile days"],
        [[p.posting, p.hires, _days(p.median_days), _days(p.p90_days)] for p in postings],
    )
    chart = _days_chart(
        "chart-time-to-hire",
        "Time to hire: median days from application to hire (bar), 90th percentile (tick)",
        [(p.posting, p.median_days, p.p90_days) for p in postings],
        empty="No hires.",
    )
    return table, chart


def _sources(covered):
    rows = sources.sources(covered)
    table = Table(
        [
            "Source",
            "Applications",
            "Interviewed",
            "Offered",
            "Hired",
            "Interview rate",
            "Offer rate",
            "Hire rate",
        ],
        [
            [
                r.source,
                r.applications,
                r.interviews,
                r.offers,
                r.hires,
                _percent(r.interview_rate),
                _percent(r.offer_rate),
                _percent(r.hire_rate),
            ]
            for r in rows
        ],
    )
    chart = _part_chart(
        "chart-sources",
        "Sources: applications (bar) and hires among them (dark part)",
        [(r.source, r.source, r.applications, r.hires) for r in rows],
        words=("applied", "hired"),
        empty="No applications.",
        legend=["Applications", "Hired"],
    )
    return table, chart


def _knockouts(covered):
    rows = knockouts.knockouts(covered)
    table = Table(
        ["Posting", "Question", "Knock-out answer", "Flagged", "Rejected"],
        [[r.posting, r.question, r.answer, r.flagged, r.rejected] for r in rows],
    )
    chart = _part_chart(
        "chart-knockouts",
        "Knock-out answers: applications flagged (bar) and rejected among them (dark part)",
        [(r.question, f"{r.question} ({r.posting})", r.flagged, r.rejected) for r in rows],
        words=("flagged", "rejected"),
        empty="No knock-out questions.",
        legend=["Flagged", "Rejected"],
    )
    return table, chart


# slug: (heading, what the figures mean, the read behind it)
REPORTS = {
    "funnel": (
        "Funnel",
        "How many applications reached each stage, counting everyone who passed through it "
        "even if they are further on now or were later rejected or withdrew; and of those "
        "who reached the step before, the share who reached this one.",
        _funnel,
    ),
    "time-in-stage": (
        "Time in stage",
        "Days between entering a stage and leaving it, over the stays that ended; people "
        "still in a stage are counted beside, not in the figures.",
        _time_in_stage,
    ),
    "time-to-hire": (
        "Time to hire",
        "Days from an application to its move to Hired, per posting with a hire.",
        _time_to_hire,
    ),
    "sources": (
        "Sources",
        "Applications per source, how many of them were interviewed, sent an offer and "
        "hired, and each as a share of the source's applications.",
        _sources,
    ),
    "knockouts": (
        "Knock-out questions",
        "Applications flagged at submission by each knock-out answer, and how many of them "
        "were rejected (automatically or by a person).",
        _knockouts,
    ),
}


def _reports_room(request) -> ReportFilterForm:
    if not can_see_reports(request.user):
        raise Http404("No such page.")
    return ReportFilterForm(request.GET, user=request.user)


def _fairness_url(user) -> str | None:
    """The fairness reports' page, where it exists and the user may open it."""
    if not can_manage_postings(user):
        return None
    try:
        return reverse("dashboard:reports-fairness")
    except NoReverseMatch:
        return None


@staff_required
def reports(request):
    form = _reports_room(request)
    sections = []
    valid = form.is_valid()
    if valid:
        covered = form.covered()
        for slug, (heading, meaning, read) in REPORTS.items():
            table, chart = read(covered)
            sections.append(
                {
                    "slug": slug,
                    "heading": heading,
                    "meaning": meaning,
                    "table": table,
                    "chart": chart,
                }
            )
    return render(
        request,
        "dashboard/reports/reports.html",
        {
            "form": form,
            "sections": sections,
            "fairness_url": _fairness_url(request.user),
            "query": request.GET.urlencode(),
        },
        status=200 if valid else 400,
    )


@staff_required
def report_csv(request, report):
    form = _reports_room(request)
    if report not in REPORTS:
        raise Http404("No such report.")
    if not form.is_valid():
        problems = "; ".join(
            f"{form.fields[name].label if name in form.fields else 'Filters'}: {' '.join(errors)}"
            for name, errors in form.errors.items()
        )
        return HttpResponse(
            f"The filters cannot be used: {problems}",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    table, _ = REPORTS[report][2](form.covered())

    def lines():
        yield BOM
        yield from csv_lines([table.headers, *table.rows])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"{report}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
