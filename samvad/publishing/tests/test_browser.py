"""Acceptance 1, in a real browser: an officer's scheme with a photo becomes a two-post thread
that the editor approves and schedules, the worker publishes it at that time, and the officer
sees it published with its links; the sandbox holds both posts, in order, with the image."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from PIL import Image

from samvad.conftest import switch_user
from samvad.content.models import IST, Post, Submission
from samvad.publishing.publisher import publish_due
from samvad.publishing.tests.helpers import publish_all, x_posts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_TEXT = " ".join(
    ["मुख्यमंत्री चिरंजीवी स्वास्थ्य बीमा योजना में हर परिवार को पच्चीस लाख रुपये तक का नि:शुल्क इलाज मिलता है।"]
    * 4
)


def jpeg(tmp_path):
    path = tmp_path / "camp.jpg"
    Image.new("RGB", (320, 240), (30, 120, 200)).save(path, "JPEG")
    return path


def test_a_scheme_goes_from_the_officer_to_x_as_a_thread(page, world, connected, sandbox, tmp_path):
    # The officer submits a scheme with a photo.
    switch_user(page, "officer_a")
    page.goto("/content/submissions/new/scheme/")
    page.fill("[name=title]", "चिरंजीवी योजना शिविर")
    page.fill("[name=scheme_name]", "मुख्यमंत्री चिरंजीवी स्वास्थ्य बीमा योजना")
    page.fill("[name=beneficiaries]", "राज्य के सभी परिवार")
    page.fill("[name=eligibility]", "जन आधार कार्ड धारक")
    page.fill("[name=how_to_apply]", "ई-मित्र केंद्र पर पंजीकरण")
    page.set_input_files("[name=photos-0-image]", str(jpeg(tmp_path)))
    page.fill("[name=photos-0-alt_text]", "शिविर में पंजीकरण कराते लोग")
    page.click("form.form > button")
    page.wait_for_url(re.compile(r"/content/submissions/\d+/$"))
    submission = Submission.objects.get()

    # The editor makes it a two-post thread with the photo, approves and schedules it.
    switch_user(page, "editor")
    page.goto(f"/content/submissions/{submission.pk}/compose/")
    page.fill("[name=text]", LONG_TEXT)
    page.check("[name=photos]")
    page.click("form.form > button")
    page.wait_for_url(re.compile(r"/content/posts/\d+/$"))
    page.click("form[action$='/approve/'] button")
    page.wait_for_load_state()
    at = (timezone.now() + timedelta(minutes=3)).astimezone(IST).replace(second=0, microsecond=0)
    page.fill("[name=scheduled_at]", at.strftime("%Y-%m-%dT%H:%M"))
    page.click("form[action$='/schedule/'] button")
    page.wait_for_load_state()
    thread = list(Post.objects.filter(submission=submission).order_by("thread_position"))
    assert [p.state for p in thread] == [Post.State.APPROVED] * 2
    assert all(p.scheduled_at == at for p in thread)

    # Nothing goes out early; at the scheduled time the worker's job publishes the thread.
    assert publish_all() == 0
    with time_machine.travel(at + timedelta(seconds=5)):
        publish_due()
    first, second = (Post.objects.get(pk=p.pk) for p in thread)
    assert first.state == second.state == Post.State.PUBLISHED

    # The officer sees it published, with the links.
    switch_user(page, "officer_a")
    page.goto(f"/content/submissions/{submission.pk}/")
    links = page.locator(f"a[href^='{sandbox.base_url}/DmDausa/status/']")
    assert links.count() == 2
    shown = {links.nth(i).get_attribute("href") for i in range(2)}
    assert shown == {first.x_url, second.x_url}

    # X has both posts, in order, the second replying to the first, with the image on the first.
    one, two = x_posts(sandbox, world.dausa.accounts.get(handle="DmDausa"))
    assert (str(one["id"]), str(two["id"])) == (first.x_post_id, second.x_post_id)
    assert two["reply_to"] == one["id"]
    [media_id] = json.loads(one["media_ids"])
    [meta] = sandbox.store.all("SELECT alt_text FROM media_metadata WHERE media_id = ?", media_id)
    assert meta["alt_text"] == "शिविर में पंजीकरण कराते लोग"
    assert one["text"] == first.text and two["text"] == second.text
