"""The inbox in the REST API (/api/v1/tickets): a department's own grievance system reads its
tickets with their conversation and sends a draft reply; an editor's token approves it. The same
scopes, services and forms as the pages, so the rules are the pages' rules."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from samvad.api.paging import Page, PageParams, page
from samvad.api.problems import Problem
from samvad.content.api import PostOut
from samvad.content.models import TransitionError
from samvad.inbox import forms, selectors, services
from samvad.inbox.models import Ticket
from samvad.inbox.selectors import INBOX_USERS
from samvad.org.access import DISTRICT_STAFF, EDITORIAL, SUBMIT, api_access

router = Router(tags=["inbox"])

APPROVED_ALREADY = _("The reply is approved already and can no longer change.")
NOT_NOW = _("This cannot be done to the reply in its present state.")
CLOSED = _("The ticket is closed; reopen it on the inbox page first.")


class TicketOut(Schema):
    id: int
    district_id: int
    department_id: int | None = Field(description="null: waiting in DIPR triage")
    status: Ticket.Status
    route: str
    deadline: datetime
    overdue: bool
    escalated_at: datetime | None
    created: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    account_handle: str
    mention_x_id: str
    mention_text: str
    author_username: str
    reply_id: int | None

    @staticmethod
    def resolve_overdue(ticket) -> bool:
        return ticket.is_overdue

    @staticmethod
    def resolve_account_handle(ticket) -> str:
        return ticket.mention.account.handle

    @staticmethod
    def resolve_mention_x_id(ticket) -> str:
        return ticket.mention.x_post_id

    @staticmethod
    def resolve_mention_text(ticket) -> str:
        return ticket.mention.text

    @staticmethod
    def resolve_author_username(ticket) -> str:
        return ticket.mention.author_username


class ContextOut(Schema):
    id: str = ""
    type: str = ""
    username: str = ""
    text: str = ""


class TicketDetailOut(TicketOut):
    """A ticket with its conversation: what the citizen answered or quoted, the earlier tickets
    of the same conversation that the caller may see, and the reply with its whole state."""

    mention_url: str
    posted_at: datetime | None
    conversation_id: str
    context: list[ContextOut]
    earlier_ticket_ids: list[int]
    reply: PostOut | None


class TicketFilters(PageParams):
    status: Ticket.Status | None = None
    open: bool | None = Field(None, description="Only open (new or in progress) tickets.")
    overdue: bool | None = Field(None, description="Only open tickets past their deadline.")
    deadline_before: datetime | None = None
    deadline_after: datetime | None = None
    department: int | None = None


class ReplyIn(Schema):
    text: str


class ApproveIn(Schema):
    text: str | None = Field(None, description="The editor's last change to the reply, if any.")


def _tickets(request):
    return selectors.visible_tickets(request.user).select_related("mention__account")


def _detail(request, ticket: Ticket) -> Ticket:
    """The ticket with what TicketDetailOut adds to it."""
    mention = ticket.mention
    earlier = (
        _tickets(request)
        .filter(mention__conversation_id=mention.conversation_id)
        .exclude(pk=ticket.pk)
        .values_list("pk", flat=True)
        if mention.conversation_id
        else []
    )
    ticket.mention_url, ticket.posted_at = mention.x_url, mention.posted_at
    ticket.conversation_id, ticket.context = mention.conversation_id, mention.context
    ticket.earlier_ticket_ids = list(earlier)
    return ticket


def _text(text: str) -> str:
    form = forms.ReplyForm({"text": text})
    if not form.is_valid():
        raise Problem.invalid(form)
    return form.cleaned_data["text"]


@router.get("/tickets", response=Page(TicketOut))
@api_access(*INBOX_USERS)
def ticket_list(request, filters: Query[TicketFilters]):
    """An officer's own department's tickets, an editor's or admin's whole district's; newest
    first, a page at a time (follow `next` until it is null)."""
    found = _tickets(request)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.open:
        found = found.open()
    if filters.overdue:
        found = found.overdue(timezone.now())
    if filters.deadline_before:
        found = found.filter(deadline__lt=filters.deadline_before)
    if filters.deadline_after:
        found = found.filter(deadline__gte=filters.deadline_after)
    if filters.department is not None:
        found = found.filter(department_id=filters.department)
    return page(request, found, filters)


@router.get("/tickets/{pk}", response=TicketDetailOut)
@api_access(*INBOX_USERS)
def ticket_detail(request, pk: int):
    return _detail(request, get_object_or_404(_tickets(request), pk=pk))


@router.post("/tickets/{pk}/reply", response=TicketDetailOut)
@api_access(*INBOX_USERS, scope=SUBMIT)
def ticket_reply(request, pk: int, payload: ReplyIn):
    """Draft the answer (or change the draft): it goes to DIPR for approval."""
    ticket = get_object_or_404(_tickets(request), pk=pk)
    if not ticket.is_open:
        raise Problem(409, "conflict", detail=CLOSED)
    if not selectors.may_draft(request.user, ticket):
        raise Problem(403, "forbidden")
    try:
        services.ticket_draft_reply(ticket=ticket, by=request.user, text=_text(payload.text))
    except TransitionError as error:
        raise Problem(409, "conflict", detail=APPROVED_ALREADY) from error
    return _detail(request, get_object_or_404(_tickets(request), pk=pk))


@router.post("/tickets/{pk}/approve", response=TicketDetailOut)
@api_access(*DISTRICT_STAFF, scope=EDITORIAL)
def ticket_approve(request, pk: int, payload: ApproveIn):
    """Approve the reply (after the editor's own last change): it goes out on X at once."""
    ticket = get_object_or_404(selectors.staff_tickets(request.user), pk=pk)
    text = _text(payload.text) if payload.text is not None else None
    try:
        services.ticket_approve_reply(ticket=ticket, by=request.user, text=text)
    except ValidationError as error:  # a blackout period
        raise Problem(422, "invalid", detail=" ".join(error.messages)) from error
    except TransitionError as error:
        raise Problem(409, "conflict", detail=NOT_NOW) from error
    return _detail(request, get_object_or_404(_tickets(request), pk=pk))
