from django.core.management.base import BaseCommand

from surveys.models import OutgoingMail
from surveys.review.mail import send_again


class Command(BaseCommand):
    help = "Queue every e-mail that failed to be sent (see the admin's outgoing e-mails) to be sent again."

    def handle(self, *args, **options):
        queued = send_again(list(OutgoingMail.objects.filter(status=OutgoingMail.Status.FAILED)))
        self.stdout.write(f"{queued} e-mail(s) queued to be sent again.")
