from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in: staff, coordinators, managers, analysts, administrators.

    What they may see comes from their memberships (organisations.Membership), never from
    Django's is_staff/permissions, which only open the technical admin.
    """

    title = models.CharField(_("job title"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username
