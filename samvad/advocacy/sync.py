"""What X says about staff: handle lookups, the official account's followers, and who reposted
its posts, with the fewest calls the contract allows (100 users per lookup, 1000 followers per
page, incremental). X is only ever called through the platform's client.

The follower reconciliation is set-based, so that a million followers against two hundred thousand
staff takes seconds: a full pass streams the ids into a staging table (COPY on PostgreSQL) and
settles new, returned and gone followers with three statements, whatever their number.
"""

import logging
from collections.abc import Iterable
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from samvad.advocacy.models import (
    DepartmentSnapshot,
    Follower,
    FollowerSighting,
    FollowerSync,
    StaffHandle,
    StaffRepost,
)
from samvad.advocacy.selectors import FIGURES, department_figures
from samvad.org.models import Department, OfficialAccount
from samvad.platforms.x.client import XClient, pages

logger = logging.getLogger(__name__)

LOOKUP_BATCH = 100
FOLLOWERS_PAGE = 1000
STAGE_BATCH = 50_000  # ids staged per statement: one commit per page would cost more than X
Status = StaffHandle.Status


# -- handles -------------------------------------------------------------------------------------
def verify_handles(district, *, client: XClient, recheck: bool = False) -> int:
    """Look the district's handles up, 100 per call: exists, not suspended, not protected.
    Returns how many handles were looked up."""
    handles = StaffHandle.objects.filter(district=district).order_by("pk")
    if not recheck:
        handles = handles.filter(status=Status.UNVERIFIED)
    handles = list(handles)
    for start in range(0, len(handles), LOOKUP_BATCH):
        batch = handles[start : start + LOOKUP_BATCH]
        page = client.users_by_usernames([h.handle for h in batch])
        _apply_lookup(batch, page)
    return len(handles)


def _apply_lookup(batch: list[StaffHandle], page) -> None:
    found = {u.username.lower(): u for u in page.items}
    suspended = {
        str(e.get("value", "")).lower()
        for e in page.errors
        if "suspend" in (e.get("detail", "") + e.get("title", "")).lower()
    }
    now = timezone.now()
    for handle in batch:
        key = handle.handle.lower()
        handle.checked_at = now
        if user := found.get(key):
            handle.x_user_id = int(user.id)
            handle.handle = user.username  # X's own spelling
            handle.status = Status.PROTECTED if user.raw.get("protected") else Status.VERIFIED
        else:
            handle.x_user_id = None
            handle.status = Status.SUSPENDED if key in suspended else Status.NOT_FOUND
    StaffHandle.objects.bulk_update(batch, ["x_user_id", "handle", "status", "checked_at"])


# -- followers -----------------------------------------------------------------------------------
def sync_followers(account: OfficialAccount, *, client: XClient, full: bool) -> FollowerSync:
    """One pass over the account's followers, then the staff's follow state and today's record.

    Incremental: X lists followers newest first, so reading stops at the first page whose ids are
    all known. Full: every page, then anyone no longer listed has stopped following."""
    id_pages = (
        [int(user.id) for user in page.items]
        for page in pages(client.followers, account.x_user_id, max_results=FOLLOWERS_PAGE)
    )
    return record_pass(account, id_pages, full=full)


def record_pass(account: OfficialAccount, id_pages: Iterable[list[int]], *, full: bool):
    """Take in pages of follower ids as they are read (a generator: an incremental pass stops
    reading, and so calling X, as soon as it has what it needs)."""
    run = FollowerSync.objects.create(
        account=account, kind=FollowerSync.Kind.FULL if full else FollowerSync.Kind.INCREMENTAL
    )
    pending: list[int] = []
    try:
        for ids in id_pages:
            run.calls += 1
            run.seen += len(ids)
            if full:
                pending.extend(ids)
                if len(pending) >= STAGE_BATCH:
                    stage(run, pending)
                    pending = []
            elif not _add_new(account, ids, run):
                break
        if full:
            stage(run, pending)
            reconcile_full(account, run)
    except Exception as exc:
        run.error = str(exc)[:2000]
        raise
    finally:
        FollowerSighting.objects.filter(sync=run).delete()
        run.finished = timezone.now()
        run.save()
    settle_district(account)
    return run


def _add_new(account, ids: list[int], run: FollowerSync) -> int:
    known = set(
        Follower.objects.filter(account=account, until__isnull=True, x_user_id__in=ids)
        .values_list("x_user_id", flat=True)
    )
    new = [i for i in dict.fromkeys(ids) if i not in known]
    now = timezone.now()
    # A follower who had left and came back gets a new `since`.
    Follower.objects.bulk_create(
        [Follower(account=account, x_user_id=i, since=now) for i in new],
        update_conflicts=True,
        unique_fields=["account", "x_user_id"],
        update_fields=["since", "until"],
    )
    run.added += len(new)
    return len(new)


