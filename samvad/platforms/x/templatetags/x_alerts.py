"""{% x_alerts %} in base.html: what a district admin must act on, on every page they open."""

from django import template

from samvad.org import access
from samvad.platforms.x.models import Connection

register = template.Library()


@register.inclusion_tag("x/_alerts.html", takes_context=True)
def x_alerts(context):
    user = context.get("user")
    districts = access.admin_districts(user) if user is not None else set()
    if not districts:
        return {"x_alerts": []}
    alerting = Connection.objects.alerting().filter(account__district__in=districts)
    return {"x_alerts": list(alerting.select_related("account"))}
