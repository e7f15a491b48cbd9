from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samvad.content.models import Post
from samvad.inbox.models import Evidence, InboxSettings, RoutingRule
from samvad.org.models import MAX_BODY_LENGTH, MAX_COMMENT_LENGTH
from samvad.platforms.x import text as xtext

MAX_DOCUMENT_BYTES = 10 * 2**20
DOCUMENT_TYPES = {b"%PDF": "PDF", b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG"}


def post_text_field(label):
    return forms.CharField(
        label=label, max_length=xtext.MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )


def clean_post_text(value: str) -> str:
    value = xtext.normalize(value).strip()
    if not xtext.is_valid(value):
        raise ValidationError(
            _("A post can have at most %(limit)s characters (this one has %(length)s)."),
            params={"limit": xtext.MAX_WEIGHTED_LENGTH, "length": xtext.weighted_length(value)},
        )
    return value


class FilterForm(forms.Form):
    SHOW = [
        ("open", _("Still open")),
        ("triage", _("DIPR triage")),
        ("overdue", _("Overdue")),
        ("approval", _("Replies waiting for approval")),
        ("escalated", _("Escalated")),
        ("all", _("All")),
    ]

    show = forms.ChoiceField(label=_("Show"), choices=SHOW, required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments

    def filter(self, tickets):
        data = self.cleaned_data if self.is_valid() else {}
        show = data.get("show") or "open"
        if show == "open":
            tickets = tickets.open()
        elif show == "triage":
            tickets = tickets.open().triage()
        elif show == "overdue":
            tickets = tickets.overdue()
        elif show == "approval":
            tickets = tickets.open().filter(reply__state=Post.State.SUBMITTED)
        elif show == "escalated":
            tickets = tickets.open().filter(escalated_at__isnull=False)
        if data.get("department"):
            tickets = tickets.filter(department=data["department"])
        return tickets


class ReplyForm(forms.Form):
    text = post_text_field(_("Reply"))

    def clean_text(self):
        return clean_post_text(self.cleaned_data["text"])


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), max_length=MAX_COMMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=None)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class RuleForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = ["department", "keywords", "reply_hours"]
        widgets = {"keywords": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        taken = RoutingRule.objects.filter(department__in=departments)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        self.fields["department"].queryset = departments.exclude(routing_rule__in=taken)

    def clean_keywords(self):
        from samvad.inbox.routing import parse_keywords

        keywords = parse_keywords(self.cleaned_data["keywords"])
        if not keywords:
            raise ValidationError(_("Write at least one keyword."))
        return ", ".join(keywords)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = InboxSettings
        fields = ["reply_hours", "public_fact_checks"]


class FactCheckForm(forms.Form):
    claim = forms.CharField(
        label=_("The claim"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    claim_url = forms.URLField(label=_("Where it was seen"), required=False, assume_scheme="https")
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Evidence.Kind.choices)
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    document = forms.FileField(label=_("Document (PDF, PNG or JPEG)"), required=False)
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [c for c in Evidence.Kind.choices if c[0] in kinds]

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document is None:
            return None
        head = document.read(8)
        document.seek(0)
        if document.size > MAX_DOCUMENT_BYTES or not any(
            head.startswith(magic) for magic in DOCUMENT_TYPES
        ):
            raise ValidationError(_("Attach a PDF, PNG or JPEG file of at most 10 MB."))
        return document

    def clean(self):
        data = super().clean()
        needed = {
            Evidence.Kind.LINK: "url",
            Evidence.Kind.DOCUMENT: "document",
            Evidence.Kind.STATEMENT: "text",
        }.get(data.get("kind"))
        if needed and not data.get(needed):
            self.add_error(needed, _("This field is required."))
        return data


class ClarificationForm(forms.Form):
    text = post_text_field(_("Clarification"))
    as_reply = forms.BooleanField(label=_("As a reply to the mention"), required=False)

    def clean_text(self):
        return clean_post_text(self.cleaned_data["text"])
