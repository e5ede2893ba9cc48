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
                task = getattr(sys.modules[func.__module__], func.__name__)
                if attempt >= attempts or not task_backends[task.backend].supports_defer:
                    # Without a queue that can wait (the immediate backend), trying again
                    # at once would only keep a web request waiting on the same fault.
                    logger.error("%s failed for good after %d attempts", func.__name__, attempt)
                    raise
                delay = first_delay * 4 ** (attempt - 1)
                task.using(run_after=timezone.now() + delay).enqueue(
                    *args, attempt=attempt + 1, **kwargs
                )
                # The type only: an error's text may hold an e-mail address, and this
                # message is stored with the task.
                raise WillRetry(
                    f"attempt {attempt} of {attempts} failed: {type(error).__name__}"
                ) from None

        return run

    return decorator(func) if func is not None else decorator
