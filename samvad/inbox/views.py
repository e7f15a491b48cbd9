from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samvad.audit.models import AuditEvent
from samvad.content.models import Post, TransitionError
from samvad.inbox import forms, selectors, services
from samvad.inbox.models import Evidence, FactCheck, InboxSettings, RoutingRule, Ticket
from samvad.inbox.selectors import INBOX_USERS
from samvad.org import access
from samvad.org.access import DISTRICT_STAFF, PUBLIC, Role
from samvad.org.models import Department, District
from samvad.org.pages import page_of


def _district_departments(user):
    """The departments an editor may route to: every department of the editor's district."""
    return Department.objects.filter(district__in=access.editor_districts(user))


def _is_staff(user, obj) -> bool:
    return obj.district_id in access.editor_districts(user)


# The inbox --------------------------------------------------------------------------------------


def _figures(user) -> list:
    """Each department's response times: all of an editor's district, an officer's own."""
    staff, own = access.editor_districts(user), access.officer_departments(user)
    districts = District.objects.filter(Q(id__in=staff) | Q(departments__in=own)).distinct()
    return [
        row
        for district in districts
        for row in selectors.response_times(district)
        if district.pk in staff or (row.department and row.department.pk in own)
    ]


@access.allow(*INBOX_USERS)
def inbox(request):
    user = request.user
    departments = access.visible_departments(user).filter(
        id__in=selectors.visible_tickets(user).values("department")
    )
    filters = forms.FilterForm(request.GET or None, departments=departments)
    tickets = filters.filter(selectors.visible_tickets(user)).newest_first_overdue_on_top()
    district = District.objects.filter(id__in=access.editor_districts(user)).first()
    context = {
        "tickets": page_of(request, tickets, 100),
        "filters": filters,
        "figures": _figures(user),
        "is_staff": district is not None,
        "is_admin": bool(access.admin_districts(user)),
        "gaps": selectors.gaps(district) if district else [],
        "cases": selectors.visible_fact_checks(user).filter(
            status__in=[FactCheck.Status.OPEN, FactCheck.Status.SENT]
        ),
    }
    return render(request, "inbox/inbox.html", context)


@access.allow(*INBOX_USERS)
def ticket_detail(request, pk: int):
    ticket = get_object_or_404(selectors.visible_tickets(request.user), pk=pk)
    mention = ticket.mention
    is_staff = _is_staff(request.user, ticket)
    reply = ticket.reply
    may_approve = (
        is_staff
        and ticket.is_open
        and reply is not None
        and reply.state in (Post.State.DRAFT, Post.State.SUBMITTED, Post.State.CHANGES_REQUESTED)
    )
    context = {
        "ticket": ticket,
        "mention": mention,
        "earlier": selectors.visible_tickets(request.user)
        .filter(mention__conversation_id=mention.conversation_id)
        .exclude(pk=ticket.pk)
        if mention.conversation_id
        else [],
        "reply": reply,
        "is_staff": is_staff,
        "may_approve": may_approve,
        "may_draft": not may_approve
        and ticket.is_open
        and selectors.may_draft(request.user, ticket)
        and (reply is None or reply.state not in services.ON_ITS_WAY),
        "reply_form": forms.ReplyForm(initial={"text": reply.text if reply else ""}),
        "comment_form": forms.CommentForm(),
        "assign_form": forms.AssignForm(
            departments=_district_departments(request.user),
            initial={"department": ticket.department},
        ),
        "fact_checks": mention.fact_checks.all(),
        "history": AuditEvent.objects.history(ticket, reply),
    }
    return render(request, "inbox/ticket_detail.html", context)


@require_POST
@access.allow(*INBOX_USERS)
def ticket_reply(request, pk: int):
    ticket = get_object_or_404(selectors.visible_tickets(request.user), pk=pk)
    if not (ticket.is_open and selectors.may_draft(request.user, ticket)):
        raise PermissionDenied
    form = forms.ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.ticket_draft_reply(
                ticket=ticket, by=request.user, text=form.cleaned_data["text"]
            )
            messages.success(request, _("The reply was sent to DIPR for approval."))
        except TransitionError:
            messages.error(request, _("The reply is approved already and can no longer change."))
    else:
        messages.error(request, " ".join(form.errors.get("text", [])))
    return redirect("inbox:ticket_detail", pk)


def _staff_ticket(request, pk) -> Ticket:
    return get_object_or_404(selectors.staff_tickets(request.user), pk=pk)


