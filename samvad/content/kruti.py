"""Kruti Dev 010 → Unicode: Hindi typed in the legacy font, still common in government offices.

Kruti Dev text is ASCII and Latin-1 bytes drawn with Devanagari glyphs: "jktLFkku" looks like
"राजस्थान" only in that font. On X it would show as gibberish, so while a person types or pastes,
the page offers the text in Unicode (suggestion()), which they accept or ignore; stored text is
never converted. See docs/decisions/003-kruti-dev.md for why this is our own small table.

Conversion has three steps:
1. glyph sequences → Unicode, longest first (TABLE, in order);
2. the short-i sign, typed before its consonant cluster, is moved after it (f r → त ि → ति);
3. the reph (Z, र्), typed after its cluster and vowel signs, is moved before them (dk;Z → कार्य).
"""

import unicodedata

import regex

# Placeholders used between the steps; private-use code points never appear in real text.
SHORT_I = "\ue001"
REPH = "\ue002"

# (Kruti Dev, Unicode) in the order they must be replaced: every sequence before its prefixes.
TABLE: list[tuple[str, str]] = [
    # Nukta forms and the reph with anusvara.
    ("[k+", "ख़"),
    ("d+", "क़"),
    ("x+", "ग़"),
    ("t+", "ज़"),
    ("M+", "ड़"),
    ("<+", "ढ़"),
    ("Q+", "फ़"),
    (";+", "य़"),
    ("j+", "ऱ"),
    ("u+", "ऩ"),
    ("¶+", "फ़्"),
    ("±", REPH + "ं"),
    # Conjuncts drawn as one glyph.
    ("<ªª", "ढ्र"),
    ("nzZ", "र्द्र"),
    ("Nî", "छ्य"),
    ("Vî", "ट्य"),
    ("Bî", "ठ्य"),
    ("Mî", "ड्य"),
    ("<î", "ढ्य"),
    ("Vª", "ट्र"),
    ("Mª", "ड्र"),
    ("Nª", "छ्र"),
    ("ºz", "ह्र"),
    ("{k", "क्ष"),
    ("{", "क्ष्"),
    ("«", "त्र्"),
    ("=", "त्र"),
    ("K", "ज्ञ"),
    ("J", "श्र"),
    ("Ø", "क्र"),
    ("Ý", "फ्र"),
    ("æ", "द्र"),
    ("ç", "प्र"),
    ("Á", "प्र"),
    ("xz", "ग्र"),
    ("Dr", "क्त"),
    ("Ùk", "त्त"),
    ("Ù", "त्त्"),
    ("–", "दृ"),
    ("—", "कृ"),
    ("Ñ", "कृ"),
    ("à", "ह्न"),
    ("á", "ह्य"),
    ("â", "हृ"),
    ("ã", "ह्म"),
    ("º", "ह्"),
    ("í", "द्द"),
    ("Ì", "द्द"),
    ("|", "द्य"),
    ("}", "द्व"),
    (")", "द्ध"),
    ("ê", "ट्ट"),
    ("Í", "ट्ट"),
    ("ë", "ट्ठ"),
    ("Î", "ट्ठ"),
    ("ì", "ड्ड"),
    ("Ï", "ड्ड"),
    ("ï", "ड्ढ"),
    ("Ô", "ड्ढ"),
    ("ô", "क्क"),
    ("Ó", "्य"),
    ("#", "रु"),
    (":", "रू"),
    # Independent vowels.
    ("v‚", "ऑ"),
    ("vks", "ओ"),
    ("vkS", "औ"),
    ("vk", "आ"),
    ("v", "अ"),
    ("bZ", "ई"),
    ("b", "इ"),
    ("m", "उ"),
    ("Å", "ऊ"),
    (",s", "ऐ"),
    (",", "ए"),
    ("_", "ऋ"),
    # Consonants: "X" alone is the half form, "Xk" (with the bar) the full one.
    ("Dk", "क"),
    ("D", "क्"),
    ("d", "क"),
    ("[k", "ख"),
    ("[", "ख्"),
    ("Xk", "ग"),
    ("X", "ग्"),
    ("x", "ग"),
    ("?k", "घ"),
    ("?", "घ्"),
    ("³", "ङ"),
    ("Pk", "च"),
    ("P", "च्"),
    ("p", "च"),
    ("N", "छ"),
    ("Tk", "ज"),
    ("T", "ज्"),
    ("t", "ज"),
    (">", "झ"),
    ("÷", "झ्"),
    ("Ö", "झ्"),
    ("¥", "ञ"),
    ("V", "ट"),
    ("B", "ठ"),
    ("M", "ड"),
    ("<", "ढ"),
    (".k", "ण"),
    (".", "ण्"),
    ("Rk", "त"),
    ("R", "त्"),
    ("r", "त"),
    ("Fk", "थ"),
    ("F", "थ्"),
    ("n", "द"),
    ("/k", "ध"),
    ("/", "ध्"),
    ("èk", "ध"),
    ("è", "ध्"),
    ("Uk", "न"),
    ("U", "न्"),
    ("u", "न"),
    ("Ik", "प"),
    ("I", "प्"),
    ("i", "प"),
    ("¶", "फ्"),
    ("Q", "फ"),
    ("Ck", "ब"),
    ("C", "ब्"),
    ("c", "ब"),
    ("Hk", "भ"),
    ("H", "भ्"),
    ("Ò", "भ"),
    ("Ek", "म"),
    ("E", "म्"),
    ("e", "म"),
    (";", "य"),
    ("¸", "य्"),
    ("j", "र"),
    ("Yk", "ल"),
    ("Y", "ल्"),
    ("y", "ल"),
    ("G", "ळ"),
    ("Ok", "व"),
    ("O", "व्"),
    ("o", "व"),
    ("'k", "श"),
    ("'", "श्"),
    ("Ük", "श"),
    ("Ü", "श्"),
    ('"k', "ष"),
    ('"', "ष्"),
    ("Lk", "स"),
    ("L", "स्"),
    ("l", "स"),
    ("g", "ह"),
    # Vowel signs and other marks.
    ("‚", "ॉ"),
    ("ks", "ो"),
    ("kS", "ौ"),
    ("k", "ा"),
    ("h", "ी"),
    ("q", "ु"),
    ("w", "ू"),
    ("`", "ृ"),
    ("s", "े"),
    ("S", "ै"),
    ("a", "ं"),
    ("¡", "ँ"),
    ("%", "ः"),
    ("W", "ॅ"),
    ("z", "्र"),
    ("ª", "्र"),
    ("~", "्"),
    ("+", "़"),
    ("Z", REPH),
    ("f", SHORT_I),
    ("·", "ऽ"),
    ("•", "ऽ"),
    # Punctuation and digits moved to other keys by the font.
    ("AA", "॥"),
    ("A", "।"),
    ("-", "."),
    ("&", "-"),
    ("]", ","),
    ("\\", "?"),
    ("@", "/"),
    ("^", "‘"),
    ("*", "’"),
    ("Þ", "“"),
    ("ß", "”"),
    ("¼", "("),
    ("½", ")"),
    ("¿", "{"),
    ("À", "}"),
    ("¾", "="),
    ("ñ", "॰"),
    ("Œ", "॰"),
    ("å", "०"),
    ("ƒ", "१"),
    ("„", "२"),
    ("…", "३"),
    ("†", "४"),
    ("‡", "५"),
    ("ˆ", "६"),
    ("‰", "७"),
    ("Š", "८"),
    ("‹", "९"),
]

