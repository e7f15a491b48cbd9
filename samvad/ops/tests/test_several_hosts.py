"""Acceptance 1: two web hosts and two worker hosts that share only the database (and the
environment). An officer's photo uploaded through web A is approved through web B, published by a
worker with the same bytes, and shown by web B."""

import hashlib
import io
import json
import re
import time

import httpx
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils import timezone
from PIL import Image

from samvad.conftest import PASSWORD
from samvad.content.models import IST, Media, Post
from samvad.ops.tests.hosts import Hosts, shared_env
from samvad.publishing.tests.helpers import connect

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (96, 64), (20, 120, 200)).save(out, "JPEG")
    return out.getvalue()


class Browser:
    """A person at a browser: cookies kept, forms sent with their CSRF token."""

    def __init__(self, base_url: str):
        self.http = httpx.Client(base_url=base_url, timeout=30)

    def form(
        self, path: str, data: dict, files: dict | None = None, *, page: str = ""
    ) -> httpx.Response:
        """Send the form at `path`, as found on `page` (by default, `path` itself)."""
        token = CSRF.search(self.http.get(page or path).text).group(1)
        response = self.http.post(
            path,
            data={"csrfmiddlewaretoken": token, **data},
            files=files,
            headers={"Referer": str(self.http.base_url)},
        )
        assert response.status_code == 302, response.text[:2000]  # a form shown again: refused
        return response

    def log_in(self, user) -> "Browser":
        # The test run hashes passwords with a hasher that production settings do not accept.
        hasher = PBKDF2PasswordHasher()
        user.password = hasher.encode(PASSWORD, hasher.salt())
        user.save(update_fields=["password"])
        self.form("/login/", {"username": user.username, "password": PASSWORD})
        return self


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_photo_uploaded_on_one_host_is_published_by_another(sandbox, world, tmp_path):
    account = world.dausa.accounts.get(handle="DmDausa")
    connect(sandbox, account)
    hosts = Hosts(tmp_path)
    env = shared_env(SAMVAD_PUBLISH_SECONDS="0.5")
    try:
        web_a, web_b = hosts.web("web-a", env), hosts.web("web-b", env)
        hosts.worker("worker-1", env), hosts.worker("worker-2", env)
        hosts.ready(web_a, web_b)

        officer = Browser(web_a).log_in(world.officer_a)
        officer.form(
            "/content/submissions/new/scheme/",
            {
                "department": world.water.pk,
                "title": "हर घर जल",
                "body": "",
                "language": "hi",
                "priority": 0,
                "scheme_name": "हर घर जल",
                "beneficiaries": "ग्रामीण परिवार",
                "eligibility": "सभी",
                "how_to_apply": "ग्राम पंचायत में",
                "helpline": "181",
                "link": "",
                "photos-TOTAL_FORMS": 1,
                "photos-INITIAL_FORMS": 0,
                "photos-0-alt_text": "नल से पानी भरती महिलाएँ",
            },
            files={"photos-0-image": ("nal.jpg", jpeg(), "image/jpeg")},
        )
        photo = Media.objects.get()

        editor = Browser(web_b).log_in(world.editor)
        editor.form(
            f"/content/submissions/{photo.submission_id}/compose/",
            {
                "account": account.pk,
                "text": "हर घर जल: गाँव के हर घर तक नल से पानी।",
                "photos": photo.pk,
            },
        )
        post = Post.objects.get()
        page = f"/content/posts/{post.pk}/"
        editor.form(f"{page}approve/", {}, page=page)
        now = timezone.now().astimezone(IST).strftime("%Y-%m-%dT%H:%M")
        editor.form(f"{page}schedule/", {"scheduled_at": now}, page=page)

        deadline = time.monotonic() + 60
        while Post.objects.get().state != Post.State.PUBLISHED and time.monotonic() < deadline:
            time.sleep(0.25)  # real processes at work: the test has to wait for them
        post = Post.objects.get()
        assert post.state == Post.State.PUBLISHED, (post.state, post.last_error, hosts.logs())

        tweet = sandbox.store.one("SELECT * FROM tweets WHERE id = ?", int(post.x_post_id))
        (media_id,) = json.loads(tweet["media_ids"])
        on_x = sandbox.store.one("SELECT sha256 FROM media_sha256 WHERE media_id = ?", media_id)
        assert on_x["sha256"] == photo.sha256

        shown = editor.http.get(f"/content/media/{photo.pk}/")
        assert shown.status_code == 200
        assert hashlib.sha256(shown.content).hexdigest() == photo.sha256
    finally:
        codes = hosts.stop()
    assert set(codes.values()) == {0}, hosts.logs()
