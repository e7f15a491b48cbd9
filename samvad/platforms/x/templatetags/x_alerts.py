"""{% x_alerts %} in base.html: what a district admin must act on, on every page they open."""

from django import template
from django.db import connection

from samvad.org import access

register = template.Library()

# Connection.objects.alerting() in the districts the user administers, written out with only what
# the alert shows: on every page an admin opens, the ORM took 0.7 ms to build it (a test ties them).
ALERTING = """
    SELECT '@' || a.handle, c.usage_capped_at IS NOT NULL
    FROM x_connection c JOIN org_officialaccount a ON a.id = c.account_id
    WHERE (c.status = 'needs_reconnect' OR c.usage_capped_at IS NOT NULL) AND a.district_id IN (
        SELECT district_id FROM org_roleassignment WHERE user_id = %s AND role = 'district_admin'
    ) ORDER BY c.id"""


def alerting(user) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(ALERTING, [user.pk])
        return [{"account": account, "capped": bool(capped)} for account, capped in cursor]


@register.inclusion_tag("x/_alerts.html", takes_context=True)
def x_alerts(context):
    user = context.get("user")
    admin = user is not None and access.admin_districts(user)
    return {"x_alerts": alerting(user) if admin else []}
