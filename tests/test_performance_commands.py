"""The benchmark and load commands run (shortened) and report what they promise."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args, timeout=600):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env["DJANGO_DEBUG"] = "1"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_bench_engine_prints_ratios_against_floors():
    result = _run("bench_engine", "--responses", "100", "--requests", "10")
    assert result.returncode == 0, result.stderr[-2000:]
    ratios = re.findall(r"ratio [^:]+: ([\d.]+)×", result.stdout)
    assert len(ratios) == 2 and all(float(r) >= 1 for r in ratios), result.stdout


def test_load_test_runs_gunicorn_with_production_settings_and_reports_no_errors():
    result = _run("load_test", "--seconds", "1", "--concurrency", "2", timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    for target in ("static file (floor)", "public response page", "office dashboard (signed in)", "API list"):
        line = next(line for line in result.stdout.splitlines() if line.startswith(target))
        requests, rps, p50, p99, errors = line[len(target) :].split()[:5]
        assert int(requests) > 0 and int(errors) == 0, line
    assert re.search(r"\d+ requests, 0 errors\.", result.stdout)


def test_bench_reports_compares_sizes_with_equal_query_counts():
    result = _run("bench_reports", "--sizes", "6", "60", "--repeat", "1")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "60" in result.stdout and "quer" in result.stdout.lower()
