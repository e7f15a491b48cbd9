"""Background work: checking and saving staff lists, and the periodic syncs with X."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samvad.advocacy import staff_import, sync
from samvad.advocacy.models import FollowerSync, StaffImport, TaskClick
from samvad.advocacy.selectors import official_posts
from samvad.jobs.registry import enqueue, job, periodic
from samvad.org.models import District, OfficialAccount, district_account
from samvad.platforms.x.client import XClient, client_for
from samvad.platforms.x.errors import XError

logger = logging.getLogger(__name__)

REPOST_WINDOW = timedelta(days=3)  # reposts of older posts are rare; each post costs calls
FULL_PASS_EVERY = timedelta(days=7)  # unfollows are found weekly: a full pass reads everyone
CLICKS_FRESH = timedelta(minutes=10)  # clicks a credit check looks at


def _run_import_pass(import_id: int, step) -> None:
    record = StaffImport.objects.select_related("district", "uploaded_by").get(pk=import_id)
    # Messages are kept in the language of the person who uploaded the file.
    language = getattr(record.uploaded_by, "language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        _run_step(record, step)


def _run_step(record: StaffImport, step) -> None:
    try:
        step(record)
    except staff_import.Refused as exc:
        record.refuse(str(exc.args[0]))
    except Exception:
        logger.exception("Staff import %s failed", record.pk)
        record.refuse(_("The file could not be read. Check that it is the template, filled in."))


@job(name="advocacy.check_import", retry=False, max_attempts=1)
def check_import(*, import_id: int) -> None:
    _run_import_pass(import_id, staff_import.check_file)


@job(name="advocacy.save_import", retry=False, max_attempts=1)
def save_import(*, import_id: int) -> None:
    _run_import_pass(import_id, staff_import.save_file)
    record = StaffImport.objects.get(pk=import_id)
    if record.status == StaffImport.Status.SAVED:
        enqueue(verify_handles, district_id=record.district_id)


def _client(district) -> tuple[OfficialAccount, XClient] | tuple[None, None]:
    account = district_account(district)
    client = client_for(account)
    return (account, client) if client else (None, None)


@job(name="advocacy.verify_handles", max_attempts=3)
def verify_handles(*, district_id: int, recheck: bool = False) -> None:
    district = District.objects.get(pk=district_id)
    account, client = _client(district)
    if client:
        sync.verify_handles(district, client=client, recheck=recheck)


@job(name="advocacy.sync_followers", max_attempts=3)
def sync_followers(*, district_id: int, full: bool = False) -> None:
    account, client = _client(District.objects.get(pk=district_id))
    if client:
        sync.sync_followers(account, client=client, full=full)


def _each_district(step) -> None:
    """Run a step for every connected district; one district's trouble does not stop the rest."""
    for district in District.objects.all():
        account, client = _client(district)
        if client is None:
            continue
        try:
            step(district, account, client)
        except XError as exc:
            logger.warning("Advocacy sync for %s stopped: %s", district, exc.message)


@periodic(every=timedelta(hours=1), name="advocacy.followers_incremental")
def followers_incremental(*, slot: str) -> None:
    _each_district(
        lambda d, account, client: sync.sync_followers(account, client=client, full=False)
    )


def _full_passes(account):
    return FollowerSync.objects.filter(account=account, kind=FollowerSync.Kind.FULL, error="")


def full_pass_due(account, *, now=None) -> bool:
    """A full pass runs at most weekly, and besides when a campaign asks (request_full_pass)."""
    now = now or timezone.now()
    return not _full_passes(account).filter(started__gt=now - FULL_PASS_EVERY).exists()


def request_full_pass(district, *, now=None) -> None:
    """Queue a full pass unless one has run today: campaigns asks for one on a campaign's first
    and last day, so that its following figures begin and end on a complete count."""
    today = timezone.localdate(now)
    account = district_account(district)
    if account is None or _full_passes(account).filter(started__date=today).exists():
        return
    key = f"advocacy.full_pass:{district.pk}@{today:%Y-%m-%d}"
    enqueue(sync_followers, district_id=district.pk, full=True, key=key)


@periodic(every=timedelta(hours=24), name="advocacy.followers_full")
def followers_full(*, slot: str) -> None:
    """The full pass, the only way to see who stopped following, when it is due."""

    def step(district, account, client):
        if full_pass_due(account):
            sync.sync_followers(account, client=client, full=True)

    _each_district(step)


@periodic(every=timedelta(hours=1), name="advocacy.reposts")
def reposts(*, slot: str) -> None:
    def step(district, account, client):
        since = timezone.now() - REPOST_WINDOW
        post_ids = [p.x_post_id for p in official_posts(district, since=since)]
        sync.sync_reposts(account, post_ids, client=client)
        sync.snapshot_departments(district)

    _each_district(step)


@periodic(every=timedelta(hours=1), name="advocacy.department_records")
def department_records(*, slot: str) -> None:
    """Every district's record of the day, connected to X or not: the one store of staff and
    following figures. Rewritten each hour, so that a past day's record holds its end."""
    for district in District.objects.all():
        sync.snapshot_departments(district)


@periodic(every=timedelta(hours=6), name="advocacy.verify_new_handles")
def verify_new_handles(*, slot: str) -> None:
    """A safety net: each handle is checked as soon as it is registered (verify_handles)."""
    _each_district(lambda d, account, client: sync.verify_handles(d, client=client))


@job(name="advocacy.credit_check", max_attempts=3)
def credit_check(*, district_id: int) -> None:
    """Credit the follows and reposts that staff just made through their task links: one
    incremental follower read for the district, and reposted-by for the posts clicked."""
    district = District.objects.get(pk=district_id)
    account, client = _client(district)
    if client is None:
        return
    now = timezone.now()
    clicks = TaskClick.objects.filter(district=district, at__gte=now - CLICKS_FRESH)
    sync.verify_handles(district, client=client)  # a handle registered a moment ago
    if clicks.filter(kind=TaskClick.Kind.FOLLOW).exists():
        sync.sync_followers(account, client=client, full=False)
    posts = sorted(
        set(clicks.filter(kind=TaskClick.Kind.REPOST).values_list("x_post_id", flat=True))
    )
    if posts:
        sync.sync_reposts(account, posts, client=client)
    sync.snapshot_departments(district)
    clicks.filter(checked_at__isnull=True, check_at__lte=now).update(checked_at=timezone.now())
