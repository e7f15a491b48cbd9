"""The inbox's flows, each one named function: a mention becomes a routed ticket; a department
drafts the reply, DIPR approves it and the publisher sends it; overdue tickets are escalated; a
rumour becomes a fact-check case whose clarification goes out through the fast lane."""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from samvad import audit
from samvad.content.models import Post, TransitionError
from samvad.inbox import routing
from samvad.inbox.models import (
    Evidence,
    FactCheck,
    InboxSettings,
    Mention,
    RoutingRule,
    Ticket,
)
from samvad.notifications import notify
from samvad.org.models import OfficialAccount, district_account

logger = logging.getLogger(__name__)

# The reply exists on X, or may: it can no longer be changed, only followed.
ON_ITS_WAY = {
    Post.State.APPROVED,
    Post.State.PUBLISHING,
    Post.State.PUBLISHED,
    Post.State.UNCERTAIN,
    Post.State.RETRY_WAIT,
}


# Routing ----------------------------------------------------------------------------------------


class DistrictRouting:
    """What routing a district's new mentions needs, read once however many there are: the keyword
    rules, the service levels, and the department that holds each of their conversations."""

    def __init__(self, district, conversation_ids=()):
        rules = list(RoutingRule.objects.filter(district=district).select_related("department"))
        self.district = district
        self.rules = [(rule.department, rule.keyword_list()) for rule in rules]
        self.hours = {rule.department_id: rule.reply_hours for rule in rules if rule.reply_hours}
        self.default_hours = InboxSettings.of(district).reply_hours
        earlier = (
            Ticket.objects.filter(
                district=district,
                department__isnull=False,
                mention__conversation_id__in=set(conversation_ids) - {""},
            )
            .select_related("department", "mention")
            .order_by("created", "pk")
        )
        # The latest ticket of each conversation wins.
        self.conversations = {t.mention.conversation_id: t.department for t in earlier}

    def choose(self, mention: Mention) -> tuple:
        """(department or None, route, matched keyword), in this order: the department that holds
        an earlier ticket of the same conversation, the keyword rules, the department whose own
        account was mentioned, else DIPR triage."""
        if department := self.conversations.get(mention.conversation_id):
            return department, Ticket.Route.CONVERSATION, ""
        if match := routing.route(mention.text, self.rules):
            return match.target, Ticket.Route.KEYWORD, match.keyword
        if mention.account.department_id:
            return mention.account.department, Ticket.Route.ACCOUNT, ""
        return None, Ticket.Route.TRIAGE, ""

    def ticket(self, mention: Mention) -> Ticket:
        """The mention's routed ticket, unsaved; later mentions of its conversation follow it."""
        now = timezone.now()
        department, route, keyword = self.choose(mention)
        hours = self.hours.get(department.pk if department else None, self.default_hours)
        if department and mention.conversation_id:
            self.conversations[mention.conversation_id] = department
        return Ticket(
            district=self.district,
            mention=mention,
            department=department,
            route=route,
            matched_keyword=keyword,
            created=now,
            deadline=now + timedelta(hours=hours),
        )


def choose_department(mention: Mention) -> tuple:
    return DistrictRouting(mention.district, [mention.conversation_id]).choose(mention)


def ticket_open(mention: Mention) -> Ticket:
    [ticket] = tickets_open([mention], DistrictRouting(mention.district, [mention.conversation_id]))
    return ticket


def tickets_open(mentions: list[Mention], router: DistrictRouting) -> list[Ticket]:
    """A routed ticket for each mention (oldest first), written together with their audit rows."""
    tickets = Ticket.objects.bulk_create([router.ticket(m) for m in mentions])
    audit.record_all(
        audit.event(
            actor=None,
            action="ticket.open",
            obj=ticket,
            district=router.district,
            after={**ticket.snapshot(), "matched_keyword": ticket.matched_keyword},
        )
        for ticket in tickets
    )
    return tickets


# The district admin's rules and settings ------------------------------------------------------


def rule_save(*, rule: RoutingRule, by, before: dict) -> None:
    """A new or changed routing rule; `before` is its snapshot as it was (empty when new)."""
    with transaction.atomic():
        rule.save()
        audit.record(
            actor=by, action="routing_rule.save", obj=rule, before=before, after=rule.snapshot()
        )


