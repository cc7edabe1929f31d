"""The published-page measurement runs (shortened) under gunicorn and reports the page
from the cache against a static file of the same server, failing above 2×."""

import re

from tests.test_performance_commands import _run


def test_bench_published_page_compares_the_kept_page_with_a_static_file():
    result = _run("bench_published_page", "--requests", "40", "--workers", "1")
    out = result.stdout
    static = re.search(r"floor \(static file, same server\):\s+([\d.]+) ms", out)
    page = re.search(r"from the cache:\s+([\d.]+) ms", out)
    rendered = re.search(r"rendered \(not kept\):\s+([\d.]+) ms", out)
    ratio = re.search(r"ratio page / static file: ([\d.]+)×", out)
    assert static and page and rendered and ratio, out + result.stderr[-2000:]
    # Kept, the page costs far less than rendered.
    assert float(page[1]) < float(rendered[1]), out
    if float(ratio[1]) > 2.0:
        assert result.returncode != 0 and "at most 2× allowed" in result.stderr, result.stderr[-2000:]
    else:
        assert result.returncode == 0, result.stderr[-2000:]
