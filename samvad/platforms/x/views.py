"""The district admin's X settings (connect, disconnect, budget, alerts) and the cost ledger.

The OAuth callback and the token form are the only views that reach X, and only through
connect.py: the authorization code lives 30 seconds and a person is waiting for the answer.
"""

import secrets
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samvad.org import access
from samvad.org.access import DISTRICT_STAFF, Role
from samvad.org.models import District, OfficialAccount
from samvad.platforms.x import connect, ledger, oauth
from samvad.platforms.x.client import XClient
from samvad.platforms.x.errors import XError
from samvad.platforms.x.forms import AppForm, BudgetForm, LedgerFilterForm, OAuth1TokensForm
from samvad.platforms.x.models import Connection, DistrictBudget, LedgerEntry, XApp

SESSION_KEY = "x_oauth"


def _accounts(user):
    return OfficialAccount.objects.filter(district__in=access.admin_districts(user))


def _account(request, pk):
    return get_object_or_404(_accounts(request.user), pk=pk)


def _budgets(district_ids, *, today: bool = True) -> list[dict]:
    """Each district's budget and this month's spend; with `today`, also today's spend and the
    daily budget in rupees (the settings page shows them, the ledger does not: a query each)."""
    budgets = {b.district_id: b for b in DistrictBudget.objects.filter(district__in=district_ids)}
    rows = []
    for d in District.objects.filter(id__in=district_ids):
        row = {"district": d, "budget": budgets.get(d.id), "spent": ledger.month_spend(d.id)}
        if today:
            row["today_inr"] = ledger.usd_to_inr(ledger.day_spend(d.id))
            row["daily_inr"] = ledger.usd_to_inr(ledger.daily_budget_usd(d.id, budgets.get(d.id)))
        rows.append(row)
    return rows


@access.allow(Role.DISTRICT_ADMIN)
def settings_page(request):
    accounts = list(_accounts(request.user).select_related("department"))
    connections = {c.account_id: c for c in Connection.objects.filter(account__in=accounts)}
    district = access.user_district(request.user, admin=True)
    saved = XApp.objects.filter(district=district).first()
    context = {
        "accounts": [(a, connections.get(a.id)) for a in accounts],
        "budgets": _budgets(access.admin_districts(request.user)),
        "budget_form": BudgetForm(),
        "tokens_form": OAuth1TokensForm(),
        "app_form": AppForm(initial={"client_id": saved.client_id if saved else ""}),
        "app": oauth.app_for(district.pk) if district else None,
        "callback_url": request.build_absolute_uri(reverse("x:callback")),
        "scopes": oauth.SCOPES,
        "oauth1_ready": bool(settings.SAMVAD_X_CONSUMER_KEY),
    }
    context["oauth2_ready"] = context["app"] is not None
    response = render(request, "x/settings.html", context)
    # The connect form's answer redirects to X's consent page: allow that one form target.
    authorize = urlsplit(settings.SAMVAD_X_AUTHORIZE_URL)
    response._csp_update = {"form-action": [f"{authorize.scheme}://{authorize.netloc}"]}
    return response


@access.allow(Role.DISTRICT_ADMIN)
@require_POST
def save_app(request):
    """The district's X app, entered from the interface; the secret is sealed at once."""
    district = access.user_district(request.user, admin=True)
    form = AppForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the client ID of the X app."))
        return redirect("x:settings")
    XApp.enter(
        district,
        client_id=form.cleaned_data["client_id"],
        client_secret=form.cleaned_data["client_secret"],
        by=request.user,
    )
    messages.success(request, _("The X app is saved. Now connect the official account."))
    return redirect("x:settings")


@access.allow(Role.DISTRICT_ADMIN)
@require_POST
def connect_start(request, pk: int):
    account = _account(request, pk)
    app = oauth.app_for(account.district_id)
    if app is None:
        messages.error(request, _("Enter the X app's client ID first."))
        return redirect("x:settings")
    state, verifier = secrets.token_urlsafe(24), oauth.new_verifier()
    request.session[SESSION_KEY] = {"state": state, "verifier": verifier, "account": account.pk}
    redirect_uri = request.build_absolute_uri(reverse("x:callback"))
    return redirect(
        oauth.authorize_url(state=state, verifier=verifier, redirect_uri=redirect_uri, app=app)
    )


@access.allow(Role.DISTRICT_ADMIN)
@require_POST
def test_connection(request, pk: int):
    """Asks X who the tokens belong to, while the admin waits (like the OAuth callback)."""
    account = _account(request, pk)
    try:
        me = XClient(account).me()
    except XError as exc:
        messages.error(
            request,
            _("X did not answer for %(account)s: %(reason)s")
            % {"account": account, "reason": exc.message},
        )
    else:
        messages.success(
            request, _("The connection works: X answered as @%(handle)s.") % {"handle": me.username}
        )
    return redirect("x:settings")


