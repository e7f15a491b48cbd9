"""An official account's connection to X (sealed tokens, and the sealing itself), X's rate-limit
windows as X reported them, the ledger of every call with what it cost, and the addresses on X
of the posts Samvad keeps (a "View on X" link)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvad import audit
from samvad.org.models import District, OfficialAccount

# -- sealing --------------------------------------------------------------------------------------
# Tokens sealed at rest with SAMVAD_TOKEN_KEYS (Fernet keys; the first seals, all of them open),
# so a copy of the database alone, or SECRET_KEY alone, gives no one an account.


def _ring() -> MultiFernet:
    # Built per call so that a changed setting (key rotation, tests) takes effect at once.
    return MultiFernet([Fernet(key) for key in settings.SAMVAD_TOKEN_KEYS])


def seal(plain: str) -> str:
    return _ring().encrypt(plain.encode()).decode() if plain else ""


def unseal(sealed: str) -> str:
    return _ring().decrypt(sealed.encode()).decode() if sealed else ""


def reseal(sealed: str) -> str:
    """The same secret sealed under the current (first) key."""
    return _ring().rotate(sealed.encode()).decode() if sealed else ""


# -- addresses on X's web --------------------------------------------------------------------------
# From SAMVAD_X_WEB_BASE_URL: x.com in production, the local sandbox's pages in the demo and the
# tests, so a "View on X" link leads where the post lives.


def post_url(username: str, post_id: str) -> str:
    return f"{settings.SAMVAD_X_WEB_BASE_URL}/{username}/status/{post_id}"


# An access token this close to expiry is refreshed before use, so no call meets a dead token.
REFRESH_AHEAD = timedelta(minutes=5)


class ConnectionQuerySet(models.QuerySet):
    def usable(self):
        """Connections the worker may call X with: connected, and X's usage cap not met (a capped
        account's calls would only be refused until its admin clears the cap)."""
        return self.filter(status=Connection.Status.CONNECTED, usage_capped_at__isnull=True)

    def alerting(self):
        """Connections that need a person: re-connecting, or a usage cap to clear."""
        return self.filter(
            models.Q(status=Connection.Status.NEEDS_RECONNECT)
            | models.Q(usage_capped_at__isnull=False)
        )


class Connection(models.Model):
    """How Samvad acts as one official account on X. Tokens are only ever stored sealed."""

    class Kind(models.TextChoices):
        OAUTH2 = "oauth2", _("OAuth 2.0")
        OAUTH1 = "oauth1", _("OAuth 1.0a user tokens")

    class Status(models.TextChoices):
        CONNECTING = "connecting", _("Connecting")  # tokens stored, handle not yet confirmed
        CONNECTED = "connected", _("Connected")
        NEEDS_RECONNECT = "needs_reconnect", _("Needs connecting again")
        DISCONNECTED = "disconnected", _("Not connected")

    account = models.OneToOneField(
        OfficialAccount, on_delete=models.CASCADE, related_name="x_connection"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OAUTH2)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DISCONNECTED)
    x_user_id = models.CharField(max_length=32, blank=True)
    scopes = models.CharField(max_length=300, blank=True)
    access_token_sealed = models.TextField(blank=True)
    refresh_token_sealed = models.TextField(blank=True)
    token_secret_sealed = models.TextField(blank=True)  # OAuth 1.0a only
    expires_at = models.DateTimeField(null=True, blank=True)
    # Reads of the app owner's own followers are billed as cheap "owned reads".
    owns_app = models.BooleanField(_("this account owns the X developer app"), default=False)
    usage_capped_at = models.DateTimeField(null=True, blank=True)
    problem = models.TextField(blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    connected_at = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ConnectionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.account} ({self.get_status_display()})"

    @property
    def access_token(self) -> str:
        return unseal(self.access_token_sealed)

    @property
    def refresh_token(self) -> str:
        return unseal(self.refresh_token_sealed)

    @property
    def token_secret(self) -> str:
        return unseal(self.token_secret_sealed)

    def needs_refresh(self) -> bool:
        return (
            self.kind == self.Kind.OAUTH2
            and self.expires_at is not None
            and self.expires_at - REFRESH_AHEAD <= timezone.now()
        )

    def store_tokens(
        self,
        *,
        access: str,
        refresh: str = "",
        expires_in: int | None = None,
        scopes: str = "",
        secret: str = "",
    ) -> None:
        """Keep the newest tokens. X rotates refresh tokens on every use, so the one just received
        replaces the old one, which no longer works."""
        self.access_token_sealed = seal(access)
        if refresh:
            self.refresh_token_sealed = seal(refresh)
        self.token_secret_sealed = seal(secret)
        self.expires_at = timezone.now() + timedelta(seconds=expires_in) if expires_in else None
        self.scopes = scopes or self.scopes
        self.save()

    def forget_tokens(self, status: str) -> None:
        self.access_token_sealed = self.refresh_token_sealed = self.token_secret_sealed = ""
        self.expires_at = None
        self.status = status
        self.save()

    def mark_needs_reconnect(self, problem: str) -> bool:
        """True only for the call that made the change, so that one email goes out, not one per
        worker that meets the same dead token."""
        changed = Connection.objects.filter(pk=self.pk, status=self.Status.CONNECTED).update(
            status=self.Status.NEEDS_RECONNECT, problem=problem, updated=timezone.now()
        )
        self.refresh_from_db()
        return bool(changed)

    def mark_usage_capped(self, problem: str) -> bool:
        changed = Connection.objects.filter(pk=self.pk, usage_capped_at__isnull=True).update(
            usage_capped_at=timezone.now(), problem=problem, updated=timezone.now()
        )
        self.refresh_from_db()
        return bool(changed)

    def clear_usage_cap(self) -> None:
        self.usage_capped_at = None
        self.problem = ""
        self.save()

    def set_owns_app(self, owns: bool) -> None:
        self.owns_app = owns
        self.save(update_fields=["owns_app", "updated"])


