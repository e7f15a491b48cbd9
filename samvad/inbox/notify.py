"""Telling the district admins that a ticket is overdue: in the app, and by e-mail."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from samvad.org.models import Role, RoleAssignment


def district_admins(district):
    return [
        a.user
        for a in RoleAssignment.objects.filter(
            role=Role.DISTRICT_ADMIN, district=district, user__is_active=True
        ).select_related("user")
    ]


def notify_escalated(ticket) -> None:
    from samvad.content.models import Notification

    link = reverse("inbox:ticket_detail", args=[ticket.pk])
    for user in district_admins(ticket.district):
        # Each person reads in their own language.
        with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
            context = {"ticket": ticket, "link": settings.SITE_URL.rstrip("/") + link}
            message = render_to_string("inbox/email/escalated.txt", context).strip()
            subject = render_to_string("inbox/email/escalated_subject.txt", context).strip()
        Notification.objects.create(user=user, message=message[:500], link=link)
        if user.email:
            send_mail(subject, message, None, [user.email])