_TOKENS = regex.compile("|".join(regex.escape(k) for k, _ in TABLE))
_UNICODE = dict(TABLE)

_CONSONANT = "[\u0915-\u0939\u0958-\u095f]\u093c?"  # a consonant, perhaps with nukta
_CLUSTER = rf"(?:{_CONSONANT}्)*{_CONSONANT}"
_SIGNS = "[\u093e-\u094c\u0901-\u0903]*"  # vowel signs, candrabindu, anusvara, visarga
_SHORT_I_BEFORE = regex.compile(rf"{SHORT_I}({_CLUSTER})")
_REPH_AFTER = regex.compile(rf"({_CLUSTER}{_SIGNS}){REPH}")


def to_unicode(text: str) -> str:
    """Kruti Dev 010 text as Unicode Devanagari (text that is not Kruti Dev will be mangled)."""
    # The alternation tries keys in TABLE order at each position, so longer keys win.
    out = _TOKENS.sub(lambda m: _UNICODE[m.group()], text)
    out = _SHORT_I_BEFORE.sub(lambda m: m.group(1) + "ि", out)
    out = _REPH_AFTER.sub(lambda m: "र्" + m.group(1), out)
    out = out.replace(SHORT_I, "ि").replace(REPH, "र्")
    return unicodedata.normalize("NFC", out)


