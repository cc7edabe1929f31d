from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from surveys.demo import DEMO_PASSWORD, NOTES, demo_load


class Command(BaseCommand):
    help = "Load demonstration offices, users and responses (local use only; safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Load even when DJANGO_DEBUG is off (on a throw-away database).",
        )
        parser.add_argument(
            "--password",
            default=DEMO_PASSWORD,
            help=f"Password of the accounts created (default: the published {DEMO_PASSWORD!r}, which signs "
            "nobody in when DJANGO_DEBUG is off).",
        )

    def handle(self, *args, allow_without_debug, password, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "Refusing to create demo accounts with DJANGO_DEBUG off: their password is public. "
                "Use --allow-without-debug on a throw-away database."
            )
        logins = demo_load(password=password)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {password})")
        if not settings.DEBUG and password == DEMO_PASSWORD:
            self.stdout.write(
                "  With DJANGO_DEBUG off the published demo password is refused: give --password to sign in."
            )
        for username, who in logins:
            self.stdout.write(f"  {username:<16} {who}")
        self.stdout.write("")
        for note in NOTES:
            self.stdout.write(note)
            self.stdout.write("")
