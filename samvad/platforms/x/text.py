"""X's text rules: weighted length, threads, hashtags and mentions, media limits.

Pure functions, no database and no network. Counting follows twitter-text's configuration v3,
which is what X applies to POST /2/tweets; see docs/decisions/002-x-text-rules.md for why it is
built from `twitter-text-parser` (URLs) and `emoji` (current emoji sequences) rather than taken
whole from one library.
"""

import unicodedata
from dataclasses import dataclass

import emoji
import regex
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from twitter_text import extract_urls_with_indices

MAX_WEIGHTED_LENGTH = 280
URL_WEIGHT = 23  # transformedURLLength: every link becomes a t.co link
EMOJI_WEIGHT = 2  # emojiParsingEnabled: a whole emoji sequence weighs defaultWeight
# Code points in these ranges weigh 1 (100 / scale 100); all others weigh 2 (defaultWeight 200).
# Devanagari (U+0900–U+097F) is in the first range, so Hindi counts one per code point.
LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
INVALID_CHARACTERS = frozenset("\ufffe\ufeff\uffff")


def normalize(text: str) -> str:
    """The text as it should be sent to X: NFC, with the browser's CRLF turned into LF."""
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n")


def _char_weight(char: str) -> int:
    code = ord(char)
    return 1 if any(start <= code <= end for start, end in LIGHT_RANGES) else 2


def _weighted_spans(text: str) -> dict[int, tuple[int, int]]:
    """Start index → (end index, weight) of every URL and emoji sequence in normalised text."""
    urls = extract_urls_with_indices(text)
    spans = {url["indices"][0]: (url["indices"][1], URL_WEIGHT) for url in urls}
    for match in emoji.emoji_list(text):
        # A URL wins over an emoji that starts at the same place.
        spans.setdefault(match["match_start"], (match["match_end"], EMOJI_WEIGHT))
    return spans


def weighted_length(text: str) -> int:
    """The length X counts against its 280 limit."""
    text = normalize(text)
    spans = _weighted_spans(text)
    total, index = 0, 0
    while index < len(text):
        if index in spans:
            index, weight = spans[index]
            total += weight
        else:
            total += _char_weight(text[index])
            index += 1
    return total


def is_valid(text: str) -> bool:
    """True when X accepts the text as a post: not empty, not too long, no invalid characters."""
    if INVALID_CHARACTERS.intersection(text):
        return False
    return 0 < weighted_length(text) <= MAX_WEIGHTED_LENGTH


# Threads ---------------------------------------------------------------------------------------

# A sentence ends with . । ॥ ? ! (perhaps followed by closing quotes or brackets).
_SENTENCE_END = regex.compile(r"[.।॥?!][\"'”’)\]»]*$")


@dataclass
class _Word:
    start: int
    end: int
    lead: int  # weight of the text before this word
    total: int  # weight of the text up to the end of this word
    ends_sentence: bool


def _words(text: str, budget: int) -> list[_Word]:
    """The words of text with running weights; a word heavier than a post comes in pieces.

    Links and emoji never contain whitespace, so weights add up word by word and a part's weight
    is a difference of two running totals instead of a recount.
    """
    words, weight, previous_end = [], 0, 0
    for match in regex.finditer(r"\S+", text):
        gap = text[previous_end : match.start()]
        weight += weighted_length(gap)
        if words and "\n\n" in gap:
            words[-1].ends_sentence = True  # a paragraph break is as good as a full stop
        for start, end in _pieces(text, match.start(), match.end(), budget):
            piece_weight = weighted_length(text[start:end])
            sentence = end == match.end() and bool(_SENTENCE_END.search(text[start:end]))
            words.append(_Word(start, end, weight, weight + piece_weight, sentence))
            weight += piece_weight
        previous_end = match.end()
    return words


def _pieces(text: str, start: int, end: int, budget: int):
    """(start, end) of the pieces of one word, each light enough for a post."""
    while weighted_length(text[start:end]) > budget:
        cut = start + max(_hard_cut(text[start:end], budget), 1)
        yield start, cut
        start = cut
    yield start, end


