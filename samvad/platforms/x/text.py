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

MAX_WEIGHTED_LENGTH = 280
# The longest text taken for a post or a thread (about 80 posts of Hindi): longer text is refused
# before any work is done on it.
MAX_TEXT_LENGTH = 20_000
TEXT_TOO_LONG = _("The text is longer than 20,000 characters; shorten it or split it.")
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


_LIGHT_CLASS = "".join(f"\\U{start:08x}-\\U{end:08x}" for start, end in LIGHT_RANGES)
_HEAVY = regex.compile(f"[^{_LIGHT_CLASS}]")
# A word of light characters, none of them an emoji (© and ® are), without a dot before its
# trailing punctuation, can hold neither a link nor an emoji: it weighs its length.
# Possessive: the two classes share punctuation, and backtracking between them is quadratic.
_PLAIN_WORD = regex.compile(rf"[{_LIGHT_CLASS}--[\s.©®]]++[.!?,;:।॥\"'”’)\]»]*+", regex.V1)
# twitter-text's domain pattern backtracks badly over many short dotted labels ("a.a.a.a..."):
# 100 such characters take 0.06 s and 1,600 take 15 s. No real link has this many short labels
# in a row, so such a run is searched for links a few labels at a time.
_DOTTED_RUN = regex.compile(r"(?:[^.\s]{1,3}\.){8,}")
_DOTTED_PIECE = regex.compile(r"(?:[^.\s]{1,3}\.){1,4}")


def _gap_weight(gap: str) -> int:
    return len(gap) + len(_HEAVY.findall(gap))


def _word_spans(word: str) -> dict[int, tuple[int, int]]:
    """Start index → (end index, weight) of every URL and emoji sequence in one word."""
    spans = {start: (end, URL_WEIGHT) for start, end in _word_links(word)}
    if _HEAVY.search(word) or "©" in word or "®" in word:
        for match in emoji.emoji_list(word):
            # A URL wins over an emoji that starts at the same place.
            spans.setdefault(match["match_start"], (match["match_end"], EMOJI_WEIGHT))
    return spans


def _word_links(word: str) -> list[tuple[int, int]]:
    """(start, end) of every link in one word."""
    return [
        (start + url["indices"][0], start + url["indices"][1])
        for start, end in _link_search_pieces(word)
        for url in _urls(word[start:end])
    ]


def _urls(text: str) -> list[dict]:
    # twitter-text compiles its URL and emoji patterns when imported (about a second): imported
    # here, a process that never looks at a post's text (the worker between posts, a management
    # command, each test process that does not) starts that much sooner.
    from twitter_text import extract_urls_with_indices

    return extract_urls_with_indices(text)


def has_link(text: str) -> bool:
    """Whether X sees a link in the text (a post with a link costs far more)."""
    return any(_word_links(word) for word in normalize(text).split() if "." in word)


def _link_search_pieces(word: str):
    """(start, end) of the parts of a word that are searched for links."""
    if "." not in word:
        return
    start = 0
    for run in _DOTTED_RUN.finditer(word):
        yield start, run.start()
        for piece in _DOTTED_PIECE.finditer(word, run.start(), run.end()):
            yield piece.start(), piece.end()
        start = run.end()
    yield start, len(word)


def _units(word: str):
    """(end index, weight) of each unit of a word in turn: a link, an emoji sequence or a
    grapheme. A word is only ever cut between units."""
    spans = {} if _PLAIN_WORD.fullmatch(word) else _word_spans(word)
    index = 0
    for grapheme in _GRAPHEMES.finditer(word):
        if grapheme.start() < index:
            continue  # inside a link or an emoji sequence
        if grapheme.start() in spans:
            index, weight = spans[grapheme.start()]
        else:
            index, weight = grapheme.end(), _gap_weight(grapheme.group())
        yield index, weight


_GRAPHEMES = regex.compile(r"\X")


def _word_weight(word: str) -> int:
    if _PLAIN_WORD.fullmatch(word):
        return len(word)
    total, index = 0, 0
    for start, (end, weight) in sorted(_word_spans(word).items()):
        if start >= index:  # an emoji inside a link is part of the link
            total += _gap_weight(word[index:start]) + weight
            index = end
    return total + _gap_weight(word[index:])


def weighted_length(text: str) -> int:
    """The length X counts against its 280 limit."""
    return _scan(normalize(text))[1]


