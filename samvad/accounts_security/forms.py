from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from samvad.accounts_security import mfa
from samvad.org.models import User


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self):
        self.device = mfa.verify(self.user, self.cleaned_data["code"])
        if self.device is None:
            raise forms.ValidationError(
                _("That code is not right, or was used already. Wait a little and try again.")
            )
        return self.cleaned_data["code"]


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown in the app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if self.device is None or not self.device.verify_token(code):
            raise forms.ValidationError(
                _("That code is not right. Check the time on your phone and try again.")
            )
        return code


class ReauthForm(forms.Form):
    """The password again, and a code if the user has a second factor. The password goes through
    authenticate(), so the login throttle covers this form too."""

    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autofocus": True})
    )
    code = CodeForm.base_fields["code"]

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = request.user
        if not mfa.has_mfa(self.user):
            del self.fields["code"]

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if password is None:
            return data
        user = authenticate(self.request, username=self.user.get_username(), password=password)
        if user is None or user.pk != self.user.pk:
            # Checked before the code, so a wrong password never uses up a recovery code.
            raise forms.ValidationError(_("That password is not right."))
        if data.get("code") and mfa.verify(self.user, data["code"]) is None:
            self.add_error("code", _("That code is not right, or was used already."))
        return data


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("New email address"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if email.lower() == (self.user.email or "").lower():
            raise forms.ValidationError(_("That is already your email address."))
        # Password reset finds the account by email: two accounts must not share one.
        if User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(_("Another account uses that email address."))
        return email


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's form, with the old password checked through authenticate() so that the login
    throttle counts guesses here too (a stolen session must not become a password oracle)."""

    def __init__(self, user, *args, request, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        password = self.cleaned_data["old_password"]
        user = authenticate(self.request, username=self.user.get_username(), password=password)
        if user is None or user.pk != self.user.pk:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return password
