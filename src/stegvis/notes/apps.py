from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotesConfig(AppConfig):
    name = "stegvis.notes"
    label = "notes"
    verbose_name = _("Notes")

    def ready(self) -> None:
        from .selectors import register_with_access_layer

        register_with_access_layer()
