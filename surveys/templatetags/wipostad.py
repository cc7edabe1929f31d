from django import template

register = template.Library()

VERDICT_LABELS = {
    "complies": "Complies",
    "deviates": "Deviates",
    "not_applicable": "Not applicable",
    "unknown": "Unknown (answer missing)",
}


@register.filter
def verdict_label(verdict: str) -> str:
    """How a compliance verdict reads for people."""
    return VERDICT_LABELS.get(str(verdict), str(verdict))
