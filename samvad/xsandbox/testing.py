"""A pytest fixture for any app's tests: a fresh sandbox on loopback, and a client whose every
response is checked against X's OpenAPI document.

    from samvad.xsandbox.testing import xsandbox  # noqa: F401 (in a conftest.py)

    def test_it_posts(xsandbox):
        client = xsandbox.client_for("DmDausa")
        assert client.post("/2/tweets", json={"text": "नमस्ते"}).status_code == 201
"""

import copy
import json
import os
import re
from functools import cache
from pathlib import Path

import httpx
import pytest
from jsonschema import Draft7Validator
from referencing import Registry
from referencing.jsonschema import DRAFT7

from .server import Running

NOT_IN_DOCUMENT = ("/_sandbox/", "/intent/", "/i/oauth2/", "/2/oauth2/")
TWEET_NAMES = {"post_count": "tweet_count", "repost_count": "retweet_count"}
# Where X's document requires what X's live responses do not carry, we follow the live API.
ERRATA = [
    ("MediaUploadResponse", "required", ["meta"]),
    ("MediaUploadAppendResponse", "required", ["meta"]),
    ("ProcessingInfo", "required", ["type"]),
]


def openapi_path() -> Path:
    default = Path(__file__).parent / "contract" / "openapi-v2.159.json"
    return Path(os.environ.get("SAMVAD_X_OPENAPI") or default)


class OpenAPIValidator:
    def __init__(self, path: Path):
        document = json.loads(path.read_text())
        for name, key, value in ERRATA:
            schema = document["components"]["schemas"][name]
            schema[key] = [v for v in schema.get(key, []) if v not in value]
        self.document = document
        self.registry = Registry().with_resource("urn:x-openapi", DRAFT7.create_resource(document))
        self.paths = [
            (re.compile("^" + re.sub(r"\{\w+\}", "[^/]+", p) + "$"), p) for p in document["paths"]
        ]
        # Literal paths win over templated ones (/2/users/me before /2/users/{id}).
        self.paths.sort(key=lambda pair: pair[1].count("{"))

    def schema_for(self, method: str, path: str, status: int, content_type: str):
        template = next((t for pattern, t in self.paths if pattern.match(path)), None)
        if template is None:
            raise AssertionError(f"{method} {path} is not in X's OpenAPI document")
        operation = self.document["paths"][template].get(method.lower())
        if operation is None:
            raise AssertionError(f"{method} {template} is not in X's OpenAPI document")
        key = str(status) if str(status) in operation["responses"] else "default"
        content = operation["responses"][key].get("content", {})
        if content_type not in content:
            raise AssertionError(
                f"{method} {template} {status}: the document has no "
                f"{content_type} response, only {sorted(content)}"
            )
        # A reference into the whole document, so that its own "#/components/..." refs resolve.
        pointer = "/".join(
            p.replace("~", "~0").replace("/", "~1")
            for p in (
                "paths",
                template,
                method.lower(),
                "responses",
                key,
                "content",
                content_type,
                "schema",
            )
        )
        return template, {"$ref": f"urn:x-openapi#/{pointer}"}

    def validate(self, method, path, status, content_type, body):
        template, schema = self.schema_for(method, path, status, content_type)
        body = rename(copy.deepcopy(body), TWEET_NAMES)
        errors = sorted(
            Draft7Validator(schema, registry=self.registry).iter_errors(body),
            key=lambda e: list(e.path),
        )
        if errors:
            details = "\n".join(f"  at {list(e.path)}: {e.message}" for e in errors[:5])
            raise AssertionError(
                f"{method} {template} {status} does not match X's document:\n"
                f"{details}\n{json.dumps(body, ensure_ascii=False)[:2000]}"
            )


def rename(value, names):
    if isinstance(value, dict):
        return {names.get(k, k): rename(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [rename(v, names) for v in value]
    return value


@cache
def document_validator() -> OpenAPIValidator:
    return OpenAPIValidator(openapi_path())


def check_response(response: httpx.Response):
    """An httpx response hook: every /2/ answer must match X's document."""
    path = response.request.url.path
    if not path.startswith("/2/") or path.startswith(NOT_IN_DOCUMENT):
        return
    response.read()
    content_type = response.headers.get("content-type", "").split(";")[0].strip()
    document_validator().validate(
        response.request.method, path, response.status_code, content_type, response.json()
    )


# One TLS context for every test client: httpx builds a new one per client otherwise, loading the
# CA bundle each time (about 0.1 s, paid by hundreds of tests that only talk to loopback).
TLS = httpx.create_ssl_context()


class Sandbox:
    """A running sandbox: its base URL, control helpers, clients and the request log."""

    def __init__(self, running: Running):
        self.running, self.base_url = running, running.base_url
        self.store = running.app.store
        self.control = self.client()

    def client(self, token: str | None = None, **kwargs) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        options = {"timeout": 10, "event_hooks": {"response": [check_response]}, "verify": TLS}
        options |= kwargs
        return httpx.Client(base_url=self.base_url, headers=headers, **options)

    def call(self, method, path, **kwargs):
        response = self.control.request(method, f"/_sandbox/{path}", **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    def create_user(self, username, **fields) -> dict:
        return self.call("POST", "users", json={"users": [{"username": username, **fields}]})[
            "data"
        ][0]

    def token(self, username, **options) -> str:
        if not self.store.user(username=username):
            self.create_user(username)
        return self.call("POST", "tokens", json={"username": username, **options})["access_token"]

    def app_token(self) -> str:
        return self.call("POST", "tokens", json={"app": True})["access_token"]

    def client_for(self, username, **options) -> httpx.Client:
        return self.client(self.token(username, **options))

    def requests(self, **filters) -> list[dict]:
        return self.call("GET", "requests", params=filters)["data"]

    def clear_requests(self):
        self.call("DELETE", "requests")

    def billed(self, day) -> dict[str, int]:
        """X's count of billable read resources on a UTC day (a date), by kind."""
        return self.call("GET", "billing", params={"day": day.isoformat()})["data"]

    def fault(self, **fault):
        return self.call("POST", "faults", json=fault)["data"]

    def advance(self, seconds):
        return self.call("POST", "clock", json={"advance": seconds})


@pytest.fixture
def xsandbox(tmp_path):
    running = Running(tmp_path / "xsandbox")
    sandbox = Sandbox(running)
    yield sandbox
    sandbox.control.close()
    running.stop()


__all__ = ["TLS", "OpenAPIValidator", "Sandbox", "check_response", "xsandbox"]
