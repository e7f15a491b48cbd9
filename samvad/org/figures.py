"""Figures that more than one app shows, each computed in one place."""


def following_rate(following: int, staff: int) -> int | None:
    """Percent of the staff who follow the official account; None (shown as "—") when there are
    no staff to count, since 0 % would claim that nobody follows."""
    return round(100 * following / staff) if staff else None
