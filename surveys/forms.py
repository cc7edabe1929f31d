from django import forms

from surveys.models import NumberingSystem


class NumberingSystemForm(forms.ModelForm):
    class Meta:
        model = NumberingSystem
        fields = ["label"]
        labels = {"label": "Name of the numbering system"}
        help_texts = {
            "label": "How your office refers to it, e.g. “Patents and utility models” or “Trademarks and designs”."
        }


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Attach a file", required=False)
