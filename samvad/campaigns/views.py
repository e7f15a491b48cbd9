from django.contrib import messages
from django.core.exceptions import BadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from samvad.campaigns import scoreboard as board
from samvad.campaigns.access import department_scope, managed_campaigns, visible_campaigns
from samvad.campaigns.forms import CampaignForm, DepartmentTargetsForm
from samvad.campaigns.models import DepartmentTarget
from samvad.campaigns.services import campaign_save, campaign_set_department_targets
from samvad.org import access
from samvad.org.access import ORG_READERS, Role, allow
from samvad.org.models import Department, District


@allow(*ORG_READERS)
def campaign_list(request):
    campaigns = visible_campaigns(request.user)
    return render(request, "campaigns/list.html", {
        "campaigns": campaigns,
        "can_create": bool(access.admin_districts(request.user)),
        "is_observer": bool(access.observed_states(request.user)),
    })  # fmt: skip


def _admin_district(request) -> District:
    wanted = request.GET.get("district") or request.POST.get("district")
    if wanted and not wanted.isdigit():
        raise BadRequest(_("The district in the address is not a number."))
    districts = District.objects.filter(id__in=access.admin_districts(request.user))
    if wanted:
        return get_object_or_404(districts, pk=wanted)
    return districts.order_by("pk").first()


@allow(Role.DISTRICT_ADMIN)
def campaign_new(request):
    district = _admin_district(request)
    form = CampaignForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        campaign = campaign_save(form, by=request.user)
        messages.success(request, _("Campaign created. Now set each department's targets."))
        return redirect("campaigns:targets", campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "district": district})


@allow(Role.DISTRICT_ADMIN)
def campaign_edit(request, pk: int):
    campaign = get_object_or_404(managed_campaigns(request.user), pk=pk)
    form = CampaignForm(request.POST or None, instance=campaign, district=campaign.district)
    if request.method == "POST" and form.is_valid():
        campaign_save(form, by=request.user)
        messages.success(request, _("Campaign saved."))
        return redirect("campaigns:dashboard", campaign.pk)
    return render(
        request,
        "campaigns/form.html",
        {"form": form, "district": campaign.district, "campaign": campaign},
    )


@allow(Role.DISTRICT_ADMIN)
def campaign_targets(request, pk: int):
    campaign = get_object_or_404(managed_campaigns(request.user), pk=pk)
    current = {
        t.department_id: {"submissions": t.submissions, "posts": t.posts, "reposts": t.reposts}
        for t in DepartmentTarget.objects.filter(campaign=campaign)
    }
    form = DepartmentTargetsForm(
        request.POST or None,
        current=current,
        departments=Department.objects.filter(district=campaign.district),
    )
    if request.method == "POST" and form.is_valid():
        campaign_set_department_targets(campaign, form.targets())
        messages.success(request, _("Department targets saved."))
        return redirect("campaigns:dashboard", campaign.pk)
    return render(request, "campaigns/targets.html", {"form": form, "campaign": campaign})


@allow(*ORG_READERS)
def dashboard(request, pk: int):
    campaign = get_object_or_404(visible_campaigns(request.user), pk=pk)
    scope = department_scope(request.user, campaign)
    context = {
        "campaign": campaign,
        "board": board.scoreboard(campaign, departments=scope),
        "whole_district": scope is None,
        "can_edit": campaign.district_id in access.admin_districts(request.user),
    }
    # htmx polls for the scoreboard alone every 30 seconds.
    template = "campaigns/_scoreboard.html" if request.htmx else "campaigns/dashboard.html"
    return render(request, template, context)


@allow(Role.STATE_OBSERVER)
def state_view(request):
    sort = request.GET.get("sort", "district")
    if sort.lstrip("-") not in board.SORTS:
        sort = "district"
    districts = District.objects.filter(state__in=access.observed_states(request.user))
    context = {
        "rows": board.state_rows(districts, sort=sort),
        "sort": sort,
        "columns": _columns(sort),
    }
    template = "campaigns/_state_table.html" if request.htmx else "campaigns/state.html"
    return render(request, template, context)


def _columns(sort: str) -> list[dict]:
    """Each sortable column with the link that sorts by it (again: the other way round)."""
    labels = {
        "district": _("District"),
        "followers": _("Followers"),
        "gained": _("Followers gained"),
        "progress": _("Progress"),
        "posts": _("Posts"),
        "reposts": _("Staff reposts"),
        "submissions": _("Submissions"),
        "following": _("Staff following"),
        "spend": _("X spend (USD)"),
    }
    columns = []
    for key, label in labels.items():
        descending = key != "district"
        if sort.lstrip("-") == key:
            descending = not sort.startswith("-")
        columns.append(
            {
                "key": key,
                "label": label,
                "sort": ("-" if descending else "") + key,
                "active": sort.lstrip("-") == key,
                "numeric": key != "district",
            }
        )
    return columns
