"""Telling a person something: in the app, and by e-mail, in the person's own language.

    from samvad.notifications import notify
    notify(officer, "content/email/returned", {"submission": submission}, link)

renders `content/email/returned.txt` (the message) and `returned_subject.txt` (the e-mail's
subject); `link` is a path on this site, shown in the app and sent as a full address.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def notify(person, template: str, context: dict, link: str) -> None:
    # Imported here: this package is imported while Django is still loading the apps.
    from samvad.notifications.models import Notification

    # Each person reads in their own language.
    with translation.override(getattr(person, "language", None) or settings.LANGUAGE_CODE):
        context = {**context, "link": settings.SITE_URL.rstrip("/") + link}
        message = render_to_string(f"{template}.txt", context).strip()
        subject = render_to_string(f"{template}_subject.txt", context).strip()
    Notification.objects.create(user=person, message=message[:500], link=link)
    if person.email:
        send_mail(subject, message, None, [person.email])
