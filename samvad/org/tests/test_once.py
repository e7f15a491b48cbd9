"""{% once %} (org/templatetags/samvad.py): a fragment rendered once per language and value."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation


def test_it_renders_once_for_each_value_and_language():
    page = Template("{% load i18n %}{% once roles %}{% translate 'Home' %} {{ name }}{% endonce %}")
    with translation.override("en"):
        assert page.render(Context({"roles": {"editor": True}, "name": "a"})) == "Home a"
        assert page.render(Context({"roles": {"editor": True}, "name": "b"})) == "Home a"
        assert page.render(Context({"roles": {"officer": True}, "name": "c"})) == "Home c"
    with translation.override("hi"):
        assert page.render(Context({"roles": {"editor": True}, "name": "d"})) == "होम d"


@pytest.mark.parametrize("inside", ["{% block b %}{% endblock %}", "{% csrf_token %}"])
def test_it_refuses_what_differs_from_page_to_page(inside):
    with pytest.raises(TemplateSyntaxError):
        Template("{% once %}" + inside + "{% endonce %}")
