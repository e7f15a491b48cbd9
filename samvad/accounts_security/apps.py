from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsSecurityConfig(AppConfig):
    name = "samvad.accounts_security"
    verbose_name = _("Account security")

    def ready(self):
        # Connect the signal receivers; register the deploy checks.
        from samvad.accounts_security import checks, security_log, sessions  # noqa: F401
