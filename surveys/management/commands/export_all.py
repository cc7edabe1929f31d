from pathlib import Path

from django.core.management.base import BaseCommand

from surveys.intake.backup import export_document


class Command(BaseCommand):
    help = "Write every office, round, response, revision and comment to one JSON file."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="file to write (- for standard output)")

    def handle(self, *args, path, **options):
        text = export_document()
        if str(path) == "-":
            self.stdout.write(text, ending="")
            return
        path.write_text(text, encoding="utf-8")
        self.stderr.write(f"Wrote {path} ({len(text.encode('utf-8')):,} bytes).")