def stage(run: FollowerSync, ids: list[int]) -> None:
    """Put a page of follower ids into the staging table."""
    table = FollowerSighting._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One block of text per page: a Python call per id would cost more than the COPY.
            with cursor.copy(f"COPY {table} (sync_id, x_user_id) FROM STDIN") as copy:
                copy.write("".join(f"{run.pk}\t{int(i)}\n" for i in ids))
        else:
            cursor.executemany(
                f"INSERT INTO {table} (sync_id, x_user_id) VALUES (%s, %s)",  # noqa: S608
                [(run.pk, i) for i in ids],
            )


def reconcile_full(account: OfficialAccount, run: FollowerSync, now: datetime | None = None):
    """Settle the staged sighting of every follower against what was known, set-based."""
    now = now or timezone.now()
    f, s = Follower._meta.db_table, FollowerSighting._meta.db_table
    seen = f"SELECT 1 FROM {s} s WHERE s.sync_id = %(run)s AND s.x_user_id = {f}.x_user_id"  # noqa: S608
    params = {"account": account.pk, "run": run.pk, "now": now}
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A million fresh rows: without fresh statistics the planner takes them for a few
            # and picks nested loops over hash joins.
            cursor.execute(f"ANALYZE {s}")
        cursor.execute(
            f"UPDATE {f} SET since = %(now)s, until = NULL"  # noqa: S608
            f" WHERE account_id = %(account)s AND until IS NOT NULL AND EXISTS ({seen})",
            params,
        )
        returned = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {f} (account_id, x_user_id, since)"  # noqa: S608
            f" SELECT DISTINCT %(account)s, s.x_user_id, %(now)s FROM {s} s"
            f" WHERE s.sync_id = %(run)s AND NOT EXISTS (SELECT 1 FROM {f}"
            f" WHERE {f}.account_id = %(account)s AND {f}.x_user_id = s.x_user_id)",
            params,
        )
        run.added = returned + cursor.rowcount
        cursor.execute(
            f"UPDATE {f} SET until = %(now)s"  # noqa: S608
            f" WHERE account_id = %(account)s AND until IS NULL AND NOT EXISTS ({seen})",
            params,
        )
        run.gone = cursor.rowcount


def settle_district(account: OfficialAccount, *, day: date | None = None) -> None:
    """Carry the followers over to the staff's handles, then write today's department record."""
    refresh_follow_state(account)
    snapshot_departments(account.district, day=day)


def refresh_follow_state(account: OfficialAccount, now: datetime | None = None) -> None:
    now = now or timezone.now()
    active = Follower.objects.filter(
        account=account, until__isnull=True, x_user_id=OuterRef("x_user_id")
    )
    handles = StaffHandle.objects.filter(district=account.district_id)
    handles.filter(x_user_id__isnull=False).filter(
        Q(following_since__isnull=True) | Q(stopped_following_at__isnull=False), Exists(active)
    ).update(following_since=Subquery(active.values("since")[:1]), stopped_following_at=None)
    handles.filter(following_since__isnull=False, stopped_following_at__isnull=True).filter(
        ~Exists(active)
    ).update(stopped_following_at=now)


def snapshot_departments(district, *, day: date | None = None) -> None:
    """Today's row for every department of the district, in one upsert."""
    day = day or timezone.localdate()
    figures = department_figures(Department.objects.filter(district=district))
    DepartmentSnapshot.objects.bulk_create(
        [
            DepartmentSnapshot(department_id=pk, day=day, **{k: row[k] for k in FIGURES})
            for pk, row in figures.items()
        ],
        update_conflicts=True,
        unique_fields=["department", "day"],
        update_fields=list(FIGURES),
    )


# -- reposts -------------------------------------------------------------------------------------
def sync_reposts(account: OfficialAccount, post_ids: list[str], *, client: XClient) -> int:
    """Who of the staff reposted each post. Reposters who are not staff are not kept."""
    added = 0
    for post_id in post_ids:
        reposters = set()
        for page in pages(client.reposted_by, post_id, max_results=100):
            reposters.update(int(user.id) for user in page.items)
        staff = set(
            StaffHandle.objects.filter(district=account.district_id, x_user_id__in=reposters)
            .values_list("person_id", flat=True)
        )
        staff -= set(
            StaffRepost.objects.filter(tweet_id=int(post_id), person_id__in=staff)
            .values_list("person_id", flat=True)
        )
        StaffRepost.objects.bulk_create(
            [StaffRepost(person_id=p, tweet_id=int(post_id)) for p in staff],
            ignore_conflicts=True,
        )
        added += len(staff)
    return added
