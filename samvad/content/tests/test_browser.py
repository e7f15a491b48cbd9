"""Issue 14, item 5, in a real browser on a phone and on a desk: an officer's form with a mistake
keeps the photo and leads to the mistake; the editor's composer offers the photo ticked, as a
thumbnail with its alt text."""

import re

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from samvad.conftest import screenshot, switch_user
from samvad.content.models import Media, Submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, DESK = {"width": 390, "height": 844}, {"width": 1280, "height": 900}
ALT = "नल से पानी भरती महिलाएँ"


def jpeg(tmp_path, name, colour):
    """Something that reads as a photo in the screenshots: a sky of `colour` over the fields,
    with a water tank on its legs."""
    image = Image.new("RGB", (320, 240), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 170, 320, 240), fill=(176, 140, 84))
    draw.rectangle((190, 60, 270, 110), fill=(235, 235, 228))
    for x in (198, 258):
        draw.rectangle((x, 110, x + 6, 175), fill=(120, 120, 120))
    path = tmp_path / name
    image.save(path, "JPEG")
    return str(path)


def loaded(page, selector) -> bool:
    return page.eval_on_selector(selector, "img => img.complete && img.naturalWidth > 0")


def test_a_mistake_keeps_the_photos_and_the_composer_offers_them_ticked(page, world, tmp_path):
    switch_user(page, "officer_a")
    page.set_viewport_size(PHONE)
    page.goto("/content/submissions/new/scheme/")
    page.fill("[name=scheme_name]", "हर घर जल")
    page.fill("[name=beneficiaries]", "ग्रामीण परिवार")
    page.fill("[name=eligibility]", "सभी")
    page.fill("[name=how_to_apply]", "ग्राम पंचायत में")
    page.set_input_files("[name=photos-0-image]", jpeg(tmp_path, "a.jpg", (30, 120, 200)))
    page.fill("[name=photos-0-alt_text]", ALT)
    page.set_input_files("[name=photos-1-image]", jpeg(tmp_path, "b.jpg", (200, 120, 30)))
    page.fill("[name=photos-1-alt_text]", "गाँव की पानी की टंकी")
    page.click("form.form > button")  # the title is missing
    page.wait_for_load_state()

    # The summary at the top leads to the title; both photos are still there.
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    screenshot(page, "submission-error-phone")
    summary.locator("a[href='#id_title']").click()
    assert page.evaluate("location.hash") == "#id_title"
    assert page.locator(".kept img").count() == 2
    assert loaded(page, ".kept img")
    page.set_viewport_size(DESK)
    screenshot(page, "submission-error-desk")
    page.fill("[name=title]", "हर घर जल शिविर")
    page.click("form.form > button")
    page.wait_for_url(re.compile(r"/content/submissions/\d+/(#id_title)?$"))
    submission = Submission.objects.get()
    assert sorted(m.alt_text for m in submission.photos.all()) == sorted(
        [ALT, "गाँव की पानी की टंकी"]
    )
    assert not Media.objects.filter(submission__isnull=True).exists()

    # The editor's composer: both photos ticked, as thumbnails beside their alt text.
    switch_user(page, "editor")
    page.goto(f"/content/submissions/{submission.pk}/compose/")
    for size, name in ((PHONE, "composer-phone"), (DESK, "composer-desk")):
        page.set_viewport_size(size)
        choices = page.locator(".photo-choice")
        assert choices.count() == 2
        for i in range(2):
            choice = choices.nth(i)
            assert choice.locator("input[type=checkbox]").is_checked()
            assert choice.locator("img.thumb").is_visible()
            box, thumb = (choice.locator(s).bounding_box() for s in ("input", "img"))
            assert box["x"] + box["width"] <= thumb["x"], "the checkbox sits beside the photo"
            assert box["width"] < 40, "the checkbox is not stretched to the form's width"
        assert choices.filter(has_text=ALT).count() == 1
        assert loaded(page, ".photo-choice img")
        expect(page.locator("#counter .count")).to_be_visible()  # the length and cost, by htmx
        screenshot(page, name)
    # Unticking one sends the other alone.
    page.locator(".photo-choice", has_text="टंकी").locator("input").uncheck()
    page.fill("[name=text]", "हर घर जल: आज शिविर में पंजीकरण")
    page.click("form.form > button")
    page.wait_for_url(re.compile(r"/content/posts/\d+/$"))
    post = submission.posts.get()
    assert [pm.media.alt_text for pm in post.attachments()] == [ALT]


def test_the_trainer_picker_finds_a_person_by_code_and_saves_the_session(page, world):
    from samvad.org.models import Person
    from samvad.training.models import Session

    for code, department, designation in (
        ("PHED-0417", world.water, "कनिष्ठ अभियंता"),
        ("JVVNL-2203", world.power, "सहायक लेखाधिकारी"),
    ):
        Person.objects.create(
            district=world.dausa,
            department=department,
            name="सुनीता शर्मा",
            designation=designation,
            employee_code=code,
        )
    switch_user(page, "admin")
    for size, name in ((PHONE, "trainer-picker-phone"), (DESK, "trainer-picker-desk")):
        page.set_viewport_size(size)
        page.goto("/training/sessions/new/")
        page.fill("[name=topic]", "X पर फ़ॉलो करना")
        page.get_by_label("प्रशिक्षक").fill("सुनीता")
        found = page.locator("#id_trainer_found label.person")
        expect(found).to_have_count(2)
        assert found.filter(has_text="JVVNL-2203").filter(has_text="सहायक लेखाधिकारी").count() == 1
        screenshot(page, name)
    page.get_by_label("प्रशिक्षक").fill("jvvnl")
    expect(found).to_have_count(1)
    found.first.locator("input").check()
    page.get_by_label("प्रशिक्षक").fill("PHED-0417")  # the one chosen stays, on top
    expect(found).to_have_count(2)
    assert found.first.locator("input").is_checked() and "JVVNL" in found.first.inner_text()
    page.fill("[name=starts_at]", "2025-01-10T11:00")
    page.fill("[name=place]", "कलक्ट्रेट सभागार")
    page.click("form.form > button")
    page.wait_for_url(re.compile(r"/training/sessions/\d+/attendance/$"))
    assert Session.objects.get().trainer.employee_code == "JVVNL-2203"


def test_a_published_post_reads_as_on_x_and_its_link_opens_the_sandboxs_page(
    page, world, sandbox, dausa
):
    from samvad.publishing.publisher import publish_due
    from samvad.publishing.tests.helpers import approved, connect, photo

    connect(sandbox, dausa)
    [post] = approved(world, dausa, "हर घर जल: दौसा के हर गाँव में नल से जल", media=[photo(world)])
    publish_due()
    switch_user(page, "editor")
    for size, name in ((PHONE, "post-published-phone"), (DESK, "post-published-desk")):
        page.set_viewport_size(size)
        page.goto(f"/content/posts/{post.pk}/")
        assert page.locator("textarea, form.form button").count() == 0
        assert page.locator("#post-text").inner_text().startswith("हर घर जल: दौसा")
        screenshot(page, name)
    page.get_by_role("link", name="X पर देखें").click()
    page.wait_for_url(f"{sandbox.base_url}/DmDausa/status/*")
    assert "दौसा के हर गाँव में नल से जल" in page.inner_text("body")
