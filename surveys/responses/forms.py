from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import NumberingSystem


class NumberingSystemForm(forms.ModelForm):
    class Meta:
        model = NumberingSystem
        fields = ["label"]
        labels = {"label": _("Name of the numbering system")}
        help_texts = {
            "label": _("How your office refers to it, e.g. “Patents and utility models” or “Trademarks and designs”.")
        }
