"""Who sees which campaign, and how much of it. Observers read every district of their state;
district admins and editors their district; an officer only their own department's figures."""

from django.db.models import Q, QuerySet

from samvad.campaigns.models import Campaign
from samvad.org import access
from samvad.org.models import Department


def visible_campaigns(user) -> QuerySet[Campaign]:
    officer_districts = Department.objects.filter(id__in=access.officer_departments(user)).values(
        "district"
    )
    return Campaign.objects.filter(
        Q(district__state__in=access.observed_states(user))
        | Q(district__in=access.editor_districts(user))
        | Q(district__in=officer_districts)
    ).select_related("district")


def managed_campaigns(user) -> QuerySet[Campaign]:
    return Campaign.objects.filter(district__in=access.admin_districts(user))


def department_scope(user, campaign: Campaign) -> list[int] | None:
    """None when the user may see the whole district's figures, else the department ids."""
    whole = campaign.district_id in access.editor_districts(
        user
    ) or campaign.district.state_id in access.observed_states(user)
    return None if whole else sorted(access.officer_departments(user))
