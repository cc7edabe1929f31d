"""`python manage.py bench_reports`: how the round report scales with the number of responses.

(`bench_scale` measures every page and export on the realistic generated data against
floors and limits; this command is the quick look at one round's report.)

It builds synthetic rounds (66 responses, the size of the 2012 survey, and 100 times
that) in a throw-away test database — never the developer's database — and measures,
per size, the report page and the XLSX export through the real views, with their query
counts. CPU time per response at the large size must stay within 1.5× of the small
one, with the same number of queries; otherwise the command fails. Wall-clock times are
printed beside it (on a shared machine they include waiting for a core).
"""

from __future__ import annotations

import copy
import gc
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment
from django.urls import reverse

MAX_RATIO = 1.5
EDITION_FILE = Path(__file__).resolve().parents[2] / "editions" / "application-numbering-2012.json"


class Command(BaseCommand):
    help = "Time the round report page and its XLSX export on synthetic rounds of 66 and 6,600 responses."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sizes", nargs="+", type=int, default=[66, 6600], help="Round sizes (responses).")
        parser.add_argument("--repeat", type=int, default=3, help="Runs per measurement; the fastest counts.")

    def handle(self, *args: Any, sizes: list[int], repeat: int, **options: Any) -> None:
        setup_test_environment()
        # The test database machinery: an in-memory SQLite database (or test_<name> on
        # PostgreSQL), created and migrated here and dropped at the end.
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            self.stdout.write(f"Throw-away database: {connection.settings_dict['NAME']} ({connection.vendor})")
            results = self._run(sizes, repeat)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()
        self._verdict(results)

    def _run(self, sizes: list[int], repeat: int) -> list[dict[str, Any]]:
        from standards.services import offices_load, standards_load
        from surveys.questionnaire.loading import edition_load

        offices_load()
        standards_load()
        edition, _ = edition_load(EDITION_FILE)
        client = Client()
        results = []
        for size in sizes:
            survey_round = _synthetic_round(edition, size)
            url = reverse("reports:round_report", args=[survey_round.slug])
            page = _measure(client, url, repeat, must_contain="report-compliance")
            xlsx = _measure(client, url + "?format=xlsx", repeat, must_start=b"PK")
            row = {"size": size, "page": page, "xlsx": xlsx}
            if size == min(sizes):
                # The other downloads, at the survey's real size: fast enough to need no progress bar?
                row["others"] = {
                    fmt: _measure(client, f"{url}?format={fmt}", 1) for fmt in ("csv", "json", "docx", "pdf")
                }
            results.append(row)
            self._print_row(row)
        return results

    def _print_row(self, row: dict[str, Any]) -> None:
        size = row["size"]
        for key, what in (("page", "report page"), ("xlsx", "XLSX export")):
            m = row[key]
            self.stdout.write(
                f"{size:>6} responses | {what:<11} {m['seconds']:7.3f} s = {1000 * m['seconds'] / size:6.3f} ms"
                f"/response (CPU {1000 * m['cpu'] / size:6.3f} ms) | {m['queries']} queries | "
                f"{m['bytes'] / 1e6:.2f} MB"
            )
        for fmt, m in row.get("others", {}).items():
            self.stdout.write(
                f"{size:>6} responses | {fmt.upper() + ' export':<11} {m['seconds']:7.3f} s (CPU {m['cpu']:.3f} s)"
                f"{'':14}| {m['queries']} queries | {m['bytes'] / 1e6:.2f} MB"
            )

    def _verdict(self, results: list[dict[str, Any]]) -> None:
        small, large = results[0], results[-1]
        problems = []
        for key, what in (("page", "report page"), ("xlsx", "XLSX export")):
            # Both clocks are shown; the limit applies to CPU time, the work the report
            # itself does: on a shared machine wall-clock time also counts the time spent
            # waiting for a core, which has nothing to do with the number of responses.
            for clock in ("seconds", "cpu"):
                per_small = small[key][clock] / small["size"]
                per_large = large[key][clock] / large["size"]
                ratio = per_large / per_small
                self.stdout.write(
                    f"{what} ({'wall' if clock == 'seconds' else 'CPU'}): {1000 * per_large:.3f} ms/response at "
                    f"{large['size']} vs {1000 * per_small:.3f} at {small['size']} → {ratio:.2f}×"
                    + (f" (limit {MAX_RATIO}×)" if clock == "cpu" else "")
                )
                if clock == "cpu" and ratio > MAX_RATIO:
                    problems.append(f"{what} CPU time per response grows {ratio:.2f}×")
            queries = f"{large[key]['queries']} queries at {large['size']}, {small[key]['queries']} at {small['size']}"
            self.stdout.write(f"{what}: {queries}")
            if large[key]["queries"] != small[key]["queries"]:
                problems.append(f"{what} query count grows")
        if problems:
            raise CommandError("; ".join(problems))
        self.stdout.write(self.style.SUCCESS("OK: CPU time per response within the limit, equal query counts."))