def _hard_cut(word: str, budget: int) -> int:
    """Where to cut a word longer than a post: after the last grapheme that fits.

    Links and emoji sequences are kept whole.
    """
    spans = _weighted_spans(word)
    cut, index = 0, 0
    while index < len(word):
        end = spans[index][0] if index in spans else regex.match(r"\X", word, pos=index).end()
        if weighted_length(word[:end]) > budget:
            break
        cut = index = end
    return cut


def _pack(text: str, budget: int) -> list[str]:
    words = _words(text, budget)
    parts, first = [], 0
    while first < len(words):
        last = _last_word(words, first, budget)
        parts.append(text[words[first].start : words[last].end])
        first = last + 1
    return parts


def _last_word(words: list[_Word], first: int, budget: int) -> int:
    """The last word of the part that begins at words[first]: a sentence end if one fits."""
    lead = words[first].lead
    last_word = last_sentence = first  # the first word always fits: see _pieces
    for index in range(first, len(words)):
        if words[index].total - lead > budget:
            break
        last_word = index
        if words[index].ends_sentence:
            last_sentence = index
    if last_word == len(words) - 1 or not words[last_sentence].ends_sentence:
        return last_word
    return last_sentence


def split_thread(text: str, *, numbered: bool = True) -> list[str]:
    """Split text into posts of a thread, each within X's limit.

    Parts end at a sentence (". । ? !") when one fits, otherwise at a word; links are never cut.
    Numbered parts end with " 1/3", " 2/3", ...; the number's length is reserved in every part.
    Text that fits in one post comes back as one unnumbered post.
    """
    text = normalize(text).strip()
    if weighted_length(text) <= MAX_WEIGHTED_LENGTH:
        return [text]
    if not numbered:
        return _pack(text, MAX_WEIGHTED_LENGTH)
    digits = 1
    while True:
        # " 12/34" is ASCII: one per character.
        parts = _pack(text, MAX_WEIGHTED_LENGTH - (2 * digits + 2))
        if len(str(len(parts))) <= digits:
            return [f"{part} {number}/{len(parts)}" for number, part in enumerate(parts, 1)]
        digits += 1


# Hashtags and mentions (twitter-text's extraction rules) ---------------------------------------

# Joiners, Hebrew and Japanese punctuation, the middle dot: allowed inside a hashtag.
_HASHTAG_SPECIAL = (
    "_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c"
    "\u309b\u309c\u30a0\u30fb\u3003\u0f0b\u0f0c\u00b7"
)
_HASHTAG_ALPHA = r"[\p{L}\p{M}]"
_HASHTAG_ALNUM = rf"[\p{{L}}\p{{M}}\p{{Nd}}{_HASHTAG_SPECIAL}]"
_HASHTAG = regex.compile(
    rf"(^|\ufe0e|\ufe0f|$|(?!{_HASHTAG_ALNUM}|&).)"  # a boundary: not part of a word
    rf"[#＃](?!\ufe0f|\u20e3)"  # "#️⃣" is an emoji, not a hashtag
    rf"({_HASHTAG_ALNUM}*{_HASHTAG_ALPHA}{_HASHTAG_ALNUM}*)",  # at least one letter
    regex.DOTALL,
)
_HASHTAG_END = regex.compile(r"[#＃]|://")

_LATIN_ACCENTS = (
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b"
    "\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_MENTION = regex.compile(
    r"(^|[^a-zA-Z0-9_!#$%&*@＠]|(?:^|[^a-zA-Z0-9_+~.-])(?:rt|RT|rT|Rt):?)"
    r"[@＠]([a-zA-Z0-9_]{1,20})(/[a-zA-Z][a-zA-Z0-9_-]{0,24})?"
)
_MENTION_END = regex.compile(rf"[@＠{_LATIN_ACCENTS}]|://")


_NOT_IN_HASHTAG = regex.compile(r"[^\p{L}\p{M}\p{Nd}]+")


