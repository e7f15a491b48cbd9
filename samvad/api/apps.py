from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "samvad.api"

    def ready(self) -> None:
        from samvad.api import signals  # noqa: F401  (connects the receivers)
