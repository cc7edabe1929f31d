"""`python manage.py bench_scale`: the pages and exports at 1× and 10× the realistic data.

For every size it generates the realistic data set (surveys/benchdata.py: 190 offices,
1–4 numbering systems each, three rounds; 418 responses a round at 1×) into a throw-away
database of its own — a new PostgreSQL database beside the one DATABASE_URL names, or
else a SQLite file in a temporary folder — and measures each target in a fresh child
process, through Django's request handler with production settings:

- time: the fastest of up to ``--repeat`` runs (one run when a run takes over 2 s);
- memory: the child's peak resident set size (``ru_maxrss``) minus its resident size
  just before the first measured request — what the request itself made the process
  grow by (Python objects, buffers, the database driver, imported libraries);
- queries: the SQL statements the request sent.

The round report page is read from a stored build of the report (one per state of the
figures, built by the worker): two lines measure it, the build ("round report: stored
build", in this process as the worker does it, its time per response) and the page served
from it ("round report page (from its stored build)", a page like the others: flat
time, memory and queries). PDF and DOCX are compared with that build, the HTML report's
own cost.

Floors, measured the same way at the same size: a static file from the same application
(WhiteNoise) for a page; one raw SQL query over the report round's published answers
plus plain Python counting them for a report or an export. The branching engine is
measured by ``bench_engine`` (engine against a plain walk over the same answers).

Limits (issue #16): a page's time at every size within 1.5× of that at the smallest
size (pages show a page of rows, whatever the data); an export's time per response
within 1.5× of that at the smallest size; the memory of a page or a streamed export
(CSV, JSON, XLSX) at most twice that at the smallest size (plus MEMORY_SLACK_MB for the
allocator); the same query count at every size for a page; PDF at most 5× and DOCX at
most 3× the same report's HTML build at the same size; the engine at most 3× the plain
walk. Any limit exceeded is printed as FAIL and the command exits non-zero.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from surveys.benchdata import throwaway_postgres

PAGE_GROWTH = 1.5  # a page's time at N× over that at the smallest size
ROW_GROWTH = 1.5  # an export's time per response at N× over that at the smallest size
MEMORY_GROWTH = 2.0  # a page's or a streamed export's memory at N× over that at the smallest size
MEMORY_SLACK_MB = 8.0  # added to the allowance: what the allocator keeps or returns at random
HEAVY_LIMITS = {"pdf": 5.0, "docx": 3.0}  # times the same report's HTML build, same size
ENGINE_LIMIT = 3.0
# A published page from the cache, under gunicorn, at most this many static files.
PAGE_CACHE_LIMIT = 2.0
SINGLE_RUN_SECONDS = 10.0  # a run longer than this is not repeated (the fastest of several counts)
EDITION = "application-numbering-2012"
RESULT = "BENCH-RESULT "


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    kind: str  # floor-page, page, floor-report, report, stream, heavy
    path: str = ""  # {round} is the report round's slug
    user: str = ""  # "", "secretariat" or "respondent"
    expect: bytes = b""  # how the body starts (files)
    along: str = ""  # also measured whenever this target is (--only)


TARGETS = (
    Target("static", "static file (page floor)", "floor-page", "/static/wipostad/site.css"),
    Target("st13", "/st13/ checker page (GET)", "page", "/st13/"),
    Target("public-list", "public list of responses", "page", f"/surveys/{EDITION}/responses/"),
    Target("round-dashboard", "round dashboard (secretariat)", "page", "/surveys/rounds/{round}/", "secretariat"),
    Target("office-dashboard", "office dashboard (respondent)", "page", "/surveys/", "respondent"),
    Target("api-responses", "API responses list (secretariat)", "page", "/api/responses/", "secretariat"),
    Target("raw-report", "raw query + plain Python (report floor)", "floor-report"),
    # The HTML report's cost: building its stored pages (the worker's part; PDF and DOCX are
    # compared with it). Then the page as a visitor gets it, from that build.
    Target("report", "round report: stored build (worker)", "report"),
    Target(
        "report-page",
        "round report page (from its stored build)",
        "page",
        "/surveys/rounds/{round}/report/",
        along="report",
    ),
    Target("csv", "report CSV", "stream", "/surveys/rounds/{round}/report/?format=csv", user="respondent"),
    Target("json", "report JSON", "stream", "/surveys/rounds/{round}/report/?format=json"),
    Target(
        "xlsx", "report XLSX", "stream", "/surveys/rounds/{round}/report/?format=xlsx", user="respondent", expect=b"PK"
    ),
    Target(
        "docx", "report DOCX", "heavy", "/surveys/rounds/{round}/report/?format=docx", user="respondent", expect=b"PK"
    ),
    Target(
        "pdf", "report PDF", "heavy", "/surveys/rounds/{round}/report/?format=pdf", user="respondent", expect=b"%PDF"
    ),
)
# The key of `--only` that runs each command measured apart.
EXTERNAL_KEYS = {"bench_engine": "engine", "bench_published_page": "page-cache"}
TARGET_KEYS = tuple(t.key for t in TARGETS) + tuple(EXTERNAL_KEYS.values())

# Measurements made by other commands, each: (label, the command's arguments, a pattern
# whose first group is the ratio it prints, the limit). One line adds another.
EXTERNAL = (
    (
        "branching engine (applicability, validation, warnings) vs plain walk",
        ["bench_engine", "--responses", "2000", "--requests", "20"],
        r"ratio engine / floor: ([\d.]+)×",
        ENGINE_LIMIT,
    ),
    (
        "published page (cached) vs static file, gunicorn",
        ["bench_published_page", "--requests", "300"],
        r"ratio page / static file: ([\d.]+)×",
        PAGE_CACHE_LIMIT,
    ),
)


# ----------------------------------------------------------------- the child process


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return peak / 1024


def _raw_report(round_slug: str) -> tuple[int, int]:
    """The report floor: the round's published answers in one raw query, counted in plain Python."""
    from django.db import connection

    counts: Counter = Counter()
    rows = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.answers FROM surveys_surveyresponse r JOIN surveys_surveyround s ON s.id = r.round_id "
            "WHERE s.slug = %s AND r.status = 'published' ORDER BY r.office_id, r.sequence",
            [round_slug],
        )
        for (answers,) in cursor.fetchall():
            rows += 1
            for question, value in (json.loads(answers) if isinstance(answers, str) else answers).items():
                for item in value if isinstance(value, list) else [value]:
                    counts[(question, json.dumps(item, sort_keys=True) if isinstance(item, dict) else item)] += 1
    return rows, len(counts)


