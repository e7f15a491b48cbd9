"""Figures on the campaign pages: counts go through org's `indian` filter; money keeps its paise."""

from babel.numbers import format_decimal
from django import template

register = template.Library()


@register.filter
def usd(value) -> str:
    """1234567.5 → 12,34,567.50: dollars with the Indian digit grouping and two decimals."""
    if value is None or value == "":
        return ""
    return format_decimal(value, format="#,##,##0.00", locale="en_IN")
