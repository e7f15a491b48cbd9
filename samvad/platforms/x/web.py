"""Addresses of X's web pages, from SAMVAD_X_WEB_BASE_URL: x.com in production, the local
sandbox's pages in the demo and the tests, so a "View on X" link leads where the post lives."""

from django.conf import settings


def post_url(username: str, post_id: str) -> str:
    return f"{settings.SAMVAD_X_WEB_BASE_URL}/{username}/status/{post_id}"
