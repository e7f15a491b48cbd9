"""The landing page shows the demo's logins when SAMVAD_DEMO is set; it includes demo/logins.html,
which loads this, so that the pages never import the demo."""

from django import template

from samvad.demo.dausa import DEMO_LOGINS

register = template.Library()


@register.simple_tag
def demo_logins():
    return DEMO_LOGINS