def _synthetic_round(edition: Any, size: int) -> Any:
    """A published round of `size` responses spread over all ST.3 offices (bulk-created)."""
    from standards.models import Office
    from surveys.benchdata import CONFORMANT, INCOMPLETE, VARIABLE
    from surveys.demo import EPO_PATENTS, MOLDOVA_TRADEMARKS
    from surveys.models import NumberingSystem, ResponseStatus, SurveyResponse, SurveyRound

    survey_round = SurveyRound.objects.create(
        edition=edition,
        slug=f"bench-{size}",
        title=f"Synthetic round of {size} responses",
        year=2012,
        opens_on=date(2012, 3, 1),
        closes_on=date(2012, 12, 31),
    )
    offices = list(Office.objects.order_by("code"))
    templates = [MOLDOVA_TRADEMARKS, EPO_PATENTS, CONFORMANT, VARIABLE, INCOMPLETE]
    sequence: dict[str, int] = {}
    systems, responses = [], []
    for i in range(size):
        office = offices[i % len(offices)]
        sequence[office.code] = sequence.get(office.code, 0) + 1
        systems.append(NumberingSystem(office=office, label=f"{survey_round.slug} system {sequence[office.code]}"))
    systems = NumberingSystem.objects.bulk_create(systems, batch_size=1000)
    sequence.clear()
    for i, system in enumerate(systems):
        sequence[system.office_id] = sequence.get(system.office_id, 0) + 1
        answers = copy.deepcopy(templates[i % len(templates)])
        if "q14a" in answers:
            answers["q14a"][0]["office_name"] = system.office.name
        responses.append(
            SurveyResponse(
                round=survey_round,
                office_id=system.office_id,
                numbering_system=system,
                sequence=sequence[system.office_id],
                status=ResponseStatus.PUBLISHED,
                answers=answers,
            )
        )
    SurveyResponse.objects.bulk_create(responses, batch_size=1000)
    return survey_round


def _measure(
    client: Client, url: str, repeat: int, *, must_contain: str = "", must_start: bytes = b""
) -> dict[str, Any]:
    best: dict[str, Any] | None = None
    for _ in range(repeat):
        gc.collect()  # start every run from the same heap, so runs compare
        with CaptureQueriesContext(connection) as ctx:
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            content = response.content
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        if must_contain and must_contain.encode() not in content:
            raise CommandError(f"{url} does not show the report")
        if must_start and not content.startswith(must_start):
            raise CommandError(f"{url} did not return the expected file")
        run = {"seconds": seconds, "cpu": cpu, "queries": len(ctx.captured_queries), "bytes": len(content)}
        if best is None or run["seconds"] < best["seconds"]:
            best = {**run, "cpu": min(cpu, best["cpu"]) if best else cpu}
        else:
            best["cpu"] = min(best["cpu"], cpu)
    assert best is not None
    return best
