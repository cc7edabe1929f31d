"""python manage.py import_legacy_responses PATH… --round <slug> [--dry-run]

Reads published response pages (the 2012 plain text, or this product's public HTML page)
into a survey round. Each page is imported whole or not at all; the report lists, per
page, every line that could not be mapped and why a page failed.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from surveys.intake.published_pages import PageImport, PageImportError, import_page, read_file
from surveys.models import SurveyRound


class Command(BaseCommand):
    help = "Import published response pages (plain text as published in 2012, or HTML) into a survey round."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Response pages (.txt or .html).")
        parser.add_argument("--round", dest="round_slug", required=True, help="Slug of the round to import into.")
        parser.add_argument("--dry-run", action="store_true", help="Read and check every page; write nothing.")

    def handle(self, *args, paths: list[str], round_slug: str, dry_run: bool, **options) -> None:
        survey_round = SurveyRound.objects.select_related("edition").filter(slug=round_slug).first()
        if survey_round is None:
            known = ", ".join(SurveyRound.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No round with the slug “{round_slug}” (known rounds: {known}).")
        failed = 0
        for name in paths:
            path = Path(name)
            try:
                text = read_file(path)
            except PageImportError as exc:
                result = PageImport(source=path.name, problems=[str(exc)])
            else:
                result = import_page(text, survey_round=survey_round, source=path.name, dry_run=dry_run)
            self._report(name, result, dry_run)
            failed += not result.ok
        verb = "would be imported" if dry_run else "imported"
        summary = f"{len(paths) - failed} of {len(paths)} page(s) {verb}"
        if dry_run:
            summary += " (dry run: nothing was written)"
        if failed:
            raise CommandError(f"{summary}; {failed} failed and nothing was written for them.")
        self.stdout.write(self.style.SUCCESS(summary + "."))

    def _report(self, name: str, result: PageImport, dry_run: bool) -> None:
        mapped = result.mapped
        if result.ok and mapped is not None:
            page = mapped.page
            verb = "would import" if dry_run else "imported"
            attachments = len(mapped.attachments)
            self.stdout.write(
                self.style.SUCCESS(f"{name}: {verb} as {result.public_key}")
                + f" ({result.office.name}, response {page.sequence} of {page.total}, {len(mapped.answers)} answers"
                + (f", {attachments} attachment(s) by name" if attachments else "")
                + ")"
            )
            for note in result.notes:
                self.stdout.write(f"  {note}")
            for warning in mapped.warnings:
                self.stdout.write(f"  consistency warning (as published): {warning}")
        else:
            self.stdout.write(self.style.ERROR(f"{name}: FAILED, nothing written"))
            for problem in result.problems:
                self.stdout.write(f"  {problem}")
        if result.unmapped:
            self.stdout.write(f"  {len(result.unmapped)} line(s) not mapped:")
            for item in result.unmapped:
                self.stdout.write(f"    {item}")
