from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressionConfig(AppConfig):
    name = "stegvis.progression"
    label = "progression"
    verbose_name = _("Progression")

    def ready(self) -> None:
        from .selectors import register_with_access_layer

        register_with_access_layer()
