"""Every role's home page is wholly Hindi by default and wholly English after the switch."""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "hi" / "LC_MESSAGES" / "django.po"
ENGLISH_PHRASE = re.compile(r"[A-Za-z]{2,}(?:[ ,.:;'’-]+[A-Za-z]{2,})+")
ROLES = ["observer", "admin", "editor", "officer_a", "employee"]


class VisibleText(HTMLParser):
    """The text a person sees or hears: text nodes and labelling attributes, except inside
    <script>, <style>, <code> and elements in another language than the page (the language
    switch)."""

    SKIP = {"script", "style", "code", "title"}
    VOID = {"meta", "link", "input", "br", "img", "hr"}

    def __init__(self):
        super().__init__()
        self.page_language = None
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.page_language = attrs.get("lang")
        language = attrs.get("lang", self.page_language)
        other_language = tag != "html" and language != self.page_language
        hidden = (self.stack and self.stack[-1]) or tag in self.SKIP or other_language
        for name in ("title", "aria-label", "placeholder", "alt"):
            if attrs.get(name) and not hidden:
                self.parts.append(attrs[name])
        if tag not in self.VOID:
            self.stack.append(bool(hidden))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


@pytest.fixture(scope="module")
def catalogue():
    return [entry for entry in polib.pofile(str(CATALOGUE)) if entry.msgid]


def test_the_hindi_catalogue_is_complete(catalogue):
    untranslated = [e.msgid for e in catalogue if not e.translated()]
    assert untranslated == []


def test_the_english_phrase_detector_finds_untranslated_text():
    assert ENGLISH_PHRASE.search(visible_text('<html lang="hi"><p>नमस्ते Log in now</p>'))
    page = '<html lang="hi"><p>@DmDausa <code>officer-phed</code><b lang="en">English</b></p>'
    assert not ENGLISH_PHRASE.search(visible_text(page))


@pytest.mark.parametrize("persona", ROLES)
def test_each_role_home_is_hindi_by_default(login, world, persona, catalogue):
    response = login(getattr(world, persona)).get(reverse("home"))
    assert response["Content-Language"] == "hi"
    text = visible_text(response.content.decode())
    assert ENGLISH_PHRASE.findall(text) == []
    assert re.search(r"[\u0900-\u097F]", text)


@pytest.mark.parametrize("persona", ROLES)
def test_each_role_home_is_english_after_the_switch(login, world, persona, catalogue):
    client = login(getattr(world, persona))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"))
    assert response["Content-Language"] == "en"
    text = visible_text(response.content.decode())
    leftovers = [e.msgstr for e in catalogue if len(e.msgstr) > 3 and e.msgstr in text]
    assert leftovers == []
    assert "Log out" in text


def test_the_landing_page_is_hindi_for_visitors(client, world):
    text = visible_text(client.get(reverse("home")).content.decode())
    assert ENGLISH_PHRASE.findall(text) == []
    assert "संवाद" in text


def glossary_months() -> list[str]:
    """The month names as docs/glossary.md spells them."""
    from pathlib import Path

    glossary = (Path(__file__).parents[3] / "docs" / "glossary.md").read_text()
    row = next(line for line in glossary.splitlines() if line.startswith("| month names"))
    return [name.strip() for name in row.split("|")[2].split(",")]


GLOSSARY_DAYS = ["सोमवार", "मंगलवार", "बुधवार", "गुरुवार", "शुक्रवार", "शनिवार", "रविवार"]


def test_every_hindi_month_and_day_name_is_the_glossarys():
    from datetime import date

    from django.utils import translation
    from django.utils.dateformat import format as date_format

    with translation.override("hi"):
        months = glossary_months()
        assert len(months) == 12
        for month, name in enumerate(months, start=1):
            day = date(2026, month, 1)
            # F: full, M and N: short, E: the "alt." (genitive) form, b: lowercase short.
            assert {date_format(day, f) for f in "FMNE"} == {name}, month
        for weekday, name in enumerate(GLOSSARY_DAYS):
            day = date(2026, 11, 30 + weekday) if weekday == 0 else date(2026, 12, weekday)
            assert date_format(day, "l") == name
            assert date_format(day, "D") == name.removesuffix("वार")


def test_durations_are_hindi():
    from datetime import timedelta

    from django.utils import timezone, translation
    from django.utils.timesince import timesince

    now = timezone.now()
    with translation.override("hi"):
        for ago, words in [
            (timedelta(0), "0 मिनट"),
            (timedelta(hours=3), "3 घंटे"),
            (timedelta(days=2, hours=1), "2 दिन, 1 घंटे"),
        ]:
            assert timesince(now - ago, now).replace("\xa0", " ") == words
