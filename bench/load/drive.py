"""Runs locust against the running stack and reports (bench/load/run.sh).

``python -m bench.load.drive --users 200 --time 5m --plan PLAN --out DIR``

Prints requests per second, the 50th/95th/99th percentiles and the failures
from locust's statistics, the load generator's share of the machine's CPU,
the peak memory of each gunicorn worker, then runs the acknowledged-writes
check (bench/load/check_writes.py) and exits 1 if a write was lost or any
request failed. With ``--fault 1``, a third into the run one gunicorn worker
is killed (SIGKILL) and two thirds in every PostgreSQL backend of the load
database is terminated; the site must carry on by itself.
"""

import argparse
import contextlib
import csv
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
# The target for 200 learners on two cores, checked on paced runs of that size.
TARGET_USERS, TARGET_RATE, TARGET_P95_MS = 200, 150, 100


def seconds(text: str) -> int:
    match = re.fullmatch(r"(\d+)([smh]?)", text)
    if not match:
        raise SystemExit(f"--time: {text!r} is not like 30s, 5m or 1h")
    return int(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2)]


def gunicorn_processes() -> tuple[int | None, list[int]]:
    """The gunicorn master of this stack and its workers, from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if b"gunicorn" in cmdline and b"deploy/gunicorn.conf.py" in cmdline:
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    masters = [pid for pid, parent in parents.items() if parent not in parents]
    master = masters[0] if masters else None
    workers = sorted(pid for pid, parent in parents.items() if parent == master)
    return master, workers


def peak_memory_kib(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def terminate_backends() -> str:
    from urllib.parse import urlsplit

    url = os.environ["DATABASE_URL"]
    database = urlsplit(url).path.lstrip("/")
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    sql = (
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = :'database' AND pid <> pg_backend_pid();"
    )
    result = subprocess.run(  # noqa: S603 - our own arguments
        ["/usr/bin/psql", maintenance, "-tA", "-v", f"database={database}"],  # noqa: S607
        input=sql,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip() or result.stderr.strip()


def inject_faults(duration: int, log: list[str], stop: threading.Event) -> None:
    if stop.wait(duration / 3):
        return
    _master, workers = gunicorn_processes()
    if workers:
        os.kill(workers[0], signal.SIGKILL)
        log.append(f"t={duration // 3}s: gunicorn worker {workers[0]} killed (SIGKILL)")
    if stop.wait(duration / 3):
        return
    count = terminate_backends()
    log.append(f"t={2 * duration // 3}s: {count} PostgreSQL backends terminated")


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and its waited-for children."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(value) for value in fields[11:15]) / ticks


def machine_cpu_seconds() -> float:
    values = [int(v) for v in Path("/proc/stat").read_text().split()[1:9]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--time", default="5m")
    parser.add_argument("--fault", type=int, default=0)
    parser.add_argument("--plan", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--host", default="http://127.0.0.1:8080")
    args = parser.parse_args()
    duration = seconds(args.time)
    out = Path(args.out)
    acks = out / "acks.json"
    acks.unlink(missing_ok=True)

    env = {
        **os.environ,
        "LOAD_PLAN": str(Path(args.plan).resolve()),
        "LOAD_ACKS": str(acks.resolve()),
        "LOAD_ORIGIN": args.host,
    }
    command = [
        str(Path(sys.executable).with_name("locust")),
        "-f", str(LOCUSTFILE), "--headless", "--host", args.host,
        "--users", str(args.users), "--spawn-rate", str(max(args.users // 10, 1)),
        "--run-time", args.time, "--stop-timeout", "30",
        "--csv", str(out / "locust"), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    print(f"locust: {args.users} learners for {args.time} against {args.host}")
    faults: list[str] = []
    stop = threading.Event()
    if args.fault:
        threading.Thread(
            target=inject_faults, args=(duration, faults, stop), daemon=True
        ).start()
    busy_before = machine_cpu_seconds()
    started = time.monotonic()
    locust = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
    locust_cpu = 0.0
    while locust.poll() is None:
        with contextlib.suppress(OSError):
            locust_cpu = cpu_seconds(locust.pid)
        time.sleep(1)
    stop.set()
    elapsed = time.monotonic() - started
    busy = machine_cpu_seconds() - busy_before
    cores = os.cpu_count() or 1

    total = None
    with open(out / "locust_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    print()
    print(f"{'request':<20}{'count':>8}{'fail':>6}{'rps':>8}"
          f"{'p50':>7}{'p95':>7}{'p99':>7}  ms")  # fmt: skip
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        print(
            f"{name:<20}{row['Request Count']:>8}{row['Failure Count']:>6}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>7}{row['95%']:>7}"
            f"{row['99%']:>7}"
        )
        if row["Name"] == "Aggregated":
            total = row
    print()
    print(f"elapsed {elapsed:.0f} s on {cores} cores; machine busy "
          f"{busy / (elapsed * cores):.0%}; locust used {locust_cpu:.0f} CPU s "
          f"= {locust_cpu / (elapsed * cores):.0%} of the machine "
          f"({locust_cpu / busy:.0%} of the busy time)")  # fmt: skip
    paced = float(os.environ.get("LOAD_RATE") or 0) > 0  # as the locustfile reads it
    if total and paced and args.users >= TARGET_USERS:
        rate, p95 = float(total["Requests/s"]), float(total["95%"])
        verdict = "met" if rate >= TARGET_RATE and p95 <= TARGET_P95_MS else "NOT met"
        print(
            f"target ≥ {TARGET_RATE} requests/s with p95 ≤ {TARGET_P95_MS} ms: "
            f"{verdict} ({rate:.1f} requests/s, p95 {p95:.0f} ms)"
        )
    _master, workers = gunicorn_processes()
    for pid in workers:
        peak = peak_memory_kib(pid)
        if peak:
            print(f"gunicorn worker {pid}: peak resident memory {peak / 1024:.0f} MiB")
    for line in faults:
        print("fault:", line)
    failures_path = out / "locust_failures.csv"
    if failures_path.exists():
        with open(failures_path, encoding="utf-8") as failures:
            for row in list(csv.DictReader(failures))[:10]:
                print("failure:", row)

    if not acks.exists():
        raise SystemExit("locust wrote no acknowledged writes: see its output")
    check = subprocess.run(  # noqa: S603 - our own arguments
        [sys.executable, "-m", "bench.load.check_writes", str(acks)], cwd=ROOT
    )
    failed = int(total["Failure Count"]) if total else 1
    if check.returncode or failed or locust.returncode:
        sys.exit(1)


if __name__ == "__main__":
    main()
