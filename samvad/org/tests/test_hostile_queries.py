"""No 500 from input (issue 16, finding 11): every URL pattern and API operation, requested by a
persona the access matrix lets in, with every query parameter the code reads set to a hostile
value, and every API write sent a lone surrogate or a NUL in its JSON.

A bad value is refused (400 or 422 with a message the person can read) or treated as absent;
it never reaches the database or a date function unchecked.
"""

import importlib
import json
import re
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.db import transaction

from samvad.org.tests.access_matrix import BODIES, PERSONAS, expected_rows
from samvad.org.tests.test_access_matrix import fill, log_in, personas

SOURCE = Path(__file__).resolve().parents[2]  # the samvad package
READS = [
    r"""request\.GET\.get(?:list)?\(\s*["']([\w-]+)["']""",
    r"""request\.GET\[\s*["']([\w-]+)["']\s*\]""",
    r"""["']([\w-]+)["']\s+(?:not\s+)?in\s+request\.GET\b""",
]
GET_FORM = re.compile(r"(\w[\w.]*)\(request\.GET\b(?![.\[])")  # SomeForm(request.GET or None)


def view_modules():
    for path in sorted(SOURCE.rglob("*.py")):
        parts = path.relative_to(SOURCE.parent).with_suffix("").parts
        if "tests" in parts or "migrations" in parts or "xsandbox" in parts:
            continue
        yield ".".join(parts), path.read_text()


def query_names() -> list[str]:
    """Every query parameter the code reads: request.GET in views, the fields of forms bound to
    request.GET, and the query parameters of the API's operations."""
    from samvad.api.api import api

    names = set()
    for module, text in view_modules():
        for read in READS:
            names.update(re.findall(read, text))
        for dotted in GET_FORM.findall(text):
            form = importlib.import_module(module)
            for attr in dotted.split("."):
                form = getattr(form, attr)
            names.update(getattr(form, "base_fields", ()))  # a form, not a function
    for item in api.get_openapi_schema()["paths"].values():
        for operation in item.values():
            names.update(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")
    return sorted(names)


# Each value as it stands in the query string (already percent-encoded where it needs to be).
# A lone surrogate arrives as the bytes %ED%A0%80: Django decodes them with errors="replace"
# (and unencoded bytes as Latin-1), so "\ud800" itself never reaches request.GET; only the test
# client could put it there, and then fails on it itself, building its WSGI environ.
HOSTILE = {
    "surrogate": "%ED%A0%80",
    "nul": "%00",
    "30 digits": "9" * 30,
    "minus one": "-1",
    "word": "abc",
    "bad date": "2025-13-45",
    "last date": "9999-12-31",
    "first date": "0001-01-01",
    "10,000 chars": "x" * 10_000,
    "markup": "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "repeated": None,  # every name twice: a number and a word
}


def query_string(names: list[str], label: str) -> str:
    if HOSTILE[label] is None:
        return "&".join(f"{name}=1&{name}=abc" for name in names)
    return "&".join(f"{name}={HOSTILE[label]}" for name in names)


def reaches_the_view(outcome: str, wanted: str) -> bool:
    if wanted == "other":  # the view's own refusal (400, 404, 409), not the access rule's
        return outcome not in ("login", "401", "403", "405")
    return outcome.startswith(wanted)


def open_rows() -> list[tuple[str, str, str]]:
    """(route, method, persona) for every row whose view some persona reaches, with the first
    persona who gets a 2xx answer, else a redirect that is not to the login page, else another
    answer of the view's own."""
    rows = []
    for (route, method), outcomes in sorted(expected_rows().items()):
        for wanted in ("2", "3", "other"):
            persona = next((p for p, o in outcomes.items() if reaches_the_view(o, wanted)), None)
            if persona:
                rows.append((route, method, persona))
                break
    return rows


def request(client, cookies, route, method, objects, query):
    """One request with `query` as its raw query string, rolled back like the matrix's."""
    path = fill(route, objects)
    try:
        with transaction.atomic():
            if method == "POST" and route in BODIES:
                response = client.post(
                    path,
                    json.dumps(BODIES[route]),
                    content_type="application/json",
                    QUERY_STRING=query,
                )
            else:
                response = getattr(client, method.lower())(path, QUERY_STRING=query)
            transaction.set_rollback(True)
    finally:
        client.cookies = SimpleCookie(cookies)
    return response


def test_the_sweep_knows_the_parameters_of_finding_11():
    names = query_names()
    assert {"date", "department", "district", "start", "end", "page", "cursor"} <= set(names)


# About 150 routes a value, 5 to 10 s each on a quiet machine (PDFs take the most): slow.
@pytest.mark.slow
@pytest.mark.parametrize("label", HOSTILE)
def test_no_query_value_gets_a_5xx(client, world, objects, label):
    query = query_string(query_names(), label)
    rows = open_rows()
    who = personas(world)
    failures = []
    for persona in PERSONAS:
        mine = [(route, method) for route, method, p in rows if p == persona]
        if not mine:
            continue
        cookies = log_in(client, who[persona])
        for route, method in mine:
            try:
                status = request(client, cookies, route, method, objects, query).status_code
            except Exception as exc:  # the test client raises what the view raised  # noqa: BLE001
                status = f"{type(exc).__name__}: {str(exc)[:160]}"
            if not isinstance(status, int) or status >= 500:
                failures.append(f"{method} {route} as {persona}: {status}")
    assert not failures, f"{label}: {len(failures)} of {len(rows)} routes\n" + "\n".join(failures)
