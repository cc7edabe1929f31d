"""The published response page against a static file, under gunicorn.

Starts gunicorn with production settings on a free loopback port against a throw-away
database with the demo data (the steps of ``load_test``), asks once for a published
response page so that it is kept in the cache, then measures the median latency of
requests to that page and to a static file served by the same server (WhiteNoise),
taking turns. Also measured, for comparison only: the same page rendered (a query
string keeps it out of the cache). Exits non-zero when the page's median is more than
``--max-ratio`` times the static file's (2 by default).
Nothing is sent anywhere but to the server on 127.0.0.1.
"""

from __future__ import annotations

import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from surveys.management.commands.load_test import HOST, _free_port, _request, stop, wait_until_up

PAGE = "/surveys/application-numbering-2012/responses/md-002/"
STATIC = "/static/wipostad/site.css"
MAX_RATIO = 2.0


def _timed(port: int, path: str) -> float:
    start = time.perf_counter()
    status, _, body = _request(port, "GET", path, {"Host": HOST})
    elapsed = time.perf_counter() - start
    if status != 200 or not body:
        raise CommandError(f"{path} answered {status}.")
    return elapsed


class Command(BaseCommand):
    help = "Median latency of a published response page (from the cache) against a static file, under gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=400, help="requests per target (default 400)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
        parser.add_argument(
            "--max-ratio",
            type=float,
            default=MAX_RATIO,
            help=f"fail when the page's median exceeds this many static files' (default {MAX_RATIO:g})",
        )

    def handle(self, *args, requests, workers, max_ratio, **options):
        if not 10 <= requests <= 100_000:
            raise CommandError("--requests must be between 10 and 100000.")
        with tempfile.TemporaryDirectory(prefix="wipostad-page-") as tmp:
            env = self._prepare(Path(tmp))
            port = _free_port()
            server = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "wipostad.wsgi",
                    "--bind",
                    f"{HOST}:{port}",
                    "--workers",
                    str(workers),
                    "--threads",
                    "2",
                    "--log-level",
                    "warning",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            try:
                wait_until_up(port, server, seconds=20)
                page, static, rendered = self._measure(port, requests)
            finally:
                stop(server)
        ratio = page / static
        self.stdout.write(f"Published response page under gunicorn, {requests} requests each (median):")
        self.stdout.write(f"  floor (static file, same server): {static * 1000:7.2f} ms")
        self.stdout.write(f"  public page {PAGE} from the cache: {page * 1000:7.2f} ms")
        self.stdout.write(f"  the same page rendered (not kept): {rendered * 1000:7.2f} ms ({rendered / static:.1f}×)")
        self.stdout.write(f"  ratio page / static file: {ratio:.2f}×")
        if ratio > max_ratio:
            raise CommandError(
                f"The published page's median is {ratio:.2f}× the static file's (at most {max_ratio:g}× allowed)."
            )

    def _prepare(self, tmp: Path) -> dict[str, str]:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_SQLITE_PATH": str(tmp / "page.sqlite3"),
            "DJANGO_STATIC_ROOT": str(tmp / "static"),
            "DJANGO_STATIC_COMPRESS": "0",
            "DJANGO_MEDIA_ROOT": str(tmp / "uploads"),
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        self.stdout.write("Preparing a throw-away database with the demo data …")
        for step in (
            ["migrate", "--noinput", "-v0"],
            ["createcachetable"],
            ["load_standards"],
            ["load_edition"],
            ["load_demo", "--allow-without-debug", f"--password={secrets.token_urlsafe(16)}"],
            ["collectstatic", "--noinput", "-v0"],
        ):
            done = subprocess.run(
                [sys.executable, "manage.py", *step], cwd=settings.BASE_DIR, env=env, capture_output=True
            )
            if done.returncode:
                raise CommandError(f"{step[0]} failed: {done.stderr.decode(errors='replace')[-2000:]}")
        return env

    def _measure(self, port: int, requests: int) -> tuple[float, float, float]:
        # Every worker renders the page once at most; later requests find it kept.
        for _ in range(10):
            _timed(port, PAGE)
            _timed(port, STATIC)
        status, headers, _ = _request(port, "GET", PAGE, {"Host": HOST})
        if status != 200 or "Cookie" not in dict(headers).get("Vary", ""):
            raise CommandError(f"{PAGE} answered {status} without Vary: Cookie.")
        page, static, rendered = [], [], []
        for i in range(requests):
            # Taking turns, so that a busy machine slows both alike.
            page.append(_timed(port, PAGE))
            static.append(_timed(port, STATIC))
            if i % 4 == 0:
                rendered.append(_timed(port, f"{PAGE}?rendered={i}"))
        return statistics.median(page), statistics.median(static), statistics.median(rendered)
