import json
import logging
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from samvad.jobs.models import Heartbeat


def test_healthz_answers_200_with_only_reads_and_no_session(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True  # a load balancer asks over plain HTTP, by address
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}
    assert not response.cookies
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)


def test_healthz_answers_503_while_a_migration_is_not_applied(client, db):
    MigrationRecorder.Migration.objects.filter(app="jobs").delete()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "pending"


def test_deep_healthz_and_the_admins_home_tell_of_a_stale_worker(client, login, world):
    Heartbeat.objects.create(
        slot=timezone.now(), worker="host:1", created=timezone.now() - timedelta(hours=1)
    )
    deep = client.get("/healthz?deep=1")
    assert deep.status_code == 503 and deep.json()["worker"] == "stale"
    assert client.get("/healthz").status_code == 200  # the load balancer keeps the web host

    home = login(world.admin).get(reverse("home"))
    assert 'id="worker-stale"' in home.content.decode()
    assert "से कोई वर्कर नहीं चला है" in home.content.decode()  # in Hindi, with how long


def test_a_fresh_heartbeat_is_healthy_and_raises_no_alert(client, login, world):
    Heartbeat.objects.create(slot=timezone.now(), worker="host:1")
    deep = client.get("/healthz?deep=1")
    assert deep.status_code == 200 and deep.json()["worker"] == "ok"
    assert 'id="worker-stale"' not in login(world.admin).get(reverse("home")).content.decode()


def test_each_request_is_logged_as_one_json_line(client, login, world, settings, caplog):
    config = dict(settings.LOGGING["formatters"]["json"])
    formatter = import_string(config.pop("()"))(**config)
    with caplog.at_level(logging.INFO, logger="samvad.request"):
        response = login(world.editor).get(reverse("home"), HTTP_X_REQUEST_ID="nginx-1234abcd")
    (record,) = [r for r in caplog.records if r.name == "samvad.request"]
    line = formatter.format(record)
    assert "\n" not in line
    logged = json.loads(line)
    assert logged["request_id"] == "nginx-1234abcd" == response["X-Request-ID"]
    assert logged["user_id"] == world.editor.pk and logged["status"] == 200
    assert logged["path"] == "/" and logged["method"] == "GET" and logged["duration_ms"] >= 0
    assert logged["level"] == "INFO" and "time" in logged


@pytest.mark.django_db
def test_a_task_links_token_never_reaches_the_log(client, caplog):
    with caplog.at_level(logging.INFO, logger="samvad.request"):
        client.get("/advocacy/t/secret-token-value/")
    (record,) = [r for r in caplog.records if r.name == "samvad.request"]
    assert "secret-token-value" not in record.path
    assert record.path == "/advocacy/t/[redacted]/"
