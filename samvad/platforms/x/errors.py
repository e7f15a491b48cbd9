"""What can go wrong when Samvad talks to X, sorted the way publishing must react (DESIGN.md,
publishing invariant 5). `permanent` says whether trying the same call again could ever help."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _


class XError(Exception):
    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.message, self.permanent = str(message), permanent


class RateLimited(XError):
    """X's window for this account and endpoint is used up: safe to retry after `reset_at`."""

    def __init__(self, reset_at: datetime, message: str = ""):
        super().__init__(
            message
            or _("X's rate limit is reached until %(time)s.")
            % {"time": reset_at.isoformat(timespec="seconds")},
            permanent=False,
        )
        self.reset_at = reset_at


class CreditsExhausted(XError):
    """429 UsageCapExceeded: the app's credits are spent; waiting does not help, people must act."""

    def __init__(self, message: str = ""):
        super().__init__(
            message
            or _("X's usage cap is exceeded: no more calls until an admin clears the alert."),
            permanent=True,
        )


class NeedsReconnect(XError):
    """401, or the refresh token was refused: the district admin must connect the account again."""

    def __init__(self, message: str = ""):
        super().__init__(message or _("The X account must be connected again."), permanent=True)


class PermanentError(XError):
    """A definite 4xx: X said no, and says why; the same call will fail the same way."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message, permanent=True)
        self.status = status


class Uncertain(XError):
    """A write whose outcome is unknown (timeout, connection cut after sending, 5xx): it may have
    happened, so it is reconciled, never blindly retried."""

    def __init__(self, message: str):
        super().__init__(message, permanent=False)


class BudgetExceeded(XError):
    """The district's monthly X budget is spent: Samvad refuses further calls until next month
    or until the district admin raises the budget."""

    def __init__(self, message: str = ""):
        super().__init__(
            message
            or _(
                "This month's X budget for the district is spent. The "
                "district admin can raise it in the X settings."
            ),
            permanent=True,
        )