@access.allow(Role.DISTRICT_ADMIN)
def connect_callback(request):
    pending = request.session.get(SESSION_KEY)
    state = request.GET.get("state", "")
    if not pending or not secrets.compare_digest(state, pending["state"]):
        # Left in place: a forged link must not cancel the connection the admin is making.
        messages.error(
            request,
            _("This answer from X does not match a connection you started. Please start again."),
        )
        return redirect("x:settings")
    del request.session[SESSION_KEY]  # the state is used once
    account = _account(request, pending["account"])
    if "code" not in request.GET:
        messages.error(
            request,
            _("X did not connect %(account)s: the request was cancelled.") % {"account": account},
        )
        return redirect("x:settings")
    try:
        connect.connect_oauth2(
            account,
            code=request.GET["code"],
            verifier=pending["verifier"],
            redirect_uri=request.build_absolute_uri(reverse("x:callback")),
            by=request.user,
        )
    except XError as exc:
        messages.error(
            request,
            _("X did not connect %(account)s: %(reason)s")
            % {"account": account, "reason": exc.message},
        )
    else:
        messages.success(request, _("%(account)s is connected to X.") % {"account": account})
    return redirect("x:settings")


@access.allow(Role.DISTRICT_ADMIN)
@require_POST
def connect_tokens(request, pk: int):
    account = _account(request, pk)
    form = OAuth1TokensForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Paste both the access token and its secret."))
        return redirect("x:settings")
    try:
        connect.connect_oauth1(
            account,
            token=form.cleaned_data["token"],
            secret=form.cleaned_data["secret"],
            by=request.user,
        )
    except XError as exc:
        messages.error(
            request,
            _("X did not connect %(account)s: %(reason)s")
            % {"account": account, "reason": exc.message},
        )
    else:
        messages.success(request, _("%(account)s is connected to X.") % {"account": account})
    return redirect("x:settings")


@access.allow(Role.DISTRICT_ADMIN)
@require_POST
def disconnect(request, pk: int):
    account = _account(request, pk)
    connect.disconnect(account)
    messages.success(request, _("%(account)s is disconnected from X.") % {"account": account})
    return redirect("x:settings")


@access.allow(Role.DISTRICT_ADMIN)
@require_POST
def clear_usage_cap(request, pk: int):
    connection = get_object_or_404(Connection, account=_account(request, pk))
    connection.clear_usage_cap()
    messages.success(request, _("The usage cap alert is cleared; calls to X resume."))
    return redirect("x:settings")


@access.allow(Role.DISTRICT_ADMIN)
@require_POST
def owns_app(request, pk: int):
    connection = get_object_or_404(Connection, account=_account(request, pk))
    connection.set_owns_app(request.POST.get("owns_app") == "1")
    return redirect("x:settings")


@access.allow(Role.DISTRICT_ADMIN)
@require_POST
def set_budget(request, district_pk: int):
    district = get_object_or_404(
        District.objects.filter(id__in=access.admin_districts(request.user)), pk=district_pk
    )
    form = BudgetForm(request.POST)
    if form.is_valid():
        DistrictBudget.set_for(
            district,
            monthly_usd=form.cleaned_data["monthly_usd"],
            daily_inr=form.cleaned_data["daily_inr"],
            by=request.user,
        )
        messages.success(request, _("The X budget is saved."))
    else:
        messages.error(
            request,
            _(
                "Enter the daily budget in whole rupees and the monthly one "
                "in US dollars, or leave them empty."
            ),
        )
    return redirect("x:settings")


@access.allow(*DISTRICT_STAFF)
def ledger_page(request):
    districts = access.editor_districts(request.user)
    form = LedgerFilterForm(request.GET or None)
    start, end = form.dates()
    ist = timezone.get_default_timezone()  # the office's days, not X's UTC billing days
    since = datetime.combine(start, datetime.min.time(), ist)
    until = datetime.combine(end, datetime.min.time(), ist) + timedelta(days=1)
    entries = LedgerEntry.objects.filter(district__in=districts, at__gte=since, at__lt=until)
    totals = entries.aggregate(calls=Count("id"), spend=Sum("cost"))  # one query for both
    context = {
        "form": form,
        "start": start,
        "end": end,
        "rows": entries.per_account_per_day(),
        "total_calls": totals["calls"],
        "total_spend": totals["spend"] or Decimal(0),
        "budgets": _budgets(districts, today=False),
        "month": timezone.now(),
        "inr_per_usd": settings.SAMVAD_INR_PER_USD,
    }
    return render(request, "x/ledger.html", context)
