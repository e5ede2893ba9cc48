"""The generation number every cached page's key carries, shared by all processes."""

import time

from django.core.cache import cache
from django.db import transaction

KEY = "pagecache:generation"


def _fresh() -> int:
    # A number no earlier generation has had, even after Redis lost or evicted the key:
    # each bump adds one, far less than the microseconds that pass.
    return time.time_ns() // 1_000


def current() -> int | None:
    """The generation now, or None while the cache cannot be reached."""
    value = cache.get(KEY)
    if value is None:
        cache.add(KEY, _fresh(), timeout=None)
        value = cache.get(KEY)
    return value


def bump() -> None:
    """Leave every page cached so far behind, in every process."""
    try:
        if cache.incr(KEY) is not None:
            return
    except ValueError:
        pass  # No generation yet, or it was evicted.
    cache.set(KEY, _fresh(), timeout=None)


def bump_now_and_on_commit(using: str | None = None) -> None:
    """Bump at once, and again when the current transaction commits.

    The first bump is seen by the writer's next request (and by tests, which never
    commit). A request in another process that began after it but read the data before
    the commit stores its page under that generation; the second bump leaves it behind.
    """
    bump()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and not bump_waits_for_commit(connection):
        transaction.on_commit(bump, using=using, robust=True)


def bump_waits_for_commit(connection) -> bool:
    # Once per transaction is enough, however many rows change in it. Django drops the
    # callbacks of a savepoint rolled back, so this never skips a needed bump.
    return any(entry[1] is bump for entry in connection.run_on_commit)
