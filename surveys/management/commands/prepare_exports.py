from django.core.management.base import BaseCommand

from surveys.models import SurveyRound
from surveys.reports.builds import queue_published


class Command(BaseCommand):
    help = (
        "Queue the report files of published figures (every format and language) that the "
        "current data does not have yet: after a release that changes the files, or to fill gaps."
    )

    def add_arguments(self, parser):
        parser.add_argument("rounds", nargs="*", help="Round slugs (default: every round with published responses).")

    def handle(self, *args, rounds, **options):
        selected = SurveyRound.objects.with_published_responses()
        if rounds:
            selected = selected.filter(slug__in=rounds)
        for survey_round in selected.order_by("slug"):
            queued = queue_published(survey_round)
            self.stdout.write(f"{survey_round.slug}: {queued} file(s) queued")
