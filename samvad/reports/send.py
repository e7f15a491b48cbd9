"""Emailing the daily report to the district's recipients, each in their language."""

from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from samvad.reports import daily
from samvad.reports.models import Recipient, SentReport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_send(campaign, *, day: date, scheduled: bool = True) -> SentReport | None:
    """Email the day's report. The scheduled send happens once per campaign and day; a send on
    demand always goes out."""
    already = SentReport.objects.filter(campaign=campaign, day=day, scheduled=True)
    if scheduled and already.exists():
        return None
    recipients = list(Recipient.objects.filter(district=campaign.district_id))
    by_language: dict[str, list[str]] = {}
    for r in recipients:
        by_language.setdefault(r.language or settings.LANGUAGE_CODE, []).append(r.email)
    for language, emails in sorted(by_language.items()):
        with translation.override(language):
            _email(campaign, day, emails).send()
    return SentReport.objects.create(
        campaign=campaign, day=day, scheduled=scheduled, recipients=len(recipients)
    )


def _email(campaign, day, emails) -> EmailMultiAlternatives:
    context = daily.report_context(campaign, day)
    subject = render_to_string("reports/email/daily_subject.txt", context).strip()
    body = render_to_string("reports/email/daily.txt", context)
    # Each recipient gets their own copy: no one sees who else receives the report.
    message = EmailMultiAlternatives(subject, body, to=[], bcc=emails)
    name = f"report-{campaign.district.code}-{day.isoformat()}"
    message.attach(f"{name}.pdf", daily.render_pdf(context), "application/pdf")
    message.attach(f"{name}.xlsx", daily.render_xlsx(context), XLSX)
    return message
