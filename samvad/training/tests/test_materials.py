"""The training material: every guide in Hindi and English, the district's own handle in it, and a
clean PDF with a Devanagari font."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from pypdf import PdfReader

from samvad.org.models import OfficialAccount
from samvad.training.materials import MATERIALS

pytestmark = pytest.mark.django_db
SLUGS = [m.slug for m in MATERIALS]


def words(text: str) -> str:
    # PDF text extraction splits Devanagari clusters with stray spaces; compare without them.
    return re.sub(r"\s+", "", text)


def letters(text: str) -> str:
    """Only the letters (consonants and initial vowels): text extraction of shaped Devanagari
    moves vowel signs about (ि is drawn before its consonant), so compare what stays in order."""
    return re.sub(r"[^\u0905-\u0939@A-Za-z0-9]", "", text)


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("language", ["hi", "en"])
def test_every_material_renders_in_both_languages(login, world, slug, language):
    material = next(m for m in MATERIALS if m.slug == slug)
    response = login(world.employee).get(
        reverse("training_material", args=[slug]), {"lang": language}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<article class="material" lang="{language}">' in page
    assert material.title(language) in page
    assert "@DmDausa" in page
    assert len(words(page)) > 2000  # a real guide, not a stub


def test_the_material_is_in_the_users_language(login, world):
    client = login(world.employee)
    assert (
        "X (ट्विटर) पर अकाउंट कैसे बनाएँ"
        in client.get(reverse("training_material", args=["create-x-account"])).content.decode()
    )
    world.employee.language = "en"
    world.employee.save()
    page = client.get(reverse("training_material", args=["create-x-account"])).content.decode()
    assert "Creating an X (Twitter) account" in page


def test_the_handle_is_the_districts_own_account(login, world):
    OfficialAccount.objects.create(district=world.dausa, department=world.water, handle="DausaPHED")
    OfficialAccount.objects.filter(handle="DmDausa").update(handle="DausaCollector")
    page = login(world.employee).get(reverse("training_material", args=["follow-official-account"]))
    text = page.content.decode()
    assert "@DausaCollector" in text and "x.com/DausaCollector" in text
    assert "DmDausa" not in text and "@DausaPHED" not in text
    alwar = login(world.alwar_officer).get(reverse("training_material", args=["repost"]))
    assert "@DmAlwar" in alwar.content.decode()


def test_the_page_prints_without_navigation(login, world):
    page = login(world.employee).get(reverse("training_material", args=["repost"])).content.decode()
    assert '<link rel="stylesheet" media="print" href="/static/training/print.css">' in page
    css = Path(finders.find("training/print.css")).read_text()
    assert "size: A4" in css and ".topbar" in css and ".no-print" in css


def test_materials_need_a_login_and_a_known_slug(client, world):
    for name in ("training_materials", "training_material", "training_material_pdf"):
        args = [] if name == "training_materials" else ["repost"]
        assert client.get(reverse(name, args=args)).status_code == 302
    client.force_login(world.employee)
    assert client.get(reverse("training_material", args=["nope"])).status_code == 404
    assert client.get(reverse("training_material_pdf", args=["nope"])).status_code == 404


def pdf_of(client, slug: str, language: str) -> PdfReader:
    response = client.get(reverse("training_material_pdf", args=[slug]), {"lang": language})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def font_names(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


@pytest.mark.parametrize("slug", SLUGS)
def test_every_hindi_material_prints_to_a_pdf_with_a_devanagari_font(login, world, slug):
    reader = pdf_of(login(world.employee), slug, "hi")
    assert "Noto-Sans-Devanagari" in font_names(reader)
    material = next(m for m in MATERIALS if m.slug == slug)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "@DmDausa" in words(text)
    assert letters(" ".join(material.title_hi.split()[:3])) in letters(text)
    assert len(re.findall(r"[\u0900-\u097F]", text)) > 800
    assert 1 <= len(reader.pages) <= 4


def test_the_hindi_pdf_contains_the_guides_text(login, world):
    reader = pdf_of(login(world.employee), "follow-official-account", "hi")
    text = letters("".join(page.extract_text() for page in reader.pages))
    for phrase in ("जिले के आधिकारिक अकाउंट को फ़ॉलो करें", "सबसे आसान तरीका", "संवाद इसे कैसे जानता है"):
        assert letters(phrase) in text


def test_the_english_pdf_is_english(login, world):
    reader = pdf_of(login(world.employee), "misinformation", "en")
    text = " ".join("".join(page.extract_text() for page in reader.pages).split())
    assert "Spotting and reporting misinformation" in text
    assert "1930" in text
