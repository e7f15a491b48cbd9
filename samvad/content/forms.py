from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvad.content import images
from samvad.content.models import Blackout, Submission
from samvad.org.models import MAX_BODY_LENGTH, MAX_COMMENT_LENGTH
from samvad.platforms.x import text as xtext


# Django's widget templates include others: an input includes input.html, which includes
# attrs.html, and a list includes two more templates for each option. Ours write them out (one
# template a widget; test_form_html.py compares the HTML with Django's).
class TextInput(forms.TextInput):
    template_name = "content/widgets/input.html"


class URLInput(forms.URLInput):
    template_name = "content/widgets/input.html"


class DateInput(forms.DateInput):
    template_name = "content/widgets/input.html"


class HiddenInput(forms.HiddenInput):
    template_name = "content/widgets/input.html"


class ClearableFileInput(forms.ClearableFileInput):
    template_name = "content/widgets/clearable_file_input.html"


class Select(forms.Select):
    template_name = "content/widgets/select.html"


def _kruti_checked(widget_class, **attrs):
    """A text widget that asks the server, as the person types or pastes, whether the text looks
    typed in Kruti Dev; if so, the Unicode is offered below the field (content/_kruti.html)."""
    widget = widget_class(
        attrs={
            "hx-post": reverse_lazy("content:kruti"),
            "hx-trigger": "input changed delay:500ms",
            "hx-params": "*",  # narrowed to the field itself in __init__, with its target
            **attrs,
        }
    )
    widget.template_name = "content/widgets/kruti_checked.html"  # the field, then a place below
    return widget


def text_field(label, *, required=True, long=False, max_length=None):
    widget = _kruti_checked(forms.Textarea, rows=4) if long else _kruti_checked(forms.TextInput)
    return forms.CharField(label=label, required=required, max_length=max_length, widget=widget)


class KrutiDevMixin:
    """Fields that offer Kruti Dev typed into them in Unicode, for the person to accept or
    ignore. What is sent is stored as sent: nothing is converted without the person's say
    (issue 16, finding 5)."""

    def _point_kruti_checks(self):
        url = reverse("content:kruti")  # once a form: the lazy address is looked up each render
        for name, field in self.fields.items():
            if "hx-params" in field.widget.attrs:
                field.widget.attrs = {
                    **field.widget.attrs,
                    "hx-post": url,
                    "hx-params": self.add_prefix(name),
                    "hx-target": f"#kruti_{self[name].auto_id}",
                }


class FieldsInOneTemplate:
    """Forms that render every field's label, errors and widget in one template of ours
    (content/forms/div.html). Django's own renders five templates for each field (its group, the
    label, the label's attributes, the error list twice over): the submission page has 25 fields
    (9 and 4 photos of 4), and those renders were most of the page's CPU. The widgets render
    Django's context through our copies of its templates (above). The template assumes what is
    true of these forms: every field has an id (auto_id) and no CSS classes for required or
    failed fields; test_form_html.py compares it with Django's."""

    template_name_div = "content/forms/div.html"
    label_stops = _(":?.!")  # Django's: a label ending in one of these has no label_suffix


