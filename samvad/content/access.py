"""Who sees which submission, post and image: the pages and the API look every object up through
these scopes, so anything outside them answers 404."""

from django.db.models import Q

from samvad.content.models import Media, Post, Submission
from samvad.org import access
from samvad.org.access import MANAGERS, Role

SUBMITTERS = (*MANAGERS, Role.EDITOR)


def visible_submissions(user):
    """An officer's own department's, an admin's or editor's whole district's."""
    return Submission.objects.filter(
        Q(department__in=access.managed_departments(user))
        | Q(department__district__in=access.editor_districts(user))
    ).select_related("department", "created_by")


def editor_submissions(user):
    """The submissions an editor or admin reviews and turns into posts: the whole district's."""
    return Submission.objects.filter(department__district__in=access.editor_districts(user))


def editable_posts(user):
    return Post.objects.filter(district__in=access.editor_districts(user))


def readable_posts(user):
    """An editor's or admin's whole district; an officer's own department's posts (the threads
    made of its submissions, and its replies to citizens)."""
    return Post.objects.filter(
        Q(district__in=access.editor_districts(user))
        | Q(department__in=access.officer_departments(user))
    ).select_related("account")


def visible_media(user):
    """Images of the submissions the user sees, all of an editor's district's, and the user's own
    uploads not sent yet."""
    return Media.objects.filter(
        Q(submission__in=visible_submissions(user))
        | Q(district__in=access.editor_districts(user))
        | Q(submission__isnull=True, uploaded_by=user)
    )


def unsent_photos(user):
    """Photos the user uploaded with a form that came back with errors (Media.keep): the form
    carries their ids, and only their uploader may send them."""
    return Media.objects.filter(submission__isnull=True, uploaded_by=user)
