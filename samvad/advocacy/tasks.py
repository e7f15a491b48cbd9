"""An employee's tasks: the signed personal link, X's web-intent URLs, and reminder messages."""

from datetime import timedelta
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse

from samvad.advocacy.models import TaskLink
from samvad.org.models import Person

SALT = "samvad.advocacy.task"
LINK_VALID_FOR = timedelta(days=90)


def task_token(person: Person) -> str:
    return signing.dumps([person.pk, TaskLink.generation_of(person.pk)], salt=SALT, compress=True)


def person_for_token(token: str) -> Person | None:
    """The person whose link this is, or None when it was altered, has expired or was revoked."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=LINK_VALID_FOR)
    except signing.BadSignature:
        return None
    # Links made before links could be revoked carry the bare pk: generation 0.
    pk, generation = payload if isinstance(payload, list) else (payload, 0)
    if generation != TaskLink.generation_of(pk):
        return None
    return Person.objects.select_related("department", "district").filter(pk=pk).first()


def task_path(person: Person) -> str:
    return reverse("advocacy:task", args=[task_token(person)])


def follow_intent(handle: str) -> str:
    return f"{settings.SAMVAD_X_WEB_BASE_URL}/intent/follow?{urlencode({'screen_name': handle})}"


def repost_intent(post_id: str) -> str:
    return f"{settings.SAMVAD_X_WEB_BASE_URL}/intent/retweet?{urlencode({'tweet_id': post_id})}"


def reminder_text(person: Person, link: str, account) -> str:
    context = {"person": person, "link": link, "account": account}
    return render_to_string("advocacy/whatsapp.txt", context).strip()


def whatsapp_link(person: Person, text: str) -> str:
    """wa.me opens WhatsApp with the message filled in; to the person when their number is
    known, else to a chat the sender picks."""
    number = f"91{person.mobile}" if len(person.mobile) == 10 else ""
    return f"https://wa.me/{number}?text={quote(text)}"
