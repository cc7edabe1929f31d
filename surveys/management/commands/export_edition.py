from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from surveys.models import QuestionnaireEdition
from surveys.questionnaire import spreadsheet
from surveys.questionnaire.edition import DefinitionError
from surveys.questionnaire.loading import read_definition


class Command(BaseCommand):
    help = (
        "Write the authoring spreadsheet (XLSX) of an edition: a loaded edition named by its slug, "
        "or a definition file (.json) given by its path."
    )

    def add_arguments(self, parser):
        parser.add_argument("edition", help="An edition's slug, or the path of a definition file.")
        parser.add_argument(
            "--format", choices=["xlsx"], default="xlsx", help="The file's format (the authoring spreadsheet)."
        )
        parser.add_argument("-o", "--output", type=Path, help="Where to write it (default: <slug>-<version>.xlsx).")

    def handle(self, *args, edition, output, **options):
        definition = self.definition(edition)
        target = output or Path(spreadsheet.filename(definition))
        target.write_bytes(spreadsheet.workbook(definition))
        self.stdout.write(f"{definition['slug']} (version {definition['version']}) written to {target}")

    def definition(self, name: str) -> dict:
        path = Path(name)
        if path.suffix.lower() == ".json":
            try:
                return read_definition(path)
            except DefinitionError as exc:
                raise CommandError(str(exc)) from None
        row = QuestionnaireEdition.objects.filter(slug=name).first()
        if row is None:
            raise CommandError(f"No edition has the slug {name!r}; give a loaded edition's slug or a .json file.")
        return row.definition
