"""Retries for background work.

Django's tasks API runs a task once. E-mail to senders must not be lost when the mail
server is down for a while, so a task wrapped in `retried` enqueues itself again,
later each time, until it succeeds or has failed `attempts` times. The attempt number
travels as a keyword argument, so whichever worker picks the task up next knows it.
"""

import functools
import logging
import sys
from datetime import timedelta

from django.tasks import task_backends
from django.utils import timezone

logger = logging.getLogger(__name__)

ATTEMPTS = 6
# 1, 4, 16, 64 and 256 minutes: about five and a half hours before giving up.
FIRST_DELAY = timedelta(minutes=1)


class WillRetry(Exception):
    """This attempt failed and another is queued: not a failure for good."""


def retried(func=None, *, attempts: int = ATTEMPTS, first_delay: timedelta = FIRST_DELAY):
    def decorator(func):
        @functools.wraps(func)
        def run(*args, attempt: int = 1, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception as error:
                if attempt >= attempts:
                    logger.error("%s failed for good after %d attempts", func.__name__, attempt)
                    raise
                delay = first_delay * 4 ** (attempt - 1)
                _enqueue_again(func, args, kwargs, attempt=attempt + 1, delay=delay)
                raise WillRetry(f"attempt {attempt} of {attempts} failed: {error!r}") from error

        return run

    return decorator(func) if func is not None else decorator


def _enqueue_again(func, args, kwargs, *, attempt: int, delay: timedelta) -> None:
    # The module attribute is the Task that wraps `run`, the object a worker can import.
    task = getattr(sys.modules[func.__module__], func.__name__)
    if task_backends[task.backend].supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(*args, attempt=attempt, **kwargs)
