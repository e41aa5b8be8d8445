from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LanguagelevelsConfig(AppConfig):
    name = "stegvis.languagelevels"
    label = "languagelevels"
    verbose_name = _("Language levels")

    def ready(self) -> None:
        from .selectors import register_with_access_layer

        register_with_access_layer()
