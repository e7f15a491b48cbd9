import itertools

from babel import Locale
from babel.numbers import format_decimal
from django import template
from django.core.signals import setting_changed
from django.template.defaulttags import CsrfTokenNode
from django.template.loader_tags import BlockNode
from django.templatetags.i18n import GetCurrentLanguageNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.dates import MONTHS_3
from django.utils.translation import get_language

register = template.Library()
EN_IN = Locale.parse("en_IN")  # parsed once: a page can show hundreds of figures


@register.filter
def indian(value) -> str:
    """1234567 → 12,34,567: the Indian digit grouping, in both languages."""
    if value is None or value == "":
        return ""
    if isinstance(value, str) and value.lstrip("-").isdigit():
        value = int(value)  # e.g. from floatformat:0
    if isinstance(value, int):
        return _group(value)  # whole numbers, the common case, without babel's general path
    return format_decimal(value, locale=EN_IN)


def _group(number: int) -> str:
    """The last three digits, then pairs: what babel's en_IN pattern gives a whole number."""
    digits = str(abs(number))
    head, tail = digits[:-3], digits[-3:]
    pairs = []
    while head:
        head, pairs = head[:-2], [head[-2:], *pairs]
    return ("-" if number < 0 else "") + ",".join([*pairs, tail])


@register.filter(expects_localtime=True)
def day_month_time(value) -> str:
    """What |date:"j M, H:i" shows (2 दिसंबर, 21:50), without Django's general format parser: it
    cost a list of fifty submissions about 3 ms a page."""
    if value in (None, ""):
        return ""
    return f"{value.day} {MONTHS_3[value.month].title()}, {value.hour:02d}:{value.minute:02d}"


# {% once %}'s renderings, by (block, language, URL prefix and conf, the values it varies on).
_once: dict[tuple, str] = {}
_blocks = itertools.count()  # each {% once %} block's own number, never reused
setting_changed.connect(lambda **kwargs: _once.clear(), weak=False)  # tests change URLs, static
# What may differ between two pages with the same key: a page's own block, a per-request token,
# a tag that sets a variable (lost when the fragment is copied).
NOT_ONCE = (BlockNode, CsrfTokenNode, GetCurrentLanguageNode)


@register.tag
def once(parser, token):
    """{% once my_roles %}...{% endonce %}: rendered once per process for each language and each
    value of the given variables, then copied. The navigation and the page's frame are the same on
    every page, and their twenty {% url %} and {% translate %} cost a district admin a millisecond
    a page.
    Only for what depends on nothing else: no user's name, no figure, no form."""
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    if any(nodelist.get_nodes_by_type(kind) for kind in NOT_ONCE):
        raise template.TemplateSyntaxError("{% once %} may not hold a block or a per-request tag.")
    return OnceNode(nodelist, [parser.compile_filter(v) for v in token.split_contents()[1:]])


class OnceNode(template.Node):
    def __init__(self, nodelist, varies):
        self.nodelist, self.varies, self.number = nodelist, varies, next(_blocks)

    def render(self, context) -> str:
        values = (_hashable(v.resolve(context)) for v in self.varies)
        key = (self.number, get_language(), get_script_prefix(), get_urlconf(), *values)
        if (html := _once.get(key)) is None:
            html = _once[key] = self.nodelist.render(context)
        return html


def _hashable(value):
    """A dict, set or list as a key, by its contents."""
    if isinstance(value, dict):
        return frozenset(value.items())
    if isinstance(value, set):
        return frozenset(value)
    if isinstance(value, list):
        return tuple(value)
    return value
