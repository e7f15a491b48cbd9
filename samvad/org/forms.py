from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from samvad.org.models import Department, Person, Role, User


class InvitationForm(forms.Form):
    """Who may invite whom: a district admin invites officers and editors of the district, an
    officer invites the staff of their own department."""

    name = forms.CharField(label=_("Name"), max_length=200)
    designation = forms.CharField(label=_("Designation"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"))
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args, roles, departments, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        self.fields["department"].queryset = departments
        self.people = people  # the people the inviter has authority over

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        # An invitation makes a new account: someone who has one already needs none, and two
        # accounts must not share an address (password reset finds the account by it).
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("This email address already belongs to an account; that person can log in.")
            )
        # Nor may it reach a person the inviter does not manage (the ADC, another department).
        if Person.objects.filter(email__iexact=email).exclude(pk__in=self.people).exists():
            raise forms.ValidationError(
                _("This email address already belongs to a person you do not manage.")
            )
        return email

    def clean(self):
        data = super().clean()
        if data.get("role") in (Role.OFFICER, Role.EMPLOYEE) and not data.get("department"):
            self.add_error("department", _("Choose the department for this role."))
        if data.get("role") == Role.EDITOR:
            data["department"] = None
        return data


class AcceptInvitationForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[a-z0-9_.-]{3,30}$",
        error_messages={
            "invalid": _("Use 3 to 30 small English letters, digits, dots, dashes or underscores.")
        },
    )
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(_("This username is taken; choose another."))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password"):
            user = User(username=data.get("username", ""))
            try:
                password_validation.validate_password(data["password"], user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data
