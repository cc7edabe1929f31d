import re

from django.core.exceptions import ValidationError

_ST3 = re.compile(r"^[A-Z]{2}$")


def validate_st3_code(value: str) -> None:
    """ST.3 codes are exactly two capital Latin letters."""
    if not isinstance(value, str) or not _ST3.match(value):
        raise ValidationError(
            "%(value)r is not an ST.3 code: two capital letters expected (e.g. MD, EP).",
            code="st3_code",
            params={"value": value},
        )
