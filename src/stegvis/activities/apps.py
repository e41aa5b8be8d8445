from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "stegvis.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from .selectors import register_with_access_layer

        register_with_access_layer()