def is_valid(text: str) -> bool:
    """True when X accepts the text as a post: not empty, not too long, no invalid characters."""
    if INVALID_CHARACTERS.intersection(text):
        return False
    return 0 < weighted_length(text) <= MAX_WEIGHTED_LENGTH


# Threads ---------------------------------------------------------------------------------------

# A sentence ends with . । ॥ ? ! (perhaps followed by closing quotes or brackets).
_SENTENCE_END = regex.compile(r"[.।॥?!][\"'”’)\]»]*$")


@dataclass(slots=True)
class _Word:
    start: int
    end: int
    lead: int  # weight of the text before this word
    total: int  # weight of the text up to the end of this word
    ends_sentence: bool


# Whitespace, then a word: one that weighs its length (see _PLAIN_WORD), or any other.
_GAP_AND_WORD = regex.compile(rf"(\s*+)(?:((?:{_PLAIN_WORD.pattern})(?!\S))|(\S++))", regex.V1)
_SENTENCE_END_CHARS = frozenset(".।॥?!\"'”’)]»")


def _scan(text: str) -> tuple[list[_Word], int]:
    """The words of normalised text with running weights, and the weight of the whole text.

    Links and emoji never contain whitespace, so the text is weighed word by word and a part's
    weight is a difference of two running totals: the work is linear in the length of the text.
    """
    words, weight, end = [], 0, 0
    for match in _GAP_AND_WORD.finditer(text):
        gap = match.group(1)
        weight += 1 if gap == " " else _gap_weight(gap)
        if words and "\n\n" in gap:
            words[-1].ends_sentence = True  # a paragraph break is as good as a full stop
        start, end = match.span(1)[1], match.end()
        word_weight = end - start if match.lastindex == 2 else _word_weight(text[start:end])
        sentence = text[end - 1] in _SENTENCE_END_CHARS and bool(
            _SENTENCE_END.search(text, start, end)
        )
        words.append(_Word(start, end, weight, weight + word_weight, sentence))
        weight += word_weight
    return words, weight + _gap_weight(text[end:])


def _words(text: str, budget: int, words: list[_Word]) -> list[_Word]:
    """The words again, a word heavier than a post in pieces."""
    if all(word.total - word.lead <= budget for word in words):
        return words
    pieces = []
    for word in words:
        if word.total - word.lead <= budget:
            pieces.append(word)
            continue
        start, weight = word.start, word.lead
        for end, piece_weight in _pieces(text[word.start : word.end], budget):
            end += word.start
            sentence = end == word.end and word.ends_sentence
            pieces.append(_Word(start, end, weight, weight + piece_weight, sentence))
            start, weight = end, weight + piece_weight
    return pieces


def _pieces(word: str, budget: int) -> list[tuple[int, int]]:
    """(end, weight) of the pieces of one word, each light enough for a post: cut after the last
    grapheme that fits, links and emoji sequences kept whole."""
    if len(word) <= budget and _PLAIN_WORD.fullmatch(word):
        return [(len(word), len(word))]
    pieces, weight, start = [], 0, 0
    for end, unit_weight in _units_within(word, budget):
        if weight + unit_weight > budget and weight:
            pieces.append((start, weight))
            weight = 0
        weight += unit_weight
        start = end
    pieces.append((start, weight))
    return pieces


def _units_within(word: str, budget: int):
    """The word's units; a grapheme heavier than a post (a letter under hundreds of combining
    marks) comes as its code points."""
    previous_end = 0
    for end, weight in _units(word):
        if weight > budget:
            for index in range(previous_end, end):
                yield index + 1, _gap_weight(word[index])
        else:
            yield end, weight
        previous_end = end


def _pack(text: str, budget: int, words: list[_Word]) -> list[str]:
    words = _words(text, budget, words)
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
    words, weight = _scan(text)
    if weight <= MAX_WEIGHTED_LENGTH:
        return [text]
    if not numbered:
        return _pack(text, MAX_WEIGHTED_LENGTH, words)
    # A thread has at least as many parts as its words' weight fills posts, so the numbers
    # have at least that many digits: starting there saves packing the text again and again.
    words_weight = sum(word.total - word.lead for word in words)
    digits = len(str(max(1, words_weight // MAX_WEIGHTED_LENGTH)))
    while True:
        # " 12/34" is ASCII: one per character.
        parts = _pack(text, MAX_WEIGHTED_LENGTH - (2 * digits + 2), words)
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
    urls = [tuple(u["indices"]) for u in _urls(text)]
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
