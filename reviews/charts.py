"""Charts drawn on the server as inline SVG: no script, no outside service, readable by screen readers.

Colours come from classes styled in desk/desk.css (no style attributes: the pages keep a strict CSP). Every chart
names itself with <title> and <desc>, and each mark carries its own <title> (a tooltip on hover); the page shows the
same figures in a table for those who do not see the chart.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 14, 30
LABEL_EVERY = 7


@dataclass(frozen=True)
class Point:
    """One slot of a bar-and-line chart: its axis label, the bar's value and the line's value."""

    label: str
    bar: int
    line: int


def _scale_top(values: Sequence[int]) -> int:
    top = max([1, *values])
    return top if top < 4 else top + (-top % 2)  # even, so the middle gridline falls on a whole number


def _y(value: float, top: int) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return round(TOP + plot - plot * value / top, 1)


def _gridlines(top: int) -> SafeString:
    ticks = range(top + 1) if top < 4 else (0, top // 2, top)
    return format_html_join(
        "",
        '<line class="desk-chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
        '<text class="desk-chart-axis" x="{}" y="{}" text-anchor="end">{}</text>',
        ((LEFT, WIDTH - RIGHT, _y(t, top), _y(t, top), LEFT - 6, _y(t, top) + 4, t) for t in ticks),
    )


def _axis_label(text: str, x: float) -> SafeString:
    return format_html(
        '<text class="desk-chart-axis" x="{}" y="{}" text-anchor="middle">{}</text>', x, HEIGHT - BOTTOM + 16, text
    )


def _slot(point: Point, x: float, slot: float, top: int, names: tuple[str, str], label: SafeString | str) -> str:
    """One day's bar and dot, with the figures in a tooltip and in data attributes."""
    centre, y_bar = round(x + slot / 2, 1), _y(point.bar, top)
    return format_html(
        '<g class="desk-chart-slot" data-label="{}" data-bar="{}" data-line="{}">'
        "<title>{}: {} {}, {} {}</title>"
        '<rect class="desk-chart-bar" x="{}" y="{}" width="{}" height="{}"></rect>'
        '<circle class="desk-chart-dot" cx="{}" cy="{}" r="2.5"></circle>{}</g>',
        point.label,
        point.bar,
        point.line,
        point.label,
        point.bar,
        names[0],
        point.line,
        names[1],
        round(x + slot * 0.2, 1),
        y_bar,
        round(slot * 0.6, 1),
        round(HEIGHT - BOTTOM - y_bar, 1),
        centre,
        _y(point.line, top),
        label,
    )


def _slots(points: Sequence[Point], top: int, names: tuple[str, str]) -> tuple[SafeString, str]:
    slot = (WIDTH - LEFT - RIGHT) / len(points)
    marks, line = [], []
    for index, point in enumerate(points):
        x = LEFT + slot * index
        line.append(f"{round(x + slot / 2, 1)},{_y(point.line, top)}")
        labelled = (len(points) - 1 - index) % LABEL_EVERY == 0  # counted from the last slot, which is always named
        label = _axis_label(point.label, round(x + slot / 2, 1)) if labelled else ""
        marks.append(_slot(point, x, slot, top, names, label))
    return mark_safe("".join(marks)), " ".join(line)


def bar_and_line_chart(
    points: Sequence[Point], *, chart_id: str, title: str, description: str, bar_name: str, line_name: str
) -> SafeString:
    """Bars for one series and a line for another over the same slots (e.g. claims published and queued per day)."""
    top = _scale_top([value for p in points for value in (p.bar, p.line)])
    marks, line = _slots(points, top, (bar_name, line_name)) if points else ("", "")
    return format_html(
        '<svg class="desk-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" id="{}">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}'
        '<polyline class="desk-chart-line" points="{}"></polyline>{}</svg>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        _gridlines(top),
        line,
        marks,
    )


def load_bar(load: int, capacity: int, *, label: str) -> SafeString:
    """A reviewer's active assignments against their capacity; the bar fills past a marker when over capacity."""
    width, height = 160, 14
    scale = max(load, capacity, 1)
    filled = round(width * load / scale, 1)
    limit = round(width * capacity / scale, 1)
    state = "over" if load > capacity else "full" if load == capacity else "ok"
    return format_html(
        '<svg class="desk-load desk-load-{}" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}">'
        '<rect class="desk-load-track" x="0" y="0" width="{}" height="{}"></rect>'
        '<rect class="desk-load-fill" x="0" y="0" width="{}" height="{}"></rect>'
        '<line class="desk-load-limit" x1="{}" x2="{}" y1="0" y2="{}"></line></svg>',
        state,
        width,
        height,
        width,
        height,
        label,
        limit,
        height,
        filled,
        height,
        limit,
        limit,
        height,
    )
