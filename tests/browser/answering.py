"""Answering the questionnaire in Chromium as an office would: click and type every answer
of an answer document into the form (no answer written to the database by the test)."""

from __future__ import annotations

from typing import Any


def _field(page, field_id: str):
    # The question inputs' IDs hold dots (q4b.serial), which CSS would read as classes.
    return page.locator(f'[id="{field_id}"]')


def _fill_grid(page, qid: str, rows: list[dict[str, str]]) -> None:
    for index, row in enumerate(rows):
        if index and not _field(page, f"id_{qid}.{index}.{next(iter(row))}").count():
            page.locator(f'[data-add-row="{qid}"]').click()
        for column, value in row.items():
            _field(page, f"id_{qid}.{index}.{column}").fill(str(value))


def answer(page, edition, answers: dict[str, Any]) -> None:
    """Type ``answers`` (question ID → stored answer) into the open form, in questionnaire
    order, so that every follow-up has appeared before it is answered."""
    for question in edition.questions:
        qid = question.id
        if qid not in answers:
            continue
        value = answers[qid]
        kind = question.type
        if kind == "multi":
            for code in value:
                _field(page, f"id_{qid}-{code}").check()
        elif kind in ("single", "yesno"):
            _field(page, f"id_{qid}-{value}").check()
        elif kind == "order":
            for position, part in enumerate(value, start=1):
                _field(page, f"id_{qid}.{part}").fill(str(position))
        elif kind == "part_lengths":
            for part, length in value.items():
                if isinstance(length, dict):
                    for bound, number in length.items():
                        _field(page, f"id_{qid}.{part}.{bound}").fill(str(number))
                else:
                    _field(page, f"id_{qid}.{part}").fill(str(length))
        elif kind == "grid":
            _fill_grid(page, qid, value)
        else:
            _field(page, f"id_{qid}").fill(str(value))