# Detection ------------------------------------------------------------------------------------

# Words as Kruti Dev writes the commonest Hindi words: का के की है में और से को पर ने भी कि जो यह वह
# लिए एवं द्वारा तथा हैं।
_COMMON = frozenset(
    "dk ds dh gS esa vkSj ls dks ij us Hkh fd tks ;g og fy, ,oa }kjk rFkk gSa".split()  # noqa: SIM905
)
# Sequences that are frequent in Kruti Dev and rare in English words: a consonant key with the
# long-a bar (dk = का, but not "ok" or "work"), signs of o and au, a reph, a short-i in front,
# punctuation keys used as letters, the font's Latin-1 conjunct glyphs, and words without vowels
# (with a small letter: "DM SDM" and "/C" are abbreviations, not Kruti Dev).
_MARKER = regex.compile(
    r"[dxptjgnuiecyvHLRE;]k|ks|kS|[a-z]Z|^f[a-zA-Z]|'k|\[k|Fk|/k|\.k|\?k|;|sa$"
    r"|[ÙØÝæçÁ–—àáâãíÌêÍëÎìÏïÔôÓ±¡·ª«³¥÷ÖÑÒÜ]|^(?=.*[a-z])[^aeiouyAEIOUY]+$"
)
_ENGLISH = frozenset(
    "the and of to in is for on with as by at from this that are be it an or was has have "  # noqa: SIM905
    "will all not can you we our".split()
)
_DEVANAGARI = regex.compile(r"\p{Devanagari}")


def looks_like_kruti_dev(text: str) -> bool:
    """True when text is probably Kruti Dev: no Devanagari, and most words read as Kruti Dev."""
    if not text or _DEVANAGARI.search(text):
        return False
    words = [w for w in regex.findall(r"[^\s\d]+", text) if regex.search(r"[a-zA-Z]", w)]
    if not words:
        return False
    if sum(w.lower().strip(".,") in _ENGLISH for w in words) * 5 >= len(words):
        return False  # one word in five an English function word: English text
    hits = sum(w in _COMMON or bool(_MARKER.search(w)) for w in words)
    return hits * 2 > len(words)


# Words that are never converted, even inside Kruti Dev text: mentions, hashtags, links, e-mail
# addresses, numbers, and Latin words that read as words or names ("Bandikui", "Follow", "Dausa"):
# letters only, with a vowel, and none of Kruti Dev's markers.
_KEPT = regex.compile(
    r"[@#＠＃]\S*|\S*(?:://|www\.|@)\S*|[\d.,:/%+\-()]+|\(?[A-Z]?[a-z]{2,}[.,!?;:)]*"
)
_WORDS = regex.compile(r"(\s+)")


def _kept(word: str) -> bool:
    if not _KEPT.fullmatch(word) or word in _COMMON:
        return False
    if word[:1] in "@#＠＃" or any(c.isdigit() for c in word) or "://" in word or "@" in word:
        return True
    letters = word.strip(".,!?;:()")
    vowels = len(regex.findall(r"[aeiou]", letters))
    # A capital then small letters with two vowels is a name (Kruti Dev's capitals are half
    # letters followed by consonant keys: "Hkkjr"); a small word with a vowel and no marker
    # is a word.
    if letters[:1].isupper():
        return vowels >= 2
    return vowels >= 1 and not _MARKER.search(letters)


def convert_words(text: str) -> str:
    """Kruti Dev text in Unicode, word by word, leaving the words in _KEPT as they are."""
    return "".join(
        part if part.isspace() or not part or _kept(part) else to_unicode(part)
        for part in _WORDS.split(text)
    )


def suggestion(text: str) -> str | None:
    """The Unicode the text would become if it was typed in Kruti Dev, for the person to accept
    or ignore; None when it does not look like Kruti Dev or nothing would change. Stored text is
    never converted without the person's say (issue 16, finding 5)."""
    if not looks_like_kruti_dev(text):
        return None
    converted = convert_words(text)
    return converted if converted != text else None
