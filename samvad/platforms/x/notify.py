"""Telling the district admins when an official account needs a person: by email here, and on
screen through the alerts template tag (templatetags/x_alerts.py)."""

from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from samvad.org.models import District, Role, User
from samvad.platforms.x.ledger import usd_to_inr
from samvad.platforms.x.models import Connection


def _email_admins(connection, template: str) -> None:
    context = {
        "account": connection.account,
        "problem": connection.problem,
        "link": settings.SITE_URL + reverse("x:settings"),
    }
    for admin in connection.account.district.admins().exclude(email=""):
        with translation.override(admin.language or settings.LANGUAGE_CODE):
            subject = render_to_string(f"x/email/{template}_subject.txt", context).strip()
            body = render_to_string(f"x/email/{template}.txt", context)
        send_mail(subject, body, None, [admin.email])


def connection_failed(connection) -> None:
    _email_admins(connection, "needs_reconnect")


def usage_capped(connection) -> None:
    _email_admins(connection, "usage_capped")


def app_near_cap(window) -> None:
    """Most of the X app's 24-hour posts are used: the state observers and the admins of every
    district on the app are told, before posts begin to wait."""
    districts = set(
        Connection.objects.filter(status=Connection.Status.CONNECTED).values_list(
            "account__district_id", flat=True
        )
    )
    people = (
        User.objects.filter(
            Q(roles__role=Role.DISTRICT_ADMIN, roles__district_id__in=districts)
            | Q(roles__role=Role.STATE_OBSERVER, roles__state__districts__in=districts),
            is_active=True,
        )
        .exclude(email="")
        .distinct()
    )
    context = {"window": window, "link": settings.SITE_URL + reverse("x:ledger")}
    for person in people:
        with translation.override(person.language or settings.LANGUAGE_CODE):
            subject = render_to_string("x/email/app_near_cap_subject.txt", context).strip()
            body = render_to_string("x/email/app_near_cap.txt", context)
        send_mail(subject, body, None, [person.email])


def budget_alert(district_id: int, *, percent: int, spent: str, budget: str) -> None:
    """Today's X spend has reached `percent` of the district's daily budget."""
    context = {
        "percent": percent,
        "spent": usd_to_inr(Decimal(spent)),
        "budget": usd_to_inr(Decimal(budget)),
        "link": settings.SITE_URL + reverse("x:settings"),
    }
    for admin in District.objects.get(pk=district_id).admins().exclude(email=""):
        with translation.override(admin.language or settings.LANGUAGE_CODE):
            subject = render_to_string("x/email/budget_subject.txt", context).strip()
            body = render_to_string("x/email/budget.txt", context)
        send_mail(subject, body, None, [admin.email])
