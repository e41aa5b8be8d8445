from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DropinConfig(AppConfig):
    name = "stegvis.dropin"
    label = "dropin"
    verbose_name = _("Drop-in")

    def ready(self) -> None:
        from .selectors import register_with_access_layer

        register_with_access_layer()
