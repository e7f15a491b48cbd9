"""The API's periodic housekeeping."""

from datetime import timedelta

from django.utils import timezone

from samvad.api.models import IdempotencyKey
from samvad.jobs.registry import periodic


@periodic(every=timedelta(hours=1), name="api.forget_idempotency_keys")
def forget_idempotency_keys(*, slot: str) -> None:
    """Keys are kept for 24 hours (IdempotencyKey.LIFETIME); after that a key may be used anew."""
    IdempotencyKey.objects.filter(created__lt=timezone.now() - IdempotencyKey.LIFETIME).delete()
