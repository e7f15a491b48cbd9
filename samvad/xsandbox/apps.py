from django.apps import AppConfig


class XSandboxConfig(AppConfig):
    # An app only for its management command: the sandbox keeps its own state on disk, never in
    # the product's database.
    name = "samvad.xsandbox"
    verbose_name = "X sandbox"
