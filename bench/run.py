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
    args = parser.parse_args()
    _setup_django()

    from django.core.management import call_command
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
        rows.append((name, url, statistics.median(_time(client, url, args.requests))))
    anonymous, signed_in = rows[0][2], rows[1][2]
    print(f"{'scenario':48} {'median ms':>10} {'× anon':>7} {'× same user':>12}")
    for name, _url, median in rows:
        same = signed_in if scenarios[name][1] is not None else anonymous
        print(
            f"{name:48} {median * 1000:10.2f} {median / anonymous:7.2f} "
            f"{median / same:12.2f}"
        )


if __name__ == "__main__":
    main()
