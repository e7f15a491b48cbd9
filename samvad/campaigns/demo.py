"""The demo's campaign: Dausa's "15 दिवसीय ट्विटर अभियान" with the directive's kind of targets.
Idempotent: run again, it finds the campaign by district and name and changes nothing."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from samvad.campaigns.models import DEFAULT_DAYS, Campaign, DepartmentTarget
from samvad.org.models import OfficialAccount

NAME = "15 दिवसीय ट्विटर अभियान"
TARGETS = {"target_followers": 1500, "target_posts": 60, "target_reposts": 600,
           "target_submissions": 5}
# Departments with more to tell are asked for more.
DEPARTMENT_SUBMISSIONS = {"phed": 8, "electricity": 8, "health": 8, "agriculture": 6}


@transaction.atomic
def seed_campaign(district, *, starts_on: date | None = None, by=None) -> Campaign:
    starts_on = starts_on or timezone.localdate()
    campaign, created = Campaign.objects.get_or_create(
        district=district, name=NAME,
        defaults={"starts_on": starts_on, "ends_on": starts_on + timedelta(days=DEFAULT_DAYS - 1),
                  "created_by": by, **TARGETS},
    )
    if created:
        campaign.accounts.set(OfficialAccount.objects.filter(district=district,
                                                             department__isnull=True))
        for department in district.departments.filter(code__in=DEPARTMENT_SUBMISSIONS):
            DepartmentTarget.objects.get_or_create(
                campaign=campaign, department=department,
                defaults={"submissions": DEPARTMENT_SUBMISSIONS[department.code]})
    return campaign
