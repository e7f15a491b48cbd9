"""Telling officers what became of their material: in the app, and by e-mail."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def _notify(user, template: str, context: dict, link: str) -> None:
    from samvad.content.models import Notification

    # Each person reads in their own language.
    with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
        context = {**context, "link": settings.SITE_URL.rstrip("/") + link}
        message = render_to_string(f"content/email/{template}.txt", context).strip()
        subject = render_to_string(f"content/email/{template}_subject.txt", context).strip()
    Notification.objects.create(user=user, message=message[:500], link=link)
    if user.email:
        send_mail(subject, message, None, [user.email])


def notify_returned(submission) -> None:
    """The editor returned or rejected the officer's submission (with a comment)."""
    link = reverse("content:submission_detail", args=[submission.pk])
    _notify(submission.created_by, "returned", {"submission": submission}, link)


def notify_published(post) -> None:
    """A post made from the officer's submission is on X (called by the publisher)."""
    if post.submission_id is None:
        return
    link = reverse("content:submission_detail", args=[post.submission_id])
    _notify(
        post.submission.created_by, "published", {"post": post, "submission": post.submission}, link
    )
