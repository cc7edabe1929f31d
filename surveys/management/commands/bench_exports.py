"""The whole round's heavy files at 66 and 660 published responses, and their stored copies served.

For each size a throw-away database (SQLite, or PostgreSQL when DATABASE_URL is set) gets
one round of that many published responses (66: the size of the 2012 survey). In a fresh
process the report is built once (one pass over the responses), then laid out as:

- the HTML of the whole report (every row; the floor the heavy files are held to),
- the PDF and the DOCX (the time per response, and the ratio to the HTML),

each timed on the same built report, so the ratios compare layouts and not the reading.
Then the PDF, DOCX, XLSX and CSV zip are built and stored as the task queue builds them,
and each is downloaded from storage as a visitor gets it: the time to its first bytes (the
download starting) against the first bytes of a static file from the same handler, and
the time to its last byte. The command fails when the PDF costs more than 5 HTML layouts,
the DOCX more than 3, or a stored file takes a second or more to start.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from surveys.management.commands.bench_scale import RESULT, _database_env, _manage

SIZES = (66, 660)
PDF_LIMIT, DOCX_LIMIT = 5.0, 3.0  # × the HTML layout of the same built report
FIRST_BYTE_LIMIT = 1.0  # seconds before a stored file starts downloading
STORED = ("pdf", "docx", "xlsx", "csv")


def _timed(run) -> tuple[float, Any]:
    started = time.perf_counter()
    value = run()
    return time.perf_counter() - started, value


def _download(client, path: str) -> tuple[float, float, int]:
    """Seconds to the first bytes, seconds to the last, and the size, of a GET."""
    started = time.perf_counter()
    response = client.get(path)
    if response.status_code != 200:
        raise CommandError(f"{path} answered {response.status_code}")
    pieces = iter(response.streaming_content) if response.streaming else iter([response.content])
    size = len(next(pieces, b""))
    first = time.perf_counter() - started
    size += sum(len(piece) for piece in pieces)
    response.close()
    return first, time.perf_counter() - started, size


def measure(responses: int) -> dict[str, Any]:
    """In a fresh process on its own database: the layouts, then the stored files served."""
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from surveys import benchdata
    from surveys.models import ExportBuild, SurveyRound
    from surveys.reports import builds, exporters
    from surveys.reports.tables import Scope, build_report

    slug = benchdata.generate_published_round(responses, f"exports-{responses}")
    survey_round = SurveyRound.objects.select_related("edition").get(slug=slug)
    result: dict[str, Any] = {"responses": responses}
    build_seconds, report = _timed(lambda: build_report(survey_round, scope=Scope.PUBLISHED))
    with report:
        result["build"] = build_seconds
        result["html"] = min(_timed(lambda: exporters.print_html(report, None))[0] for _ in range(2))
        result["pdf"] = _timed(lambda: exporters.export_pdf(report, None))[0]
        result["docx"] = _timed(lambda: exporters.export_docx(report, None))[0]

    fingerprint = builds.data_fingerprint(survey_round, Scope.PUBLISHED)
    with override_settings(WHITENOISE_USE_FINDERS=True, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.get("/static/wipostad/site.css")  # the handler and its middleware, loaded
        result["static"] = min(_download(client, "/static/wipostad/site.css")[0] for _ in range(5))
        for fmt in STORED:
            key = builds.BuildKey(survey_round, Scope.PUBLISHED, fmt, "", "en")
            build, _queued = builds.request_build(key, fingerprint)
            builds.run_build(build.pk)  # as the worker does (no-op if the queue already built it)
            build = ExportBuild.objects.get(pk=build.pk)
            if build.state != ExportBuild.State.DONE:
                raise CommandError(f"the {fmt} build did not finish: {build.error}")
            path = reverse("reports:export_build_file", args=[slug, build.pk])
            first, last, size = min(_download(client, path) for _ in range(3))
            result[f"served_{fmt}"] = {"first": first, "last": last, "bytes": size}
    return result


class Command(BaseCommand):
    help = (
        "Measure the whole round's PDF and DOCX per response at 66 and 660 responses, and their stored copies served."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sizes", nargs="+", type=int, default=list(SIZES), help="published responses (66 660)")
        parser.add_argument("--measure", type=int, dest="measure_size", help=argparse.SUPPRESS)

    def handle(self, *args: Any, sizes: list[int], measure_size: int | None, **options: Any) -> None:
        if measure_size is not None:
            self.stdout.write(RESULT + json.dumps(measure(measure_size)))
            return
        work = Path(tempfile.mkdtemp(prefix="wipostad-bench-exports-"))
        results = []
        try:
            for size in sizes:
                env, drop = _database_env(f"exports_{size}", work)
                try:
                    results.append(self._size(size, env))
                finally:
                    drop()
        finally:
            shutil.rmtree(work, ignore_errors=True)
        failures = self._report(results)
        if failures:
            raise CommandError(f"{len(failures)} limit(s) exceeded: " + "; ".join(failures))

    def _size(self, size: int, env: dict[str, str]) -> dict[str, Any]:
        for step in (["migrate", "--noinput", "-v0"], ["createcachetable"]):
            done = _manage(step, env)
            if done.returncode:
                raise CommandError(f"{step[0]} failed: {done.stderr[-2000:]}")
        done = _manage(["bench_exports", "--measure", str(size)], env, timeout=3600)
        line = next((line for line in done.stdout.splitlines() if line.startswith(RESULT)), "")
        if done.returncode or not line:
            raise CommandError(f"measuring {size} responses failed: {done.stderr[-2000:]}")
        return json.loads(line[len(RESULT) :])

    def _report(self, results: list[dict[str, Any]]) -> list[str]:
        failures = []
        self.stdout.write(
            f"{'responses':>9}{'build s':>9}{'HTML s':>8}{'PDF s':>8}{'ms/resp':>9}{'vs HTML':>9}"
            f"{'DOCX s':>8}{'ms/resp':>9}{'vs HTML':>9}"
        )
        for r in results:
            n, html = r["responses"], r["html"]
            pdf_ratio, docx_ratio = r["pdf"] / html, r["docx"] / html
            self.stdout.write(
                f"{n:>9}{r['build']:>9.2f}{html:>8.2f}{r['pdf']:>8.2f}{1000 * r['pdf'] / n:>9.2f}{pdf_ratio:>8.2f}×"
                f"{r['docx']:>8.2f}{1000 * r['docx'] / n:>9.2f}{docx_ratio:>8.2f}×"
            )
            if pdf_ratio > PDF_LIMIT:
                failures.append(f"PDF at {n} responses: {pdf_ratio:.2f}× the HTML (at most {PDF_LIMIT:g})")
            if docx_ratio > DOCX_LIMIT:
                failures.append(f"DOCX at {n} responses: {docx_ratio:.2f}× the HTML (at most {DOCX_LIMIT:g})")
        if len(results) > 1:
            small, large = results[0], results[-1]
            for fmt in ("pdf", "docx"):
                growth = (large[fmt] / large["responses"]) / (small[fmt] / small["responses"])
                self.stdout.write(
                    f"ratio {fmt.upper()} per response, {large['responses']} / {small['responses']}: {growth:.2f}×"
                )
        self.stdout.write("\nStored files served (first bytes: the download starting):")
        for r in results:
            for fmt in STORED:
                served = r[f"served_{fmt}"]
                ratio = served["first"] / r["static"]
                self.stdout.write(
                    f"  {r['responses']:>5} responses {fmt.upper():<5} first bytes {1000 * served['first']:7.1f} ms "
                    f"(ratio first bytes / static file: {ratio:.1f}×), whole file {1000 * served['last']:7.1f} ms, "
                    f"{served['bytes'] / 1024:,.0f} KB"
                )
                if served["first"] >= FIRST_BYTE_LIMIT:
                    failures.append(f"stored {fmt} at {r['responses']} responses starts after {served['first']:.2f} s")
        self.stdout.write(
            "HTML, PDF, DOCX: laid out from the same built report (build s: reading and counting once); "
            "ratios, not absolute times, compare across machines."
        )
        self.stdout.write("OK: every limit met" if not failures else "FAIL: " + "; ".join(failures))
        return failures
