from django.db import models
from django.db.models.functions import Length
from django.utils.translation import get_language

from standards.validators import validate_st3_code


class OfficeKind(models.TextChoices):
    STATE = "state", "State"
    ENTITY = "entity", "Other entity"
    ORGANIZATION = "organization", "Intergovernmental organization"


class Office(models.Model):
    """An industrial property office, identified by its WIPO ST.3 two-letter code."""

    code = models.CharField("ST.3 code", max_length=2, primary_key=True, validators=[validate_st3_code])
    name = models.CharField(max_length=200)
    # The names in the French and Spanish versions of ST.3; blank: the English name is shown
    # (a default in the database too, for rows written without them).
    name_fr = models.CharField("name in French", max_length=200, blank=True, default="", db_default="")
    name_es = models.CharField("name in Spanish", max_length=200, blank=True, default="", db_default="")
    kind = models.CharField(max_length=20, choices=OfficeKind.choices)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[A-Z]{2}$"), name="office_code_two_capitals"),
            models.CheckConstraint(condition=models.Q(kind__in=OfficeKind.values), name="office_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def name_in(self, language: str | None, *, recorded: str | None = None) -> str:
        """The office's name for a reader of ``language`` ("fr", "fr-ch" …): the French or
        Spanish name of ST.3 where there is one, the English name otherwise. ``recorded``:
        the name a report gives for the round's day (``standards.office_names``); a former
        name, kept in English only, stands as recorded."""
        if recorded and recorded != self.name:
            return recorded
        base = (language or "en").split("-")[0].lower()
        return {"fr": self.name_fr, "es": self.name_es}.get(base) or self.name

    @property
    def local_name(self) -> str:
        """The name in the language of the page or message being written."""
        return self.name_in(get_language())


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


class OfficeName(models.Model):
    """A name an office bore over a period: the ST.3 code stays, the name changes.

    `Office.name` is the name in use today; these rows record the names of other periods
    (e.g. EM was the Office for Harmonization in the Internal Market until 22 March 2016).
    A report names each office as it was named on its round's opening date
    (`standards.office_names.office_names_on`); a date no row covers takes `Office.name`.
    """

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=200)
    valid_from = models.DateField(
        null=True, blank=True, help_text="The first day the office bore this name; blank: since before any survey."
    )
    valid_until = models.DateField(
        null=True, blank=True, help_text="The last day the office bore this name; blank: still in use."
    )
    source = models.CharField(max_length=300, blank=True, help_text="Where the name and its dates come from.")

    class Meta:
        ordering = ["office", models.F("valid_from").asc(nulls_first=True)]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="office_name_ends_after_it_starts",
            ),
            models.UniqueConstraint(fields=["office", "valid_from"], name="office_name_once_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.office_id} – {self.name}"