def hashtag_from(words: str) -> str:
    """A name as a hashtag that X links whole: letters of any script with their combining marks,
    digits, and "_" for every run of anything else ("जल जीवन मिशन – हर घर जल" →
    "जल_जीवन_मिशन_हर_घर_जल"). Empty when nothing is left."""
    return _NOT_IN_HASHTAG.sub("_", normalize(words)).strip("_")


def extract_hashtags(text: str) -> list[str]:
    """Hashtags without "#", in order; letters and marks of any script count (#हर_घर_जल)."""
    text = normalize(text)
    tags = []
    for match in _HASHTAG.finditer(text):
        if not _HASHTAG_END.match(text, match.end()):
            tags.append((match.start(2) - 1, match.end(), match.group(2)))
    # A "#" inside a link (example.com/#top) is part of the link.
    urls = [tuple(u["indices"]) for u in extract_urls_with_indices(text)]
    return [tag for start, end, tag in tags if not _overlaps(start, end, urls)]


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < span_end and span_start < end for span_start, span_end in spans)


def extract_mentions(text: str) -> list[str]:
    """Usernames mentioned with "@", without the "@", in order (lists like @user/list excluded)."""
    text = normalize(text)
    names = []
    for match in _MENTION.finditer(text):
        if not _MENTION_END.match(text, match.end()) and not match.group(3):
            names.append(match.group(2))
    return names


# Media -----------------------------------------------------------------------------------------

IMAGE, GIF, VIDEO = "image", "gif", "video"
MB = 1024 * 1024
MAX_SIZE = {IMAGE: 5 * MB, GIF: 15 * MB, VIDEO: 512 * MB}
MAX_IMAGES = 4
MAX_ALT_TEXT = 1000

TOO_LARGE = {
    IMAGE: _("Image %(number)d is larger than 5 MB."),
    GIF: _("The GIF (attachment %(number)d) is larger than 15 MB."),
    VIDEO: _("The video (attachment %(number)d) is larger than 512 MB."),
}

# "%" on a lazy message would translate it at once; this keeps it lazy until it is shown.
_format = lazy(lambda message, **params: str(message) % params, str)


@dataclass(frozen=True)
class Media:
    """What the rules need to know about one attachment."""

    kind: str  # IMAGE, GIF or VIDEO
    size: int  # bytes
    alt_text: str = ""


def _get(item, name, default=None):
    # Items may be Media, a model instance with the same attributes, or a dict (e.g. from JSON).
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def validate_media(items) -> list:
    """Messages (translatable) for every way the attachments break X's rules; [] when they fit.

    Attachments are numbered from 1 in the order given, as the composer shows them.
    """
    items = list(items)
    kinds = [_get(item, "kind") for item in items]
    errors = _count_errors([kind for kind in kinds if kind in MAX_SIZE])
    for number, (item, kind) in enumerate(zip(items, kinds, strict=True), 1):
        if kind in MAX_SIZE:
            errors += _item_errors(item, kind, number)
        else:
            errors.append(
                _format(
                    _("Attachment %(number)d is not an image, a GIF or a video."), number=number
                )
            )
    return errors


def _count_errors(kinds: list[str]) -> list:
    if len(set(kinds)) > 1:
        return [_("Images, a GIF and a video cannot be mixed in one post.")]
    if kinds.count(IMAGE) > MAX_IMAGES:
        return [_("A post can have at most 4 images.")]
    if kinds.count(GIF) > 1:
        return [_("A post can have only one GIF.")]
    if kinds.count(VIDEO) > 1:
        return [_("A post can have only one video.")]
    return []


def _item_errors(item, kind: str, number: int) -> list:
    errors = []
    if (_get(item, "size") or 0) > MAX_SIZE[kind]:
        errors.append(_format(TOO_LARGE[kind], number=number))
    alt_text = (_get(item, "alt_text") or "").strip()
    if kind == IMAGE and not alt_text:
        errors.append(_format(_("Image %(number)d needs alt text."), number=number))
    if len(normalize(alt_text)) > MAX_ALT_TEXT:
        errors.append(
            _format(
                _("The alt text of attachment %(number)d is longer than 1000 characters."),
                number=number,
            )
        )
    return errors