class SubmissionForm(KrutiDevMixin, FieldsInOneTemplate, forms.Form):
    kind = None  # set by each kind's form
    detail_fields: list[str] = []

    department = forms.ModelChoiceField(queryset=None, label=_("Department"), widget=Select)
    title = text_field(_("Title"), max_length=200)
    body = text_field(_("Description"), required=False, long=True, max_length=MAX_BODY_LENGTH)
    language = forms.ChoiceField(
        label=_("Language"), choices=Submission.Language.choices, widget=Select
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Submission.Priority.choices, coerce=int, widget=Select
    )
    preferred_date = forms.DateField(
        label=_("Preferred date"), required=False, widget=DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        if self.is_bound:  # the chosen department comes with its district, for the audit row
            field.queryset = departments.select_related("district")
        else:
            field.queryset = departments
            # The options in one plain read of the names, which also tells whether there is only
            # one to choose: the field's own listing would read them again through a server-side
            # cursor (three more round trips to PostgreSQL) and build each whole department.
            options = list(departments.only("name_hi", "name_en"))
            if len(options) == 1:
                field.initial = options[0]
            field.choices = [("", field.empty_label), *((d.pk, str(d)) for d in options)]
        self._point_kruti_checks()

    def details(self) -> dict:
        return {
            name: (value.isoformat() if hasattr(value, "isoformat") else value)
            for name in self.detail_fields
            if (value := self.cleaned_data.get(name)) not in (None, "")
        }

    def submission_fields(self) -> dict:
        """What Submission.send takes, from the cleaned form."""
        data = self.cleaned_data
        names = ("department", "title", "body", "language", "priority", "preferred_date")
        return {name: data[name] for name in names} | {"details": self.details()}


class SchemeForm(SubmissionForm):
    kind = Submission.Kind.SCHEME
    detail_fields = [
        "scheme_name",
        "beneficiaries",
        "eligibility",
        "how_to_apply",
        "helpline",
        "link",
    ]
    scheme_name = text_field(_("Scheme name"), max_length=200)
    beneficiaries = text_field(_("Who benefits"), long=True)
    eligibility = text_field(_("Eligibility"), long=True)
    how_to_apply = text_field(_("How to apply"), long=True)
    helpline = forms.CharField(label=_("Helpline"), required=False, max_length=40, widget=TextInput)
    link = forms.URLField(label=_("Link"), required=False, assume_scheme="https", widget=URLInput)


class MeetingForm(SubmissionForm):
    kind = Submission.Kind.MEETING
    detail_fields = ["chair", "meeting_date", "decisions"]
    chair = text_field(_("Chaired by"), max_length=200)
    meeting_date = forms.DateField(
        label=_("Date of the meeting"), widget=DateInput(attrs={"type": "date"})
    )
    decisions = text_field(_("Decisions"), long=True)


class AchievementForm(SubmissionForm):
    kind = Submission.Kind.ACHIEVEMENT
    detail_fields = ["what", "figures", "place"]
    what = text_field(_("What was achieved"), long=True)
    figures = text_field(_("Figures"), required=False)
    place = text_field(_("Place"), required=False)


class EventForm(SubmissionForm):
    kind = Submission.Kind.EVENT
    detail_fields = ["event_date", "place"]
    event_date = forms.DateField(
        label=_("Date of the event"), widget=DateInput(attrs={"type": "date"})
    )
    place = text_field(_("Place"))


class AdvisoryForm(SubmissionForm):
    kind = Submission.Kind.ADVISORY
    detail_fields = ["applies_to", "valid_until"]
    applies_to = text_field(_("Who it is for"), required=False)
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=DateInput(attrs={"type": "date"})
    )


KIND_FORMS = {
    form.kind: form for form in (SchemeForm, MeetingForm, AchievementForm, EventForm, AdvisoryForm)
}

DETAIL_LABELS = {
    name: form.base_fields[name].label
    for form in KIND_FORMS.values()
    for name in form.detail_fields
}


class PhotoForm(KrutiDevMixin, FieldsInOneTemplate, forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=ClearableFileInput(attrs={"accept": "image/*"}),
    )
    # A photo uploaded with a form that came back with errors, kept (Media.keep) and carried here.
    kept = forms.ModelChoiceField(
        queryset=None,
        required=False,
        widget=HiddenInput,
        error_messages={"invalid_choice": _("This photo is no longer kept: choose it again.")},
    )
    caption = text_field(_("Caption"), required=False, max_length=300)
    alt_text = text_field(
        _("Alt text (describe the photo for people who cannot see it)"),
        required=False,
        max_length=xtext.MAX_ALT_TEXT,
    )

    def __init__(self, *args, unsent, **kwargs):
        """unsent() gives the photos this person may carry (access.unsent_photos): asked only by a
        slot sent with a kept photo's id, the one that checks it; an empty slot checks none."""
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get(self.add_prefix("kept")):
            self.fields["kept"].queryset = unsent()
        self._point_kruti_checks()

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        return images.clean_image(upload) if upload else None

    def clean(self):
        cleaned = super().clean()
        has_photo = cleaned.get("image") or cleaned.get("kept")
        if has_photo and not (cleaned.get("alt_text") or "").strip():
            self.add_error("alt_text", _("Every photo needs alt text."))
        return cleaned

    def kept_photo(self):
        """The photo this slot already holds, shown above it (None before the form is sent)."""
        return getattr(self, "cleaned_data", {}).get("kept")


