"""Which functions are jobs. Apps register theirs in their own `jobs.py`, which is imported when the
apps are ready (see apps.py), so the web processes and the worker know the same names.

    @job(max_attempts=3)
    def send_reminder(*, person_id): ...

    enqueue(send_reminder, person_id=7)

    @periodic(every=timedelta(minutes=15))
    def sync_followers(*, slot): ...   # slot: the ISO start of the period being run
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from samvad.jobs.models import Job


@dataclass(frozen=True)
class Spec:
    name: str
    func: Callable
    retry: bool
    max_attempts: int
    every: timedelta | Callable[[], float] | None = None

    def period(self) -> float:
        """The period in seconds; a callable is asked each time so that settings can change it."""
        return self.every.total_seconds() if isinstance(self.every, timedelta) else self.every()


registry: dict[str, Spec] = {}


def _register(func, *, name, retry, max_attempts, every=None) -> Callable:
    spec = Spec(name or f"{func.__module__}.{func.__qualname__}", func, retry, max_attempts, every)
    old = registry.get(spec.name)
    if old and _origin(old.func) != _origin(func):
        raise ImproperlyConfigured(f"Two jobs are named {spec.name!r}: {_origin(old.func)}.")
    registry[spec.name] = spec
    return func


def _origin(func) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def job(func=None, *, name=None, retry=True, max_attempts=5):
    """Register f(**args) as a job; usable bare (`@job`) or with options (`@job(retry=False)`)."""
    if func is not None:
        return _register(func, name=name, retry=retry, max_attempts=max_attempts)
    return lambda f: _register(f, name=name, retry=retry, max_attempts=max_attempts)


def periodic(*, every, name=None, retry=False, max_attempts=1):
    """Register f(*, slot) to run once per period across all workers. It does not retry by
    default: the next slot is the retry, and a late retry would pile up behind it."""
    return lambda f: _register(f, name=name, retry=retry, max_attempts=max_attempts, every=every)


def get(name_or_func) -> Spec:
    for spec in registry.values():
        if name_or_func in (spec.name, spec.func):
            return spec
    raise LookupError(f"No job is registered as {name_or_func!r}.")


def periodic_specs() -> list[Spec]:
    return [spec for spec in registry.values() if spec.every is not None]


def enqueue(name_or_func, *, key=None, run_after: datetime | None = None, **args) -> Job:
    """Queue a job. With a key that is already queued (or was run), nothing is added and the
    existing job is returned."""
    spec = get(name_or_func)
    fields = {
        "name": spec.name,
        "args": args,
        "max_attempts": spec.max_attempts,
        "run_after": run_after or timezone.now(),
    }
    if key is None:
        return Job.objects.create(**fields)
    # get_or_create survives a concurrent insert of the same key (it catches the IntegrityError).
    return Job.objects.get_or_create(key=key, defaults=fields)[0]
