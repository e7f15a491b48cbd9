"""The training materials: each a guide written as a pair of templates, one per language
(`training/materials/<slug>.hi.html` and `.en.html`). Long prose reads better as a whole text in
each language than as a gettext entry per paragraph, so titles are kept in pairs here too."""

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.utils import translation

from samvad.org.models import district_account


@dataclass(frozen=True)
class Material:
    slug: str
    title_hi: str
    title_en: str
    audience: str = ""  # a role, for the guides to using Samvad

    def title(self, language: str | None = None) -> str:
        language = language or translation.get_language()
        return self.title_en if language == "en" else self.title_hi

    def template(self, language: str) -> str:
        return f"training/materials/{self.slug}.{language}.html"


MATERIALS = [
    Material("create-x-account", "X (ट्विटर) पर अकाउंट कैसे बनाएँ", "Creating an X (Twitter) account"),
    Material("follow-official-account", "जिले के आधिकारिक अकाउंट को फ़ॉलो करें",
             "Following the district's official account"),
    Material("repost", "आधिकारिक पोस्ट को रीपोस्ट कैसे करें", "Reposting official posts"),
    Material("misinformation", "भ्रामक सूचना और अफ़वाह: पहचानें और बताएँ",
             "Spotting and reporting misinformation"),
    Material("samvad-employee", "संवाद का उपयोग: कर्मचारी", "Using Samvad: employees", "employee"),
    Material("samvad-officer", "संवाद का उपयोग: विभागीय अधिकारी",
             "Using Samvad: department officers", "officer"),
    Material("samvad-editor", "संवाद का उपयोग: संपादक (सूचना एवं जनसम्पर्क कार्यालय)",
             "Using Samvad: editors (DIPR)", "editor"),
    Material("samvad-district-admin", "संवाद का उपयोग: जिला प्रशासन (व्यवस्थापक)",
             "Using Samvad: district admins", "district_admin"),
]  # fmt: skip
BY_SLUG = {m.slug: m for m in MATERIALS}


def get_material(slug: str) -> Material:
    try:
        return BY_SLUG[slug]
    except KeyError:
        raise Http404 from None


def material_language(requested: str | None) -> str:
    """The language asked for (?lang=), else the user's own."""
    if requested in dict(settings.LANGUAGES):
        return requested
    return translation.get_language()


def official_handle(district) -> str:
    """The handle of the district's own account (the oldest one that is not a department's)."""
    account = district_account(district)
    return account.handle if account else ""


# Said in place of the handle where a user belongs to no district (the state observer).
NO_HANDLE = {"hi": "जिले का आधिकारिक अकाउंट", "en": "your district's official account"}


def material_context(district, language: str) -> dict:
    handle = official_handle(district) if district else ""
    return {
        "handle": handle,
        "official": f"@{handle}" if handle else NO_HANDLE[language],
        "district": district,
        "district_name": (district.name_en if language == "en" else district.name_hi)
        if district
        else "",
        "site_url": settings.SITE_URL,
    }
