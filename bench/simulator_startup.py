"""Simulator start-up: time and memory to generate an org, and lazy read costs.

For each size, a fresh child process (so peak RSS is that size's alone) generates a
typical org and prints: generation time, peak RSS growth over the imports
(``resource.getrusage``), the Python heap peak of a second generation under
``tracemalloc``, the System Log size, and the cost of a few lazy reads (a page of
200 users with factors, the first 1,000 events of the last day, a 90-day count of
one event type, and building 100,000 events).

Run: ``.venv/bin/python -m bench.simulator_startup`` (sizes 10,000 and 100,000 users;
pass other sizes as arguments).
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.memory import peak_rss_mb

SIZES = (10_000, 100_000)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _measure(users: int) -> dict[str, Any]:
    from atomation.simulator.generator import generate_org

    baseline = peak_rss_mb()
    started = time.perf_counter()
    org = generate_org(
        seed=1,
        users=users,
        profile="typical",
        base_url="http://127.0.0.1:8080",
        now=NOW,
    )
    generated = time.perf_counter() - started
    rss = peak_rss_mb() - baseline

    started = time.perf_counter()
    page = org.users[users // 2 : users // 2 + 200]
    for user in page:
        org.user_factors(user["id"])
    user_page = time.perf_counter() - started

    log = org.log
    started = time.perf_counter()
    first = list(
        itertools.islice(log.events(since=NOW - timedelta(days=1), until=NOW), 1000)
    )
    log_page = time.perf_counter() - started

    started = time.perf_counter()
    failures = log.count(
        since=log.start, until=NOW, event_types=frozenset({"user.account.lock"})
    )
    typed_count = time.perf_counter() - started

    started = time.perf_counter()
    built = sum(
        1 for _ in itertools.islice(log.events(since=log.start, until=NOW), 100_000)
    )
    per_100k = time.perf_counter() - started

    del org
    tracemalloc.start()
    generate_org(
        seed=1,
        users=users,
        profile="typical",
        base_url="http://127.0.0.1:8080",
        now=NOW,
    )
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    return {
        "users": users,
        "generate_s": round(generated, 2),
        "peak_rss_growth_mb": round(rss, 1),
        "heap_peak_mb": round(heap_peak / 2**20, 1),
        "log_events": len(log),
        "user_page_with_factors_ms": round(user_page * 1000, 1),
        "first_1000_events_of_a_day_ms": round(log_page * 1000, 1),
        "count_one_type_90d_ms": round(typed_count * 1000, 1),
        "lockout_events": failures,
        "build_100k_events_s": round(per_100k, 2),
        "events_built": built,
        "first_page_events": len(first),
    }


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        print(json.dumps(_measure(int(argv[1]))))
        return
    sizes = [int(a) for a in argv] or list(SIZES)
    for users in sizes:
        output = subprocess.run(
            [sys.executable, "-m", "bench.simulator_startup", "--child", str(users)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        figures = json.loads(output)
        print(
            f"{figures['users']:>8,} users: generated in {figures['generate_s']} s, "
            f"peak RSS +{figures['peak_rss_growth_mb']} MB, "
            f"heap peak {figures['heap_peak_mb']} MB, "
            f"{figures['log_events']:,} log events"
        )
        print(
            f"{'':>16}200 users + factors {figures['user_page_with_factors_ms']} ms; "
            f"first 1,000 events of a day "
            f"{figures['first_1000_events_of_a_day_ms']} ms; "
            f"90-day count of one type {figures['count_one_type_90d_ms']} ms; "
            f"100,000 events built in {figures['build_100k_events_s']} s"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
