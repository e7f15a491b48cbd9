from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "samvad.jobs"

    def ready(self) -> None:
        # Every app's jobs.py registers its jobs, in the worker and in the web processes alike,
        # so that enqueue() knows every name wherever it is called.
        autodiscover_modules("jobs")
