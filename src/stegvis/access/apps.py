from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "stegvis.access"
    label = "access"
    verbose_name = _("Access and audit")

    def ready(self) -> None:
        from .purge import connect_signals

        connect_signals()