class RateWindowQuerySet(models.QuerySet):
    def paused(self, now):
        """Empty posting windows that have not reset yet: their accounts may not post until then."""
        return self.filter(endpoint=RateWindow.CREATE_POST, remaining=0, reset_at__gt=now)


class RateWindow(models.Model):
    """X's own count of what is left, from the x-rate-limit-* and 24-hour headers it last sent
    for this account and endpoint."""

    CREATE_POST = "POST /2/tweets"

    class Window(models.TextChoices):
        MINUTES_15 = "15m", _("15 minutes")
        USER_DAY = "user-24h", _("24 hours (account)")
        APP_DAY = "app-24h", _("24 hours (app)")

    account = models.ForeignKey(OfficialAccount, on_delete=models.CASCADE, related_name="+")
    endpoint = models.CharField(max_length=60)
    window = models.CharField(max_length=10, choices=Window.choices)
    limit = models.PositiveIntegerField()
    remaining = models.PositiveIntegerField()
    reset_at = models.DateTimeField()
    updated = models.DateTimeField(auto_now=True)

    objects = RateWindowQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "endpoint", "window"], name="x_rate_window_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.endpoint} {self.window}: {self.remaining}/{self.limit}"


class AppWindow(models.Model):
    """A window X counts for the whole X app, across every account (and district) it serves: the
    10,000 posts in 24 hours, from the x-app-limit-24hour headers X last sent to any of them."""

    app = models.CharField(max_length=100)  # the app's client id (settings.SAMVAD_X_CLIENT_ID)
    endpoint = models.CharField(max_length=60)
    window = models.CharField(max_length=10, choices=RateWindow.Window.choices)
    limit = models.PositiveIntegerField()
    remaining = models.PositiveIntegerField()
    reset_at = models.DateTimeField()
    # The window whose 80 % the admins were told of, so that they are told once a window.
    alerted_for = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["app", "endpoint", "window"], name="x_app_window_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.app} {self.endpoint} {self.window}: {self.remaining}/{self.limit}"

    @property
    def used(self) -> int:
        return self.limit - self.remaining


