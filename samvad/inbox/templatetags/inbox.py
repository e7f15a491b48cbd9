"""For the campaign dashboard: `{% load inbox %}{% inbox_response_times campaign %}` shows the
inbox's response times per department over the campaign's days."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from samvad.inbox.selectors import response_times

IST = ZoneInfo("Asia/Kolkata")
register = template.Library()


@register.inclusion_tag("inbox/_figures.html")
def inbox_response_times(campaign, departments=None):
    """`departments`: only these rows (an officer's own), else every department and triage."""
    start = datetime.combine(campaign.starts_on, time.min, IST)
    end = datetime.combine(campaign.ends_on + timedelta(days=1), time.min, IST)
    rows = response_times(campaign.district, start=start, end=min(end, timezone.now()))
    if departments is not None:
        rows = [row for row in rows if row.department in departments]
    return {"figures": rows, "heading": _("Citizens' questions during the campaign")}
