"""Production checks for `samvad check --deploy` (docs/deploy.md)."""

from django.conf import settings
from django.core import checks

CONSOLE_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


@checks.register(checks.Tags.security, deploy=True)
def email_is_sent(app_configs, **kwargs):
    """Password-reset and invitation links written to a log or a file can be read by whoever
    reads the logs: production must send e-mail."""
    if settings.EMAIL_BACKEND in CONSOLE_BACKENDS:
        return [
            checks.Error(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: password-reset and invitation links "
                "would land in logs instead of mailboxes.",
                hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and "
                "EMAIL_HOST.",
                id="samvad.E001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def proxy_is_trusted(app_configs, **kwargs):
    """Production runs behind an HTTPS proxy (docs/deploy.md). Trusting none makes every request
    seem to come from the proxy, so the per-address login limits would pool everyone."""
    if settings.PRODUCTION and settings.SAMVAD_TRUSTED_PROXIES == 0:
        return [
            checks.Warning(
                "SAMVAD_TRUSTED_PROXIES is 0: behind a reverse proxy every login would seem to "
                "come from the proxy's address, and one person's wrong passwords would slow "
                "everyone's.",
                hint="Set SAMVAD_TRUSTED_PROXIES to the number of proxies in front "
                "(docs/deploy.md).",
                id="samvad.W001",
            )
        ]
    return []
