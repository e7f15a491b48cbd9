from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _


class RecipientsForm(forms.Form):
    emails = forms.CharField(
        label=_("Recipients of the daily report"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One email address a line. Add “ en” after an address for an English report."),
    )

    def clean_emails(self) -> list[tuple[str, str]]:
        found = []
        for line in self.cleaned_data["emails"].splitlines():
            parts = line.split()
            if not parts:
                continue
            email, language = parts[0].lower(), (parts[1] if len(parts) > 1 else "hi")
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(line)s” is not an email address."), params={"line": line}
                ) from None
            if language not in ("hi", "en"):
                raise forms.ValidationError(
                    _("The language after “%(email)s” must be hi or en."), params={"email": email}
                )
            found.append((email, language))
        return found
