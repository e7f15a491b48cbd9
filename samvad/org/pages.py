"""A long list shown a page at a time (templates/pages.html draws the links): a list that grows
through a campaign costs the same to open on day 15 as on day 1."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def page_of(request, items, size: int = PAGE_SIZE) -> Page:
    """The page the address asks for (?page=N); the last one for a number past the end, the first
    for anything that is not a number."""
    return Paginator(items, size).get_page(request.GET.get("page"))
