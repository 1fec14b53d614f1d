"""``manage.py run_worker``: the task worker with the overdue-attempt sweep
beside it, so production needs no crontab."""

import threading
from unittest import mock

from django.core.management import call_command

from content.management.commands import run_worker


def test_the_sweep_runs_on_its_schedule_and_survives_a_failure():
    stop = threading.Event()
    calls = []

    def sweep():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the database is restarting")
        if len(calls) == 3:
            stop.set()
        return 1

    with mock.patch.object(run_worker, "close_overdue_attempts", sweep):
        thread = threading.Thread(
            target=run_worker.sweep_forever, kwargs={"every": 0.01, "stop": stop}
        )
        thread.start()
        thread.join(timeout=10)

    assert not thread.is_alive()
    assert len(calls) == 3


def test_the_command_runs_the_task_worker_and_stops_the_sweep_with_it():
    started = threading.Event()

    def sweep():
        started.set()
        return 0

    def worker(name, **options):
        assert name == "db_worker"
        assert options == {"queue_name": "default", "reload": False}
        # The worker runs until stopped; here until the sweep has run once.
        assert started.wait(timeout=10)

    with (
        mock.patch.object(run_worker, "close_overdue_attempts", sweep),
        mock.patch.object(run_worker, "call_command", worker),
    ):
        call_command("run_worker", sweep_every=0.01)

    assert not [t for t in threading.enumerate() if t.name == "overdue-attempt-sweep"]
