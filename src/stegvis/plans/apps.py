from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "stegvis.plans"
    label = "plans"
    verbose_name = _("Plans and check-ins")

    def ready(self) -> None:
        from .access import register_models

        register_models()
