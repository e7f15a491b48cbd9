from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsSecurityConfig(AppConfig):
    name = "samvad.accounts_security"
    verbose_name = _("Account security")

    def ready(self):
        from samvad.accounts_security import sessions  # noqa: F401  (connects the login signal)
