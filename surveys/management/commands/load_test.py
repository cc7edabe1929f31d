"""A bounded load test on loopback: two gunicorn servers with production settings and
one background worker (`manage.py db_worker`), all on the same throw-away database —
PostgreSQL beside the one DATABASE_URL names, or a SQLite file when it is not set — with
the demo data and the realistic generated data (surveys/benchdata.py: 190 offices, three
rounds). Locust (surveys/loadtest/locustfile.py) generates the load, headless, one target
after the other, each request going to the two servers in turn; a session opened on one
server is used on the other.

Targets: a static file (the floor the others are compared with), a public response page,
the public list, the round report page, a CSV export download, the ST.13 checker (the
page, and a check sent signed in), the round dashboard (secretariat), the office dashboard
and the API responses list (token). For each: requests per second, median, 95th and
99th-percentile latency, and errors (any status other than 200, or a failed connection).
Exits non-zero when there are errors or when the worker stopped.

The clients run at a lower priority on one processor, so that they do not starve the
servers of the cores they share on one machine.

Then the abuse scenario: the ordinary pages (home, the public list, a public response)
measured quiet, then again while one client floods the ST.13 checker (API and web form)
with more than a request may ask and the sign-in page with wrong passwords. Both medians
and their ratio are printed; above MAX_SLOWDOWN the command fails.
Nothing is sent anywhere but to the servers on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from surveys.benchdata import throwaway_postgres

HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30  # seconds


@dataclass
class Result:
    name: str
    path: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    failures: dict[str, int] = field(default_factory=dict)  # what went wrong, how often

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def _median(result: Result) -> float:
    return statistics.median(result.latencies) if result.latencies else float("nan")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _request(port: int, method: str, path: str, headers: dict, body: str | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def _cookies(headers) -> dict[str, str]:
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key] = rest.split(";", 1)[0]
    return jar


def sign_in(port: int, username: str, password: str) -> str:
    """A session cookie header, obtained through the real sign-in form."""
    status, headers, body = _request(port, "GET", "/accounts/login/", {"Host": HOST})
    jar = _cookies(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not token:
        raise CommandError(f"sign-in page answered {status}")
    form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token.group(1).decode()})
    status, headers, _ = _request(
        port,
        "POST",
        "/accounts/login/",
        {
            "Host": HOST,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={jar['csrftoken']}",
            "Referer": f"http://{HOST}:{port}/accounts/login/",
        },
        form,
    )
    jar.update(_cookies(headers))
    if status != 302 or "sessionid" not in jar:
        raise CommandError(f"could not sign in as {username} (status {status})")
    return f"sessionid={jar['sessionid']}"


LOCUSTFILE = Path(__file__).resolve().parents[2] / "loadtest" / "locustfile.py"


def _locust(port: int, users: int, seconds: float, user_class: str) -> list[str]:
    return [
        str(Path(sys.executable).with_name("locust")),
        "--locustfile",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        f"http://{HOST}:{port}",
        "--users",
        str(users),
        # Every user starts at once (Locust warns above 100 a second).
        "--spawn-rate",
        "100",
        "--run-time",
        f"{seconds:g}s",
        # A request under way when the time is up is waited for and counted.
        "--stop-timeout",
        str(REQUEST_TIMEOUT),
        "--only-summary",
        "--loglevel",
        "WARNING",
        user_class,
    ]


def _locust_env(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}, **extra}


# The clients' share of the machine: on loopback they run on the servers' processors.
# They yield to the servers (a lower priority) and, with more than one processor, keep to
# the last one, so that the servers always have the others.
CLIENT_NICENESS = 5


def client_limits(niceness: int = CLIENT_NICENESS) -> None:
    """Run in a client process before it starts: lower its priority and its processors."""
    os.nice(niceness)
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) > 1:
        os.sched_setaffinity(0, {cpus[-1]})


def run_locust(
    ports: int | list[int],
    result: Result,
    cookie: str,
    seconds: float,
    concurrency: int,
    work: Path,
    *,
    user_class: str = "Visitor",
    authorization: str = "",
) -> Result:
    """``concurrency`` Locust users on ``result.path`` for ``seconds``, each request to the
    servers on ``ports`` in turn; their latencies and errors into ``result``."""
    ports = [ports] if isinstance(ports, int) else ports
    results = work / (re.sub(r"\W+", "-", result.name) + ".json")
    env = _locust_env(
        WIPOSTAD_LOAD_PATH=result.path,
        WIPOSTAD_LOAD_COOKIE=cookie,
        WIPOSTAD_LOAD_AUTHORIZATION=authorization,
        WIPOSTAD_LOAD_HOSTS=",".join(f"http://{HOST}:{port}" for port in ports),
        WIPOSTAD_LOAD_RESULTS=str(results),
    )
    # Locust exits non-zero when a request failed: the errors are counted below.
    limit = seconds + REQUEST_TIMEOUT + 90  # start-up, the run, the last requests
    command = _locust(ports[0], concurrency, seconds, user_class)
    done = subprocess.run(
        command, cwd=work, env=env, capture_output=True, text=True, timeout=limit, preexec_fn=client_limits
    )
    if not results.exists():
        raise CommandError(f"Locust did not run ({done.returncode}): {(done.stderr or done.stdout)[-2000:]}")
    measured = json.loads(results.read_text(encoding="utf-8"))
    result.latencies, result.errors, result.seconds = measured["latencies"], measured["errors"], measured["seconds"]
    result.failures = measured.get("failures", {})
    return result


# The ordinary pages measured in the abuse scenario: home, the public list, a public response.
ORDINARY = ",".join(
    (
        "/",
        "/surveys/application-numbering-2012/responses/",
        "/surveys/application-numbering-2012/responses/md-002/",
    )
)
ABUSE_SECONDS = 3.0
# The abusive client: one connection sending request after request without a pause. It
# starts this long before the pages are measured: by then it has used what it is allowed
# in a minute (its first checks, the sign-in attempts before the lockout, each a password
# hash), and what is measured is the flood that goes on.
FLOOD_CLIENTS = 1
FLOOD_NICENESS = 10
FLOOD_START = 3.0
MAX_SLOWDOWN = 2.0  # the ordinary pages' median under abuse, at most this times the quiet one


def stop(process: subprocess.Popen) -> None:
    """Ask a child process to end; kill it when it has not within 20 seconds."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_for_start(client: subprocess.Popen, started: Path, limit: float = 120.0) -> None:
    """Wait until a client started in the background sends (Locust takes seconds to start,
    longer on a busy machine)."""
    deadline = time.monotonic() + limit
    while not started.exists():
        if client.poll() is not None or time.monotonic() > deadline:
            raise CommandError(f"the flooding client did not start ({client.poll()})")
        time.sleep(0.1)


