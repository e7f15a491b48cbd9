from babel.numbers import format_decimal
from django import template

register = template.Library()


@register.filter
def indian(value) -> str:
    """1234567 → 12,34,567: the Indian digit grouping, in both languages."""
    if value is None or value == "":
        return ""
    return format_decimal(value, locale="en_IN")
