"""What every API request goes through besides its operation: idempotency keys on writes, and
problem JSON (RFC 9457) for the errors that are answered outside django-ninja (a session that
ended, a second step still to give, a method not allowed)."""

import hashlib
import json

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from samvad.api.models import ApiToken, IdempotencyKey
from samvad.api.problems import CONTENT_TYPE, problem_response

API_PATH = "/api/"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
MAX_KEY_LENGTH = 255


def caller(request) -> str | None:
    """Whose keys these are: the bearer token's, else the logged-in user's (None: neither, and
    the operation will answer 401)."""
    scheme, _space, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and raw.strip():
        token = ApiToken.objects.by_token(raw.strip())
        return f"token:{token.pk}" if token else None
    return f"user:{request.user.pk}" if request.user.is_authenticated else None


def request_hash(request) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def replay(stored: IdempotencyKey, digest: str) -> HttpResponse:
    if stored.request_hash != digest:
        return problem_response(422, "idempotency-key-reused")
    response = HttpResponse(
        bytes(stored.body), status=stored.status, content_type=stored.content_type
    )
    response["Idempotent-Replayed"] = "true"
    return response


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PATH):
            return self.get_response(request)
        key = request.headers.get("Idempotency-Key")
        if key is not None and request.method in WRITES:
            response = self.idempotent(request, key)
        else:
            response = self.get_response(request)
        return as_problem(response)

    def idempotent(self, request, key: str) -> HttpResponse:
        if not 0 < len(key) <= MAX_KEY_LENGTH:
            return problem_response(
                400,
                "bad-request",
                _("An Idempotency-Key has 1 to %(max)s characters.") % {"max": MAX_KEY_LENGTH},
            )
        owner = caller(request)
        if owner is None:
            return self.get_response(request)
        try:
            digest = request_hash(request)
        except RequestDataTooBig:
            return problem_response(413, "too-large")
        cutoff = timezone.now() - IdempotencyKey.LIFETIME
        mine = IdempotencyKey.objects.filter(owner=owner, key=key)
        mine.filter(created__lt=cutoff).delete()  # an old key is a new key
        if stored := mine.first():
            return replay(stored, digest)
        try:
            # The answer is stored in the write's own transaction: if the process dies after the
            # commit, before the client has the answer, the retry finds both the work and it.
            with transaction.atomic():
                response = self.get_response(request)
                if 200 <= response.status_code < 300 and not response.streaming:
                    IdempotencyKey.objects.create(
                        owner=owner,
                        key=key,
                        request_hash=digest,
                        status=response.status_code,
                        content_type=response["Content-Type"],
                        body=response.content,
                    )
        except IntegrityError:
            # The same key was being used by a concurrent request, which committed first: this
            # one's work was rolled back, and the first one's answer stands.
            return replay(mine.get(), digest)
        return response


def as_problem(response: HttpResponse) -> HttpResponse:
    """An error answered in plain JSON or text by Django or a middleware, as problem JSON."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith(CONTENT_TYPE):
        return response
    detail = ""
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            detail = str(json.loads(response.content).get("detail", ""))
        except (ValueError, AttributeError):
            detail = ""
    problem = problem_response(response.status_code, detail=detail)
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        if header in response:
            problem[header] = response[header]
    return problem
