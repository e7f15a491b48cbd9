"""The publisher and the reconciler as periodic jobs of `samvad worker`.

A publishing run claims and publishes posts one after another for up to
SAMVAD_PUBLISH_BATCH_SECONDS. A slot runs once across all workers, but a new slot comes every
SAMVAD_PUBLISH_SECONDS while earlier runs are still going, so with many posts due every worker
ends up publishing in parallel (each post claimed once, one per account at a time).
"""

import time

from django.conf import settings

from samvad.jobs.registry import periodic
from samvad.publishing import publisher


@periodic(every=lambda: settings.SAMVAD_PUBLISH_SECONDS, name="publishing.publish_due")
def publish_due(*, slot: str) -> None:
    deadline = time.monotonic() + settings.SAMVAD_PUBLISH_BATCH_SECONDS
    while time.monotonic() < deadline and publisher.publish_next():
        pass


@periodic(every=lambda: settings.SAMVAD_RECONCILE_SECONDS, name="publishing.reconcile")
def reconcile(*, slot: str) -> None:
    publisher.reconcile()
