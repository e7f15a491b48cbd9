"""Changes to campaigns, each one named function (views stay thin)."""

from django.db import transaction

from samvad.campaigns.models import Campaign, DepartmentTarget
from samvad.jobs.registry import enqueue


def campaign_save(form, *, by) -> Campaign:
    """Create or change a campaign from its form, then measure it at once, so that the
    dashboard has figures before the next 15-minute round."""
    with transaction.atomic():
        if form.instance.pk is None:
            form.instance.created_by = by
        campaign = form.save()  # a new campaign gets its report's recipients (reports.models)
        transaction.on_commit(lambda: enqueue("campaigns.refresh", campaign_id=campaign.pk))
    return campaign


def campaign_set_department_targets(campaign: Campaign, targets: dict[int, dict]) -> None:
    """Replace the per-department targets; a department with no numbers keeps the default."""
    with transaction.atomic():
        DepartmentTarget.objects.filter(campaign=campaign).delete()
        DepartmentTarget.objects.bulk_create(
            [
                DepartmentTarget(campaign=campaign, department_id=pk, **values)
                for pk, values in targets.items()
                if any(v is not None for v in values.values())
            ]
        )
