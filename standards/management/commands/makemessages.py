"""Django's makemessages, also reading the plural marker of the standards core.

``standards.messages.ngettext_noop(singular, plural, count)`` marks sentences whose
wording follows a number; xgettext learns its name here (``gettext_noop`` it already
knows from Django).
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=ngettext_noop:1,2"]