@require_POST
@access.allow(*DISTRICT_STAFF)
def ticket_approve(request, pk: int):
    ticket = _staff_ticket(request, pk)
    form = forms.ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("text", [])))
        return redirect("inbox:ticket_detail", pk)
    try:
        services.ticket_approve_reply(
            ticket=ticket, by=request.user, text=form.cleaned_data["text"]
        )
        messages.success(request, _("The reply is approved and goes out now."))
    except ValidationError as error:  # a blackout period
        messages.error(request, " ".join(error.messages))
    except TransitionError:
        messages.error(request, _("This cannot be done to the reply in its present state."))
    return redirect("inbox:ticket_detail", pk)


@require_POST
@access.allow(*DISTRICT_STAFF)
def ticket_return(request, pk: int):
    ticket = _staff_ticket(request, pk)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        try:
            services.ticket_return_reply(
                ticket=ticket, by=request.user, comment=form.cleaned_data["comment"]
            )
            messages.success(request, _("The reply was returned to the department."))
        except TransitionError:
            messages.error(request, _("This cannot be done to the reply in its present state."))
    return redirect("inbox:ticket_detail", pk)


@require_POST
@access.allow(*DISTRICT_STAFF)
def ticket_assign(request, pk: int):
    ticket = _staff_ticket(request, pk)
    form = forms.AssignForm(request.POST, departments=_district_departments(request.user))
    if form.is_valid() and ticket.is_open:
        ticket.assign(form.cleaned_data["department"], by=request.user)
        messages.success(request, _("The ticket was assigned."))
    return redirect("inbox:ticket_detail", pk)


@require_POST
@access.allow(*DISTRICT_STAFF)
def ticket_status(request, pk: int, action: str):
    ticket = _staff_ticket(request, pk)
    if action in ("close", "no_action") and ticket.is_open:
        ticket.close(by=request.user, no_action=action == "no_action")
    elif action == "reopen" and not ticket.is_open:
        ticket.reopen(by=request.user)
    else:
        raise Http404
    return redirect("inbox:ticket_detail", pk)


@require_POST
@access.allow(*DISTRICT_STAFF)
def ticket_rumour(request, pk: int):
    ticket = _staff_ticket(request, pk)
    case = services.factcheck_from_mention(ticket=ticket, by=request.user)
    messages.success(request, _("A fact-check case is open for this mention."))
    return redirect("inbox:factcheck_detail", case.pk)


# Routing rules and settings ---------------------------------------------------------------------


@access.allow(Role.DISTRICT_ADMIN)
def rules(request):
    district = access.user_district(request.user, admin=True)
    context = {
        "rules": RoutingRule.objects.filter(district=district).select_related("department"),
        "settings_form": forms.SettingsForm(instance=InboxSettings.of(district)),
        "district": district,
    }
    return render(request, "inbox/rules.html", context)


@access.allow(Role.DISTRICT_ADMIN)
def rule_edit(request, pk: int | None = None):
    district = access.user_district(request.user, admin=True)
    rule = (
        get_object_or_404(RoutingRule, district=district, pk=pk)
        if pk
        else RoutingRule(district=district)
    )
    before = rule.snapshot() if pk else {}
    form = forms.RuleForm(
        request.POST or None,
        instance=rule,
        departments=Department.objects.filter(district=district),
    )
    if request.method == "POST" and form.is_valid():
        services.rule_save(rule=form.instance, by=request.user, before=before)
        messages.success(request, _("The routing rule is saved."))
        return redirect("inbox:rules")
    return render(request, "inbox/rule_form.html", {"form": form, "rule": rule})


@require_POST
@access.allow(Role.DISTRICT_ADMIN)
def rule_delete(request, pk: int):
    rule = get_object_or_404(
        RoutingRule, district=access.user_district(request.user, admin=True), pk=pk
    )
    services.rule_delete(rule=rule, by=request.user)
    return redirect("inbox:rules")


@require_POST
@access.allow(Role.DISTRICT_ADMIN)
def rules_suggest(request):
    services.rules_suggest(district=access.user_district(request.user, admin=True), by=request.user)
    return redirect("inbox:rules")


@require_POST
@access.allow(Role.DISTRICT_ADMIN)
def settings_edit(request):
    district_settings = InboxSettings.of(access.user_district(request.user, admin=True))
    before = district_settings.snapshot()
    form = forms.SettingsForm(request.POST, instance=district_settings)
    if form.is_valid():
        services.settings_save(inbox_settings=form.instance, by=request.user, before=before)
        messages.success(request, _("The settings are saved."))
    return redirect("inbox:rules")


# Fact-check desk --------------------------------------------------------------------------------