PhotoFormSet = forms.formset_factory(PhotoForm, extra=xtext.MAX_IMAGES, max_num=xtext.MAX_IMAGES)


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), max_length=MAX_COMMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=MAX_COMMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class PhotoChoices(forms.CheckboxSelectMultiple):
    """Each photo as a thumbnail with its alt text beside its checkbox."""

    template_name = "content/_photo_choices.html"
    option_template_name = "content/_photo_choice.html"

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["src"] = reverse("content:media", args=[value])  # Jinja2 has no {% url %}
        return option


class ComposerForm(forms.Form):
    account = forms.ModelChoiceField(queryset=None, label=_("Official account"))
    text = forms.CharField(
        label=_("Text"),
        max_length=xtext.MAX_TEXT_LENGTH,
        error_messages={"max_length": xtext.TEXT_TOO_LONG},
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "hx-post": reverse_lazy("content:counter"),
                "hx-trigger": "input changed delay:300ms, load",
                "hx-target": "#counter",
                "hx-params": "text",
            }
        ),
    )
    numbered = forms.BooleanField(
        label=_("Number the posts of a thread (1/3, 2/3 …)"), required=False, initial=True
    )
    photos = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=PhotoChoices,
        label=_("Photos from the submission (on the first post)"),
    )

    def __init__(self, *args, accounts, photos, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
        self.fields["account"].initial = accounts.filter(department__isnull=True).first()
        self.fields["photos"].queryset = photos
        self.fields["photos"].label_from_instance = lambda media: media.alt_text
        # The officer sent the photos to be used: they come ticked, as many as one post takes.
        self.fields["photos"].initial = [m.pk for m in photos if m.kind == xtext.IMAGE][
            : xtext.MAX_IMAGES
        ]

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        errors = xtext.validate_media(photos)
        if errors:
            raise ValidationError(errors)
        return photos

    def texts(self) -> list[str]:
        return xtext.split_thread(self.cleaned_data["text"], numbered=self.cleaned_data["numbered"])


class PostEditForm(forms.Form):
    text = ComposerForm.base_fields["text"]

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.attachments = post.attachments()
        for pm in self.attachments:
            self.fields[f"alt_{pm.pk}"] = forms.CharField(
                label=_("Alt text"), max_length=xtext.MAX_ALT_TEXT, initial=pm.alt_text
            )

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not xtext.is_valid(text):
            raise ValidationError(_("The text must be at most 280 (weighted) characters."))
        return text

    def alt_texts(self) -> dict[int, str]:
        return {pm.pk: self.cleaned_data[f"alt_{pm.pk}"] for pm in self.attachments}


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Publish at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class BlackoutForm(forms.ModelForm):
    class Meta:
        model = Blackout
        fields = ["starts_at", "ends_at", "reason"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }


class QueueFilterForm(forms.Form):
    department = forms.ModelChoiceField(queryset=None, required=False, label=_("Department"))
    kind = forms.ChoiceField(
        choices=[("", _("All types")), *Submission.Kind.choices], required=False, label=_("Type")
    )
    priority = forms.TypedChoiceField(
        choices=[("", _("Any priority")), *Submission.Priority.choices],
        required=False,
        coerce=int,
        empty_value=None,
        label=_("Priority"),
    )
    older_than = forms.IntegerField(min_value=0, required=False, label=_("Older than (days)"))

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        field.queryset = departments
        # The options in one plain read of the names: the field's own listing opens a server-side
        # cursor (three more round trips to PostgreSQL) and builds each whole department.
        names = departments.only("name_hi", "name_en")
        field.choices = [("", field.empty_label), *((d.pk, str(d)) for d in names)]

    def filter(self, submissions):
        if not self.is_valid():
            return submissions
        data = self.cleaned_data
        if data["department"]:
            submissions = submissions.filter(department=data["department"])
        if data["kind"]:
            submissions = submissions.filter(kind=data["kind"])
        if data["priority"] is not None:
            submissions = submissions.filter(priority=data["priority"])
        if data["older_than"]:
            cutoff = timezone.now() - timedelta(days=data["older_than"])
            submissions = submissions.filter(created__lt=cutoff)
        return submissions
