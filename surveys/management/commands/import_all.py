from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from surveys.intake.backup import BackupError, import_document


class Command(BaseCommand):
    help = "Restore a file written by export_all into an empty (freshly migrated) database."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        try:
            counts = import_document(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {exc}") from None
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        for label, n in counts.items():
            self.stdout.write(f"{label}: {n}")
