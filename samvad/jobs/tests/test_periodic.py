from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings

from samvad.jobs.jobs import heartbeat, housekeeping
from samvad.jobs.models import Heartbeat, Job
from samvad.jobs.worker import claim, run, schedule, worker_id

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 12, 0, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    with (
        override_settings(SAMVAD_HEARTBEAT_SECONDS=60),
        time_machine.travel(NOON, tick=False) as traveller,
    ):
        yield traveller


def heartbeat_keys():
    return list(Job.objects.filter(name="heartbeat").values_list("key", flat=True))


def test_it_enqueues_a_periodic_slot_once_however_often_the_scheduler_runs():
    schedule()
    schedule()
    assert heartbeat_keys() == ["heartbeat@2026-03-02T12:00:00+00:00"]
    assert Job.objects.filter(key="housekeeping@2026-03-02T00:00:00+00:00").exists()


def test_it_enqueues_the_next_slot_when_it_begins(clock):
    schedule()
    clock.shift(timedelta(seconds=29))
    schedule()
    assert len(heartbeat_keys()) == 1

    clock.shift(timedelta(seconds=1))
    schedule()
    assert len(heartbeat_keys()) == 2


def test_it_does_not_make_up_missed_slots(clock):
    schedule()
    clock.shift(timedelta(minutes=10))
    schedule()
    assert heartbeat_keys()[-1] == "heartbeat@2026-03-02T12:10:00+00:00"
    assert len(heartbeat_keys()) == 2


def test_a_heartbeat_records_its_slot_and_worker():
    schedule()
    while job := claim("host:1"):
        run(job)

    beat = Heartbeat.objects.get()
    assert beat.slot == datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert beat.worker == worker_id()


def test_housekeeping_deletes_done_jobs_and_heartbeats_older_than_a_week():
    week_ago = datetime(2026, 2, 23, 12, 0, tzinfo=UTC)
    old = Job.objects.create(name="x", status=Job.Status.DONE, finished=week_ago)
    failed = Job.objects.create(name="x", status=Job.Status.FAILED, finished=week_ago)
    recent = Job.objects.create(name="x", status=Job.Status.DONE, finished=NOON)
    Heartbeat.objects.create(slot=week_ago, worker="h:1", created=week_ago)
    heartbeat(slot=NOON.isoformat())

    housekeeping(slot=NOON.isoformat())

    assert set(Job.objects.values_list("pk", flat=True)) == {failed.pk, recent.pk}
    assert not Job.objects.filter(pk=old.pk).exists()
    assert Heartbeat.objects.count() == 1
