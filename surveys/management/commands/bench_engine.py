"""Benchmarks against floors, printed as ratios (absolute times vary with the machine).

1. Branching-engine validation per response against a floor: a plain walk over the
   same answers (for every question of the edition, look its answer up and check that
   it is a string, list, dict or number) — the least any validation must do. Printed
   three ways: the whole engine (applicability, validation and the consistency
   warnings: ``evaluate(...)``, what the response pages ask for), its verdict alone
   (applicability and validation: ``evaluate(..., with_warnings=False)``, what the
   report build asks for) and the warnings as the difference. The limit (3 walks) is
   enforced on the whole engine. The engine gives each error and warning as a sentence
   that is translated where it is shown (``evaluation.Issue``), so what is timed here
   is the verdict and its issues, not the message catalogue; a page that shows the
   messages looks each one up once, as it would any other sentence.
2. The public response page per request against a floor: a static file served by the
   same application (WhiteNoise), both through Django's request handler in-process.

Runs in a throw-away test database; the developer's database is never touched.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings, setup_test_environment, teardown_test_environment

from surveys.demo import EPO_PATENTS, MOLDOVA_TRADEMARKS
from surveys.questionnaire.engine import evaluate


def _variants(n: int) -> list[dict[str, Any]]:
    """n answer documents of realistic shapes: valid, incomplete, and with mistakes."""
    docs = []
    for i in range(n):
        base = dict(MOLDOVA_TRADEMARKS if i % 2 else EPO_PATENTS)
        if i % 3 == 0:
            base["q1b"] = "19x2"  # a typing mistake kept in a draft
        if i % 5 == 0:
            base.pop("q14a", None)  # unanswered required question
        if i % 7 == 0:
            base["q5b"] = {"trademarks": {"code": "70"}}  # answer to a hidden question
        docs.append(base)
    return docs


def _floor_walk(questions, answers: dict[str, Any]) -> int:
    seen = 0
    for q in questions:
        value = answers.get(q.id)
        if value is not None and isinstance(value, str | list | dict | int):
            seen += 1
    return seen


# Timing runs: each chunk of documents is timed this many times per function, and its
# best time kept. On a machine shared with other work, a chunk of 50 timed 5 times gave
# the engine anywhere between 2.2 and 3.0 walks from one run to the next (a longer
# chunk is more often interrupted, and the engine's chunks are the longer ones); chunks
# of 20 timed 15 times give the same figure to within a few hundredths. The floor and
# the engine are timed alike, so neither is favoured.
ROUNDS, CHUNK = 15, 20


def _best_of_interleaved(fns, items, rounds: int, chunk: int = 50) -> list[float]:
    """The time per item of each function: the items in chunks, each chunk timed once
    per round for every function in turn (so that a busy machine slows them alike), the
    best time of each chunk kept, and the chunks' bests added up. A chunk that another
    process interrupted in one round counts with its time from an undisturbed one; the
    same rule holds for the floor and for the engine."""
    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    best = [[float("inf")] * len(chunks) for _ in fns]
    clock = time.perf_counter
    for _ in range(rounds):
        for c, part in enumerate(chunks):
            for i, fn in enumerate(fns):
                start = clock()
                for item in part:
                    fn(item)
                best[i][c] = min(best[i][c], clock() - start)
    return [sum(times) / len(items) for times in best]


# The whole engine (applicability, validation and the consistency warnings) may cost at
# most this many plain walks over the same answers.
MAX_ENGINE_RATIO = 3.0


class Command(BaseCommand):
    help = "Benchmark the branching engine and the public page against floors (ratios)."

    def add_arguments(self, parser):
        parser.add_argument("--responses", type=int, default=2000)
        parser.add_argument("--requests", type=int, default=200)
        parser.add_argument(
            "--max-engine-ratio",
            type=float,
            default=MAX_ENGINE_RATIO,
            help=(
                "fail when the whole engine (applicability, validation and warnings) costs more than this "
                f"many plain walks ({MAX_ENGINE_RATIO} by default)"
            ),
        )

    def handle(self, *args, responses, requests, max_engine_ratio, **options):
        import json

        from surveys.questionnaire.edition import Edition
        from surveys.questionnaire.loading import EDITIONS_DIR

        edition = Edition(json.loads((EDITIONS_DIR / "application-numbering-2012.json").read_text(encoding="utf-8")))
        docs = _variants(responses)
        questions = edition.questions
        evaluate(edition, docs[0])  # the edition's conditions and checks are prepared on first use
        floor, engine, verdict = _best_of_interleaved(
            [
                lambda a: _floor_walk(questions, a),
                lambda a: evaluate(edition, a),
                lambda a: evaluate(edition, a, with_warnings=False),
            ],
            docs,
            rounds=ROUNDS,
            chunk=CHUNK,
        )
        warnings = max(engine - verdict, 0.0)
        self.stdout.write(f"Branching engine, {responses} responses (best of {ROUNDS} runs per chunk of {CHUNK}):")
        self.stdout.write(f"  floor (plain walk over the answers): {floor * 1e6:9.1f} µs per response")
        self.stdout.write(f"  engine (applicability, validation, warnings): {engine * 1e6:9.1f} µs per response")
        self.stdout.write(f"  ratio engine / floor: {engine / floor:.1f}× (at most {max_engine_ratio:g})")
        self.stdout.write(f"  verdict (applicability, validation): {verdict * 1e6:9.1f} µs per response")
        self.stdout.write(f"  ratio verdict / floor: {verdict / floor:.1f}×")
        self.stdout.write(f"  warnings (the difference): {warnings * 1e6:9.1f} µs per response")
        self.stdout.write(f"  ratio warnings / floor: {warnings / floor:.1f}×")

        setup_test_environment()
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            with override_settings(WHITENOISE_USE_FINDERS=True, ALLOWED_HOSTS=["testserver"], DEBUG=False):
                page, static = self._pages(requests)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()
        self.stdout.write(f"\nPublic response page, {requests} requests in-process (median):")
        self.stdout.write(f"  floor (static file, same application): {static * 1000:7.2f} ms per request")
        self.stdout.write(f"  public page md-002: {page * 1000:7.2f} ms per request")
        self.stdout.write(f"  ratio page / static file: {page / static:.1f}×")
        if engine / floor > max_engine_ratio:
            raise CommandError(
                f"The branching engine (applicability, validation and warnings) costs {engine / floor:.1f} "
                f"plain walks over the same answers; at most {max_engine_ratio:g} are allowed."
            )

    def _pages(self, requests: int) -> tuple[float, float]:
        from standards.services import offices_load, standards_load
        from surveys.demo import demo_load
        from surveys.questionnaire.loading import EDITIONS_DIR, edition_load

        offices_load()
        standards_load()
        edition_load(EDITIONS_DIR / "application-numbering-2012.json")
        demo_load()
        client = Client()
        url = "/surveys/application-numbering-2012/responses/md-002/"
        static_url = "/static/wipostad/site.css"
        for warm in (url, static_url):
            response = client.get(warm)
            assert response.status_code == 200, (warm, response.status_code)

        def timed(path: str) -> float:
            samples = []
            for _ in range(requests):
                start = time.perf_counter()
                response = client.get(path)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                samples.append(time.perf_counter() - start)
            return statistics.median(samples)

        return timed(url), timed(static_url)
