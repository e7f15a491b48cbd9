"""Issue 14, item 5: the composer offers the officer's photos ticked, with thumbnails; a published
post is read only and links to where it lives; a form with errors keeps its photos and sums its
errors up at the top, with a link to each field."""

import re
from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from samvad.content.jobs import forget_unsent_photos
from samvad.content.models import Media, Post, Submission
from samvad.publishing.publisher import publish_due
from samvad.publishing.tests.helpers import approved, connect

from .conftest import upload
from .test_views import scheme_data


def with_photo(world, **extra):
    photo = {"photos-0-image": upload(), "photos-0-alt_text": "नल से पानी भरती महिलाएँ"}
    return scheme_data(world, **(photo | extra))


def send(client, data):
    return client.post(reverse("content:submission_create", args=["scheme"]), data)


def kept_ids(html: str) -> list[str]:
    return re.findall(r'name="photos-\d-kept" value="(\d+)"', html)


# The composer -----------------------------------------------------------------------------------


def test_the_composer_offers_the_officers_photos_ticked_as_thumbnails(login, world, media_root):
    send(login(world.officer_a), with_photo(world))
    submission = Submission.objects.get()
    [photo] = submission.photos.all()

    page = login(world.editor).get(reverse("content:compose", args=[submission.pk]))

    html = page.content.decode()
    [checkbox] = re.findall(r'<input type="checkbox" name="photos"[^>]*>', html)
    assert f'value="{photo.pk}"' in checkbox and "checked" in checkbox
    thumbnail = reverse("content:media", args=[photo.pk])
    assert re.search(rf'<img class="thumb" src="{thumbnail}"[^>]*><span>नल से पानी', html)
    assert login(world.editor).get(thumbnail).status_code == 200


# A published post ------------------------------------------------------------------------------


def test_a_published_post_is_read_only_and_links_to_its_page_on_the_sandbox(
    login, world, sandbox, dausa
):
    connect(sandbox, dausa)
    [post] = approved(world, dausa, "हर घर जल: दौसा के हर गाँव में नल से जल")
    publish_due()
    post.refresh_from_db()
    assert post.state == Post.State.PUBLISHED

    client = login(world.editor)
    html = client.get(reverse("content:post_detail", args=[post.pk])).content.decode()

    assert "<textarea" not in html and 'name="text"' not in html
    assert "सहेजें" not in html and f"content/posts/{post.pk}/approve/" not in html
    assert "हर घर जल: दौसा के हर गाँव में नल से जल" in html
    published = timezone.localtime(post.published_at).strftime("%H:%M")
    assert "प्रकाशित: " in html and published in html and "निर्धारित समय:" not in html
    link = f"{sandbox.base_url}/DmDausa/status/{post.x_post_id}"
    assert f'href="{link}"' in html and "x.com" not in html
    on_x = sandbox.client().get(f"/DmDausa/status/{post.x_post_id}")
    assert on_x.status_code == 200 and "दौसा के हर गाँव" in on_x.text


def test_a_save_sent_to_a_published_post_changes_nothing(login, world, sandbox, dausa):
    connect(sandbox, dausa)
    [post] = approved(world, dausa, "पहला पाठ")
    publish_due()

    client = login(world.editor)
    response = client.post(reverse("content:post_detail", args=[post.pk]), {"text": "बदला"})

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.text == "पहला पाठ" and post.state == Post.State.PUBLISHED


# A form with errors ----------------------------------------------------------------------------


def test_a_form_with_errors_keeps_the_photo_and_sums_up_its_errors(login, world, media_root):
    client = login(world.officer_a)

    page = send(client, with_photo(world, title="", how_to_apply=""))

    html = page.content.decode()
    assert page.status_code == 200 and not Submission.objects.exists()
    [kept] = Media.objects.filter(submission__isnull=True)
    assert kept_ids(html) == [str(kept.pk)]
    assert f'<img class="thumb" src="{reverse("content:media", args=[kept.pk])}"' in html
    assert client.get(reverse("content:media", args=[kept.pk])).status_code == 200
    summary = html[
        html.index('class="error-summary"') : html.index("</div>", html.index("error-summary"))
    ]
    assert "कृपया इन्हें ठीक करें" in summary and "फ़ोटो अपलोड हो गई है" in html
    assert re.search(r'<a href="#id_title">शीर्षक: [^<]+</a>', summary)
    assert '<a href="#id_how_to_apply">' in summary
    assert 'id="id_title"' in html and 'id="id_how_to_apply"' in html

    # Sent again, corrected: the photo kept goes with it, without being chosen again.
    data = scheme_data(
        world, **{"photos-0-kept": kept.pk, "photos-0-alt_text": "नल से पानी भरती महिलाएँ"}
    )
    assert send(client, data).status_code == 302
    submission = Submission.objects.get()
    assert list(submission.photos.all()) == [kept]
    kept.refresh_from_db()
    assert kept.alt_text == "नल से पानी भरती महिलाएँ" and kept.district == world.dausa


def test_a_photo_kept_for_one_officer_cannot_be_sent_by_another(login, world, media_root):
    send(login(world.officer_a), with_photo(world, title=""))
    kept = Media.objects.get()

    data = scheme_data(world, department=world.power.pk, **{"photos-0-kept": kept.pk})
    data["photos-0-alt_text"] = "किसी और की फ़ोटो"
    page = send(login(world.officer_b), data)

    assert page.status_code == 200 and not Submission.objects.exists()
    assert 'class="error-summary"' in page.content.decode()
    assert login(world.officer_b).get(reverse("content:media", args=[kept.pk])).status_code == 404


def test_a_kept_photo_without_alt_text_is_asked_for_and_still_kept(login, world, media_root):
    client = login(world.officer_a)
    html = send(client, with_photo(world, **{"photos-0-alt_text": ""})).content.decode()

    [kept] = Media.objects.all()
    assert kept_ids(html) == [str(kept.pk)]
    assert '<a href="#id_photos-0-alt_text">' in html


def test_photos_never_sent_are_forgotten_after_a_day(login, world, media_root):
    send(login(world.officer_a), with_photo(world, title=""))
    send(login(world.officer_a), with_photo(world))
    sent = Submission.objects.get().photos.get()

    forget_unsent_photos(slot="soon")
    assert Media.objects.count() == 2
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        forget_unsent_photos(slot="later")
    assert list(Media.objects.all()) == [sent]


def test_the_edit_form_shows_the_photos_already_sent(login, world, media_root):
    client = login(world.officer_a)
    send(client, with_photo(world))
    submission = Submission.objects.get()
    submission.return_for_changes(by=world.editor, comment="तारीख जोड़ें")
    photo = submission.photos.get()

    html = client.get(reverse("content:submission_edit", args=[submission.pk])).content.decode()

    assert f'src="{reverse("content:media", args=[photo.pk])}"' in html
    assert "नल से पानी भरती महिलाएँ" in html


def test_every_form_gets_the_error_summary(login, world):
    # The training session form knows nothing of it: base.html sums up any form with errors.
    page = login(world.admin).post(reverse("training_session_new"), {"topic": ""})

    html = page.content.decode()
    assert page.status_code == 200 and 'class="error-summary"' in html
    assert '<a href="#id_topic">' in html and '<a href="#id_trainer_q">' in html


def test_a_page_without_errors_has_no_summary(login, world):
    html = login(world.officer_a).get(reverse("content:submission_create", args=["scheme"]))
    assert "error-summary" not in html.content.decode()
