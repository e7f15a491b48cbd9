"""The submission forms render through templates of ours (forms.FieldsInOneTemplate, the widgets' in
content/widgets/): the HTML must be what Django's own templates make of the same form, but for
the whitespace between tags."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html

from samvad.content import forms
from samvad.content.models import Media
from samvad.org.models import Department

from .conftest import upload

DJANGO_FORM = "django/forms/div.html"
KRUTI = "content/widgets/kruti_checked.html"


def between_tags(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


def assert_same_as_django(form):
    ours = form.as_div()
    form.template_name_div = DJANGO_FORM
    for field in form.fields.values():
        widget = field.widget
        if widget.template_name == KRUTI:  # Django's widget, then the place for the suggestion
            widget.render = with_kruti_place(widget.render)
        widget.template_name = next(
            c.template_name for c in type(widget).__mro__ if c.__module__ == "django.forms.widgets"
        )
    form._bound_fields_cache.clear()
    assert between_tags(ours) == between_tags(form.as_div())


def with_kruti_place(render):
    def rendered(**kwargs):
        place = format_html(
            '<div class="kruti" id="kruti_{}" aria-live="polite"></div>', kwargs["attrs"]["id"]
        )
        return render(**kwargs) + place

    return rendered


def wrong_data():
    return {
        "department": "0",
        "title": "",
        "body": '<b>x</b> & "q"',
        "language": "xx",
        "priority": "9",
        "preferred_date": "kal",
        "link": "no url",
        "meeting_date": "kal",
        "figures": "१२",
    }


@pytest.mark.parametrize("language", ["hi", "en"])
@pytest.mark.parametrize("kind", list(forms.KIND_FORMS))
def test_a_submission_form_is_django_s_html(world, kind, language):
    departments = Department.objects.filter(district=world.dausa)
    with translation.override(language):
        assert_same_as_django(forms.KIND_FORMS[kind](departments=departments))
        form = forms.KIND_FORMS[kind](wrong_data(), departments=departments)
        assert not form.is_valid()
        assert_same_as_django(form)


@pytest.mark.parametrize("language", ["hi", "en"])
def test_a_photo_slot_is_django_s_html(world, media_root, language):
    data = {
        "photos-TOTAL_FORMS": "3",
        "photos-INITIAL_FORMS": "0",
        "photos-0-caption": "cap",
        "photos-1-kept": "0",
        "photos-2-alt_text": "alt",
    }
    files = {"photos-0-image": upload(), "photos-2-image": upload("p.jpg", b"not a photo")}
    with translation.override(language):
        unsent = Media.objects.none
        for photos in (
            forms.PhotoFormSet(prefix="photos", form_kwargs={"unsent": unsent}),
            forms.PhotoFormSet(data, files, prefix="photos", form_kwargs={"unsent": unsent}),
        ):
            photos.is_valid()
            for form in photos:
                assert_same_as_django(form)


def test_the_department_is_chosen_for_an_officer_of_one(login, world):
    html = login(world.officer_a).get(reverse("content:submission_create", args=["event"]))
    options = re.search(
        r'<select name="department"[^>]*>(.*?)</select>', html.content.decode(), re.S
    )
    assert between_tags(options.group(1)) == (
        f'<option value="">---------</option><option value="{world.water.pk}" selected>'
        "जन स्वास्थ्य अभियांत्रिकी विभाग</option>"
    )


def test_an_admin_chooses_among_the_district_s_departments(login, world):
    html = login(world.admin).get(reverse("content:submission_create", args=["event"]))
    html = html.content.decode()
    options = re.search(r'<select name="department"[^>]*>(.*?)</select>', html, re.S).group(1)
    expected = "".join(
        f'<option value="{d.pk}">{d.name_hi}</option>'
        for d in Department.objects.filter(district=world.dausa).order_by("name_en")
    )
    assert between_tags(options) == f'<option value="" selected>---------</option>{expected}'
