from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "stegvis.outcomes"
    label = "outcomes"
    verbose_name = _("Exits and follow-up")

    def ready(self) -> None:
        from .selectors import register_with_access_layer

        register_with_access_layer()
