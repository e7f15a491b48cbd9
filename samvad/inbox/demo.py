"""The suggested routing rules: the demo district gets them when it is seeded, and a district
admin can add them with one button (and then edit them)."""

from samvad.inbox.models import RoutingRule
from samvad.inbox.routing import DEFAULT_KEYWORDS, parse_keywords


def seed_routing_rules(district) -> list[RoutingRule]:
    """A rule for each of the district's departments that has suggested keywords and no rule yet.
    Idempotent: returns the rules it created."""
    created = []
    for department in district.departments.filter(
        code__in=DEFAULT_KEYWORDS, routing_rule__isnull=True
    ):
        keywords = ", ".join(parse_keywords(DEFAULT_KEYWORDS[department.code]))
        created.append(
            RoutingRule.objects.create(district=district, department=department, keywords=keywords)
        )
    return created
