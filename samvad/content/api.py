"""Submissions and posts in the REST API (/api/v1/): a department's own system sends material,
and an editor's token turns it into a thread, approves and schedules it. Each operation checks
its input with the pages' own forms and changes state through the same model methods, so the
rules (scopes, blackouts, the approval hash) are the pages' rules."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status

from samvad.api.paging import Page, PageParams, page
from samvad.api.problems import Problem
from samvad.content import forms
from samvad.content.access import (
    SUBMITTERS,
    editable_posts,
    editor_submissions,
    readable_posts,
    visible_submissions,
)
from samvad.content.models import (
    FourEyesError,
    Media,
    Post,
    Submission,
    TransitionError,
)
from samvad.org import access
from samvad.org.access import DISTRICT_STAFF, EDITORIAL, MANAGERS, SUBMIT, api_access
from samvad.org.models import OfficialAccount, district_account

IST = ZoneInfo("Asia/Kolkata")

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
    """The whole state of a post, as the publisher sees it."""

    id: int
    root_id: int | None = Field(description="The thread's first post; null for the first itself.")
    thread_position: int
    submission_id: int | None
    account_id: int | None
    account_handle: str | None
    text: str
    state: str = Field(
        description="draft, submitted, changes_requested, approved, publishing, "
        "published, retry_wait, uncertain, failed or rejected"
    )
    state_label: str = Field(description="The state in the caller's language.")
    scheduled_at: datetime | None
    attempts: int = Field(description="How many times the publisher has tried to put it on X.")
    last_error: str = Field(
        description="Why the last try did not publish it, in the caller's "
        "language where the reason is Samvad's (X's own "
        "messages are passed on as X wrote them)."
    )
    next_try_at: datetime | None = Field(description="When it is tried again (retry_wait).")
    lease_until: datetime | None = Field(
        description="While publishing: when the worker's claim "
        "ends; after that the post is uncertain."
    )
    x_post_id: str | None
    x_url: str
    published_at: datetime | None
    created: datetime

    @staticmethod
    def resolve_account_handle(post) -> str | None:
        return post.account.handle if post.account_id else None

    @staticmethod
    def resolve_state_label(post) -> str:
        return str(post.get_state_display())

    @staticmethod
    def resolve_last_error(post) -> str:
        return _(post.last_error) if post.last_error else ""

    @staticmethod
    def resolve_next_try_at(post):
        return post.retry_at if post.state == Post.State.RETRY_WAIT else None

    @staticmethod
    def resolve_lease_until(post):
        return post.lease_until if post.state == Post.State.PUBLISHING else None


class PostFilters(PageParams):
    submission: int | None = None
    state: Post.State | None = None
    account: int | None = Field(None, description="The official account's id.")
    created_from: date | None = Field(None, description="Created on or after this day (IST).")
    created_to: date | None = Field(None, description="Created on or before this day (IST).")


class SubmissionFilters(PageParams):
    state: Submission.State | None = None


class ScheduleIn(Schema):
    scheduled_at: datetime


@router.get("/submissions", response=Page(SubmissionOut))
@api_access(*SUBMITTERS)
def submission_list(request, filters: Query[SubmissionFilters]):
    """Newest first, a page at a time: follow `next` until it is null."""
    found = visible_submissions(request.user)
    if filters.state:
        found = found.filter(state=filters.state)
    return page(request, found, filters)


@router.get("/submissions/{pk}", response=SubmissionOut)
@api_access(*SUBMITTERS)
def submission_detail(request, pk: int):
    return get_object_or_404(visible_submissions(request.user), pk=pk)


@router.post("/submissions", response={201: SubmissionOut})
@api_access(*MANAGERS, scope=SUBMIT)
def submission_create(request, payload: SubmissionIn):
    form_class = forms.KIND_FORMS.get(payload.kind)
    if form_class is None:
        raise Problem.invalid(
            {"kind": [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(forms.KIND_FORMS)}]}
        )
    departments = access.managed_departments(request.user)
    department_id = payload.department_id
    if department_id is None and departments.count() == 1:
        department_id = departments.get().pk
    data = QueryDict(mutable=True)
    data.update(
        {
            **payload.details,
            "department": department_id or "",
            "title": payload.title,
            "body": payload.body,
            "language": payload.language,
            "priority": payload.priority,
            "preferred_date": payload.preferred_date or "",
        }
    )
    form = form_class(data, departments=departments)
    if not form.is_valid():
        raise Problem.invalid(form)
    with transaction.atomic():
        submission = Submission.send(
            by=request.user, kind=form.kind, via="api", **form.submission_fields()
        )
    return Status(201, submission)


@router.post("/submissions/{pk}/thread", response={201: list[PostOut]})
@api_access(*DISTRICT_STAFF, scope=EDITORIAL)
def submission_thread(request, pk: int, payload: ThreadIn):
    submission = get_object_or_404(editor_submissions(request.user), pk=pk)
    district = submission.department.district
    accounts = OfficialAccount.objects.filter(district=district)
    account = payload.account_id or getattr(district_account(district), "pk", "")
    data = QueryDict(mutable=True)
    data.update({"text": payload.text, "account": account})
    if payload.numbered:
        data["numbered"] = "on"
    form = forms.ComposerForm(data, accounts=accounts, photos=Media.objects.none())
    if not form.is_valid():
        raise Problem.invalid(form)
    root = Post.create_thread(
        by=request.user,
        submission=submission,
        texts=form.texts(),
        account=form.cleaned_data["account"],
    )
    return Status(201, list(root.thread.select_related("account")))


def _editable_thread(request, pk: int) -> list[Post]:
    return list(
        get_object_or_404(editable_posts(request.user), pk=pk).thread.select_related("account")
    )


@router.get("/posts", response=Page(PostOut))
@api_access(*SUBMITTERS)
def post_list(request, filters: Query[PostFilters]):
    """Posts newest first, a page at a time (follow `next` until it is null), filtered by
    submission, state, account and the day they were made."""
    found = readable_posts(request.user)
    if filters.submission is not None:
        found = found.filter(submission_id=filters.submission)
    if filters.state:
        found = found.filter(state=filters.state)
    if filters.account is not None:
        found = found.filter(account_id=filters.account)
    if filters.created_from:
        found = found.filter(created__gte=datetime.combine(filters.created_from, time(), IST))
    if filters.created_to:
        found = found.filter(created__lt=datetime.combine(filters.created_to, time.max, IST))
    return page(request, found, filters)


@router.get("/posts/{pk}", response=list[PostOut])
@api_access(*SUBMITTERS)
def post_thread(request, pk: int):
    """The post's whole thread, in order."""
    post = get_object_or_404(readable_posts(request.user), pk=pk)
    return list(post.thread.select_related("account"))


@router.post("/posts/{pk}/approve", response=list[PostOut])
@api_access(*DISTRICT_STAFF, scope=EDITORIAL)
def post_approve(request, pk: int):
    """Approve the whole thread: its content hash is frozen, as by the page's button."""
    thread = _editable_thread(request, pk)
    try:
        with transaction.atomic():
            Post.approve_thread(thread, by=request.user)
    except FourEyesError as error:
        raise Problem(409, "conflict", detail=FOUR_EYES) from error
    except TransitionError as error:
        raise Problem(409, "conflict", detail=NOT_NOW) from error
    return _editable_thread(request, pk)


@router.post("/posts/{pk}/schedule", response=list[PostOut])
@api_access(*DISTRICT_STAFF, scope=EDITORIAL)
def post_schedule(request, pk: int, payload: ScheduleIn):
    thread = _editable_thread(request, pk)
    try:
        with transaction.atomic():
            for post in thread:
                post.schedule(at=payload.scheduled_at, by=request.user)
    except ValidationError as error:  # a blackout period
        raise Problem(422, "invalid", detail=" ".join(error.messages)) from error
    except TransitionError as error:
        raise Problem(409, "conflict", detail=NOT_NOW) from error
    return _editable_thread(request, pk)
