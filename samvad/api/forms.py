from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from samvad.api.models import READ, SCOPES

MAX_DAYS = 365


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the token is for"),
        max_length=100,
        help_text=_("For example: the PHED grievance system."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("It may"),
        choices=list(SCOPES.items()),
        initial=[READ],
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=MAX_DAYS,
        initial=lambda: settings.SAMVAD_API_TOKEN_DAYS,
    )


class RevokeForm(forms.Form):
    token = forms.IntegerField(min_value=1)
