from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from samvad.jobs.models import Job
from samvad.jobs.registry import enqueue, job
from samvad.jobs.worker import claim, run

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
calls = []


@job(name="tests.record")
def record(**args):
    calls.append(args)


@job(name="tests.explode", max_attempts=3)
def explode():
    raise ValueError("boom")


@job(name="tests.explode_once", retry=False)
def explode_once():
    raise ValueError("boom")


@pytest.fixture(autouse=True)
def clock():
    calls.clear()
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def test_it_claims_runs_and_finishes_a_job():
    enqueue(record, n=1)

    job = claim("host:1")
    assert job.status == Job.Status.RUNNING
    assert job.attempts == 1
    assert job.claimed_by == "host:1"
    assert job.attempt_id is not None
    assert job.lease_until == NOON + timedelta(seconds=300)
    assert claim("host:2") is None  # it is leased

    run(job)
    job.refresh_from_db()
    assert calls == [{"n": 1}]
    assert job.status == Job.Status.DONE
    assert job.finished == NOON
    assert job.lease_until is None


def test_it_leaves_a_job_alone_until_its_time(clock):
    enqueue("tests.record", run_after=NOON + timedelta(minutes=5))
    assert claim("host:1") is None

    clock.shift(timedelta(minutes=5))
    assert claim("host:1") is not None


def test_it_claims_the_job_that_has_waited_longest():
    enqueue(record, n=2, run_after=NOON - timedelta(seconds=1))
    enqueue(record, n=1, run_after=NOON - timedelta(seconds=2))
    assert claim("host:1").args == {"n": 1}


def test_it_retries_a_failing_job_with_backoff(clock):
    enqueue(explode)
    job = claim("host:1")
    run(job)

    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert job.last_error == "ValueError: boom"
    # 5 s × 2^1, less up to a quarter of jitter
    assert NOON + timedelta(seconds=7.5) <= job.run_after <= NOON + timedelta(seconds=10)
    assert claim("host:1") is None

    clock.shift(timedelta(seconds=10))
    assert claim("host:1").attempts == 2


def test_it_fails_a_job_after_max_attempts(clock):
    enqueue(explode)
    for _ in range(3):
        run(claim("host:1"))
        clock.shift(timedelta(hours=1))

    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.attempts == 3
    assert job.last_error == "ValueError: boom"
    assert claim("host:1") is None


def test_it_fails_a_job_that_does_not_retry_at_once():
    enqueue(explode_once)
    run(claim("host:1"))
    assert Job.objects.get().status == Job.Status.FAILED


def test_it_retries_a_job_that_this_worker_does_not_know():
    Job.objects.create(name="tests.from_the_next_release")
    run(claim("host:1"))

    job = Job.objects.get()
    assert job.status == Job.Status.QUEUED
    assert "from_the_next_release" in job.last_error


def test_it_recovers_a_job_whose_worker_died_and_fences_out_the_stale_worker(clock):
    enqueue(record, n=1)
    stale = claim("host:1")

    clock.shift(timedelta(seconds=301))
    recovered = claim("host:2")
    assert recovered.pk == stale.pk
    assert recovered.attempts == 2
    assert recovered.claimed_by == "host:2"
    assert recovered.attempt_id != stale.attempt_id

    assert not stale.mark_done()
    assert not stale.retry_later("late", delay=timedelta(0))
    assert Job.objects.get().status == Job.Status.RUNNING

    run(recovered)
    assert Job.objects.get().status == Job.Status.DONE
    assert calls == [{"n": 1}]


def test_it_gives_up_on_a_job_whose_lease_keeps_running_out(clock):
    enqueue(explode)
    for _ in range(4):
        job = claim("host:1")
        clock.shift(timedelta(seconds=301))
    run(job)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.last_error == "RuntimeError: Gave up after 3 attempts."


def test_it_enqueues_a_keyed_job_once():
    first = enqueue(record, key="reminder:7", n=1)
    again = enqueue(record, key="reminder:7", n=2)

    assert again.pk == first.pk
    assert Job.objects.get().args == {"n": 1}


def test_it_enqueues_any_number_of_jobs_without_a_key():
    enqueue(record)
    enqueue(record)
    assert Job.objects.count() == 2


def test_it_refuses_to_enqueue_an_unknown_job():
    with pytest.raises(LookupError):
        enqueue("tests.nothing")


def test_it_refuses_two_jobs_with_one_name():
    with pytest.raises(ImproperlyConfigured):

        @job(name="tests.record")
        def impostor():
            pass


@pytest.mark.django_db(transaction=True)  # the worker closes connections between jobs
def test_the_worker_command_drains_due_jobs_once():
    enqueue(record, n=1)
    enqueue(record, n=2)
    call_command("worker", "--once")

    assert calls == [{"n": 1}, {"n": 2}]
    assert not Job.objects.exclude(status=Job.Status.DONE).exists()
