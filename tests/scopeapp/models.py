from django.conf import settings
from django.db import models


class Record(models.Model):
    """A stand-in business record: a department and an owner, like a project or a customer."""

    title = models.CharField(max_length=100)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title
