"""Submissions and posts in the REST API (/api/v1/): a department's own system sends material,
and an editor's token turns it into a thread, approves and schedules it. Each operation checks
its input with the pages' own forms and changes state through the same model methods, so the
rules (scopes, blackouts, the approval hash) are the pages' rules."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from samvad.api.access import api_access
from samvad.content import forms
from samvad.content.models import (
    FourEyesError,
    Media,
    Post,
    Submission,
    TransitionError,
    post_create_thread,
)
from samvad.content.views import SUBMITTERS, editable_posts, visible_submissions
from samvad.org import access
from samvad.org.access import DISTRICT_STAFF, MANAGERS
from samvad.org.models import OfficialAccount

router = Router(tags=["content"])

# The pages' own words for a refused transition (TransitionError's text is for developers).
NOT_NOW = gettext_lazy("This cannot be done to the post in its present state.")
FOUR_EYES = gettext_lazy("Another editor must approve this post: you wrote or last edited it.")


class SubmissionIn(Schema):
    kind: str
    department_id: int | None = None  # the caller's own department when they manage one only
    title: str
    body: str = ""
    language: str = "hi"
    priority: int = 0
    preferred_date: date | None = None
    details: dict[str, str] = {}


class SubmissionOut(Schema):
    id: int
    kind: str
    department_id: int
    title: str
    body: str
    details: dict
    language: str
    priority: int
    preferred_date: date | None
    state: str
    editor_comment: str
    created: datetime


class ThreadIn(Schema):
    text: str  # split into a thread by X's text rules, as the composer does
    account_id: int | None = None  # the district account by default
    numbered: bool = True


class PostOut(Schema):
    id: int
    submission_id: int | None
    account_id: int | None
    text: str
    thread_position: int
    state: str
    scheduled_at: datetime | None
    x_post_id: str | None
    x_url: str


class ScheduleIn(Schema):
    scheduled_at: datetime


def _invalid(form_or_errors) -> HttpError:
    """422 with the form's messages, in the caller's language, field by field."""
    errors = getattr(form_or_errors, "errors", form_or_errors)
    return HttpError(422, "; ".join(f"{field}: {' '.join(messages)}"
                                    for field, messages in errors.items()))


@router.get("/submissions", response=list[SubmissionOut])
@api_access(*SUBMITTERS)
def submission_list(request):
    return list(visible_submissions(request.user)[:200])


@router.get("/submissions/{pk}", response=SubmissionOut)
@api_access(*SUBMITTERS)
def submission_detail(request, pk: int):
    return get_object_or_404(visible_submissions(request.user), pk=pk)


@router.post("/submissions", response={201: SubmissionOut})
@api_access(*MANAGERS)
def submission_create(request, payload: SubmissionIn):
    form_class = forms.KIND_FORMS.get(payload.kind)
    if form_class is None:
        raise _invalid({"kind": [_("Choose one of: %(kinds)s.")
                                 % {"kinds": ", ".join(forms.KIND_FORMS)}]})
    departments = access.managed_departments(request.user)
    department_id = payload.department_id
    if department_id is None and departments.count() == 1:
        department_id = departments.get().pk
    data = QueryDict(mutable=True)
    data.update({**payload.details, "department": department_id or "", "title": payload.title,
                 "body": payload.body, "language": payload.language,
                 "priority": payload.priority, "preferred_date": payload.preferred_date or ""})
    form = form_class(data, departments=departments)
    if not form.is_valid():
        raise _invalid(form)
    with transaction.atomic():
        submission = form.save(by=request.user, via="api")
    return Status(201, submission)


@router.post("/submissions/{pk}/thread", response={201: list[PostOut]})
@api_access(*DISTRICT_STAFF)
def submission_thread(request, pk: int, payload: ThreadIn):
    submission = get_object_or_404(
        visible_submissions(request.user).filter(
            department__district__in=access.editor_districts(request.user)), pk=pk)
    district = submission.department.district
    accounts = OfficialAccount.objects.filter(district=district)
    account = payload.account_id or getattr(accounts.filter(department__isnull=True).first(),
                                            "pk", "")
    data = QueryDict(mutable=True)
    data.update({"text": payload.text, "account": account})
    if payload.numbered:
        data["numbered"] = "on"
    form = forms.ComposerForm(data, accounts=accounts, photos=Media.objects.none())
    if not form.is_valid():
        raise _invalid(form)
    root = post_create_thread(by=request.user, district=district, texts=form.texts(),
                              account=form.cleaned_data["account"], submission=submission)
    if submission.state == Submission.State.SUBMITTED:
        submission.accept(by=request.user)
    return Status(201, list(root.thread))


def _editable_thread(request, pk: int) -> list[Post]:
    return list(get_object_or_404(editable_posts(request.user), pk=pk).thread)


@router.get("/posts/{pk}", response=list[PostOut])
@api_access(*DISTRICT_STAFF)
def post_thread(request, pk: int):
    """The post's whole thread, in order."""
    return _editable_thread(request, pk)


@router.post("/posts/{pk}/approve", response=list[PostOut])
@api_access(*DISTRICT_STAFF)
def post_approve(request, pk: int):
    """Approve the whole thread: its content hash is frozen, as by the page's button."""
    thread = _editable_thread(request, pk)
    try:
        with transaction.atomic():
            Post.approve_thread(thread, by=request.user)
    except FourEyesError as error:
        raise HttpError(409, str(FOUR_EYES)) from error
    except TransitionError as error:
        raise HttpError(409, str(NOT_NOW)) from error
    return _editable_thread(request, pk)


@router.post("/posts/{pk}/schedule", response=list[PostOut])
@api_access(*DISTRICT_STAFF)
def post_schedule(request, pk: int, payload: ScheduleIn):
    thread = _editable_thread(request, pk)
    try:
        with transaction.atomic():
            for post in thread:
                post.schedule(at=payload.scheduled_at, by=request.user)
    except ValidationError as error:  # a blackout period
        raise HttpError(422, " ".join(error.messages)) from error
    except TransitionError as error:
        raise HttpError(409, str(NOT_NOW)) from error
    return _editable_thread(request, pk)