def rule_delete(*, rule: RoutingRule, by) -> None:
    with transaction.atomic():
        audit.record(actor=by, action="routing_rule.delete", obj=rule, before=rule.snapshot())
        rule.delete()


def rules_suggest(*, district, by) -> list[RoutingRule]:
    """The suggested rule of each department that has suggested keywords and no rule yet."""
    with transaction.atomic():
        rules = seed_routing_rules(district)
        for rule in rules:
            audit.record(actor=by, action="routing_rule.save", obj=rule, after=rule.snapshot())
    return rules


def settings_save(*, inbox_settings: InboxSettings, by, before: dict) -> None:
    """The district's changed inbox settings; `before` is what they were."""
    with transaction.atomic():
        inbox_settings.save()
        audit.record(
            actor=by,
            action="inbox.settings",
            obj=inbox_settings,
            before=before,
            after=inbox_settings.snapshot(),
        )


# Mentions from X --------------------------------------------------------------------------------


def _context(post, referenced: dict, users: dict) -> list[dict]:
    """The posts a mention replies to or quotes, as far as X expanded them."""
    items = []
    for ref in post.raw.get("referenced_tweets", []):
        if found := referenced.get(ref["id"]):
            author = users.get(found.author_id)
            items.append(
                {
                    "id": found.id,
                    "type": ref.get("type", ""),
                    "text": found.text,
                    "username": author.username if author else "",
                }
            )
    return items


def _mention(account, post, users: dict, referenced: dict) -> Mention:
    author = users.get(post.author_id)
    replied = [
        r["id"] for r in post.raw.get("referenced_tweets", []) if r.get("type") == "replied_to"
    ]
    return Mention(
        district=account.district,
        account=account,
        x_post_id=post.id,
        author_x_user_id=post.author_id,
        author_username=author.username if author else "",
        author_name=(author.name if author else "")[:100],
        text=post.text,
        posted_at=post.created_at,
        conversation_id=post.raw.get("conversation_id", ""),
        in_reply_to_x_post_id=replied[0] if replied else "",
        context=_context(post, referenced, users),
    )


def mentions_record(account, posts: list, *, users: dict, referenced: dict) -> list[Ticket]:
    """Keep new mentions once per district and open their tickets, oldest first, with a fixed
    number of queries however many there are. A post of the district's own accounts, or one kept
    already (a post may mention two of its accounts), is left out."""
    district = account.district
    own = set(
        OfficialAccount.objects.filter(district=district)
        .exclude(x_user_id="")
        .values_list("x_user_id", flat=True)
    )
    fresh = {p.id: p for p in posts if p.author_id not in own}
    for attempt in range(2):
        known = set(
            Mention.objects.filter(district=district, x_post_id__in=list(fresh)).values_list(
                "x_post_id", flat=True
            )
        )
        new = [
            _mention(account, p, users, referenced)
            for p in sorted(fresh.values(), key=lambda p: int(p.id))
            if p.id not in known
        ]
        if not new:
            return []
        try:
            with transaction.atomic():
                Mention.objects.bulk_create(new)
                return tickets_open(
                    new, DistrictRouting(district, [m.conversation_id for m in new])
                )
        except IntegrityError:
            if attempt:
                raise
            # Another worker kept some of them first: read what is known again, once.
    return []


# Replies ----------------------------------------------------------------------------------------


