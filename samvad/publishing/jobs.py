"""The reconciler as a periodic job of `samvad worker`. Publishing itself is not a job: each
worker runs the publishing loop of `dispatcher.py` beside its job loop, so that a post goes out
on its second."""

from django.conf import settings

from samvad.jobs.registry import periodic
from samvad.publishing import publisher


@periodic(every=lambda: settings.SAMVAD_RECONCILE_SECONDS, name="publishing.reconcile")
def reconcile(*, slot: str) -> None:
    publisher.reconcile()
