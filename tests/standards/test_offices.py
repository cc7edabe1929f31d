import pytest
from django.core.exceptions import ValidationError

from standards.models import Office, Standard
from standards.services import offices_load, read_offices, standards_load
from standards.validators import validate_st3_code

ORGANIZATIONS = ["AP", "BX", "EA", "EM", "EP", "GC", "IB", "OA", "QZ", "WO", "XN", "XU", "XV"]


def test_st3_file_is_complete_and_well_formed():
    rows = read_offices()
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)) >= 230
    assert codes == sorted(codes)
    by_code = {r["code"]: r for r in rows}
    for code in ORGANIZATIONS:
        assert by_code[code]["kind"] == "organization", code
    assert by_code["MD"] == {"code": "MD", "name": "Republic of Moldova", "kind": "state"}
    assert by_code["HK"]["kind"] == "entity"
    assert by_code["EP"]["name"] == "European Patent Office (EPO)" or "European Patent" in by_code["EP"]["name"]


@pytest.mark.django_db
def test_loading_offices_and_standards_is_idempotent():
    first = offices_load()
    assert first.created == Office.objects.count() >= 230
    again = offices_load()
    assert (again.created, again.updated) == (0, 0)
    Office.objects.filter(code="MD").update(name="Moldova (old name)")
    fixed = offices_load()
    assert fixed.updated == 1 and Office.objects.get(code="MD").name == "Republic of Moldova"
    standards_load()
    assert list(Standard.objects.values_list("code", flat=True)) == [
        "ST.3", "ST.6", "ST.13", "ST.34", "ST.60", "ST.80", "ST.10/B", "ST.10/C",
    ]  # fmt: skip
    assert "numbering of applications" in Standard.objects.get(code="ST.13").title.lower()


@pytest.mark.parametrize("bad", ["md", "M", "MDA", "1A", "", None])
def test_st3_validator(bad):
    with pytest.raises(ValidationError) as exc:
        validate_st3_code(bad)
    assert exc.value.code == "st3_code"
