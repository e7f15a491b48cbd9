"""Which department a mention is for: keyword rules in Hindi and English, simple enough to explain
on the ticket ("to electricity, because of the word «बिजली»").

Message and keywords are normalised alike: NFC, case folded, zero-width joiners dropped, the
spellings people type interchangeably made one (a nukta or none: सड़क, सडक; chandrabindu or
anusvara: गाँव, गांव), cut into words of letters, marks and
digits (Devanagari's vowel signs are marks, so "बिजली" stays one word), and a plural ending taken
off ("roads" → "road", "सड़कों" → "सड़क"). A keyword matches whole words in order, so "light" is not
found in "delight". The rule whose keywords cover most words of the message wins ("street light"
covers two, "light" one); a tie goes to the keyword that comes first in the message.
"""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import regex

WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
HANDLES_AND_LINKS = regex.compile(r"@\w+|https?://\S+")
SPELLINGS = {
    **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u093c")),
    ord("\u0901"): "\u0902",
}  # zero-width joiners and the nukta out; ँ → ं
HINDI_PLURAL_ENDINGS = ("ों", "ें")  # सड़कों, सड़कें → सड़क
KEYWORD_SEPARATORS = regex.compile(r"[,\n;،]+")


def stem(word: str) -> str:
    """Take a plural ending off, keeping at least two letters of the word."""
    if word.isascii():
        if len(word) > 4 and word.endswith("ies"):
            return word[:-3] + "y"
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            return word[:-1]
        return word
    for ending in HINDI_PLURAL_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            return word[: -len(ending)]
    return word


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).casefold().translate(SPELLINGS)
    return [stem(w) for w in WORD.findall(HANDLES_AND_LINKS.sub(" ", text))]


def parse_keywords(text: str) -> list[str]:
    """Keywords as a person types them: separated by commas or new lines, duplicates dropped."""
    found = (k.strip() for k in KEYWORD_SEPARATORS.split(unicodedata.normalize("NFC", text)))
    return list(dict.fromkeys(k for k in found if words(k)))


def position(message: list[str], keyword: list[str]) -> int | None:
    """Where the keyword's words stand together in the message, or None."""
    size = len(keyword)
    for start in range(len(message) - size + 1):
        if message[start : start + size] == keyword:
            return start
    return None


@dataclass(frozen=True)
class Match:
    target: object  # what the rule routes to (a department, or its id)
    keyword: str  # the first keyword found in the message: the reason shown on the ticket
    score: int  # how many words of the message the rule's keywords cover
    position: int


def route(text: str, rules: Iterable[tuple[object, list[str]]]) -> Match | None:
    """The best rule for the text, or None when no keyword is found (the mention goes to triage).

    `rules` are (target, keywords) pairs, in the order that breaks a full tie."""
    message, best = words(text), None
    for target, keywords in rules:
        score, first, reason = 0, len(message), ""
        for keyword in keywords:
            kw = words(keyword)
            at = position(message, kw) if kw else None
            if at is None:
                continue
            score += len(kw)
            if at < first:
                first, reason = at, keyword
        if score and (best is None or (score, -first) > (best.score, -best.position)):
            best = Match(target, reason, score, first)
    return best


# Suggested rules, by department code (the codes of the demo's departments). Romanised Hindi is
# listed in the spellings people use; plurals need not be listed.
DEFAULT_KEYWORDS = {
    "electricity": "बिजली, विद्युत, लाइट, करंट, ट्रांसफार्मर, ट्रांसफॉर्मर, बिजली बिल, "
                   "bijli, bijlee, bijali, light, electricity, power, power cut, current, "
                   "transformer, JVVNL",
    "phed": "पानी, पेयजल, जलापूर्ति, जल आपूर्ति, नल, हैंडपंप, टंकी, पाइपलाइन, paani, pani, "
            "jal, water, water supply, tap, handpump, hand pump, pipeline, PHED",
    "pwd": "सड़क, पुल, गड्ढा, गड्ढे, पुलिया, sadak, sarak, road, bridge, pothole, PWD",
    "health": "अस्पताल, चिकित्सालय, डॉक्टर, दवा, दवाई, एम्बुलेंस, टीका, स्वास्थ्य, aspatal, "
              "hospital, doctor, medicine, dawai, ambulance, vaccine, health",
    "municipal": "सफाई, कचरा, नाली, स्ट्रीट लाइट, safai, kachra, garbage, drain, sewer, "
                 "street light",
    "social-justice": "पेंशन, वृद्धावस्था पेंशन, pension",
    "agriculture": "किसान, खाद, बीज, फसल, kisan, farmer, fertiliser, fertilizer, seed, crop",
    "wcd": "आंगनबाड़ी, आंगनवाड़ी, पोषाहार, anganwadi",
    "irrigation": "सिंचाई, नहर, बांध, sinchai, irrigation, canal, dam",
    "employment": "रोजगार, नौकरी, बेरोजगारी भत्ता, rojgar, naukri, job, employment",
    "labour": "श्रमिक, मजदूर, मजदूरी, shramik, majdoor, labour, labor, worker",
}  # fmt: skip
