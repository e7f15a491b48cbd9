"""The inbox's flows, each one named function: a mention becomes a routed ticket; a department
drafts the reply, DIPR approves it and the publisher sends it; overdue tickets are escalated; a
rumour becomes a fact-check case whose clarification goes out through the fast lane."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from samvad.content.audit import audit
from samvad.content.models import Post, TransitionError, post_create_thread
from samvad.inbox import routing
from samvad.inbox.models import (
    Evidence,
    FactCheck,
    Mention,
    RoutingRule,
    Ticket,
    service_level,
)
from samvad.org.models import OfficialAccount

logger = logging.getLogger(__name__)

# The reply exists on X, or may: it can no longer be changed, only followed.
ON_ITS_WAY = {Post.State.APPROVED, Post.State.PUBLISHING, Post.State.PUBLISHED,
              Post.State.UNCERTAIN, Post.State.RETRY_WAIT}


# Routing ----------------------------------------------------------------------------------------


def district_rules(district) -> list[tuple]:
    rules = RoutingRule.objects.filter(district=district).select_related("department")
    return [(rule.department, rule.keyword_list()) for rule in rules]


def choose_department(mention: Mention) -> tuple:
    """(department or None, route, matched keyword), in this order: the department that holds an
    earlier ticket of the same conversation, the keyword rules, the department whose own account
    was mentioned, else DIPR triage."""
    earlier = (Ticket.objects.filter(district=mention.district, department__isnull=False,
                                     mention__conversation_id=mention.conversation_id)
               .exclude(mention=mention).order_by("-created").first()
               if mention.conversation_id else None)
    if earlier:
        return earlier.department, Ticket.Route.CONVERSATION, ""
    if match := routing.route(mention.text, district_rules(mention.district)):
        return match.target, Ticket.Route.KEYWORD, match.keyword
    if mention.account.department_id:
        return mention.account.department, Ticket.Route.ACCOUNT, ""
    return None, Ticket.Route.TRIAGE, ""


def ticket_open(mention: Mention) -> Ticket:
    department, route, keyword = choose_department(mention)
    now = timezone.now()
    ticket = Ticket.objects.create(
        district=mention.district, mention=mention, department=department, route=route,
        matched_keyword=keyword, created=now,
        deadline=now + service_level(mention.district, department),
    )
    audit(actor=None, action="ticket.open", obj=ticket,
          after={**ticket.snapshot(), "matched_keyword": keyword})
    return ticket


# Mentions from X --------------------------------------------------------------------------------


def _context(post, referenced: dict, users: dict) -> list[dict]:
    """The posts a mention replies to or quotes, as far as X expanded them."""
    items = []
    for ref in post.raw.get("referenced_tweets", []):
        if found := referenced.get(ref["id"]):
            author = users.get(found.author_id)
            items.append({"id": found.id, "type": ref.get("type", ""), "text": found.text,
                          "username": author.username if author else ""})
    return items


def mention_record(account, post, *, users: dict, referenced: dict) -> Ticket | None:
    """Keep a mention once per district and open its ticket. None when the post is the
    district's own or was kept already (a post may mention two of its accounts)."""
    district = account.district
    own = OfficialAccount.objects.filter(district=district, x_user_id=post.author_id)
    if own.exists() or Mention.objects.filter(district=district, x_id=post.id).exists():
        return None
    author = users.get(post.author_id)
    replied = [r["id"] for r in post.raw.get("referenced_tweets", [])
               if r.get("type") == "replied_to"]
    try:
        with transaction.atomic():
            mention = Mention.objects.create(
                district=district, account=account, x_id=post.id, author_x_id=post.author_id,
                author_username=author.username if author else "",
                author_name=(author.name if author else "")[:100], text=post.text,
                posted_at=post.created_at, conversation_id=post.raw.get("conversation_id", ""),
                in_reply_to_x_id=replied[0] if replied else "",
                context=_context(post, referenced, users),
            )
            return ticket_open(mention)
    except IntegrityError:
        return None  # another worker kept it first


# Replies ----------------------------------------------------------------------------------------


def ticket_draft_reply(*, ticket: Ticket, by, text: str) -> Post:
    """The department's answer (or the editor's, for a ticket in triage), sent to DIPR for
    approval: a draft post from the mentioned account that replies to the citizen's post."""
    post = ticket.reply
    with transaction.atomic():
        if post is not None and post.state in ON_ITS_WAY:
            raise TransitionError("the reply is approved already")
        if post is None or post.state == Post.State.REJECTED:
            post = post_create_thread(
                by=by, district=ticket.district, texts=[text], account=ticket.mention.account,
                department=ticket.department, in_reply_to_x_id=ticket.mention.x_id,
            )
            ticket.set_reply(post, by=by)
        else:
            post.edit(by=by, text=text)
        if post.state in (Post.State.DRAFT, Post.State.CHANGES_REQUESTED):
            post.submit(by=by)
        if ticket.status == Ticket.Status.NEW or ticket.first_response_at is None:
            ticket.start(by=by)
    return post


