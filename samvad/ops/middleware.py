"""What a state's IT cell runs Samvad with: the load balancer's health check and one log line per
request, each carrying a request id that every other line logged meanwhile carries too."""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import JsonResponse

logger = logging.getLogger("samvad.request")
request_id: ContextVar[str] = ContextVar("request_id", default="")
# A proxy's id is kept (nginx's $request_id), so that its log and ours can be joined; anything
# else in that header is replaced rather than written into our logs.
SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# URL parts that are secrets in themselves (task links, invitations, password resets).
SECRET_KWARGS = ("token", "uidb64")


class RequestContextFilter(logging.Filter):
    """Puts the current request's id on every log record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


_migrations: list[tuple[str, str]] = []


def expected_migrations() -> list[tuple[str, str]]:
    """The last migration of every app, read from this release's code once per process."""
    if not _migrations:
        _migrations.extend(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())
    return _migrations


def health(*, deep: bool) -> tuple[int, dict]:
    """200 when the database answers and this release's migrations are applied, else 503. It only
    reads: a load balancer may ask every few seconds. `deep` adds the workers' heartbeat."""
    try:
        applied = MigrationRecorder(connection).applied_migrations()
    except DatabaseError:
        connection.close()  # the next check connects afresh, so no restart is needed
        return 503, {"status": "error", "database": "unreachable"}
    pending = [f"{app}.{name}" for app, name in expected_migrations() if (app, name) not in applied]
    answer = {"status": "ok", "database": "ok", "migrations": "pending" if pending else "ok"}
    if pending:
        answer["status"] = "error"
    if deep:
        from samvad.jobs.health import worker_heartbeat

        beat = worker_heartbeat()
        answer["worker"] = "stale" if beat.stale else "ok"
        answer["last_heartbeat"] = beat.last.isoformat() if beat.last else None
        if beat.stale:
            answer["status"] = "error"
    return (200 if answer["status"] == "ok" else 503), answer


class HealthMiddleware:
    """`/healthz` (and `/healthz?deep=1`), answered before any other middleware: no session, no
    HTTPS redirect, no host check, so that a load balancer can ask by address over plain HTTP."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != "/healthz":
            return self.get_response(request)
        status, answer = health(deep=request.GET.get("deep") == "1")
        response = JsonResponse(answer, status=status)
        response["Cache-Control"] = "no-store"
        return response


def loggable_path(request) -> str:
    path = request.path
    match = getattr(request, "resolver_match", None)
    for name in SECRET_KWARGS:
        if match and (value := match.kwargs.get(name)):
            path = path.replace(str(value), "[redacted]")
    return path


class RequestLogMiddleware:
    """One line per request: request id, user id, method, path, status and duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        # Not reset on the way out: Django logs its own line about an error response after the
        # middleware has returned, and that line should carry the id too.
        request_id.set(given if SAFE_ID.match(given) else uuid.uuid4().hex)
        started = time.monotonic()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        fields = {
            "user_id": user.pk if user is not None and user.is_authenticated else None,
            "method": request.method,
            "path": loggable_path(request),
            "status": response.status_code,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
        }
        logger.info("%(method)s %(path)s %(status)s %(duration_ms)sms", fields, extra=fields)
        response["X-Request-ID"] = request_id.get()
        return response
