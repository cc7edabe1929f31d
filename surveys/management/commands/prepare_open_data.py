from django.core.management.base import BaseCommand

from surveys.models import SurveyRound
from surveys.reports import opendata


class Command(BaseCommand):
    help = (
        "Record the version of the open data of each round for the responses published now (if "
        "it changed) and queue its file if it is not built: after a release that changes the "
        "files, or for rounds published before the open data existed."
    )

    def add_arguments(self, parser):
        parser.add_argument("rounds", nargs="*", help="Round slugs (default: every round with published responses).")

    def handle(self, *args, rounds, **options):
        selected = SurveyRound.objects.with_published_responses().select_related("edition")
        if rounds:
            selected = selected.filter(slug__in=rounds)
        for survey_round in selected.order_by("slug"):
            release = opendata.prepare(survey_round)
            self.stdout.write(f"{survey_round.slug}: open data version {release.version if release else '—'}")
