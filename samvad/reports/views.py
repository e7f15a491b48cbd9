from datetime import date

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samvad.campaigns.access import department_scope, managed_campaigns, visible_campaigns
from samvad.jobs.registry import enqueue
from samvad.org import access
from samvad.org.access import Role, allow
from samvad.org.models import District
from samvad.reports import daily as report
from samvad.reports.forms import RecipientsForm
from samvad.reports.models import Recipient
from samvad.reports.send import XLSX

READERS = (Role.DISTRICT_ADMIN, Role.EDITOR, Role.STATE_OBSERVER)


def _campaign(request, pk: int):
    """A campaign whose whole-district report the user may read; 404 otherwise."""
    campaign = get_object_or_404(visible_campaigns(request.user), pk=pk)
    if department_scope(request.user, campaign) is not None:
        raise Http404
    return campaign


def _day(request, campaign) -> date:
    try:
        day = date.fromisoformat(request.GET.get("day") or request.POST.get("day") or "")
    except ValueError:
        day = timezone.localdate()
    return min(max(day, campaign.starts_on), campaign.ends_on)


@allow(*READERS)
def daily(request, pk: int):
    campaign = _campaign(request, pk)
    context = report.report_context(campaign, _day(request, campaign))
    context["can_send"] = campaign.district_id in access.admin_districts(request.user)
    return render(request, "reports/daily.html", context)


def _download(content: bytes, content_type: str, campaign, day, ext) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = f"report-{campaign.district.code}-{day.isoformat()}.{ext}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@allow(*READERS)
def daily_pdf(request, pk: int):
    campaign = _campaign(request, pk)
    day = _day(request, campaign)
    pdf = report.render_pdf(report.report_context(campaign, day))
    return _download(pdf, "application/pdf", campaign, day, "pdf")


@allow(*READERS)
def daily_xlsx(request, pk: int):
    campaign = _campaign(request, pk)
    day = _day(request, campaign)
    return _download(
        report.render_xlsx(report.report_context(campaign, day)), XLSX, campaign, day, "xlsx"
    )


@allow(Role.DISTRICT_ADMIN)
@require_POST
def send(request, pk: int):
    campaign = get_object_or_404(managed_campaigns(request.user), pk=pk)
    day = _day(request, campaign)
    enqueue("reports.send_daily", campaign_id=campaign.pk, day=day.isoformat(), scheduled=False)
    messages.success(request, _("The report is being emailed to the recipients."))
    return redirect(reverse("reports:daily", args=[campaign.pk]) + f"?day={day.isoformat()}")


@allow(Role.DISTRICT_ADMIN)
def recipients(request):
    districts = District.objects.filter(id__in=access.admin_districts(request.user))
    wanted = request.GET.get("district") or request.POST.get("district")
    if wanted and not wanted.isdigit():
        raise BadRequest(_("The district in the address is not a number."))
    district = get_object_or_404(districts, pk=wanted) if wanted else districts.first()
    current = Recipient.objects.filter(district=district)
    initial = "\n".join(r.email + (" en" if r.language == "en" else "") for r in current)
    form = RecipientsForm(request.POST or None, initial={"emails": initial})
    if request.method == "POST" and form.is_valid():
        Recipient.replace(district, form.cleaned_data["emails"], by=request.user)
        messages.success(request, _("Recipients saved."))
        return redirect(f"{request.path}?district={district.pk}")
    return render(request, "reports/recipients.html", {"form": form, "district": district})
