from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XConfig(AppConfig):
    name = "samvad.platforms.x"
    label = "x"
    verbose_name = _("X platform")