@access.allow(*INBOX_USERS)
def factcheck_list(request):
    cases = selectors.visible_fact_checks(request.user)
    return render(
        request,
        "inbox/factcheck_list.html",
        {"cases": cases, "is_staff": bool(access.editor_districts(request.user))},
    )


@access.allow(*DISTRICT_STAFF)
def factcheck_new(request):
    """A claim seen outside the inbox: in the press, on WhatsApp, in another post."""
    district = access.user_district(request.user)
    form = forms.FactCheckForm(
        request.POST or None, departments=Department.objects.filter(district=district)
    )
    if request.method == "POST" and form.is_valid():
        case = services.factcheck_open(by=request.user, district=district, **form.cleaned_data)
        return redirect("inbox:factcheck_detail", case.pk)
    return render(request, "inbox/factcheck_form.html", {"form": form})


def _evidence_kinds(user, case) -> list[str]:
    """DIPR adds any evidence; the department's officer gives its statement and documents."""
    if _is_staff(user, case):
        return list(Evidence.Kind.values)
    return [Evidence.Kind.STATEMENT, Evidence.Kind.DOCUMENT, Evidence.Kind.LINK]


@access.allow(*INBOX_USERS)
def factcheck_detail(request, pk: int):
    case = get_object_or_404(selectors.visible_fact_checks(request.user), pk=pk)
    statement = case.statement
    text = _("Fact check: %(statement)s") % {"statement": statement.text} if statement else ""
    context = {
        "case": case,
        "evidence": case.evidence.select_related("added_by"),
        "is_staff": _is_staff(request.user, case),
        "evidence_form": forms.EvidenceForm(kinds=_evidence_kinds(request.user, case)),
        "clarification_form": forms.ClarificationForm(
            initial={"text": text, "as_reply": case.mention_id is not None}
        ),
        "history": AuditEvent.objects.history(case, case.clarification),
    }
    return render(request, "inbox/factcheck_detail.html", context)


@require_POST
@access.allow(*INBOX_USERS)
def evidence_add(request, pk: int):
    case = get_object_or_404(selectors.visible_fact_checks(request.user), pk=pk)
    form = forms.EvidenceForm(
        request.POST, request.FILES, kinds=_evidence_kinds(request.user, case)
    )
    if form.is_valid():
        services.factcheck_add_evidence(case=case, by=request.user, **form.cleaned_data)
        messages.success(request, _("The evidence is added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("inbox:factcheck_detail", pk)


def _staff_case(request, pk) -> FactCheck:
    return get_object_or_404(selectors.staff_fact_checks(request.user), pk=pk)


@require_POST
@access.allow(*DISTRICT_STAFF)
def factcheck_publish(request, pk: int):
    case = _staff_case(request, pk)
    form = forms.ClarificationForm(request.POST)
    if case.status != FactCheck.Status.OPEN:
        messages.error(request, _("This case has a clarification already."))
    elif form.is_valid():
        try:
            services.factcheck_publish_now(case=case, by=request.user, **form.cleaned_data)
            messages.success(request, _("The clarification is approved and goes out now."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except TransitionError:
            messages.error(
                request,
                _("The clarification cannot be posted: is the district's account registered?"),
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("inbox:factcheck_detail", pk)


@require_POST
@access.allow(*DISTRICT_STAFF)
def factcheck_dismiss(request, pk: int):
    case = _staff_case(request, pk)
    if case.status == FactCheck.Status.OPEN:
        case.dismiss(by=request.user)
    return redirect("inbox:factcheck_detail", pk)


@access.allow(*INBOX_USERS)
def evidence_document(request, pk: int):
    """An attached document, to those who see its case; never sniffed as HTML."""
    item = get_object_or_404(
        Evidence.objects.filter(case__in=selectors.visible_fact_checks(request.user)).exclude(
            document=""
        ),
        pk=pk,
    )
    # Saved, never shown: a type guessed from the uploader's name (.html, .svg) could run in
    # Samvad's origin.
    response = FileResponse(
        item.document.open("rb"),
        as_attachment=True,
        filename=item.document.name.rsplit("/", 1)[-1],
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@access.allow(PUBLIC)
def public_fact_checks(request, district: str):
    """The district's published fact checks, for everyone, when the district chose to show them."""
    district = get_object_or_404(District, code=district)
    if not InboxSettings.objects.filter(district=district, public_fact_checks=True).exists():
        raise Http404
    cases = (
        FactCheck.objects.published()
        .filter(district=district)
        .select_related("clarification")
        .order_by("-published_at")
    )
    return render(request, "inbox/public_fact_checks.html", {"district": district, "cases": cases})
