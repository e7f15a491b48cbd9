from django import forms
from django.utils.translation import gettext_lazy as _

from samvad.advocacy.staff_import import MAX_UPLOAD_BYTES, clean_handle


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Staff list (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class HandleForm(forms.Form):
    handle = forms.CharField(
        label=_("Your X handle"), max_length=60, help_text=_("For example @DmDausa")
    )
    consent = forms.BooleanField(
        label=_("I have read the notice above and agree that my handle is kept for this purpose.")
    )
    on_leaderboard = forms.BooleanField(
        label=_("Show my name on the department's repost leaderboard."), required=False
    )

    def clean_handle(self):
        handle = clean_handle(self.cleaned_data["handle"])
        if not handle:
            raise forms.ValidationError(_("Not a valid X handle (up to 15 letters, digits or _)."))
        return handle


class ReminderForm(forms.Form):
    people = forms.TypedMultipleChoiceField(coerce=int, label=_("Send to"))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = choices
