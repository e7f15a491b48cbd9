"""X's cap of posts in 24 hours belongs to the X app, not to an account: two districts on one app
reach it together, their admins and the state observer are told at 80 %, and at the cap the next
post waits, saying why, without a call to X."""

from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from samvad.content.models import Post
from samvad.org.models import OfficialAccount
from samvad.platforms.x.models import AppWindow
from samvad.publishing.tests.helpers import approved, connect, posts_sent, publish_all


def approved_in_alwar(world, account, text) -> Post:
    [post] = Post.create_thread(
        by=world.alwar_editor, district=world.alwar, texts=[text], account=account
    ).thread
    post.submit(by=world.alwar_editor)
    post.approve(by=world.alwar_editor)
    post.schedule(at=timezone.now(), by=world.alwar_editor)
    return post


def test_the_app_wide_cap_is_reached_through_two_districts_and_the_next_post_waits(
    sandbox, world, login
):
    sandbox.call("POST", "rate_limits", json={"endpoint": "POST /2/tweets", "app_24h": 5})
    dausa = connect(sandbox, OfficialAccount.objects.get(handle="DmDausa")).account
    alwar = connect(sandbox, OfficialAccount.objects.get(handle="DmAlwar")).account
    for n in range(3):
        approved(world, dausa, f"दौसा की खबर {n}")
    assert publish_all() == 3
    assert mail.outbox == []  # 3 of 5: under 80 %
    for n in range(2):
        approved_in_alwar(world, alwar, f"अलवर की खबर {n}")
    assert publish_all() == 2
    window = AppWindow.objects.get(endpoint="POST /2/tweets")
    assert (window.limit, window.remaining) == (5, 0)
    # Told once, at the fourth post (80 %): the state observer and both districts' admins.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "admin@example.gov.in",
        "alwar_admin@example.gov.in",
        "observer@example.gov.in",
    ]

    with translation.override("en"):
        [waiting] = approved(world, dausa, "दौसा की छठी खबर")
        publish_all()
    waiting.refresh_from_db()
    assert waiting.state == Post.State.RETRY_WAIT
    assert waiting.retry_at == window.reset_at
    assert "whole X app" in waiting.last_error and "5 posts in 24 hours" in waiting.last_error
    assert len(posts_sent(sandbox)) == 5  # the sixth never went to X
    page = login(world.editor).get(reverse("content:post_detail", args=[waiting.pk]))
    assert escape(waiting.last_error) in page.content.decode()
