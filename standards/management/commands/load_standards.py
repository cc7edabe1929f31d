from django.core.management.base import BaseCommand

from standards.services import office_names_load, offices_load, standards_load


class Command(BaseCommand):
    help = "Load the WIPO ST.3 office list and the catalogue of cited standards (safe to run again)."

    def handle(self, *args, **options):
        self.stdout.write(f"ST.3 offices: {offices_load()}")
        self.stdout.write(f"Former and current names of offices: {office_names_load()}")
        self.stdout.write(f"Standards catalogue: {standards_load()}")
