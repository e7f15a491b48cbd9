"""Every role's home page is wholly Hindi by default and wholly English after the switch."""

import csv
import io
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from samvad.audit.models import AuditEvent

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


# docs/glossary.md's word for each idea, as a pattern of the English and the Hindi it must use.
GLOSSARY_WORDS = [
    (r"\b(?:photo|image)s?\b", "फ़ोटो"),  # anything uploaded to go with a post
    (r"\balt text\b", "वैकल्पिक पाठ"),
    (r"\battachments?\b", "संलग्नक"),
    (r"\bblackout period", "प्रतिबंध अवधि"),
    (r"\bleaderboard\b", "अग्रणी सूची"),
    (r"\busage cap\b", "उपयोग सीमा"),
    (r"\bnotifications?\b", "सूचना"),
    (r"\bfirst seen\b", "पहली बार देखा गया"),
]
# The words the glossary settled against: other names for a photo, notifications, a leaderboard
# or an attachment, and the login words of Django's own catalogue.
REJECTED_WORDS = ["चित्र", "छवि", "तस्वीर", "इमेज", "फोटो", "अधिसूचना", "सूचनाएं", "लीडरबोर्ड"]
REJECTED_WORDS += ["ब्लैकआउट", "अटैचमेंट", "प्रयोक्ता", "कूटशब्द"]


def hindi(entry) -> str:
    """The entry's translation(s), with नुक़्ता letters in one form (फ़ is one or two code points)."""
    texts = [entry.msgstr, *entry.msgstr_plural.values()]
    return unicodedata.normalize("NFC", " ".join(texts))


def test_the_catalogue_uses_the_glossarys_words(catalogue):
    for english, word in GLOSSARY_WORDS:
        for entry in catalogue:
            if re.search(english, entry.msgid, re.IGNORECASE):
                assert unicodedata.normalize("NFC", word) in hindi(entry), entry.msgid
    for entry in catalogue:
        used = [w for w in REJECTED_WORDS if unicodedata.normalize("NFC", w) in hindi(entry)]
        assert used == [], entry.msgid


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


@pytest.mark.parametrize("language", ["hi", "en"])
def test_the_quick_date_of_the_lists_is_djangos(language):
    """|day_month_time shows what |date:"j M, H:i" does, in IST, each month of either language."""
    from datetime import UTC, datetime

    from django.template import Context, Template
    from django.utils import translation

    page = Template('{{ t|date:"j M, H:i" }}={{ t|day_month_time }}')
    with translation.override(language):
        for month in range(1, 13):
            moment = datetime(2026, month, 30 if month != 2 else 28, 18, 35, tzinfo=UTC)
            django, ours = page.render(Context({"t": moment})).split("=")
            assert ours == django, month
        assert page.render(Context({"t": datetime(2026, 12, 31, 18, 30, tzinfo=UTC)})) == (
            "1 Jan, 00:00=1 Jan, 00:00" if language == "en" else "1 जनवरी, 00:00=1 जनवरी, 00:00"
        )  # the day, month and hour in India, not in UTC


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


# Histories and the RTI export: every action, state and duration a person reads -----------------

DOTTED = re.compile(r"\b[a-z_]+\.[a-z_]+\b")  # the shape of an audit action's code
ENGLISH_DURATION = re.compile(r"\b\d+\s*(?:minute|hour|day|week|month|year)s?\b", re.IGNORECASE)
RAW_STATE = re.compile(r"→\s*[a-z_]+")
MACHINE_COLUMNS = {"action_code", "object_type", "before", "after"}  # the export's, for scripts


@pytest.fixture
def histories(world):
    """A submission made into a post that went out, another waiting for review, and a citizen's
    ticket whose reply was claimed and came back uncertain: their audit rows hold the everyday
    actions and states."""
    from samvad.content.models import Post, Submission
    from samvad.inbox.models import Mention
    from samvad.inbox.services import ticket_approve_reply, ticket_draft_reply, ticket_open
    from samvad.org.models import OfficialAccount

    account = OfficialAccount.objects.get(handle="DmDausa")
    submission = Submission.send(
        by=world.officer_a, kind=Submission.Kind.SCHEME, department=world.water, title="हर घर जल"
    )
    submission.return_for_changes(by=world.editor, comment="फ़ोटो जोड़ें")
    submission.resubmit(by=world.officer_a)
    post = Post.create_thread(
        by=world.editor, texts=["हर घर जल"], account=account, submission=submission
    )
    post.submit(by=world.editor)
    post.approve(by=world.editor)
    post.schedule(at=timezone.now(), by=world.editor)
    claimed = Post.claim()
    claimed.mark_published(claimed.attempt_id, "1900", "https://x.com/DmDausa/status/1900")
    Submission.send(
        by=world.officer_a, kind=Submission.Kind.MEETING, department=world.water, title="बैठक"
    )
    mention = Mention.objects.create(
        district=world.dausa,
        account=account,
        x_post_id="1901",
        author_x_user_id="77",
        author_username="ramesh_1",
        text="@DmDausa बिजली कब आएगी?",
    )
    ticket = ticket_open(mention)
    ticket_draft_reply(ticket=ticket, by=world.editor, text="आज शाम तक।")
    ticket_approve_reply(ticket=ticket, by=world.editor)
    claimed = Post.claim()
    claimed.mark_uncertain(claimed.attempt_id, "timeout")
    return SimpleNamespace(submission=submission, post=post, ticket=ticket)


def history_pages(world, histories):
    return [
        (world.editor, reverse("inbox:ticket_detail", args=[histories.ticket.pk])),
        (world.editor, reverse("content:post_detail", args=[histories.post.pk])),
        (world.officer_a, reverse("content:submission_detail", args=[histories.submission.pk])),
        (world.editor, reverse("content:review_queue")),
        (world.admin, reverse("audit:log")),
    ]


def test_histories_in_hindi_name_actions_states_and_durations_in_words(login, world, histories):
    codes = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"ticket.open", "post.claim", "post.published", "submission.return"} <= codes
    for persona, url in history_pages(world, histories):
        page = login(persona).get(url).content.decode()
        assert sorted(set(DOTTED.findall(page)) & codes) == [], url
        text = visible_text(page)
        assert ENGLISH_DURATION.findall(text) == [], url
        assert RAW_STATE.findall(text) == [], url
        assert ENGLISH_PHRASE.findall(text) == [], url
    queue = login(world.editor).get(reverse("content:review_queue")).content.decode()
    waiting = visible_text(queue)
    assert re.search(r"\d+\s+मिनट", waiting)  # the duration is there, in Hindi


def test_the_rti_export_in_hindi_names_actions_and_states_in_words(login, world, histories):
    codes = set(AuditEvent.objects.values_list("action", flat=True))
    body = login(world.admin).get(reverse("audit:download", args=["csv"])).content
    header, *rows = csv.reader(io.StringIO(body.decode("utf-8-sig")))
    assert len(rows) == AuditEvent.objects.count()
    human = [i for i, name in enumerate(header) if name not in MACHINE_COLUMNS]
    for row in rows:
        text = " ".join(row[i] for i in human)
        assert sorted(set(DOTTED.findall(text)) & codes) == [], row
        assert ENGLISH_DURATION.findall(text) == [] and RAW_STATE.findall(text) == [], row
