"""Campaigns, their targets, and the measurements behind the scoreboard.

Three kinds of table, so that a page never counts raw rows at state scale:
- what people set: Campaign, DepartmentTarget;
- what X said: AccountSnapshot (every measurement), AccountDay (one row per account and day),
  PostMetrics (each post's latest figures) and PostMetricDay (one narrow row per post and day);
- what the pages read: CampaignDay and DepartmentDay, rolled up by the measurement job
  (rollup.py), and Projection, the forecast kept as it was made on a given day.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvad.org.models import Department, District, OfficialAccount

DEFAULT_DAYS = 15
PROJECTION_DAY = 5  # the forecast made on this day of the campaign is kept and shown at the end


class CampaignQuerySet(models.QuerySet):
    def running_on(self, day: date):
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def measured_on(self, day: date):
        """Campaigns still measured: running, or ended yesterday (its last day is closed today)."""
        return self.filter(starts_on__lte=day, ends_on__gte=day - timedelta(days=1))


class Campaign(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(_("name"), max_length=200)
    accounts = models.ManyToManyField(
        OfficialAccount, related_name="campaigns", verbose_name=_("official accounts")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    target_followers = models.PositiveIntegerField(_("followers gained (target)"), default=0)
    target_posts = models.PositiveIntegerField(_("posts (target)"), default=0)
    target_reposts = models.PositiveIntegerField(_("staff reposts (target)"), default=0)
    target_submissions = models.PositiveIntegerField(
        _("submissions per department (target)"), default=0
    )
    # The account's followers when the campaign began: what "followers gained" is counted from.
    baseline_followers = models.PositiveIntegerField(null=True, blank=True)
    baseline_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(_("The end must not be before the start."))

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def day_number(self, day: date) -> int:
        """1 on the first day; 0 before the start; capped at the last day."""
        if day < self.starts_on:
            return 0
        return min((day - self.starts_on).days + 1, self.days)

    def dates(self, until: date | None = None) -> list[date]:
        last = min(self.ends_on, until) if until else self.ends_on
        return [self.starts_on + timedelta(days=i) for i in range((last - self.starts_on).days + 1)]


class DepartmentTarget(models.Model):
    """A department's own targets within a campaign; blank means the campaign's default."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="department_targets"
    )
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    submissions = models.PositiveIntegerField(_("submissions"), null=True, blank=True)
    posts = models.PositiveIntegerField(_("published posts"), null=True, blank=True)
    reposts = models.PositiveIntegerField(_("staff reposts"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "department"], name="campaign_dept_target")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.department_id}"


# What X said ------------------------------------------------------------------------------------


class AccountSnapshot(models.Model):
    """An official account's public figures at one measurement."""

    account = models.ForeignKey(OfficialAccount, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    followers = models.PositiveIntegerField()
    following = models.PositiveIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)
    listed = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["account", "at"], name="account_snapshot_idx")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.at:%Y-%m-%d %H:%M}: {self.followers}"


class AccountDay(models.Model):
    """The day's last measurement of an account: the history a year of charts reads."""

    account = models.ForeignKey(OfficialAccount, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    followers = models.PositiveIntegerField()
    following = models.PositiveIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "day"], name="account_day_unique")
        ]
        indexes = [models.Index(fields=["district", "day"], name="account_day_district_idx")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.day}: {self.followers}"


class PostMetrics(models.Model):
    """A published post's latest figures from X. Private figures are blank when X did not give
    them (another account's post, or older than 30 days)."""

    x_post_id = models.CharField(max_length=32, primary_key=True)
    account = models.ForeignKey(OfficialAccount, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField()
    text = models.CharField(max_length=300, blank=True)
    likes = models.PositiveIntegerField(default=0)
    reposts = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)
    quotes = models.PositiveIntegerField(default=0)
    bookmarks = models.PositiveIntegerField(default=0)
    impressions = models.PositiveIntegerField(default=0)
    engagement = models.PositiveIntegerField(default=0)  # likes + reposts + replies + quotes
    link_clicks = models.PositiveIntegerField(null=True, blank=True)
    profile_clicks = models.PositiveIntegerField(null=True, blank=True)
    measured_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["account", "published_at"], name="post_metrics_idx")]

    def __str__(self) -> str:
        return self.x_post_id


METRICS = ("likes", "reposts", "replies", "quotes", "bookmarks", "impressions")


class PostMetricDay(models.Model):
    """A post's figures at the end of a day: narrow, for history at scale."""

    account = models.ForeignKey(OfficialAccount, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    x_post_id = models.CharField(max_length=32)
    likes = models.PositiveIntegerField(default=0)
    reposts = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)
    quotes = models.PositiveIntegerField(default=0)
    bookmarks = models.PositiveIntegerField(default=0)
    impressions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["x_post_id", "day"], name="post_metric_day_unique")
        ]
        indexes = [models.Index(fields=["account", "day"], name="post_metric_day_idx")]

    def __str__(self) -> str:
        return f"{self.x_post_id} {self.day}"


# What the pages read ----------------------------------------------------------------------------


class CampaignDay(models.Model):
    """One day of a campaign: that day's gains, and the standing figures at its end."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="daily")
    day = models.DateField()
    followers = models.PositiveIntegerField(null=True)  # at the day's end; None: never measured
    followers_gained = models.IntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)
    reposts = models.PositiveIntegerField(default=0)  # by staff
    submissions = models.PositiveIntegerField(default=0)
    engagement = models.PositiveIntegerField(default=0)  # standing total of the campaign's posts
    impressions = models.PositiveIntegerField(default=0)
    staff = models.PositiveIntegerField(default=0)
    following = models.PositiveIntegerField(default=0)  # staff who follow the official account
    spend = models.DecimalField(max_digits=10, decimal_places=4, default=0)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "day"], name="campaign_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.day}"


class DepartmentDay(models.Model):
    """A department's campaign figures from the campaign's start to the end of a day. Its staff
    and following are not campaign figures: they are read from advocacy's DepartmentSnapshot."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    submissions = models.PositiveIntegerField(default=0)
    posts = models.PositiveIntegerField(default=0)
    reposts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "day", "department"], name="department_day_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.department_id} {self.day}"


class Projection(models.Model):
    """A forecast of a target's total at the campaign's end, as made on one day."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="projections")
    metric = models.CharField(max_length=20)
    made_on_day = models.PositiveSmallIntegerField()
    expected = models.FloatField()
    low = models.FloatField()
    high = models.FloatField()
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "metric", "made_on_day"], name="projection_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.metric} day {self.made_on_day}"
