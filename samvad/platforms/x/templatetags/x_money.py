"""Money on the pages: X bills in US dollars; the office reads rupees beside them, at the rate in
SAMVAD_INR_PER_USD. Both with the Indian digit grouping."""

from babel.numbers import format_decimal
from django import template

from samvad.org.templatetags.samvad import indian
from samvad.platforms.x.ledger import usd_to_inr

register = template.Library()


@register.filter
def usd(value, places=2) -> str:
    """1234567.5 → 12,34,567.50: dollars with the Indian digit grouping and two decimals (or
    `places`: a day's spend of one account is often a fraction of a cent)."""
    if value is None or value == "":
        return ""
    return format_decimal(value, format="#,##,##0." + "0" * int(places), locale="en_IN")


@register.filter
def inr(dollars) -> str:
    """Dollars as whole rupees at the configured rate: 103.2727 → 9,088 at ₹88 a dollar."""
    if dollars is None or dollars == "":
        return ""
    return indian(usd_to_inr(dollars))
