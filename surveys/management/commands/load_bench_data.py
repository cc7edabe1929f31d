"""`python manage.py load_bench_data --scale N`: the generated data set (surveys/benchdata.py).

Realistic generated data — 190 offices, one to four numbering systems each, three rounds —
for measurements in a throw-away database (it adds three rounds named bench-<year>-x<scale>).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Generate the realistic data set of the benchmarks and the load test (190 offices, three rounds)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, default=1, help="1 = 418 responses a round (default 1)")
        parser.add_argument("--password", default="", help="password of the generated users (none made without)")

    def handle(self, *args: Any, scale: int, password: str, **options: Any) -> None:
        from surveys import benchdata
        from surveys.models import SurveyRound

        if scale < 1 or scale > 1000:
            raise CommandError("--scale must be between 1 and 1000.")
        if SurveyRound.objects.filter(slug__endswith=f"-x{scale}", slug__startswith="bench-").exists():
            raise CommandError(f"This database already holds the generated data at scale {scale}.")
        started = time.perf_counter()
        data = benchdata.generate(scale, password=password)
        self._settle()
        self.stdout.write(
            f"Generated {data.responses} responses ({data.offices} offices, {data.systems} numbering systems, "
            f"rounds {', '.join(data.round_slugs.values())}) in {time.perf_counter() - started:.1f} s."
        )

    def _settle(self) -> None:
        """Statistics and visibility map of the written tables, as autovacuum keeps them in a
        database in service: without them PostgreSQL plans every query for empty tables
        (sorting a whole table to return a page, counting rows from the table rather
        than from an index) until autovacuum comes by, so what is measured is no
        database in use."""
        from django.db import connection

        # VACUUM cannot run in a transaction (a caller's, as in a test): autovacuum then will.
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
