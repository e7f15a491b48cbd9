"""Small server-rendered SVG charts: they need no script (the CSP forbids inline ones), print, and
look the same in the PDF report as on a phone. Colours are attributes, not styles, for the CSP."""

from babel.numbers import format_decimal
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

INK, MUTED, BRAND, BAND, TARGET = "#1b1f24", "#545d68", "#0b5394", "#c9dcef", "#a4161a"
W, H, LEFT, BOTTOM, TOP = 640, 200, 44, 24, 12


def _frame(title: str, body: str) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'role="img" aria-label="{t}" class="chart"><title>{t}</title>{b}</svg>',
        w=W,
        h=H,
        t=title,
        b=mark_safe(body),  # noqa: S308 (built here from escaped parts)
    )


def _scale(top: float, bottom: float):
    span = (top - bottom) or 1
    return lambda v: TOP + (H - TOP - BOTTOM) * (top - v) / span


def _axis(labels: list[str], x_of, y_of, top: float, bottom: float) -> str:
    parts = [
        f'<line x1="{LEFT}" y1="{y_of(bottom):.1f}" x2="{W}" y2="{y_of(bottom):.1f}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    ]
    for value in sorted({bottom, top}):
        parts.append(
            f'<text x="{LEFT - 4}" y="{y_of(value) + 4:.1f}" text-anchor="end" '
            f'font-size="11" fill="{MUTED}">{_num(value)}</text>'
        )
    step = max(1, len(labels) // 8)
    for i, label in enumerate(labels):
        if i % step == 0 or i == len(labels) - 1:
            parts.append(
                f'<text x="{x_of(i):.1f}" y="{H - 6}" text-anchor="middle" '
                f'font-size="11" fill="{MUTED}">{escape(label)}</text>'
            )
    return "".join(parts)


def _num(value: float) -> str:
    """A whole number with the Indian digit grouping (1,23,456), as on the rest of the page."""
    return format_decimal(round(value), locale="en_IN")


def bar_chart(values: list[float], labels: list[str], *, title: str) -> SafeString:
    if not values:
        return _frame(title, "")
    top, bottom = max(max(values), 1), min(min(values), 0)
    y_of = _scale(top, bottom)
    slot = (W - LEFT) / len(values)
    x_of = lambda i: LEFT + slot * (i + 0.5)  # noqa: E731
    bars = []
    for i, value in enumerate(values):
        y, base = y_of(max(value, 0)), y_of(min(value, 0))
        bars.append(
            f'<rect x="{LEFT + slot * i + slot * 0.15:.1f}" y="{y:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{max(base - y, 0.5):.1f}" fill="{BRAND}">'
            f"<title>{escape(labels[i])}: {_num(value)}</title></rect>"
        )
    return _frame(title, _axis(labels, x_of, y_of, top, bottom) + "".join(bars))


def line_chart(
    values: list[float],
    labels: list[str],
    *,
    title: str,
    total_days: int,
    target: float | None = None,
    forecast: tuple[float, float, float] | None = None,
) -> SafeString:
    """A running total over the campaign's days; the forecast as a cone from today to the end,
    and the target as a line."""
    days = max(total_days, len(values), 1)
    candidates = [0, *values, target or 0, *(forecast or ())]
    top, bottom = max(max(candidates), 1), min(candidates)
    y_of = _scale(top, bottom)
    x_of = lambda i: LEFT + (W - LEFT - 8) * i / max(days - 1, 1)  # noqa: E731
    parts = []
    if forecast and values:
        expected, low, high = forecast
        i, last, end = len(values) - 1, values[-1], days - 1
        parts.append(
            f'<polygon points="{x_of(i):.1f},{y_of(last):.1f} {x_of(end):.1f},'
            f'{y_of(high):.1f} {x_of(end):.1f},{y_of(low):.1f}" fill="{BAND}"/>'
        )
        parts.append(
            f'<line x1="{x_of(i):.1f}" y1="{y_of(last):.1f}" x2="{x_of(end):.1f}" '
            f'y2="{y_of(expected):.1f}" stroke="{BRAND}" stroke-dasharray="4 3"/>'
        )
    if target:
        parts.append(
            f'<line x1="{LEFT}" y1="{y_of(target):.1f}" x2="{W}" y2="{y_of(target):.1f}"'
            f' stroke="{TARGET}" stroke-dasharray="6 4"/>'
        )
    if values:
        points = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in enumerate(values))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{BRAND}" stroke-width="2.5"/>'
        )
    all_labels = labels + [""] * (days - len(labels))
    return _frame(title, _axis(all_labels, x_of, y_of, top, bottom) + "".join(parts))