HEAD_BYTES = 512


@dataclass
class Body:
    head: bytes  # the first bytes, to check what came back
    size: int


def _body(response: Any) -> Body:
    """The first bytes and the length of a response's body, read a piece at a time as a
    client receives it: a streamed file is never held whole by the measuring process, whose
    memory is what is measured."""
    if not getattr(response, "streaming", False):
        return Body(response.content[:HEAD_BYTES], len(response.content))
    head, size = b"", 0
    for piece in response.streaming_content:
        if len(head) < HEAD_BYTES:
            head += piece[: HEAD_BYTES - len(head)]
        size += len(piece)
    return Body(head, size)


def _get(client: Any, target: Target, path: str) -> Body:
    """The answer's body. A file built in the background (the report page's address sends
    the browser to it) is asked for as a signed-in user does: the build is requested (the
    immediate task backend builds it in this process, as a worker would), then downloaded
    from storage."""
    response = client.get(path)
    if response.status_code == 302 and "/report/file/" in response["Location"]:
        file_url = response["Location"]
        client.post(file_url)
        response = client.get(file_url)
    body = _body(response)
    if response.status_code != 200:
        raise CommandError(f"{path} answered {response.status_code}")
    if body.head.startswith(target.expect) and (target.kind not in ("stream", "heavy") or b"<html" not in body.head):
        return body
    raise CommandError(f"{path} did not return the file ({response.get('Content-Type')}, {body.head[:80]!r})")


def _build_report_page(round_slug: str) -> Body:
    """The worker's build of the round report page's data (published figures, English),
    made afresh: the one before it is deleted first, outside the build's own work."""
    from surveys.models import ExportBuild, SurveyRound
    from surveys.reports import builds, tables

    survey_round = SurveyRound.objects.select_related("edition").get(slug=round_slug)
    key = builds.page_key(survey_round, tables.Scope.PUBLISHED, "en")
    builds.discard(key.rows())
    build = builds.build_inline(key, builds.data_fingerprint(survey_round, tables.Scope.PUBLISHED))
    if build.state != ExportBuild.State.DONE:
        raise CommandError(f"the report page build failed: {build.error}")
    return Body(b"", build.size)


