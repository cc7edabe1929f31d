from django.core.management.base import BaseCommand

from surveys.models import SurveyRound
from surveys.reports.builds import build_published_pages, queue_published


class Command(BaseCommand):
    help = (
        "Queue the report files of published figures (every format and language) that the "
        "current data does not have yet: after a release that changes the files, or to fill gaps."
    )

    def add_arguments(self, parser):
        parser.add_argument("rounds", nargs="*", help="Round slugs (default: every round with published responses).")
        parser.add_argument(
            "--pages-now",
            action="store_true",
            help="Only the report pages' data of the published figures, built now in this process, "
            "nothing queued (after loading data in bulk, so that visitors find the report page at once).",
        )

    def handle(self, *args, rounds, **options):
        selected = SurveyRound.objects.with_published_responses()
        if rounds:
            selected = selected.filter(slug__in=rounds)
        for survey_round in selected.order_by("slug"):
            if options["pages_now"]:
                built = build_published_pages(survey_round)
                self.stdout.write(f"{survey_round.slug}: {built} report page build(s) made")
                continue
            queued = queue_published(survey_round)
            self.stdout.write(f"{survey_round.slug}: {queued} file(s) queued")
