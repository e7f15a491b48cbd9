"""The error summary at the top of every page whose forms came back with errors (base.html): one
link per error to its field, so that a person on a phone, who sees one field at a time, finds
each of them. Every bound form and formset in the page's context is summarised, so a new page
needs nothing to get it."""

from django import template
from django.forms import BaseForm, BaseFormSet

register = template.Library()


@register.inclusion_tag("error_summary.html", takes_context=True)
def error_summary(context) -> dict:
    return {"errors": list(_errors(context.flatten().values()))}


def _errors(values):
    """(field id, label, message) for each error, page order; the id is "" when it has no field."""
    seen = set()
    for value in values:
        if isinstance(value, BaseFormSet) and value.is_bound:
            first = value.forms[0] if value.forms else None
            for message in value.non_form_errors():
                yield _first_field_id(first), "", message
            forms = value.forms
        else:
            forms = [value]
        for form in forms:
            if isinstance(form, BaseForm) and form.is_bound and id(form) not in seen:
                seen.add(id(form))
                yield from _form_errors(form)


def _form_errors(form):
    for name, messages in form.errors.items():
        field = form[name] if name in form.fields else None
        if field is None or field.is_hidden:  # the form's own errors: they lead to the form
            anchor, label = _first_field_id(form), ""
        else:
            anchor, label = field.id_for_label or field.auto_id, field.label
        for message in messages:
            yield anchor, label, message


def _first_field_id(form) -> str:
    visible = form.visible_fields() if form is not None else []
    return (visible[0].id_for_label or visible[0].auto_id) if visible else ""
