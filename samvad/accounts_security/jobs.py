"""The log-in throttle's housekeeping."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from samvad.jobs.registry import periodic


@periodic(every=timedelta(hours=1), name="accounts_security.forget_login_failures")
def forget_login_failures(*, slot: str) -> None:
    """Failed log-ins (a username, an address, a browser) are kept only while they count: the
    throttle reads those of the last AXES_COOLOFF_TIME. A failure sweeps the older ones too, but
    a successful log-in no longer does (throttle.BackoffHandler.user_logged_in), so without
    failures they would stay."""
    AccessAttempt.objects.filter(
        attempt_time__lt=timezone.now() - settings.AXES_COOLOFF_TIME
    ).delete()
