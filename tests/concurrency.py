"""Run acts at the same moment in threads with their own database connections."""

import contextlib
import threading
from unittest import mock

from django.db import connection


def run_at_once(*acts, hold_save_of=None, state_field=""):
    """Start every act together; return (results, errors, states written) in act order.

    With `hold_save_of` a model class, each thread is held just before it saves that
    model until all have reached that point: they have all read the same state and
    changed it in memory, so their writes really race.
    """
    barrier = threading.Barrier(len(acts), timeout=10)
    results, errors, written = [None] * len(acts), [None] * len(acts), []

    def worker(index, act):
        try:
            barrier.wait()
            results[index] = act()
        except Exception as error:
            errors[index] = error
        finally:
            connection.close()

    patch = contextlib.nullcontext()
    if hold_save_of is not None:
        real_save = hold_save_of.save

        def held_save(self, *args, **kwargs):
            written.append(getattr(self, state_field, None))
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
            return real_save(self, *args, **kwargs)

        patch = mock.patch.object(hold_save_of, "save", held_save)
    with patch:
        threads = [threading.Thread(target=worker, args=pair) for pair in enumerate(acts)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return results, errors, written
