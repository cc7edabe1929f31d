from django.db import models
from django.db.models.functions import Length

from standards.validators import validate_st3_code


class OfficeKind(models.TextChoices):
    STATE = "state", "State"
    ENTITY = "entity", "Other entity"
    ORGANIZATION = "organization", "Intergovernmental organization"


class Office(models.Model):
    """An industrial property office, identified by its WIPO ST.3 two-letter code."""

    code = models.CharField("ST.3 code", max_length=2, primary_key=True, validators=[validate_st3_code])
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OfficeKind.choices)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[A-Z]{2}$"), name="office_code_two_capitals"),
            models.CheckConstraint(condition=models.Q(kind__in=OfficeKind.values), name="office_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Standard(models.Model):
    """A WIPO standard cited by a questionnaire or by ST.13 itself."""

    code = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=300)
    version = models.CharField(max_length=20, blank=True)
    adopted = models.CharField(max_length=40, blank=True)
    url = models.URLField(blank=True)

    class Meta:
        ordering = [Length("code"), "code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"