class LedgerQuerySet(models.QuerySet):
    def in_month_of(self, moment: datetime):
        """The UTC calendar month, as X bills it."""
        start = moment.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        end = (start + timedelta(days=32)).replace(day=1)
        return self.filter(at__gte=start, at__lt=end)

    def spend(self) -> Decimal:
        return self.aggregate(total=Sum("cost"))["total"] or Decimal(0)

    def per_account_per_day(self):
        """Days in IST, as the office reads them (X's own days, for billing, are UTC)."""
        return (
            self.annotate(day=TruncDate("at", tzinfo=timezone.get_default_timezone()))
            .values("day", "account__handle")
            .annotate(calls=Count("id"), resources=Sum("resources"), spend=Sum("cost"))
            .order_by("-day", "account__handle")
        )


class LedgerEntry(models.Model):
    """One call to X: who made it, what X answered, and what X bills for it."""

    account = models.ForeignKey(OfficialAccount, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    endpoint = models.CharField(_("endpoint"), max_length=60)
    method = models.CharField(max_length=8)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    resources = models.PositiveIntegerField(_("resources"), default=0)
    cost = models.DecimalField(_("cost (USD)"), max_digits=10, decimal_places=4, default=0)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "ledger entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.account} {self.endpoint} {self.status} ${self.cost}"


class BilledResource(models.Model):
    """X bills the same resource once per UTC day: what has been billed today is remembered, and
    for a lookup that reads once a day, what X answered (`{"asked": ..., "data": ...}`)."""

    kind = models.CharField(max_length=20)
    resource_id = models.CharField(max_length=80)
    day = models.DateField()
    answer = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "resource_id", "day"], name="x_billed_resource_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.resource_id}"


class DistrictBudget(models.Model):
    """What a district allows itself to spend on X in a calendar month, in US dollars."""

    district = models.OneToOneField(District, on_delete=models.CASCADE, related_name="x_budget")
    monthly_usd = models.DecimalField(
        _("monthly budget (USD)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    # Shown and entered in rupees; the ledger counts in dollars, as X bills. Empty: the
    # installation's default (SAMVAD_X_DAILY_BUDGET_INR).
    daily_inr = models.PositiveIntegerField(_("daily budget (₹)"), null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.district}: ${self.monthly_usd}"

    @classmethod
    def set_for(cls, district, *, monthly_usd, daily_inr, by) -> "DistrictBudget":
        """The district admin's budget; empty values fall back to the installation's."""
        with transaction.atomic():
            old = cls.objects.filter(district=district).first()
            budget, _created = cls.objects.update_or_create(
                district=district,
                defaults={"monthly_usd": monthly_usd, "daily_inr": daily_inr, "set_by": by},
            )
            audit.record(
                actor=by,
                action="budget.set",
                obj=budget,
                before=old and {"monthly_usd": old.monthly_usd, "daily_inr": old.daily_inr},
                after={"monthly_usd": monthly_usd, "daily_inr": daily_inr},
            )
        return budget


class XApp(models.Model):
    """The X developer app through which a district connects its official accounts (OAuth 2.0):
    entered by the district admin on the X settings page. The client secret is sealed like every
    token. SAMVAD_X_CLIENT_ID in the environment, when set, wins over it."""

    district = models.OneToOneField(District, on_delete=models.CASCADE, related_name="x_app")
    client_id = models.CharField(_("client ID"), max_length=100)
    client_secret_sealed = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.district}: {self.client_id}"

    @property
    def client_secret(self) -> str:
        return unseal(self.client_secret_sealed)

    def set_secret(self, secret: str) -> None:
        self.client_secret_sealed = seal(secret)

    @classmethod
    def enter(cls, district, *, client_id: str, client_secret: str, by) -> "XApp":
        """The district's X app as its admin entered it; an empty secret keeps the saved one.
        The audit row says whether the secret changed, never what it is."""
        with transaction.atomic():
            app, created = cls.objects.get_or_create(
                district=district, defaults={"client_id": client_id}
            )
            before = None if created else {"client_id": app.client_id}
            app.client_id, app.updated_by = client_id, by
            if client_secret or created:
                app.set_secret(client_secret)
            app.save()
            after = {"client_id": client_id, "secret_changed": bool(client_secret)}
            audit.record(actor=by, action="xapp.enter", obj=app, before=before, after=after)
        return app
