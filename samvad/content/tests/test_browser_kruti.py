"""Issue 16, finding 5, in a real browser: Kruti Dev pasted into a field is offered in Unicode
below it; the person's click puts the Unicode in the field, and going on keeps the text as typed."""

import re

import pytest

from samvad.conftest import log_in
from samvad.content.models import Submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "यह पाठ कृतिदेव फ़ॉन्ट में लगता है। यूनिकोड में बदलें?"
KRUTI, UNICODE = "gj ?kj ty ;kstuk dk ykHk", "हर घर जल योजना का लाभ"


def paste(page, selector: str, text: str) -> None:
    page.focus(selector)
    page.keyboard.insert_text(text)  # one input event with the whole text, as a paste makes


def test_accepting_the_suggestion_puts_unicode_in_the_field(page, world):
    log_in(page, "officer_a")
    page.goto("/content/submissions/new/scheme/")
    paste(page, "[name=body]", KRUTI)
    suggestion = page.locator("#kruti_id_body .kruti-suggestion")
    suggestion.get_by_text(QUESTION).wait_for()
    assert suggestion.locator(".kruti-preview").inner_text() == UNICODE
    assert page.input_value("[name=body]") == KRUTI  # nothing changed before the click

    suggestion.get_by_role("button", name="यूनिकोड में बदलें").click()
    assert page.input_value("[name=body]") == UNICODE
    assert page.locator(".kruti-suggestion").count() == 0


def test_ignoring_the_suggestion_keeps_the_text_as_typed(page, world):
    log_in(page, "officer_a")
    page.goto("/content/submissions/new/scheme/")
    paste(page, "[name=title]", KRUTI)
    page.locator("#kruti_id_title").get_by_text(QUESTION).wait_for()
    page.fill("[name=scheme_name]", "हर घर जल")
    page.fill("[name=beneficiaries]", "ग्रामीण परिवार")
    page.fill("[name=eligibility]", "सभी")
    page.fill("[name=how_to_apply]", "ग्राम पंचायत में")
    page.click("form.form > button")
    page.wait_for_url(re.compile(r"/content/submissions/\d+/$"))
    assert Submission.objects.get().title == KRUTI


def test_the_composer_offers_unicode_and_the_preview_follows_the_choice(page, world):
    log_in(page, "editor")
    page.goto("/content/posts/new/")
    paste(page, "[name=text]", KRUTI)
    counter = page.locator("#counter")
    counter.get_by_text(QUESTION).wait_for()
    counter.get_by_role("button", name="यूनिकोड में बदलें").click()
    assert page.input_value("[name=text]") == UNICODE
    counter.locator(".xpost").get_by_text(UNICODE).wait_for()  # the counter saw the change
    assert counter.get_by_text(QUESTION).count() == 0
