"""An employee's tasks: the signed personal link, X's web-intent URLs, and reminder messages."""

from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from samvad.advocacy.models import TaskClick, TaskLink
from samvad.jobs.registry import enqueue
from samvad.org.models import Person

SALT = "samvad.advocacy.task"
LINK_VALID_FOR = timedelta(days=90)
# Clicks are checked on X together, once per district per window, a minute after the window
# closes: one follower read and one reposted-by read per clicked post, however many tapped.
CHECK_WINDOW = timedelta(minutes=2)
CHECK_DELAY = timedelta(minutes=1)


def task_token(person: Person, generation: int | None = None) -> str:
    """The person's signed link; `generation` where the caller read it already for a list of
    people (TaskLink.generations), so that a list asks no query per person."""
    if generation is None:
        generation = TaskLink.generation_of(person.pk)
    return signing.dumps([person.pk, generation], salt=SALT, compress=True)


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


def task_path(person: Person, generation: int | None = None) -> str:
    return reverse("advocacy:task", args=[task_token(person, generation)])


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


def task_click_record(person: Person, *, kind: str, x_post_id: str = "") -> TaskClick:
    """The employee is on their way to X to follow or repost: remember it, and have X checked
    a minute or three later, in the one check that every click of this window shares."""
    now = timezone.now()
    width = CHECK_WINDOW.total_seconds()
    window = int(now.timestamp() // width)
    check_at = datetime.fromtimestamp((window + 1) * width, UTC) + CHECK_DELAY
    click = TaskClick.objects.create(
        person=person,
        district_id=person.district_id,
        kind=kind,
        x_post_id=x_post_id,
        at=now,
        check_at=check_at,
    )
    enqueue(
        "advocacy.credit_check",
        key=f"advocacy.credit_check:{person.district_id}@{window}",
        run_after=check_at,
        district_id=person.district_id,
    )
    return click


def waiting_clicks(person: Person) -> dict:
    """The person's clicks whose check has not run yet: {"follow": check_at, x_post_id: check_at}.
    A click whose check never ran (the worker was down) stops waiting after an hour."""
    clicks = TaskClick.objects.filter(
        person=person, checked_at__isnull=True, at__gt=timezone.now() - timedelta(hours=1)
    )
    waiting = {}
    for kind, x_post_id, check_at in clicks.values_list("kind", "x_post_id", "check_at"):
        waiting[x_post_id if kind == TaskClick.Kind.REPOST else kind] = check_at
    return waiting
