from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running Samvad on several hosts: health, request logs, backups, moving files to storage."""

    name = "samvad.ops"
