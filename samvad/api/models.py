"""Per-user API tokens. The token itself is shown once; only its SHA-256 is kept."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked=False, user__is_active=True)

    def by_token(self, token: str):
        return self.active().select_related("user").filter(key_hash=token_hash(token)).first()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
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
    def issue(cls, *, user, name: str = "") -> tuple["ApiToken", str]:
        """Create a token and return it with the raw token (shown once, never stored).

        Hex so that a token never starts with "-" and is easy to pass on a command line.
        """
        raw = secrets.token_hex(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:8], key_hash=token_hash(raw))
        return token, raw

    def touch(self) -> None:
        now = timezone.now()
        if self.last_used is None or now - self.last_used >= self.LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=self.pk).update(last_used=now)
            self.last_used = now

    def revoke(self) -> None:
        self.revoked = True
        self.save(update_fields=["revoked"])
