"""Times the lesson page against a plain Wagtail page in one process and one run.

Usage: python bench/run.py [--requests N] [--learners N]

It builds its own SQLite database under var/bench/ (or uses DATABASE_URL),
migrates, seeds the demo course, and reports medians and the ratio.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup_django() -> None:
    from bench.environment import setup_django

    setup_django("bench")


def _time(client, url: str, n: int) -> list[float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument(
        "--profile", action="store_true",
        help="Also print where the enrolled lesson page spends its time.",
    )  # fmt: skip
    args = parser.parse_args()
    _setup_django()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from bench.scenarios import prepare

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, allow_production=True)
    scenarios = prepare()
    client = Client()
    rows = []
    for name, (url, user) in scenarios.items():  # timed in the listed order
        if user is not None:
            client.force_login(user)
        else:
            client.logout()
        _time(client, url, 20)  # warm caches and templates
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        # Counted by a wrapper: the query log is reset when a request starts.
        with connection.execute_wrapper(count):
            client.get(url)
        median = statistics.median(_time(client, url, args.requests))
        rows.append((name, url, median, len(queries)))
        if args.profile and name.startswith("lesson page (enrolled"):
            _profile(client, url)
    anonymous, signed_in = rows[0][2], rows[1][2]
    print(
        f"{'scenario':48} {'median ms':>10} {'× anon':>7} {'× same user':>12}"
        f" {'queries':>8}"
    )
    for name, _url, median, count in rows:
        same = signed_in if scenarios[name][1] is not None else anonymous
        print(
            f"{name:48} {median * 1000:10.2f} {median / anonymous:7.2f} "
            f"{median / same:12.2f} {count:8d}"
        )


def _profile(client, url: str) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(100):
        client.get(url)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
