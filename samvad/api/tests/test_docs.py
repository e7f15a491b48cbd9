import json
import re

import pytest

from samvad.api import org as org_api
from samvad.api.api import api, operations
from samvad.org.access import MANAGERS, PUBLIC


def test_it_serves_a_valid_openapi_document_listing_every_path(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert (document["info"]["title"], document["info"]["version"]) == ("Samvad API", "1")
    expected = {path for path, *_ in operations()}
    listed = {re.sub(r"{(\w+)}", r"<\1>", path) for path in document["paths"]}
    assert listed == {re.sub(r"{(\w+)}", r"<\1>", path) for path in expected}
    assert "/api/v1/org/people/{person_id}" in document["paths"]


@pytest.fixture
def plain_static(settings):
    # Tests run without collectstatic, so the manifest storage would have no entries.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_it_serves_the_docs_page_from_our_own_static_files(client, db, plain_static):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert not re.search(r"https?://", html), "the docs page must not load anything from a CDN"


def test_every_operation_declares_an_access_rule():
    found = list(operations())
    assert len(found) >= 8
    missing = [(path, method) for path, method, _, rule in found if not rule]
    assert missing == []


def test_operations_lists_the_real_view_functions_and_their_rules():
    found = {(path, method): (view, rule) for path, method, view, rule in operations()}
    assert found[("/api/v1/org/me", "GET")] == (org_api.me, ("authenticated",))
    assert found[("/api/v1/org/people", "GET")][1] == MANAGERS


def test_the_docs_carry_a_public_rule_for_the_url_walk():
    patterns = {p.name: p.callback for p in api.urls[0] if hasattr(p, "name")}
    assert patterns["openapi-json"].access_rule == (PUBLIC,)
    assert patterns["openapi-view"].access_rule == (PUBLIC,)
