"""Issue 16, finding 10: with four eyes on, whoever wrote or last edited a post cannot approve
it."""

import json

import pytest
from django.urls import reverse

from samvad.api.models import EDITORIAL, ApiToken
from samvad.conftest import make_user
from samvad.content.models import DistrictSettings, Post
from samvad.org.models import Role


@pytest.fixture
def four_eyes(world):
    settings = DistrictSettings.of(world.dausa)
    settings.four_eyes = True
    settings.save()


@pytest.fixture
def second_editor(world):
    return make_user("editor2", Role.EDITOR, district=world.dausa)


def approve(client, post):
    return client.post(reverse("content:post_action", args=[post.pk, "approve"]), follow=True)


def test_the_writer_cannot_approve_their_own_post(four_eyes, login, world, make_thread):
    [post] = make_thread(by=world.editor)

    page = approve(login(world.editor), post).content.decode()

    post.refresh_from_db()
    assert post.state != Post.State.APPROVED
    assert "दूसरा संपादक" in page


def test_the_last_editor_cannot_approve_either(four_eyes, login, world, make_thread, second_editor):
    [post] = make_thread(by=world.editor)
    post.edit(by=second_editor, text="बदली हुई पोस्ट")

    approve(login(second_editor), post)
    post.refresh_from_db()
    assert post.state != Post.State.APPROVED

    approve(login(world.admin), post)
    post.refresh_from_db()
    assert post.state == Post.State.APPROVED and post.approved_by == world.admin


def test_the_api_refuses_it_too(four_eyes, client, world, make_thread):
    [post] = make_thread(by=world.editor)
    _token, raw = ApiToken.issue(user=world.editor, scopes=(EDITORIAL,))

    response = client.post(
        f"/api/v1/posts/{post.pk}/approve",
        content_type="application/json",
        data=json.dumps({}),
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )

    assert response.status_code == 409
    post.refresh_from_db()
    assert post.state != Post.State.APPROVED


def test_a_district_without_four_eyes_lets_the_writer_approve(login, world, make_thread):
    [post] = make_thread(by=world.editor)
    assert not DistrictSettings.of(world.dausa).four_eyes  # tests run as the demo: off

    approve(login(world.editor), post)

    post.refresh_from_db()
    assert post.state == Post.State.APPROVED


def test_the_admin_turns_four_eyes_on_for_the_district(login, world):
    login(world.admin).post(reverse("content:four_eyes_toggle"))

    assert DistrictSettings.of(world.dausa).four_eyes
    assert login(world.editor).post(reverse("content:four_eyes_toggle")).status_code == 403
