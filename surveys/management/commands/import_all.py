from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from surveys.intake.backup import LEFT_OUT, BackupError, import_backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_all (or a plain JSON export of an earlier version) "
        "into an empty (freshly migrated) database, attachment files included."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        try:
            counts, files = import_backup(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {exc}") from None
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        for label, n in counts.items():
            self.stdout.write(f"{label}: {n}")
        self.stdout.write(f"attachment files: {files.count}")
        for name in files.missing:
            self.stderr.write(self.style.WARNING(f"Attachment file not in the backup: {name}"))
        self.stdout.write("Not restored, on purpose: " + "; ".join(LEFT_OUT) + ".")
