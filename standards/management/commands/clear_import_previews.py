from django.core.management.base import BaseCommand

from standards.sheet_uploads import preview_folder, sweep_previews


class Command(BaseCommand):
    help = (
        "Remove the spreadsheet files kept by import previews that were never confirmed, once "
        "older than WIPOSTAD_IMPORT_PREVIEW_MAX_AGE seconds (run it from cron, e.g. hourly)."
    )

    def handle(self, *args, **options):
        removed = sweep_previews()
        self.stdout.write(f"{removed} stale preview file(s) removed from {preview_folder()}.")
