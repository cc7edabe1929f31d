from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from surveys.questionnaire.edition import DefinitionError
from surveys.questionnaire.loading import EDITIONS_DIR, edition_load


class Command(BaseCommand):
    help = (
        "Load questionnaire editions from definition files (.json) or authoring spreadsheets (.xlsx); "
        "all of surveys/editions/ when no path is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path)

    def handle(self, *args, paths, **options):
        found = sorted([*EDITIONS_DIR.glob("*.json"), *EDITIONS_DIR.glob("*.xlsx")], key=lambda p: p.name)
        for path in paths or found:
            try:
                edition, outcome = edition_load(path)
            except DefinitionError as exc:
                raise CommandError(str(exc)) from None
            questions = len(edition.structure.questions)
            self.stdout.write(f"{edition.slug} (version {edition.version}, {questions} questions): {outcome}")
