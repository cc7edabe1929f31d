"""Loading the standards reference data shipped in standards/data/."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from standards.models import Office, OfficeKind, OfficeName, Standard
from standards.office_names import overlapping_periods
from standards.validators import validate_st3_code

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def read_offices(path: Path = DATA_DIR / "st3.csv") -> list[dict[str, str]]:
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for line_no, row in enumerate(csv.DictReader(fh), start=2):
            try:
                validate_st3_code(row["code"])
            except ValidationError as exc:
                raise ValueError(f"{path.name} line {line_no}: {exc.messages[0]}") from None
            if row["kind"] not in OfficeKind.values:
                raise ValueError(f"{path.name} line {line_no}: unknown kind {row['kind']!r}")
            if not row["name"].strip():
                raise ValueError(f"{path.name} line {line_no}: the name is empty")
            rows.append({"code": row["code"], "name": row["name"].strip(), "kind": row["kind"]})
    return rows


def read_office_translations(path: Path = DATA_DIR / "st3_names_fr_es.csv") -> dict[str, dict[str, str]]:
    """ST.3 code → its French and Spanish names (blank where not given); lines starting
    with "#" (the file's sources) are skipped."""
    names: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    for line_no, row in enumerate(csv.DictReader(lines), start=2):
        where = f"{path.name} row {line_no}"
        try:
            validate_st3_code(row["code"])
        except ValidationError as exc:
            raise ValueError(f"{where}: {exc.messages[0]}") from None
        if row["code"] in names:
            raise ValueError(f"{where}: {row['code']} is given twice")
        names[row["code"]] = {"name_fr": (row["name_fr"] or "").strip(), "name_es": (row["name_es"] or "").strip()}
    return names


OFFICE_FIELDS = ("name", "name_fr", "name_es", "kind")


@transaction.atomic
def offices_load(
    path: Path = DATA_DIR / "st3.csv", translations: Path = DATA_DIR / "st3_names_fr_es.csv"
) -> LoadReport:
    """Create or update every office of the ST.3 list, with its French and Spanish names
    (idempotent)."""
    report = LoadReport()
    existing = {o.code: o for o in Office.objects.all()}
    local = read_office_translations(translations)
    rows = read_offices(path)
    unknown = sorted(set(local) - {row["code"] for row in rows})
    if unknown:
        raise ValueError(f"{translations.name}: codes not in {path.name}: {', '.join(unknown)}")
    to_create, to_update = [], []
    for row in rows:
        row = {**row, **local.get(row["code"], {"name_fr": "", "name_es": ""})}
        office = existing.get(row["code"])
        if office is None:
            to_create.append(Office(**row))
        elif any(getattr(office, f) != row[f] for f in OFFICE_FIELDS):
            for f in OFFICE_FIELDS:
                setattr(office, f, row[f])
            to_update.append(office)
        else:
            report.unchanged += 1
    Office.objects.bulk_create(to_create)
    Office.objects.bulk_update(to_update, list(OFFICE_FIELDS))
    report.created, report.updated = len(to_create), len(to_update)
    return report


@transaction.atomic
def standards_load(path: Path = DATA_DIR / "standards.json") -> LoadReport:
    report = LoadReport()
    for entry in json.loads(path.read_text(encoding="utf-8")):
        defaults = {
            "title": entry["title"],
            "version": entry.get("version") or "",
            "adopted": entry.get("adopted") or "",
            "url": entry.get("url") or "",
        }
        _upsert(report, Standard, {"code": entry["code"]}, defaults)
    return report


def _upsert(report: LoadReport, model, key: dict, values: dict) -> None:
    """Create the row `key` names with `values`, or bring it up to them; counted in `report`."""
    obj, created = model.objects.get_or_create(**key, defaults=values)
    if created:
        report.created += 1
    elif any(getattr(obj, k) != v for k, v in values.items()):
        model.objects.filter(pk=obj.pk).update(**values)
        report.updated += 1
    else:
        report.unchanged += 1


def _day(value: str, where: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def read_office_names(path: Path = DATA_DIR / "st3_names.csv") -> list[dict]:
    """The dated names of the offices (code, name, valid_from, valid_until, source), checked."""
    rows: list[dict] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for line_no, row in enumerate(csv.DictReader(fh), start=2):
            where = f"{path.name} line {line_no}"
            try:
                validate_st3_code(row["code"])
            except ValidationError as exc:
                raise ValueError(f"{where}: {exc.messages[0]}") from None
            if not row["name"].strip():
                raise ValueError(f"{where}: the name is empty")
            start, end = _day(row["valid_from"], where), _day(row["valid_until"], where)
            if start and end and end < start:
                raise ValueError(f"{where}: the name ends before it starts")
            rows.append(
                {
                    "code": row["code"],
                    "name": row["name"].strip(),
                    "valid_from": start,
                    "valid_until": end,
                    "source": row.get("source", "").strip(),
                }
            )
    for code in {r["code"] for r in rows}:
        own = [r for r in rows if r["code"] == code]
        if overlapping_periods([(r["valid_from"], r["valid_until"]) for r in own]):
            raise ValueError(f"{path.name}: two names of {code} cover the same days")
    return rows


@transaction.atomic
def office_names_load(path: Path = DATA_DIR / "st3_names.csv") -> LoadReport:
    """Record the dated names of the offices (idempotent; a name is known by its office and
    first day). Load the offices first: a name of an office not in the list is refused."""
    report = LoadReport()
    rows = read_office_names(path)
    known = set(Office.objects.filter(code__in={r["code"] for r in rows}).values_list("code", flat=True))
    unknown = sorted({r["code"] for r in rows} - known)
    if unknown:
        raise ValueError(f"{path.name}: offices not loaded: {', '.join(unknown)}")
    for row in rows:
        values = {"name": row["name"], "valid_until": row["valid_until"], "source": row["source"]}
        _upsert(report, OfficeName, {"office_id": row["code"], "valid_from": row["valid_from"]}, values)
    return report
