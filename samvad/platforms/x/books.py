"""The client's bookkeeping around calls to X, read once and written once for a run of calls.

A fetch reads up to eight pages of mentions in a few seconds. Each page must still stop at the
daily budget and at an empty rate window, and be billed exactly, but the connection, the budgets
and the empty windows need not be read again for each page, nor the ledger and the windows
written once a page. `XClient.batch()` keeps one `Books` open for the calls made inside it; a call
outside a batch opens its own, so that it reads afresh and has written everything when it returns.

Only billing stays per call (`ledger.read_cost`, one statement): X bills a resource once per UTC
day whoever read it first, so the database, not the run, knows what is new. The run's ledger rows
are written when it closes, even when a call raised; a worker killed in the middle of a run loses
them, while the resources it read stay marked as billed.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from samvad.platforms.x import ledger
from samvad.platforms.x.errors import CreditsExhausted, NeedsReconnect, RateLimited
from samvad.platforms.x.models import Connection, LedgerEntry, RateWindow

USABLE = (Connection.Status.CONNECTED, Connection.Status.CONNECTING)


class Books:
    def __init__(self, account):
        self.account = account
        self.connection = Connection.objects.filter(account=account).first()
        self.usable_connection()  # nothing more is read for an account that cannot call X
        self.spend = ledger.Spend(account.district_id)
        empty = RateWindow.objects.filter(account=account, remaining=0, reset_at__gt=timezone.now())
        self.windows = {(w.endpoint, w.window): w for w in empty}
        self.changed: set[tuple[str, str]] = set()
        self.entries: list[LedgerEntry] = []

    def usable_connection(self) -> Connection:
        # The connection's own marks (a 401, the usage cap) refresh it, so a run stops at them.
        if self.connection is None or self.connection.status not in USABLE:
            raise NeedsReconnect()
        if self.connection.usage_capped_at is not None:
            raise CreditsExhausted()
        return self.connection

    def check_windows(self, endpoint: str) -> None:
        """Refuse a call to an endpoint whose window X said is empty, until it resets."""
        now = timezone.now()
        resets = [
            w.reset_at
            for (name, _), w in self.windows.items()
            if name == endpoint and w.remaining == 0 and w.reset_at > now
        ]
        if resets:
            raise RateLimited(max(resets))

    def remember_windows(self, endpoint: str, windows: dict[str, dict]) -> None:
        """X's counts from an answer's headers: {window: {limit, remaining, reset_at}}."""
        for window, counts in windows.items():
            self.windows[endpoint, window] = RateWindow(
                account=self.account, endpoint=endpoint, window=window, **counts
            )
            self.changed.add((endpoint, window))

    def empty_window(self, endpoint: str) -> datetime:
        """When a 429 lifts: X's reset header (already remembered), else a full window from now."""
        try:
            self.check_windows(endpoint)
        except RateLimited as refused:
            return refused.reset_at
        reset_at = timezone.now() + timedelta(minutes=15)
        window = {"limit": 0, "remaining": 0, "reset_at": reset_at}
        self.remember_windows(endpoint, {RateWindow.Window.MINUTES_15: window})
        return reset_at

    def record(self, endpoint, method, status, resources=0, cost=Decimal(0)) -> None:
        self.entries.append(
            LedgerEntry(
                account=self.account,
                district_id=self.account.district_id,
                endpoint=endpoint,
                method=method,
                status=status,
                resources=resources,
                cost=cost,
            )
        )
        self.spend.add(cost)

    def close(self) -> None:
        """Write the run's ledger rows and the windows X reported, one statement each."""
        LedgerEntry.objects.bulk_create(self.entries)
        if self.changed:
            RateWindow.objects.bulk_create(
                [self.windows[key] for key in sorted(self.changed)],
                update_conflicts=True,
                unique_fields=["account", "endpoint", "window"],
                update_fields=["limit", "remaining", "reset_at", "updated"],
            )
        self.spend.alert_if_crossed()
