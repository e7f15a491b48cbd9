import pytest
from django import forms

from samvad.content.kruti import looks_like_kruti_dev, suggestion, to_unicode


@pytest.mark.parametrize(
    "legacy, unicode",
    [
        ("jktLFkku", "राजस्थान"),
        ("ljdkj", "सरकार"),
        ("iz'kklu", "प्रशासन"),
        ("gj ?kj ty", "हर घर जल"),
        ("dk;ZØe", "कार्यक्रम"),  # reph after its cluster
        ("fuEufyf[kr", "निम्नलिखित"),  # short i before a conjunct
        ("dhfrZ", "कीर्ति"),  # reph after a short i
        ("dk;ksZa", "कार्यों"),
        ("fLFkr", "स्थित"),
        ("{ks=", "क्षेत्र"),
        ("ftyk dyDVj nkSlk", "जिला कलक्टर दौसा"),
        (";kstuk dk ykHk ysus gsrq vkosnu djsa A", "योजना का लाभ लेने हेतु आवेदन करें ।"),
    ],
)
def test_it_converts_kruti_dev_to_unicode(legacy, unicode):
    assert to_unicode(legacy) == unicode


@pytest.mark.parametrize("text", ["jktLFkku ljdkj", "gj ?kj ty", "iz'kklu"])
def test_it_detects_kruti_dev(text):
    assert looks_like_kruti_dev(text)


@pytest.mark.parametrize(
    "text",
    [
        "राजस्थान सरकार",
        "The scheme is open for all farmers",
        "Work on the park",
        "PM Kisan",
        "https://jaljeevanmission.gov.in",
        "",
        "DM SDM",
        "+cmd|' /C calc'!A0",
    ],
)
def test_it_leaves_unicode_and_english_alone(text):
    assert not looks_like_kruti_dev(text)
    assert suggestion(text) is None


# The corpus of issue 16, finding 5: text that must never change, and Kruti Dev that must.
DAUSA_PLACES = [
    "Dausa",
    "Bandikui",
    "Sikrai",
    "Sikandra",
    "Lalsot",
    "Mahwa",
    "Baswa",
    "Lawan",
    "Ramgarh Pachwara",
    "Nangal Rajawatan",
    "Mandawar",
    "Bhandarej",
    "Abhaneri",
]
UNCHANGED = [
    *DAUSA_PLACES,
    "Follow @DmDausa #Dausa",
    "Water connections were completed in Bandikui and Sikrai this week.",
    "The camp is on 15 March at the Collectorate, Dausa.",
    "आज #हर_घर_जल शिविर Bandikui में, @DmDausa https://dausa.rajasthan.gov.in/jal?id=7",
    "PM Kisan की 17वीं किस्त 1,200 किसानों को मिली। #Dausa",
    "Helpline 181, 0141-2227474, 25%",
]


@pytest.mark.parametrize("text", UNCHANGED)
def test_names_english_and_mixed_posts_are_never_converted(text):
    assert suggestion(text) is None


@pytest.mark.parametrize(
    "legacy, unicode",
    [
        ("ftyk dyDVj nkSlk", "जिला कलक्टर दौसा"),
        ("gj ?kj ty ;kstuk dk ykHk", "हर घर जल योजना का लाभ"),
        # Mentions, hashtags, links and numbers inside Kruti Dev text stay as typed.
        ("gj ?kj ty @DmDausa #Dausa", "हर घर जल @DmDausa #Dausa"),
        (
            "vkosnu 15 rd https://dausa.rajasthan.gov.in ij djsa",
            "आवेदन 15 तक https://dausa.rajasthan.gov.in पर करें",
        ),
    ],
)
def test_real_kruti_dev_is_offered_converted_when_accepted(legacy, unicode):
    assert suggestion(legacy) == unicode


def test_the_server_stores_what_was_sent():
    from samvad.content.forms import SubmissionForm

    assert not hasattr(SubmissionForm, "clean") or SubmissionForm.clean is forms.Form.clean
