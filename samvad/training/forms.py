from django import forms
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from samvad.org.models import Person, Role
from samvad.training.models import INVITABLE_ROLES, Attendance, Session


class TrainerPicker(forms.Widget):
    """A search box that asks the server as one types (training_trainers, htmx) and the people it
    finds as radio buttons. Only the chosen trainer comes with the page, never the whole list."""

    template_name = "training/_trainer_picker.html"
    choices = ()  # the field's ModelChoiceIterator: its queryset scopes the chosen one

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = self.choices.queryset.filter(pk=value) if str(value).isdigit() else []
        # The found list is the search view's own template (training_trainers), in Django's
        # template language; the picker around it is a Jinja2 form template (decision 017).
        found = {
            "name": name,
            "people": list(chosen.select_related("department")) if chosen else [],
            "chosen": str(value),
        }
        context["widget"] |= {
            "search_url": reverse_lazy("training_trainers"),
            "found": render_to_string("training/_trainers_found.html", found),
        }
        return context

    def id_for_label(self, id_):
        return f"{id_}_q" if id_ else id_


class SessionForm(forms.ModelForm):
    link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    invited_roles = forms.MultipleChoiceField(
        label=_("Invited roles"),
        choices=[(r.value, r.label) for r in INVITABLE_ROLES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None chosen: every role."),
    )

    class Meta:
        model = Session
        fields = ["topic", "trainer", "starts_at", "place", "link", "invited_departments",
                  "invited_roles"]  # fmt: skip
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "invited_departments": forms.CheckboxSelectMultiple,
            "trainer": TrainerPicker,
        }  # fmt: skip
        help_texts = {
            "trainer": _("Type a name, employee code, designation or department."),
            "starts_at": _("Indian Standard Time (IST)."),
            "invited_departments": _("None chosen: every department of the district."),
        }

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.district = district
        self.fields["trainer"].queryset = Person.objects.filter(district=district)
        self.fields["invited_departments"].queryset = district.departments.all()
        if not self.instance.pk:
            self.initial.setdefault("invited_roles", [Role.OFFICER])

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("link"):
            self.add_error("place", _("Give a place or an online link."))
        return data

    def save(self, commit=True):
        self.instance.district = self.district
        return super().save(commit)


class TrainerSearchForm(forms.Form):
    """What the trainer picker sends as the admin types: the words, and the trainer already
    chosen. Django's CharField refuses NUL, which PostgreSQL cannot compare."""

    q = forms.CharField(required=False, max_length=100)
    trainer = forms.IntegerField(required=False, min_value=1)


class PasteForm(forms.Form):
    lines = forms.CharField(
        label=_("Paste a list"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One person per line: employee code or full name."),
    )


class FeedbackForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = not useful, 5 = very useful."),
    )

    class Meta:
        model = Attendance
        fields = ["rating", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}