def ticket_draft_reply(*, ticket: Ticket, by, text: str) -> Post:
    """The department's answer (or the editor's, for a ticket in triage), sent to DIPR for
    approval: a draft post from the mentioned account that replies to the citizen's post."""
    post = ticket.reply
    with transaction.atomic():
        if post is not None and post.state in ON_ITS_WAY:
            raise TransitionError("the reply is approved already")
        if post is None or post.state == Post.State.REJECTED:
            post = Post.create_thread(
                by=by,
                district=ticket.district,
                texts=[text],
                account=ticket.mention.account,
                department=ticket.department,
                in_reply_to_x_post_id=ticket.mention.x_post_id,
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
        audit.record(actor=by, action="ticket.approve_reply", obj=ticket, after={"reply": post.pk})
    return post


def ticket_return_reply(*, ticket: Ticket, by, comment: str) -> None:
    post = ticket.reply
    if post is None:
        raise TransitionError("there is no reply to return")
    with transaction.atomic():
        post.return_for_changes(by=by, comment=comment)
        audit.record(
            actor=by,
            action="ticket.return_reply",
            obj=ticket,
            after={"reply": post.pk, "comment": comment},
        )


# Escalation -------------------------------------------------------------------------------------


def escalate_overdue(now=None) -> list[Ticket]:
    """Escalate every open ticket whose deadline has come, once, and tell the district admins."""
    due = Ticket.objects.to_escalate(now).select_related("district", "department", "mention")
    escalated = [ticket for ticket in due if ticket.escalate(now)]
    for ticket in escalated:
        try:
            link = reverse("inbox:ticket_detail", args=[ticket.pk])
            for admin in ticket.district.admins():
                notify(admin, "inbox/email/escalated", {"ticket": ticket}, link)
        except Exception:
            # The escalation is recorded and shown in the inbox; a failed e-mail must not undo it.
            logger.exception("Telling the admins of ticket %s's escalation failed", ticket.pk)
    return escalated


# Fact-check desk --------------------------------------------------------------------------------


def factcheck_open(
    *,
    by,
    district,
    claim: str,
    mention: Mention | None = None,
    claim_url: str = "",
    department=None,
) -> FactCheck:
    case = FactCheck.objects.create(
        district=district,
        mention=mention,
        claim=claim,
        claim_url=claim_url,
        department=department,
        opened_by=by,
    )
    audit.record(
        actor=by,
        action="factcheck.open",
        obj=case,
        after={**case.snapshot(), "claim": claim, "mention": mention.pk if mention else None},
    )
    return case


def factcheck_from_mention(*, ticket: Ticket, by) -> FactCheck:
    """The editor marks a mention as a rumour: one action opens the case, for the ticket's
    department to give its statement."""
    existing = ticket.mention.fact_checks.exclude(status=FactCheck.Status.DISMISSED).first()
    if existing:
        return existing
    claim = " ".join(routing.HANDLES_AND_LINKS.sub(" ", ticket.mention.text).split())
    case = factcheck_open(
        by=by,
        district=ticket.district,
        claim=claim or ticket.mention.text,
        mention=ticket.mention,
        claim_url=ticket.mention.x_url,
        department=ticket.department,
    )
    audit.record(actor=by, action="ticket.rumour", obj=ticket, after={"fact_check": case.pk})
    return case


def factcheck_add_evidence(
    *, case: FactCheck, by, kind: str, url: str = "", document=None, text: str = ""
) -> Evidence:
    item = Evidence.objects.create(
        case=case, kind=kind, url=url, document=document or "", text=text, added_by=by
    )
    audit.record(
        actor=by,
        action="factcheck.evidence",
        obj=case,
        after={
            "evidence": item.pk,
            "kind": kind,
            "url": url,
            "text": text,
            "document": item.document.name if item.document else "",
        },
    )
    return item


def factcheck_publish_now(*, case: FactCheck, by, text: str, as_reply: bool) -> Post:
    """The fast lane: the editor's clarification is approved by that editor and due at once. As a
    reply to the rumour's mention it also answers the mention's ticket (if it has no reply yet)."""
    reply_to = case.mention if as_reply and case.mention_id else None
    account = reply_to.account if reply_to else district_account(case.district)
    with transaction.atomic():
        post = Post.create_thread(
            by=by,
            district=case.district,
            texts=[text],
            account=account,
            department=case.department,
            in_reply_to_x_post_id=reply_to.x_post_id if reply_to else "",
        )
        post.submit(by=by)
        post.approve(by=by)
        post.schedule(at=timezone.now(), by=by)
        case.send(post, by=by)
        ticket = Ticket.objects.filter(mention=reply_to).first() if reply_to else None
        if ticket and ticket.is_open and ticket.reply_id is None:
            ticket.set_reply(post, by=by)
    return post


def seed_routing_rules(district) -> list[RoutingRule]:
    """The suggested routing rules (the demo district gets them when it is seeded, and a district
    admin can add them with one button, then edit them): a rule for each of the district's
    departments that has suggested keywords and no rule yet. Idempotent: returns the rules made."""
    created = []
    for department in district.departments.filter(
        code__in=routing.DEFAULT_KEYWORDS, routing_rule__isnull=True
    ):
        keywords = ", ".join(routing.parse_keywords(routing.DEFAULT_KEYWORDS[department.code]))
        created.append(
            RoutingRule.objects.create(district=district, department=department, keywords=keywords)
        )
    return created
