from babel import Locale
from babel.numbers import format_decimal
from django import template

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
