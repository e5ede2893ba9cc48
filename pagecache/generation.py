"""The generation number every cached page's key carries, shared by all processes."""

import contextlib
import time
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction

KEY = "pagecache:generation"
# What one request has read: the generation and the values shared under it (shared.py).
_read: ContextVar[dict | None] = ContextVar("pagecache_read", default=None)


@contextlib.contextmanager
def pinned():
    """Within it (one request), the generation and each value shared under it are read
    from the cache once rather than on every use: a page asks for them dozens of times.

    A bump made within it lets go of what was read, so a request that changes data
    reads afresh. One in another process is seen from the next request on, as a page
    rendered from data older than a bump already was (middleware.py).
    """
    token = _read.set({})
    try:
        yield
    finally:
        _read.reset(token)


def read() -> dict | None:
    """What the current request has read, or None outside of `pinned()`."""
    return _read.get()


def _fresh() -> int:
    # A number no earlier generation has had, even after Redis lost or evicted the key:
    # each bump adds one, far less than the microseconds that pass.
    return time.time_ns() // 1_000


def current() -> int | None:
    """The generation now, or None while the cache cannot be reached."""
    memo = _read.get()
    if memo is not None and KEY in memo:
        return memo[KEY]
    value = cache.get(KEY)
    if value is None:
        cache.add(KEY, _fresh(), timeout=None)
        value = cache.get(KEY)
    if memo is not None and value is not None:
        memo[KEY] = value
    return value


def bump() -> None:
    """Leave every page cached so far behind, in every process."""
    if (memo := _read.get()) is not None:
        memo.clear()
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
