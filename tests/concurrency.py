"""Running calls at the same moment, for the concurrency tests on PostgreSQL."""

import threading

from django.db import close_old_connections


def run_together(*calls, timeout: float = 120):
    """Runs the calls in threads released at once by a barrier.

    Returns (results, errors): what the calls returned and what they raised,
    each in the order the threads finished. Every thread closes its database
    connection when done.
    """
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def worker(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, errors