def _stored_report_page(round_slug: str) -> None:
    """The report page's stored build, made in a process of its own (whose memory is not
    measured here) in the size's own storage folder (what other targets built went with
    their temporary folders)."""
    from surveys.models import ExportBuild
    from surveys.reports import builds

    builds.discard(ExportBuild.objects.filter(round__slug=round_slug, format=builds.PAGE))
    done = subprocess.run(
        [sys.executable, "manage.py", "prepare_exports", "--pages-now", round_slug],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise CommandError(f"building the report page failed: {done.stderr[-2000:]}")


def _client(user: str) -> Any:
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    if user:
        client.force_login(User.objects.get(username=f"bench.{user}"))
    return client


def measure(key: str, scale: int, repeat: int) -> dict[str, Any]:
    """One target at one size, in this (fresh) process."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from surveys.models import SurveyResponse
    from surveys.reports import exporters, tables  # noqa: F401  (imported before the baseline)

    target = next(t for t in TARGETS if t.key == key)
    round_slug = f"bench-2018-x{scale}"
    rows = SurveyResponse.objects.filter(round__slug=round_slug, status="published").count()
    # Without the test environment's template instrumentation: the client keeps no copy of
    # every template's context, so what is measured is what a server does.
    # Built files go to a folder of their own, removed with the measurement.
    # The report page reads its stored build from the size's own folder (made before it is measured).
    with (
        tempfile.TemporaryDirectory(prefix="wipostad-bench-") as media,
        override_settings(
            WHITENOISE_USE_FINDERS=True,
            ALLOWED_HOSTS=["testserver"],
            MEDIA_ROOT=settings.MEDIA_ROOT if key == "report-page" else media,
        ),
    ):
        client = _client(target.user)
        client.get("/static/wipostad/site.css")  # the handler and its middleware, loaded
        path = target.path.format(round=round_slug)
        run: Callable[[], Any] = lambda: _get(client, target, path)  # noqa: E731
        if target.kind == "floor-report":
            run = lambda: _raw_report(round_slug)  # noqa: E731
        elif target.key == "report":
            run = lambda: _build_report_page(round_slug)  # noqa: E731
        elif target.key == "report-page":
            _stored_report_page(round_slug)
        gc.collect()
        before = _rss_mb()
        best, cpu, queries, size = float("inf"), float("inf"), 0, 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started, cpu_started = time.perf_counter(), time.process_time()
                body = run()
                seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
            best, cpu, queries = min(best, seconds), min(cpu, cpu_seconds), len(captured.captured_queries)
            size = body.size if isinstance(body, Body) else 0
            del body
            if seconds > SINGLE_RUN_SECONDS:
                break
    return {
        "seconds": best,
        "cpu": cpu,
        "queries": queries,
        "bytes": size,
        "memory": max(0.0, _peak_mb() - before),
        "rows": rows,
    }


# ------------------------------------------------------------------ the parent process


@dataclass
class Measured:
    target: Target
    scale: int
    rows: int = 0
    seconds: float = float("nan")
    memory: float = float("nan")
    queries: int = 0
    cpu: float = float("nan")
    error: str = ""
    floor: float = float("nan")  # the floor's time at the same size
    checks: tuple[str, ...] = ()
    failed: bool = False

    @property
    def per_row(self) -> float:
        return self.seconds / self.rows if self.rows else float("nan")


@dataclass
class Check:
    what: str
    got: float
    limit: float
    detail: str

    @property
    def ok(self) -> bool:
        return self.got <= self.limit  # NaN (not measured) fails


def _label(m: Measured) -> str:
    return f"{m.target.label} at {m.scale}×"


def _size_checks(m: Measured, base: Measured, smallest: int) -> list[Check]:
    what, kind = _label(m), m.target.kind
    checks = []
    if kind == "page":
        checks.append(Check(what, m.seconds / base.seconds, PAGE_GROWTH, f"time / time at {smallest}×"))
        checks.append(Check(what, m.queries, base.queries, f"queries (limit: as many as at {smallest}×)"))
    if kind in ("report", "stream"):
        checks.append(Check(what, m.per_row / base.per_row, ROW_GROWTH, f"time per response / at {smallest}×"))
    if kind in ("page", "stream"):
        allowed = MEMORY_GROWTH * base.memory + MEMORY_SLACK_MB
        checks.append(
            Check(what, m.memory, allowed, f"memory MB (limit {MEMORY_GROWTH:g}× at {smallest}× + {MEMORY_SLACK_MB:g})")
        )
    return checks


def check_growth(results: list[Measured]) -> list[Check]:
    """The limits between sizes and against the HTML page (see the module's docstring)."""
    checks: list[Check] = []
    by = {(m.target.key, m.scale): m for m in results}
    smallest = min((m.scale for m in results), default=1)
    for m in results:
        if m.error:
            checks.append(Check(_label(m), float("nan"), 0, m.error))
        if m.target.kind == "heavy":
            html = by.get(("report", m.scale))
            ratio = m.seconds / html.seconds if html and not html.error else float("nan")
            checks.append(Check(_label(m), ratio, HEAVY_LIMITS[m.target.key], "time / the HTML report build's"))
        base = by.get((m.target.key, smallest))
        if base is not None and m.scale != smallest and not m.error and not base.error:
            checks += _size_checks(m, base, smallest)
    failed = {c.what for c in checks if not c.ok}
    for m in results:
        m.failed = _label(m) in failed
    return checks


def _database_env(label: str, work: Path) -> tuple[dict[str, str], Callable[[], None]]:
    """The environment of a new throw-away database, and how to drop it."""
    url = os.environ.get("DATABASE_URL", "").strip()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "WIPOSTAD_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_STATIC_MANIFEST="0",
        DJANGO_LOG_LEVEL="ERROR",
        DJANGO_MEDIA_ROOT=str(work / f"media-{label}"),
        # Background work runs in the measuring process, so that it is measured.
        WIPOSTAD_TASKS_BACKEND="immediate",
        # The bench's secretariat has no authenticator app: production settings would send
        # it to set one up instead of to the pages measured.
        WIPOSTAD_REQUIRE_TWO_FACTOR="0",
    )
    if not url:
        env["DJANGO_SQLITE_PATH"] = str(work / f"{label}.sqlite3")
        return env, lambda: None
    env["DATABASE_URL"], drop = throwaway_postgres(url, f"{label}_{os.getpid()}")
    return env, drop


def _manage(args: list[str], env: dict[str, str], timeout: float | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _prepare(scale: int, env: dict[str, str]) -> str:
    started = time.perf_counter()
    for step in (["migrate", "--noinput", "-v0"], ["createcachetable"]):
        done = _manage(step, env)
        if done.returncode:
            raise CommandError(f"{step[0]} failed: {done.stderr[-2000:]}")
    done = _manage(["load_bench_data", "--scale", str(scale), "--password", secrets.token_urlsafe(16)], env)
    if done.returncode:
        raise CommandError(f"generating the data failed: {done.stderr[-2000:]}")
    return f"{done.stdout.strip()} (with the schema: {time.perf_counter() - started:.0f} s)"


def _run_child(target: Target, scale: int, repeat: int, env: dict[str, str], timeout: float) -> Measured:
    m = Measured(target, scale)
    args = ["bench_scale", "--measure", target.key, "--scales", str(scale), "--repeat", str(repeat)]
    try:
        done = _manage(args, env, timeout=timeout)
    except subprocess.TimeoutExpired:
        m.error = f"stopped after {timeout:.0f} s"
        m.seconds = timeout  # at least
        return m
    line = next((line for line in done.stdout.splitlines() if line.startswith(RESULT)), "")
    if done.returncode or not line:
        m.error = (done.stderr.strip().splitlines() or ["no result"])[-1][:200]
        return m
    data = json.loads(line[len(RESULT) :])
    m.rows, m.seconds, m.memory, m.queries = data["rows"], data["seconds"], data["memory"], data["queries"]
    m.cpu = data["cpu"]
    return m


class Command(BaseCommand):
    help = "Measure the pages and exports at 1× and 10× the realistic data against their floors and limits."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scales", nargs="+", type=int, default=[1, 10], help="data sizes (default 1 10)")
        parser.add_argument("--with-100", action="store_true", help="add the 100× size (long: 124,212 responses)")
        parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the fastest counts")
        parser.add_argument("--only", nargs="+", choices=TARGET_KEYS, help="measure only these targets")
        parser.add_argument(
            "--heavy-at-every-size", action="store_true", help="PDF and DOCX at every size (default: the smallest)"
        )
        # Internal: one measurement, in a fresh process, by the command itself.
        parser.add_argument("--measure", choices=TARGET_KEYS, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["measure"]:
            result = measure(options["measure"], options["scales"][0], max(1, options["repeat"]))
            self.stdout.write(RESULT + json.dumps(result))
            return
        scales = sorted(set(options["scales"] + ([100] if options["with_100"] else [])))
        if scales[0] < 1 or options["repeat"] < 1:
            raise CommandError("--scales are whole numbers from 1, --repeat at least 1.")
        keys = options["only"] or TARGET_KEYS
        vendor = "PostgreSQL" if os.environ.get("DATABASE_URL", "").strip() else "SQLite"
        self.stdout.write(f"Database: {vendor}" + ("" if vendor == "PostgreSQL" else " (DATABASE_URL is not set)"))
        results = self._measure_all(scales, keys, options)
        checks = check_growth(results)
        checks += self._external(keys)
        self._table(results)
        failed = self._checks(checks)
        if failed:
            raise CommandError(f"{failed} limit(s) exceeded (FAIL above).")
        self.stdout.write(self.style.SUCCESS("OK: every limit met."))

    def _measure_all(self, scales: list[int], keys: tuple[str, ...], options: dict[str, Any]) -> list[Measured]:
        results: list[Measured] = []
        work = Path(tempfile.mkdtemp(prefix="wipostad-bench-"))
        try:
            for scale in scales:
                env, drop = _database_env(f"bench_x{scale}", work)
                try:
                    self.stdout.write(f"{scale}×: {_prepare(scale, env)}")
                    results += self._measure_size(scale, scales, keys, env, options)
                finally:
                    drop()
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return results

    def _measure_size(
        self, scale: int, scales: list[int], keys: tuple[str, ...], env: dict[str, str], options: dict[str, Any]
    ) -> list[Measured]:
        results: list[Measured] = []
        html = None
        for target in TARGETS:
            if target.key not in keys and target.along not in keys:
                continue
            timeout = 1800.0
            if target.kind == "heavy":
                if scale != scales[0] and not options["heavy_at_every_size"]:
                    continue
                # Past its limit × the HTML page it fails whatever it takes: stopped there.
                html_seconds = html.seconds if html and not html.error else 10.0
                timeout = max(30.0, 2 * HEAVY_LIMITS[target.key] * html_seconds)
            repeat = 1 if target.kind == "heavy" else options["repeat"]
            m = _run_child(target, scale, repeat, env, timeout)
            if target.key == "report":
                html = m
            results.append(m)
            self.stdout.write(f"  {scale}× {target.label}: " + (m.error or f"{m.seconds:.3f} s"), ending="\n")
            self.stdout.flush()
        floors = {m.scale: m.seconds for m in results if m.target.kind == "floor-page"}
        reports = {m.scale: m.seconds for m in results if m.target.kind == "floor-report"}
        for m in results:
            m.floor = (floors if m.target.kind == "page" else reports).get(m.scale, float("nan"))
        return results

    def _external(self, keys: tuple[str, ...]) -> list[Check]:
        checks = []
        for label, command, pattern, limit in EXTERNAL:
            if EXTERNAL_KEYS[command[0]] not in keys:
                continue
            env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
            done = _manage(command, {**env, "DJANGO_DEBUG": "1"})
            found = re.search(pattern, done.stdout)
            ratio = float(found.group(1)) if found else float("nan")
            detail = "ratio it prints" if found else f"no ratio printed: {(done.stderr or done.stdout)[-200:]}"
            self.stdout.write(f"{command[0]}: {ratio:.1f}×" if found else f"{command[0]}: {detail}")
            checks.append(Check(label, ratio, limit, detail))
        return checks

    def _table(self, results: list[Measured]) -> None:
        head = (
            f"{'what':<42}{'size':>5}{'rows':>7}{'time ms':>10}{'CPU ms':>9}{'ms/row':>8}{'mem MB':>8}{'queries':>8}"
            f"{'vs floor':>10}  verdict"
        )
        self.stdout.write("\n" + head + "\n" + "-" * len(head))
        for m in results:
            ratio = m.seconds / m.floor if m.floor and m.target.kind in ("page", "report", "stream", "heavy") else None
            report = m.target.kind in ("report", "stream", "heavy", "floor-report")
            per_row = f"{1000 * m.per_row:8.3f}" if report else f"{'':>8}"
            rows = f"{m.rows:>7}" if report else f"{'':>7}"
            self.stdout.write(
                f"{m.target.label:<42}{str(m.scale) + '×':>5}{rows}{1000 * m.seconds:>10.1f}{1000 * m.cpu:>9.1f}"
                f"{per_row}"
                f"{m.memory:>8.1f}{m.queries:>8}{(f'{ratio:.1f}×' if ratio else '—'):>10}  "
                + ("FAIL" if m.failed or m.error else "ok")
                + (f" ({m.error})" if m.error else "")
            )
        self.stdout.write(
            "time: fastest run (wall clock; CPU: the measuring process's, not the database server's); "
            "ms/row: per published response of the report round; mem: peak RSS growth of the "
            "measuring process; vs floor: a page / the static file, a report or export / one raw query + plain Python. "
            "The round report page is served from its stored build (made before it is measured; the build is the "
            "line above it)."
        )

    def _checks(self, checks: list[Check]) -> int:
        self.stdout.write("\nLimits:")
        for c in checks:
            figure = f" = {c.got:.2f} (limit {c.limit:.4g})" if c.got == c.got else " (not measured)"
            self.stdout.write(f"  {'OK  ' if c.ok else 'FAIL'} {c.what}: {c.detail}{figure}")
        return sum(not c.ok for c in checks)
