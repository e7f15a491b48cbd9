from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Dausa's demo data, the `demo` and `generate` commands and the synthetic data behind the
    benchmarks: installed outside production only, and imported by no production code."""

    name = "samvad.demo"
    verbose_name = _("Demo")
