"""Per-user API tokens, issued as a bank would: the token itself is shown once and only its SHA-256
is kept; each token has scopes and an expiry, and is revoked when its owner's password changes or
the owner is deactivated (signals.py). Idempotency keys remember a write's first answer."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvad.org.access import EDITORIAL, READ, SUBMIT

SCOPES = {
    READ: _("read: lists and details"),
    SUBMIT: _("submit: send submissions and draft replies"),
    EDITORIAL: _("editorial: threads, approval and scheduling"),
}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def default_expiry():
    return timezone.now() + timedelta(days=settings.SAMVAD_API_TOKEN_DAYS)


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked=False, user__is_active=True, expires__gt=timezone.now())

    def by_token(self, token: str):
        return self.active().select_related("user").filter(key_hash=token_hash(token)).first()

    def revoke(self) -> int:
        return self.filter(revoked=False).update(revoked=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.CharField(_("scopes"), max_length=40, default=READ)  # space-separated
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField(_("expires"), default=default_expiry)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    objects = ApiTokenQuerySet.as_manager()

    # Writing last_used on every request would turn each read into a write.
    LAST_USED_PRECISION = timedelta(minutes=1)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(
        cls, *, user, name: str = "", scopes=(READ,), days: int | None = None
    ) -> tuple["ApiToken", str]:
        """Create a token and return it with the raw token (shown once, never stored).

        Hex so that a token never starts with "-" and is easy to pass on a command line.
        """
        unknown = set(scopes) - set(SCOPES)
        if unknown or not scopes:
            raise ValueError(f"unknown scopes {sorted(unknown)}")
        raw = secrets.token_hex(32)
        expires = timezone.now() + timedelta(days=days or settings.SAMVAD_API_TOKEN_DAYS)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=raw[:8],
            key_hash=token_hash(raw),
            scopes=" ".join(s for s in SCOPES if s in scopes),
            expires=expires,
        )
        return token, raw

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    @property
    def is_active(self) -> bool:
        return not self.revoked and self.expires > timezone.now()

    def touch(self) -> None:
        now = timezone.now()
        if self.last_used is None or now - self.last_used >= self.LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=self.pk).update(last_used=now)
            self.last_used = now

    def revoke(self) -> None:
        self.revoked = True
        self.save(update_fields=["revoked"])


class IdempotencyKey(models.Model):
    """The first successful answer to a write sent with an `Idempotency-Key` header, stored in the
    same transaction as the write itself, so that a retry after a lost answer gets it back."""

    owner = models.CharField(max_length=20)  # "token:<id>" or "user:<id>": keys are per caller
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)  # method, path and body
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    created = models.DateTimeField(default=timezone.now, db_index=True)

    # The IETF draft leaves the lifetime to the server; a day covers any client's retries.
    LIFETIME = timedelta(hours=24)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_key_once_per_owner")
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"
