"""The daily report of a campaign: one context, three forms (page, PDF, XLSX).

The PDF is laid out by WeasyPrint, whose Pango/HarfBuzz shaping gets Devanagari's conjuncts,
matras and reph right with the Noto Sans Devanagari font (Debian's fonts-noto-core), and whose
lines copy out as the text they show (samvad/pdf.py); the charts are the dashboard's own SVG, so
they print without a browser.
"""

import io
from datetime import date

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from samvad import pdf
from samvad.campaigns import figures
from samvad.campaigns.measure import period
from samvad.campaigns.scoreboard import scoreboard


def report_context(campaign, day: date) -> dict:
    board = scoreboard(campaign, today=day)
    start, _end = period(campaign)
    return {
        "campaign": campaign,
        "day": day,
        "board": board,
        "today": next((d for d in board.days if d.day == day), None),
        "questions": figures.questions_answered_on_time(campaign.district, start, _end),
        "whole_district": True,
    }


def render_html(context: dict, *, request=None) -> str:
    return render_to_string("reports/daily_pdf.html", context, request=request)


def render_pdf(context: dict) -> bytes:
    return pdf.render_pdf(render_html(context), base_url="/")


def render_xlsx(context: dict) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    summary.title = _("Summary")[:31]
    for row in summary_rows(context):
        summary.append(safe_row(row))
    for title, header, rows in (
        (_("Daily"), daily_header(), daily_rows(context)),
        (_("Departments"), department_header(), department_rows(context)),
        (_("Top posts"), top_post_header(), top_post_rows(context)),
    ):
        sheet = book.create_sheet(title[:31])
        sheet.append(safe_row(header))
        for row in rows:
            sheet.append(safe_row(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def safe_row(row) -> list:
    """Text that a spreadsheet would run as a formula is kept as text; numbers stay numbers."""
    from samvad.audit.export import safe_cell  # the project's one formula-injection guard

    return [v if isinstance(v, int | float) or v is None else safe_cell(v) for v in row]


def summary_rows(context) -> list[list]:
    board, campaign = context["board"], context["campaign"]
    rows = [
        [_("Campaign"), campaign.name],
        [_("District"), campaign.district.name],
        [_("Date"), context["day"].isoformat()],
        [_("Day"), board.day_number],
        [
            _("Target"),
            _("Achieved"),
            _("Target value"),
            _("Expected by the end"),
            _("Low (90%)"),
            _("High (90%)"),
        ],
    ]
    for t in board.targets:
        f = t.forecast
        rows.append(
            [
                t.label,
                t.actual if t.available else None,
                t.target,
                round(f.expected) if f else None,
                round(f.low) if f else None,
                round(f.high) if f else None,
            ]
        )
    rows += [
        [_("Followers now"), board.followers_now],
        [_("Staff following (%)"), board.following_rate],
        [_("X spend (USD)"), float(board.spend) if board.spend is not None else None],
    ]
    return rows


def daily_header() -> list:
    return [
        _("Date"),
        _("Followers"),
        _("Followers gained"),
        _("Posts"),
        _("Staff reposts"),
        _("Submissions"),
        _("X spend (USD)"),
    ]


def daily_rows(context) -> list[list]:
    return [
        [
            d.day.isoformat(),
            d.followers,
            d.followers_gained,
            d.posts,
            d.reposts,
            d.submissions,
            float(d.spend),
        ]
        for d in context["board"].days
    ]


def department_header() -> list:
    return [
        _("Department"),
        _("Submissions"),
        _("Target"),
        _("Published posts"),
        _("Staff"),
        _("Staff following"),
        _("Staff following (%)"),
        _("Staff reposts"),
    ]


def department_rows(context) -> list[list]:
    return [
        [
            d.name,
            d.submissions,
            d.target_submissions,
            d.posts,
            d.staff,
            d.following,
            d.following_rate,
            d.reposts,
        ]
        for d in context["board"].departments
    ]


def top_post_header() -> list:
    return [_("Post"), _("Published"), _("Likes"), _("Reposts"), _("Replies"), _("Impressions")]


def top_post_rows(context) -> list[list]:
    return [
        [
            p.text,
            p.published_at.isoformat(timespec="minutes"),
            p.likes,
            p.reposts,
            p.replies,
            p.impressions,
        ]
        for p in context["board"].top_posts
    ]
