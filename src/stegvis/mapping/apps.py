from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MappingConfig(AppConfig):
    name = "stegvis.mapping"
    label = "mapping"
    verbose_name = _("Mapping")

    def ready(self) -> None:
        from .selectors import register_with_access_layer

        register_with_access_layer()
