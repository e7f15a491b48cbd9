import base64
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.urls import reverse

PERSONAS = ["observer", "admin", "editor", "officer_a", "employee", "outsider", None]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = (d.strip().split() for d in policy.split(";") if d.strip())
    return {name: values for name, *values in parts}


def assert_no_inline_script(html: str) -> None:
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert not re.search(r"\sstyle\s*=", html), "inline style attribute"
    assert "<style" not in html, "inline style element"


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_roles_home_page_has_a_csp_without_unsafe_inline(client, login, world, persona):
    if persona:
        client = login(getattr(world, persona))

    response = client.get(reverse("home"))

    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert_no_inline_script(response.content.decode())


def test_pages_carry_the_other_secure_headers(client, db):
    response = client.get(reverse("login"))

    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_api_docs_need_no_relaxed_policy(client, db):
    # Ninja's Swagger UI page loads its scripts from our static files; its settings are a JSON
    # data block, which browsers never execute, so the site-wide policy fits it unchanged.
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert directives(response)["script-src"] == ["'self'"]
    assert_no_inline_script(response.content.decode())


def test_check_deploy_passes_in_production(tmp_path):
    # Not the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly refuses.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "SAMVAD_PRODUCTION": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "samvad.example.gov.in",
        "SAMVAD_TOKEN_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "SAMVAD_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "samvad.settings",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "SAMVAD_TRUSTED_PROXIES": "1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "samvad", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
