from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "stegvis.placements"
    label = "placements"
    verbose_name = _("Internships")

    def ready(self) -> None:
        from .selectors import register_with_access_layer

        register_with_access_layer()
