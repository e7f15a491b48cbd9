from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from samvad.campaigns.models import DEFAULT_DAYS, Campaign
from samvad.org.models import OfficialAccount


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "accounts",
            "starts_on",
            "ends_on",
            "target_followers",
            "target_posts",
            "target_reposts",
            "target_submissions",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "accounts": forms.CheckboxSelectMultiple,
        }
        help_texts = {"ends_on": _("Leave blank for 15 days.")}

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.district = district
        self.fields["accounts"].queryset = OfficialAccount.objects.filter(district=district)
        self.fields["ends_on"].required = False

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and not data.get("ends_on"):
            data["ends_on"] = data["starts_on"] + timedelta(days=DEFAULT_DAYS - 1)
            self.instance.ends_on = data["ends_on"]
        return data


class DepartmentTargetsForm(forms.Form):
    """Three numbers per department; blank means the campaign's own target."""

    KINDS = (
        ("submissions", _("submissions")),
        ("posts", _("posts")),
        ("reposts", _("staff reposts")),
    )

    def __init__(self, *args, departments, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = list(departments)
        for department in self.departments:
            for kind, label in self.KINDS:
                name = f"{kind}_{department.pk}"
                self.fields[name] = forms.IntegerField(
                    label=f"{department.name}: {label}",
                    min_value=0,
                    required=False,
                    initial=current.get(department.pk, {}).get(kind),
                )

    def rows(self):
        """(department, [bound fields]) for the template's table."""
        for department in self.departments:
            yield department, [self[f"{kind}_{department.pk}"] for kind, _ in self.KINDS]

    def targets(self) -> dict[int, dict]:
        return {
            d.pk: {kind: self.cleaned_data.get(f"{kind}_{d.pk}") for kind, _ in self.KINDS}
            for d in self.departments
        }
