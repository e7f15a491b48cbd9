from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OAuth1TokensForm(forms.Form):
    """User tokens made for the account in X's developer portal, pasted once and never shown."""

    token = forms.CharField(
        label=_("Access token"),
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    secret = forms.CharField(
        label=_("Access token secret"),
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


class AppForm(forms.Form):
    """The X developer app's OAuth 2.0 client, as X's developer portal shows it."""

    client_id = forms.CharField(label=_("Client ID"), max_length=100, strip=True)
    client_secret = forms.CharField(
        label=_("Client secret"),
        max_length=200,
        strip=True,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the secret already saved. Never shown again."),
    )


class BudgetForm(forms.Form):
    daily_inr = forms.IntegerField(label=_("Daily X budget (₹)"), min_value=0, required=False)
    monthly_usd = forms.DecimalField(
        label=_("Monthly X budget (USD)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        required=False,
    )


class LedgerFilterForm(forms.Form):
    """A date range; once campaigns exist, a campaign's dates fill it in."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        # A day near year 9999 would overflow the range's arithmetic.
        cleaned = super().clean()
        for name in ("start", "end"):
            day = cleaned.get(name)
            if day and not date(2000, 1, 1) <= day <= date(2100, 12, 31):
                self.add_error(name, _("Choose a day between 2000 and 2100."))
        return cleaned

    def dates(self):
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        return data.get("start") or end - timedelta(days=29), end
