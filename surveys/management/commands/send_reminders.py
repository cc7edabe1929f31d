from datetime import date

from django.core.management.base import BaseCommand, CommandError

from surveys.review.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Send the reminders due today to offices that have not submitted every response of an open round "
        "(the days before and after each round's deadline). Run it once a day; running it again the same "
        "day sends nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Act as on this day (YYYY-MM-DD) instead of today, e.g. to try a round's schedule."
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue the work for the background workers (manage.py db_worker) instead of doing it now.",
        )

    def handle(self, *args, **options):
        day = options["date"]
        if day:
            try:
                date.fromisoformat(day)
            except ValueError:
                raise CommandError(f"--date {day!r} is not a date written YYYY-MM-DD.") from None
        if options["queue"]:
            result = send_due_reminders.enqueue(day)
            self.stdout.write(f"Reminders queued (task {result.id}).")
            return
        sent = send_due_reminders.call(day)
        total = sum(sent.values())
        self.stdout.write(f"{total} reminder(s) sent.")
        for slug, count in sent.items():
            if count:
                self.stdout.write(f"  {slug}: {count}")