def run_abuse(port: int, seconds: float, concurrency: int, work: Path) -> tuple[Result, Result, dict[str, int]]:
    """The ordinary pages, quiet, then while one client floods the checker and the sign-in page
    (at least ABUSE_SECONDS each, so that the medians rest on enough requests)."""
    seconds = max(seconds, ABUSE_SECONDS)
    quiet = run_locust(port, Result("ordinary pages (quiet)", ORDINARY), "", seconds, concurrency, work)
    flooded = work / "flood.json"
    flood = subprocess.Popen(
        _locust(port, FLOOD_CLIENTS, seconds + FLOOD_START + REQUEST_TIMEOUT, "Flooder"),
        cwd=work,
        env=_locust_env(WIPOSTAD_LOAD_RESULTS=str(flooded)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # On loopback the clients share the server's processors. The measuring client
        # yields to the server; the flooding client, whose processor would be the
        # attacker's own, yields to both, so that the latency measured is what the server
        # does for the flood rather than the flood's own work (its requests are counted and
        # printed: it still floods).
        preexec_fn=lambda: client_limits(CLIENT_NICENESS + FLOOD_NICENESS),
    )
    try:
        _wait_for_start(flood, Path(str(flooded) + ".started"))
        time.sleep(FLOOD_START)
        if flood.poll() is not None:
            raise CommandError(f"the flooding client stopped ({flood.returncode})")
        busy = run_locust(port, Result("ordinary pages (under abuse)", ORDINARY), "", seconds, concurrency, work)
    finally:
        stop(flood)
    if not flooded.exists():
        raise CommandError("the flooding client wrote no results")
    return quiet, busy, json.loads(flooded.read_text(encoding="utf-8"))["statuses"]


def abuse_ratio(quiet: Result, busy: Result) -> float:
    """The ordinary pages' median latency under abuse over the quiet one (NaN without both)."""
    quiet_median, busy_median = _median(quiet), _median(busy)
    return busy_median / quiet_median if quiet_median else float("nan")


def abuse_report(quiet: Result, busy: Result, limit: float = MAX_SLOWDOWN) -> str:
    return (
        f"Abuse: ordinary pages' median {_median(quiet) * 1000:.1f} ms quiet, {_median(busy) * 1000:.1f} ms under "
        f"abuse: ratio {abuse_ratio(quiet, busy):.2f}× (at most {limit:g}×)."
    )


def abuse_verdict(quiet: Result, busy: Result, limit: float = MAX_SLOWDOWN) -> None:
    """CommandError when the ordinary pages slowed down more than ``limit`` times under abuse
    (or could not be measured)."""
    ratio = abuse_ratio(quiet, busy)
    if not ratio <= limit:  # NaN included
        raise CommandError(
            f"Under abuse the ordinary pages' median latency is {ratio:.2f}× the quiet one "
            f"(at most {limit:g}× allowed)."
        )


def _targets(round_slug: str, cookies: dict[str, str], token: str) -> list[tuple[Result, dict[str, str]]]:
    """What is measured, one after the other: (result, how the requests are sent)."""
    report = f"/surveys/rounds/{round_slug}/report/"
    secretariat = {"cookie": cookies["secretariat"]}
    return [
        (Result("static file (floor)", "/static/wipostad/site.css"), {}),
        (Result("public response page", "/surveys/application-numbering-2012/responses/md-002/"), {}),
        (Result("public list", "/surveys/application-numbering-2012/responses/"), {}),
        (Result("report page", report), {}),
        (Result("report CSV download", report + "?format=csv&table=compliance"), {}),
        (Result("st13 page", "/st13/"), {}),
        (Result("st13 check (signed in)", "/st13/"), {**secretariat, "user_class": "Checker"}),
        (Result("round dashboard (secretariat)", f"/surveys/rounds/{round_slug}/"), secretariat),
        (Result("office dashboard (signed in)", "/surveys/"), {"cookie": cookies["respondent"]}),
        (Result("API responses list (token)", "/api/responses/"), {"authorization": f"Token {token}"}),
        (Result("API list", "/api/offices/"), {}),
    ]


def api_token(port: int, username: str, password: str) -> str:
    """An API token, obtained through the API."""
    body = json.dumps({"username": username, "password": password})
    status, _, answer = _request(
        port, "POST", "/api/auth/token/", {"Host": HOST, "Content-Type": "application/json"}, body
    )
    if status != 200:
        raise CommandError(f"could not obtain an API token for {username} (status {status})")
    return json.loads(answer)["token"]


class Database:
    """The throw-away database of a run: PostgreSQL beside DATABASE_URL's, or a SQLite file."""

    def __init__(self, tmp: Path) -> None:
        url = os.environ.get("DATABASE_URL", "").strip()
        self.drop: Callable[[], None] = lambda: None
        if url:
            database_url, self.drop = throwaway_postgres(url, f"load_{os.getpid()}")
            self.env = {"DATABASE_URL": database_url}
            self.vendor = "PostgreSQL"
        else:
            self.env = {"DJANGO_SQLITE_PATH": str(tmp / "load.sqlite3")}
            self.vendor = "SQLite (DATABASE_URL is not set: set it to load PostgreSQL)"


GUNICORN_CONFIG = Path(settings.BASE_DIR) / "wipostad" / "gunicorn.conf.py"


def gunicorn_command(port: int, workers: int) -> list[str]:
    """A server on ``port``: the project's gunicorn configuration when there is one (its
    settings, with this port and number of workers), otherwise sync workers and a 30 s limit."""
    command = [str(Path(sys.executable).with_name("gunicorn")), "wipostad.wsgi", "--bind", f"{HOST}:{port}"]
    if GUNICORN_CONFIG.exists():
        command += ["--config", str(GUNICORN_CONFIG)]
    else:
        command += ["--worker-class", "sync", "--timeout", "30", "--log-level", "warning"]
    return command + ["--workers", str(workers)]


def wait_until_up(port: int, server: subprocess.Popen, seconds: int = 30) -> None:
    """Until the server on ``port`` answers its home page; fails if it stops or stays silent."""
    for _ in range(seconds * 5):
        if server.poll() is not None:
            raise CommandError(f"gunicorn stopped: {server.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            if _request(port, "GET", "/", {"Host": HOST})[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise CommandError(f"gunicorn did not answer within {seconds} seconds.")


class Command(BaseCommand):
    help = "Load test on loopback: two gunicorn servers and a worker on one database (bounded in time)."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=30.0, help="per target (default 30)")
        parser.add_argument("--concurrency", type=int, default=4, help="Locust users (default 4)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes per server (default 2)")
        parser.add_argument("--scale", type=int, default=1, help="size of the generated data (default 1: 190 offices)")
        parser.add_argument(
            "--max-slowdown",
            type=float,
            default=MAX_SLOWDOWN,
            help=f"the ordinary pages' median under abuse, at most this times the quiet one (default {MAX_SLOWDOWN:g})",
        )

    def handle(self, *args, seconds, concurrency, workers, scale, **options):
        if seconds <= 0 or seconds > 600 or not 1 <= concurrency <= 64 or not 1 <= scale <= 100:
            raise CommandError("--seconds must be in (0, 600], --concurrency in [1, 64] and --scale in [1, 100].")
        with tempfile.TemporaryDirectory(prefix="wipostad-load-") as tmp:
            database = Database(Path(tmp))
            try:
                self.stdout.write(f"Database: {database.vendor}")
                env = self._environment(Path(tmp), database)
                password = self._prepare(env, scale)
                results, flood, worker_alive = self._run(env, password, Path(tmp), seconds, concurrency, workers)
            finally:
                database.drop()
        quiet, busy = results[-2:]
        self._report(results)
        answers = ", ".join(f"{status} ×{n}" for status, n in sorted(flood.items()))
        self.stdout.write(f"The flooding client sent {sum(flood.values())} requests; answers: {answers}.")
        self.stdout.write(abuse_report(quiet, busy, options["max_slowdown"]))
        if any(r.errors for r in results):
            raise CommandError(f"{sum(r.errors for r in results)} request(s) failed.")
        if not worker_alive:
            raise CommandError("The background worker stopped during the run.")
        abuse_verdict(quiet, busy, options["max_slowdown"])

    def _environment(self, tmp: Path, database: Database) -> dict[str, str]:
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "WIPOSTAD_"))},
            **database.env,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_STATIC_ROOT": str(tmp / "static"),
            # Hashed names as in production, without the compressed copies, which
            # would take collectstatic a minute and do not change what is measured.
            "DJANGO_STATIC_COMPRESS": "0",
            "DJANGO_MEDIA_ROOT": str(tmp / "uploads"),
            "DJANGO_LOG_LEVEL": "WARNING",
            "WIPOSTAD_TASKS_BACKEND": "database",
            # The simulated secretariat signs in with a password only: the load measured is
            # the pages', not an authenticator's (a production server asks for a code).
            "WIPOSTAD_REQUIRE_TWO_FACTOR": "0",
        }

    def _prepare(self, env: dict[str, str], scale: int) -> str:
        """The schema, the demo data and the generated data; the users' password."""
        password = secrets.token_urlsafe(16)
        self.stdout.write(f"Preparing the throw-away database: demo data and generated data at {scale}× …")
        for step in (
            ["migrate", "--noinput", "-v0"],
            ["createcachetable"],
            ["load_standards"],
            ["load_edition"],
            # The published demo password signs nobody in with DJANGO_DEBUG off.
            # One argument (--password=…): a random password may start with "-".
            ["load_demo", "--allow-without-debug", f"--password={password}"],
            ["load_bench_data", f"--scale={scale}", f"--password={password}"],
            # The report page is read from a stored build: made now, as publishing would queue it.
            ["prepare_exports", "--pages-now", f"bench-2018-x{scale}"],
            ["collectstatic", "--noinput", "-v0"],
        ):
            done = subprocess.run(
                [sys.executable, "manage.py", *step], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
            )
            if done.returncode:
                raise CommandError(f"{step[0]} failed: {done.stderr[-2000:]}")
            if step[0] == "load_bench_data":
                self.stdout.write("  " + done.stdout.strip())
        self.round_slug = f"bench-2018-x{scale}"
        return password

    def _start(self, env: dict[str, str], workers: int) -> tuple[list[int], list[subprocess.Popen]]:
        ports = [_free_port(), _free_port()]
        while ports[1] == ports[0]:
            ports[1] = _free_port()
        base = settings.BASE_DIR
        processes = [
            subprocess.Popen(
                gunicorn_command(port, workers), cwd=base, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            for port in ports
        ]
        processes.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "db_worker"],
                cwd=base,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        )
        return ports, processes

    def _run(self, env, password, tmp, seconds, concurrency, workers):
        ports, processes = self._start(env, workers)
        how = "its configuration file" if GUNICORN_CONFIG.exists() else "sync workers"
        self.stdout.write(
            f"Two gunicorn servers ({workers} workers each, {how}) on ports {ports[0]} and {ports[1]}, one worker."
        )
        try:
            for port, server in zip(ports, processes, strict=False):
                wait_until_up(port, server)
            # Signed in on one server, used on both: the session is in the shared database.
            cookies = {
                "secretariat": sign_in(ports[0], "bench.secretariat", password),
                "respondent": sign_in(ports[1], "md.respondent", password),
            }
            token = api_token(ports[1], "bench.secretariat", password)
            results = []
            for result, how in _targets(self.round_slug, cookies, token):
                self.stdout.write(f"  {result.name}: {seconds:g} s, {concurrency} clients …")
                results.append(
                    run_locust(
                        ports,
                        result,
                        how.get("cookie", ""),
                        seconds,
                        concurrency,
                        tmp,
                        user_class=how.get("user_class", "Visitor"),
                        authorization=how.get("authorization", ""),
                    )
                )
            abuse = max(seconds, ABUSE_SECONDS)
            self.stdout.write(
                f"  abuse: ordinary pages {abuse:g} s quiet, then {abuse:g} s while one client floods "
                "the checker and the sign-in page …"
            )
            quiet, busy, flood = run_abuse(ports[0], seconds, concurrency, tmp)
            results += [quiet, busy]
            worker_alive = processes[-1].poll() is None
        finally:
            for process in processes:
                stop(process)
        return results, flood, worker_alive

    def _report(self, results: list[Result]) -> None:
        floor = results[0]
        self.stdout.write("")
        self.stdout.write(
            f"{'target':<32}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
            f"{'p50 / floor':>13}"
        )
        for r in results:
            ratio = r.percentile(50) / floor.percentile(50) if floor.latencies else float("nan")
            self.stdout.write(
                f"{r.name:<32}{len(r.latencies):>9}{r.rps:>9.1f}{r.percentile(50):>9.1f}{r.percentile(95):>9.1f}"
                f"{r.percentile(99):>9.1f}{r.errors:>8}{ratio:>12.1f}×"
            )
        total = sum(len(r.latencies) for r in results)
        self.stdout.write(f"\n{total} requests, {sum(r.errors for r in results)} errors.")
        for r in results:
            for reason, n in r.failures.items():
                self.stdout.write(f"  {r.name}: {reason} ×{n}")
