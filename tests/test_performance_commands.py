"""The benchmark and load commands run (shortened) and report what they promise."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*args, timeout=600):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env["DJANGO_DEBUG"] = "1"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_bench_engine_prints_ratios_against_floors():
    result = _run("bench_engine", "--responses", "100", "--requests", "10")
    ratios = dict(re.findall(r"ratio (\w+) / [^:]+: ([\d.]+)×", result.stdout))
    assert set(ratios) == {"engine", "verdict", "warnings", "page"}, result.stdout
    assert all(float(ratios[name]) >= 1 for name in ("engine", "verdict", "page")), result.stdout
    # The whole engine is its verdict and its warnings, each printed against the floor.
    assert float(ratios["engine"]) >= float(ratios["verdict"]), result.stdout
    # The command fails exactly when the verdict costs more than 3 plain walks.
    if float(ratios["verdict"]) > 3.0:
        assert result.returncode != 0 and "plain walks" in result.stderr, result.stderr[-2000:]
    else:
        assert result.returncode == 0, result.stderr[-2000:]


def test_load_test_runs_gunicorn_with_production_settings_and_reports_no_errors():
    # The suite runs this beside other tests on the same processors, so the 2× rule of
    # `make load` (its verdict is tested below) cannot be measured here: the shortened run
    # checks that the abuse scenario runs, floods and reports, with a loose bound.
    result = _run("load_test", "--seconds", "1", "--concurrency", "2", "--max-slowdown", "10", timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    for target in ("static file (floor)", "public response page", "office dashboard (signed in)", "API list"):
        line = next(line for line in result.stdout.splitlines() if line.startswith(target))
        requests, rps, p50, p99, errors = line[len(target) :].split()[:5]
        assert int(requests) > 0 and int(errors) == 0, line
    assert re.search(r"\d+ requests, 0 errors\.", result.stdout)
    for target in ("ordinary pages (quiet)", "ordinary pages (under abuse)"):
        line = next(line for line in result.stdout.splitlines() if line.startswith(target))
        assert int(line[len(target) :].split()[0]) > 0, line
    abuse = re.search(r"median ([\d.]+) ms quiet, ([\d.]+) ms under abuse: ratio ([\d.]+)×", result.stdout)
    assert abuse, result.stdout[-2000:]
    quiet, busy, ratio = map(float, abuse.groups())
    assert ratio <= 10 and abs(ratio - busy / quiet) < 0.05
    assert "(at most 10×)" in result.stdout
    flood = re.search(r"The flooding client sent (\d+) requests; answers: (.*)\.", result.stdout)
    assert flood and int(flood.group(1)) > 0 and "429" in flood.group(2), result.stdout[-2000:]


def test_load_test_fails_when_abuse_slows_the_ordinary_pages_more_than_twice():
    from django.core.management.base import CommandError

    from surveys.management.commands.load_test import Result, abuse_report, abuse_verdict

    quiet = Result("quiet", "/", latencies=[0.010, 0.010, 0.012])
    abuse_verdict(quiet, Result("busy", "/", latencies=[0.019, 0.020, 0.030]))
    slow = Result("busy", "/", latencies=[0.021, 0.025, 0.030])
    assert "ratio 2.50×" in abuse_report(quiet, slow)
    with pytest.raises(CommandError, match=r"2\.50× the quiet one \(at most 2× allowed\)"):
        abuse_verdict(quiet, slow)
    with pytest.raises(CommandError):  # nothing measured under abuse
        abuse_verdict(quiet, Result("busy", "/"))


def test_bench_reports_compares_sizes_with_equal_query_counts():
    result = _run("bench_reports", "--sizes", "6", "60", "--repeat", "1")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "60" in result.stdout and "quer" in result.stdout.lower()
