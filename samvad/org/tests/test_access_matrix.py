"""The access matrix (samvad/org/tests/access_matrix.py) holds: every URL pattern and API operation,
requested by every persona, answers what its row says.

A new URL without a row fails `test_every_url_and_api_operation_has_a_row` with the rows to add
(as observed, to be checked by a person before pasting). SAMVAD_ACCESS_MATRIX=PATH writes the whole
observed table to PATH, to review a change of many rows at once.
"""

import json
import os
import re
from http.cookies import SimpleCookie

import pytest
from django.db import transaction
from django.urls import get_resolver

from samvad.org.tests.access_matrix import ARGS, BODIES, PERSONAS, expected_rows, format_row
from samvad.org.tests.test_access import walk

LOGIN = "/login/"


def url_patterns() -> set[tuple[str, str]]:
    """Every route as "/pattern" for pages and "/api/v1/path" for API operations, with methods:
    GET for every page, POST too for those a form or button posts to (the table says which)."""
    from samvad.api.api import operations

    routes = {
        ("/" + route, "GET")
        for route, callback in walk(get_resolver().url_patterns)
        if not route.startswith("api/v1/") or hasattr(callback, "access_rule")
    }
    routes |= {(path, method) for path, method, _view, _rule in operations()}
    return routes


def fill(route: str, objects) -> str:
    """The route with its parameters replaced by the objects of district A that ARGS names."""
    values = iter(ARGS[route](objects)) if route in ARGS else iter(())
    return re.sub(r"<[^>]+>|\{[^}]+\}", lambda _m: str(next(values)), route)


def outcome(response) -> str:
    if response.status_code == 302 and response["Location"].startswith(LOGIN):
        return "login"
    return str(response.status_code)


def log_in(client, user):
    """Sign in as the persona once; observe() puts the cookies back after every request."""
    client.logout()
    if user is not None:
        client.force_login(user)
    return SimpleCookie(client.cookies)


def observe(client, cookies, route: str, method: str, objects) -> str:
    """One request as one persona; whatever it changes is rolled back, so rows never interact.
    (The session row is rolled back too, and the cookies are restored: a logout or a password
    change in one row leaves the persona signed in for the next.)"""
    with transaction.atomic():
        if route in BODIES and method == "POST":
            response = client.post(
                fill(route, objects), json.dumps(BODIES[route]), content_type="application/json"
            )
        else:
            response = getattr(client, method.lower())(fill(route, objects))
        transaction.set_rollback(True)
    client.cookies = SimpleCookie(cookies)
    return outcome(response)


def observed_rows(client, world, objects, route: str, method: str) -> str:
    """The row as observed now, and the POST row too when posting answers differently."""

    def row(m):
        return [
            observe(client, log_in(client, user), route, m, objects)
            for user in personas(world).values()
        ]

    rows = {method: row(method)}
    if method == "GET" and not route.startswith("/api/") and (post := row("POST")) != rows["GET"]:
        rows["POST"] = post
    return "\n".join(format_row(route, m, outcomes) for m, outcomes in rows.items())


def personas(world):
    return {name: (getattr(world, attr) if attr else None) for name, attr in PERSONAS.items()}


def test_every_url_and_api_operation_has_a_row(client, world, objects):
    rows = expected_rows()
    have = {(route, method) for route, method in rows}
    missing = sorted(
        r
        for r in url_patterns()
        if r[0] != "/api/v1/" and r not in have and (r[1] == "GET" or r[0].startswith("/api/"))
    )
    needs_args = [r for r, _m in missing if re.search(r"[<{]", r) and r not in ARGS]
    assert not needs_args, (
        f"add to ARGS in access_matrix.py which object of district A fills: {needs_args}"
    )
    observed = [observed_rows(client, world, objects, route, method) for route, method in missing]
    assert not missing, (
        "URL patterns without a row in samvad/org/tests/access_matrix.py; as observed now "
        "(check each outcome is what should happen before adding):\n" + "\n".join(observed)
    )
    stale = sorted({route for route, _m in have} - {route for route, _m in url_patterns()})
    assert not stale, f"rows for URL patterns that no longer exist: {stale}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_what_the_matrix_says(client, world, objects, persona):
    cookies = log_in(client, personas(world)[persona])
    wrong = []
    for (route, method), expected in expected_rows().items():
        got = observe(client, cookies, route, method, objects)
        if got != expected[persona]:
            wrong.append(f"{method} {route}: expected {expected[persona]}, got {got}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


@pytest.mark.skipif(not os.environ.get("SAMVAD_ACCESS_MATRIX"), reason="writes a review table")
def test_write_the_observed_table(client, world, objects):
    lines = [
        observed_rows(client, world, objects, route, method)
        for route, method in sorted(url_patterns())
    ]
    with open(os.environ["SAMVAD_ACCESS_MATRIX"], "w") as out:
        out.write("\n".join(lines) + "\n")
