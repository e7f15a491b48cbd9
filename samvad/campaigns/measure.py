"""Measuring on X: the official accounts' public figures and each campaign post's metrics.

Both use the fewest calls the contract allows: 100 users or 100 posts per lookup. A RateLimited
from the client is left to the job, which comes back when X's window resets.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from samvad.campaigns import figures
from samvad.campaigns.models import (
    AccountDay,
    AccountSnapshot,
    Campaign,
    PostMetricDay,
    PostMetrics,
)
from samvad.platforms.x.client import client_for

BATCH = 100  # ids per users or posts lookup (X's maximum)
PRIVATE_FOR = timedelta(days=30)  # X gives private metrics of the account's own recent posts


def chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def period(campaign: Campaign) -> tuple[datetime, datetime]:
    """The campaign's days as a half-open span of instants (days are Indian days)."""
    start = datetime.combine(campaign.starts_on, time.min, figures.IST)
    return start, datetime.combine(campaign.ends_on + timedelta(days=1), time.min, figures.IST)


# Accounts -----------------------------------------------------------------------------------------


def snapshot_accounts(accounts, *, now: datetime | None = None) -> int:
    """One snapshot of each account (and today's AccountDay row). A district's accounts are
    looked up together through one connected account of that district."""
    now = now or timezone.now()
    by_district = defaultdict(list)
    for account in accounts:
        if account.x_user_id:
            by_district[account.district_id].append(account)
    taken = 0
    for group in by_district.values():
        client = next(filter(None, map(client_for, group)), None)
        if client is None:
            continue
        by_x_id = {a.x_user_id: a for a in group}
        for ids in chunks(sorted(by_x_id)):
            page = client.users(ids)
            taken += _store_users(page.items, by_x_id, now)
    return taken


def _store_users(users, by_x_id, now) -> int:
    day = timezone.localdate(now)
    snapshots = []
    for user in users:
        metrics, account = user.public_metrics, by_x_id[user.id]
        figures_ = {
            "followers": metrics.get("followers_count") or 0,
            "following": metrics.get("following_count") or 0,
            "posts": metrics.get("tweet_count") or 0,
        }
        snapshots.append(
            AccountSnapshot(
                account=account, at=now, listed=metrics.get("listed_count") or 0, **figures_
            )
        )
        AccountDay.objects.update_or_create(
            account=account, day=day, defaults={"district_id": account.district_id, **figures_}
        )
    AccountSnapshot.objects.bulk_create(snapshots)
    return len(snapshots)


def take_baseline(campaign: Campaign) -> bool:
    """Followers when the campaign began: each account's last snapshot before the start, else its
    first one after. Kept once found."""
    if campaign.baseline_followers is not None:
        return False
    start, _ = period(campaign)
    total, first_at = 0, None
    for account in campaign.accounts.all():
        snaps = AccountSnapshot.objects.filter(account=account)
        snap = (
            snaps.filter(at__lte=start).order_by("-at").first()
            or snaps.filter(at__gt=start).order_by("at").first()
        )
        if snap is None:
            return False  # not every account measured yet: wait, rather than count a part
        total += snap.followers
        first_at = max(first_at or snap.at, snap.at)
    Campaign.objects.filter(pk=campaign.pk).update(baseline_followers=total, baseline_at=first_at)
    campaign.baseline_followers, campaign.baseline_at = total, first_at
    return True


# Posts ----------------------------------------------------------------------------------------


def sync_post_metrics(campaign: Campaign, *, now: datetime | None = None) -> int:
    """Every published post of the campaign's accounts, ceil(n/100) lookups per account."""
    now = now or timezone.now()
    start, end = period(campaign)
    accounts = {a.pk: a for a in campaign.accounts.all()}
    posts = figures.campaign_posts(list(accounts), start, min(end, now))
    by_account = defaultdict(list)
    for post in posts:
        by_account[post.account_id].append(post)
    measured = 0
    for account_id, own in by_account.items():
        client = client_for(accounts[account_id])
        if client is None:
            continue
        for batch in chunks(own):  # oldest first, so a batch is mostly all recent or all old
            private = all(now - p.published_at < PRIVATE_FOR for p in batch)
            page = client.posts([p.x_post_id for p in batch], private_metrics=private)
            measured += _store_posts(batch, page.items, now)
    return measured


def _count(metrics: dict, key: str) -> int:
    return int(metrics.get(key) or 0)


def _store_posts(batch, answers, now) -> int:
    known = {p.x_post_id: p for p in batch}
    latest, daily, engagement = [], [], {}
    day = timezone.localdate(now)
    for answer in answers:
        post = known.get(answer.id)
        if post is None:
            continue
        m, private = answer.public_metrics, answer.non_public_metrics
        values = {
            "likes": _count(m, "like_count"),
            "reposts": _count(m, "retweet_count"),
            "replies": _count(m, "reply_count"),
            "quotes": _count(m, "quote_count"),
            "bookmarks": _count(m, "bookmark_count"),
            "impressions": _count(m, "impression_count") or _count(private, "impression_count"),
        }
        total = values["likes"] + values["reposts"] + values["replies"] + values["quotes"]
        engagement[post.x_post_id] = total
        latest.append(
            PostMetrics(
                x_post_id=post.x_post_id,
                account_id=post.account_id,
                department_id=post.department_id,
                published_at=post.published_at,
                text=post.text,
                engagement=total,
                measured_at=now,
                link_clicks=private.get("url_link_clicks") if private else None,
                profile_clicks=private.get("user_profile_clicks") if private else None,
                **values,
            )
        )
        daily.append(
            PostMetricDay(account_id=post.account_id, day=day, x_post_id=post.x_post_id, **values)
        )
    with transaction.atomic():
        PostMetrics.objects.bulk_create(
            latest,
            update_conflicts=True,
            unique_fields=["x_post_id"],
            update_fields=[f.name for f in PostMetrics._meta.concrete_fields if not f.primary_key],
        )
        PostMetricDay.objects.bulk_create(
            daily,
            update_conflicts=True,
            unique_fields=["x_post_id", "day"],
            update_fields=["likes", "reposts", "replies", "quotes", "bookmarks", "impressions"],
        )
    figures.set_post_engagement(engagement)
    return len(latest)