def ticket_approve_reply(*, ticket: Ticket, by, text: str | None = None) -> Post:
    """DIPR approves the reply, after its own last edits, and it is due at once: the publisher
    sends it as a reply to the citizen's post."""
    post = ticket.reply
    if post is None:
        raise TransitionError("there is no reply to approve")
    with transaction.atomic():
        if text is not None and text.strip() != post.text:
            post.edit(by=by, text=text)
        if post.state in (Post.State.DRAFT, Post.State.CHANGES_REQUESTED):
            post.submit(by=by)
        post.approve(by=by)
        post.schedule(at=timezone.now(), by=by)
        audit(actor=by, action="ticket.approve_reply", obj=ticket, after={"reply": post.pk})
    return post


def ticket_return_reply(*, ticket: Ticket, by, comment: str) -> None:
    post = ticket.reply
    if post is None:
        raise TransitionError("there is no reply to return")
    with transaction.atomic():
        post.return_for_changes(by=by, comment=comment)
        audit(actor=by, action="ticket.return_reply", obj=ticket,
              after={"reply": post.pk, "comment": comment})


# Escalation -------------------------------------------------------------------------------------


def escalate_overdue(now=None) -> list[Ticket]:
    """Escalate every open ticket whose deadline has come, once, and tell the district admins."""
    from samvad.inbox.notify import notify_escalated

    due = Ticket.objects.to_escalate(now).select_related("district", "department", "mention")
    escalated = [ticket for ticket in due if ticket.escalate(now)]
    for ticket in escalated:
        try:
            notify_escalated(ticket)
        except Exception:
            # The escalation is recorded and shown in the inbox; a failed e-mail must not undo it.
            logger.exception("Telling the admins of ticket %s's escalation failed", ticket.pk)
    return escalated


# Fact-check desk --------------------------------------------------------------------------------


def factcheck_open(*, by, district, claim: str, mention: Mention | None = None,
                   claim_url: str = "", department=None) -> FactCheck:
    case = FactCheck.objects.create(district=district, mention=mention, claim=claim,
                                    claim_url=claim_url, department=department, opened_by=by)
    audit(actor=by, action="factcheck.open", obj=case,
          after={**case.snapshot(), "claim": claim, "mention": mention.pk if mention else None})
    return case


def factcheck_from_mention(*, ticket: Ticket, by) -> FactCheck:
    """The editor marks a mention as a rumour: one action opens the case, for the ticket's
    department to give its statement."""
    existing = ticket.mention.fact_checks.exclude(status=FactCheck.Status.DISMISSED).first()
    if existing:
        return existing
    claim = " ".join(routing.HANDLES_AND_LINKS.sub(" ", ticket.mention.text).split())
    case = factcheck_open(by=by, district=ticket.district, claim=claim or ticket.mention.text,
                          mention=ticket.mention, claim_url=ticket.mention.x_url,
                          department=ticket.department)
    audit(actor=by, action="ticket.rumour", obj=ticket, after={"fact_check": case.pk})
    return case


def factcheck_add_evidence(*, case: FactCheck, by, kind: str, url: str = "", document=None,
                           text: str = "") -> Evidence:
    item = Evidence.objects.create(case=case, kind=kind, url=url, document=document or "",
                                   text=text, added_by=by)
    audit(actor=by, action="factcheck.evidence", obj=case,
          after={"evidence": item.pk, "kind": kind, "url": url, "text": text,
                 "document": item.document.name if item.document else ""})
    return item


def district_account(district) -> OfficialAccount | None:
    return OfficialAccount.objects.filter(district=district, department__isnull=True).first()


def factcheck_publish_now(*, case: FactCheck, by, text: str, as_reply: bool) -> Post:
    """The fast lane: the editor's clarification is approved by that editor and due at once. As a
    reply to the rumour's mention it also answers the mention's ticket (if it has no reply yet)."""
    reply_to = case.mention if as_reply and case.mention_id else None
    account = reply_to.account if reply_to else district_account(case.district)
    with transaction.atomic():
        post = post_create_thread(by=by, district=case.district, texts=[text], account=account,
                                  department=case.department,
                                  in_reply_to_x_id=reply_to.x_id if reply_to else "")
        post.submit(by=by)
        post.approve(by=by)
        post.schedule(at=timezone.now(), by=by)
        case.send(post, by=by)
        ticket = Ticket.objects.filter(mention=reply_to).first() if reply_to else None
        if ticket and ticket.is_open and ticket.reply_id is None:
            ticket.set_reply(post, by=by)
    return post
