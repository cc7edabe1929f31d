from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from surveys.intake.backup import LEFT_OUT, export_archive


class Command(BaseCommand):
    help = (
        "Write the whole database and every attachment file to one zip archive, readable by its owner only "
        "(it holds password hashes, API tokens and e-mail addresses)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="archive to write (replaced if it exists)")

    def handle(self, *args, path, **options):
        try:
            report = export_archive(path)
        except OSError as exc:
            raise CommandError(f"{path}: {exc}") from None
        self.stderr.write(f"Wrote {path} ({path.stat().st_size:,} bytes, {report.count} attachment file(s)).")
        for name in report.missing:
            self.stderr.write(
                self.style.WARNING(f"Attachment file missing from the storage, not in the archive: {name}")
            )
        self.stderr.write("Left out on purpose: " + "; ".join(LEFT_OUT) + ".")
