import pytest

from samvad.content.kruti import convert_if_legacy, looks_like_kruti_dev, to_unicode


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
    ["राजस्थान सरकार", "The scheme is open for all farmers", "Work on the park", "PM Kisan",
     "https://jaljeevanmission.gov.in", "", "DM SDM", "+cmd|' /C calc'!A0"],
)
def test_it_leaves_unicode_and_english_alone(text):
    assert not looks_like_kruti_dev(text)
    assert convert_if_legacy(text) == text
