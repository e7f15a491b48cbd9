from django import template

from samvad.jobs.health import worker_heartbeat

register = template.Library()


@register.inclusion_tag("jobs/_heartbeat_alert.html")
def heartbeat_alert():
    """An alert for the district admin when no worker has run lately: nothing gets published."""
    return {"heartbeat": worker_heartbeat()}
